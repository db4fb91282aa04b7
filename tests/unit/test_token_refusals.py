"""A refused renewal means the install is gone only when Slack refused for good the refresh token still stored."""

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackTokenRotationError
from slack_sdk.oauth.installation_store import Installation

from bot.fakeslack import FakeSlack
from bot.fakeslack.server import CLIENT_ID, CLIENT_SECRET
from bot.token_refusals import refusal
from handlers.deps import InstallGone, RefreshTokenSpent
from handlers.event_retries import may_pass


def refused_renewal(slack: FakeSlack, refresh_token: str) -> SlackTokenRotationError:
    client = WebClient(base_url=slack.api_url, retry_handlers=[])
    with pytest.raises(SlackApiError) as refused:
        client.oauth_v2_access(
            client_id=CLIENT_ID, client_secret=CLIENT_SECRET, grant_type="refresh_token", refresh_token=refresh_token
        )
    return SlackTokenRotationError(refused.value)


def stored(refresh_token: str) -> Installation:
    return Installation(user_id="U0AHR", team_id="T0ALPHA", bot_token="xoxe.xoxb-1", bot_refresh_token=refresh_token)


def test_a_refresh_token_refused_for_good_and_still_stored_means_the_install_is_gone(slack: FakeSlack) -> None:
    error = refused_renewal(slack, "xoxe-1-revoked")

    assert isinstance(refusal(error, offered=stored("xoxe-1-revoked"), saved=stored("xoxe-1-revoked")), InstallGone)


def test_a_refresh_token_another_process_spent_and_replaced_is_no_sign_of_an_uninstall(slack: FakeSlack) -> None:
    error = refused_renewal(slack, "xoxe-1-spent")

    spent = refusal(error, offered=stored("xoxe-1-spent"), saved=stored("xoxe-1-new"))

    assert isinstance(spent, RefreshTokenSpent) and not isinstance(spent, InstallGone) and may_pass(spent)


def test_a_renewal_refused_for_the_apps_credentials_will_not_pass(slack: FakeSlack) -> None:
    slack.fail("oauth.v2.access", error="invalid_client_id")
    error = refused_renewal(slack, "xoxe-1-good")

    assert not may_pass(refusal(error, offered=stored("xoxe-1-good"), saved=stored("xoxe-1-good")))


def test_a_renewal_slack_could_not_answer_now_is_no_sign_of_an_uninstall(slack: FakeSlack) -> None:
    slack.fail("oauth.v2.access", status=503)
    error = refused_renewal(slack, "xoxe-1-good")

    assert refusal(error, offered=stored("xoxe-1-good"), saved=stored("xoxe-1-good")) is error and may_pass(error)
