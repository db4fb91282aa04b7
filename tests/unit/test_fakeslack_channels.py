"""The stand-in's channels: a post goes only where Slack would let the bot post."""

from collections.abc import Iterator

import pytest
from slack_sdk import WebClient

from bot.fakeslack import FakeSlack
from bot.fakeslack.server import BOT_TOKEN
from tests.unit.test_fakeslack import error_of


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake


@pytest.fixture
def client(slack: FakeSlack) -> WebClient:
    return WebClient(token=BOT_TOKEN, base_url=slack.api_url)


def test_a_post_goes_only_to_a_channel_slack_has_and_lets_the_bot_post_in(slack: FakeSlack, client: WebClient) -> None:
    slack.add_channel("C0PRIVATE", "managers", private=True, bot_is_member=False)
    slack.add_channel("C0INVITED", "leads", private=True)
    slack.add_channel("C0OLD", "last-year", archived=True)
    slack.add_channel("C0OPEN", "wins", bot_is_member=False)
    slack.add_channel("C0ELSEWHERE", "theirs", team_id="T0OTHER")

    assert error_of(client.chat_postMessage, channel="C0NOWHERE", text="hi") == "channel_not_found"
    assert error_of(client.chat_postMessage, channel="C0PRIVATE", text="hi") == "channel_not_found"
    assert error_of(client.chat_postMessage, channel="C0OLD", text="hi") == "is_archived"
    assert error_of(client.chat_postMessage, channel="C0ELSEWHERE", text="hi") == "channel_not_found"
    assert client.chat_postMessage(channel="C0INVITED", text="hi")["ok"]
    assert client.chat_postMessage(channel="C0OPEN", text="hi")["ok"], "chat:write.public posts where not invited"
    assert client.chat_postMessage(channel="C0GENERAL", text="hi")["ok"]
    assert [c.channel for c in slack.calls("chat.postMessage:failed")] == [
        "C0NOWHERE",
        "C0PRIVATE",
        "C0OLD",
        "C0ELSEWHERE",
    ]


def test_without_chat_write_public_the_bot_posts_only_in_public_channels_it_was_invited_to() -> None:
    with FakeSlack(scopes=frozenset({"chat:write"})) as slack:
        slack.add_channel("C0OPEN", "wins", bot_is_member=False)
        client = WebClient(token=BOT_TOKEN, base_url=slack.api_url)

        assert error_of(client.chat_postMessage, channel="C0OPEN", text="hi") == "not_in_channel"
        assert client.chat_postMessage(channel="C0GENERAL", text="hi")["ok"]
