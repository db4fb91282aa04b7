"""A workspace's own client, made from another, reaches Slack as that one does and names no workspace of its."""

from slack_sdk import WebClient

from bot.slack_pool import PooledWebClient
from bot.slack_tls import slack_tls
from handlers.derived_clients import with_token


def test_a_client_made_for_another_workspace_keeps_the_way_to_slack_and_drops_the_workspace_it_named() -> None:
    requests_own = WebClient(
        token="xoxb-first", base_url="https://slack.example/api/", timeout=7, ssl=slack_tls(), team_id="T0FIRST"
    )

    other = with_token(requests_own, "xoxb-second")

    assert (other.token, other.base_url, other.timeout, other.ssl) == (
        "xoxb-second",
        "https://slack.example/api/",
        7,
        slack_tls(),
    )
    assert "team_id" not in other.default_params
    assert "T0FIRST" not in str(other.headers)


def test_a_client_made_from_one_keeping_its_connections_keeps_them_too() -> None:
    requests_own = PooledWebClient(token="xoxb-first", base_url="https://slack.example/api/", ssl=slack_tls())

    assert isinstance(with_token(requests_own, "xoxb-second"), PooledWebClient)


def test_a_client_made_for_a_quick_ask_has_its_own_shorter_timeout_and_no_retries() -> None:
    """handlers/home_readers.py asks users.info so, within a batch of Homes sent one after another."""
    requests_own = PooledWebClient(token="xoxb-first", base_url="https://slack.example/api/", timeout=10)

    quick = with_token(requests_own, requests_own.token, retry_handlers=[], timeout=3)

    assert (quick.timeout, quick.retry_handlers, quick.token) == (3, [], "xoxb-first")
    assert isinstance(quick, PooledWebClient) and requests_own.timeout == 10
