"""Fixtures of the fake Slack's own tests, which talk to it without a bot: a test module imports those it uses
(and names them in `__all__`), its own `slack` taking the place of the bare one where it needs people or channels."""

from collections.abc import Iterator

import pytest
from slack_sdk import WebClient

from bot.fakeslack import FakeSlack, SlackDriver
from bot.fakeslack.server import BOT_TOKEN


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    """A fake Slack with no one and no channel in it but the bot, and no check of what it refused."""
    with FakeSlack() as fake:
        yield fake


@pytest.fixture
def client(slack: FakeSlack) -> WebClient:
    """The Web API as the bot calls it."""
    return WebClient(token=BOT_TOKEN, base_url=slack.api_url)


@pytest.fixture
def driver(slack: FakeSlack) -> SlackDriver:
    """Builds what Slack would send the app; nothing is sent (no app listens)."""
    return SlackDriver("http://127.0.0.1:9/unused", "secret", slack)
