"""The install pages anyone on the internet can open: /slack/install and /slack/oauth_redirect."""

from urllib.parse import parse_qs, quote, urlsplit

from bot.fakeslack.browser import get
from bot.installs import BOT_SCOPES
from tests.conftest import RunningBot
from tests.e2e.test_installs import oauth_bot  # noqa: F401


def test_the_install_link_hands_slack_a_team_as_one_value(oauth_bot: RunningBot) -> None:  # noqa: F811
    """A link to the app's own install page cannot ask Slack for more than the app does (user scopes, say)."""
    smuggled = "T0ALPHA&user_scope=admin,chat:write&scope=channels:history"

    start, _cookies = get(f"{oauth_bot.events_url}/slack/install?team={quote(smuggled)}")

    assert start.status == 302
    asked = parse_qs(urlsplit(start.location).query, keep_blank_values=True)
    assert asked["scope"] == [",".join(BOT_SCOPES)]
    assert asked["user_scope"] == [""]
    assert asked["team"] == [smuggled]


def test_the_install_link_refuses_a_team_that_would_break_its_headers(oauth_bot: RunningBot) -> None:  # noqa: F811
    broken = quote("T0ALPHA\r\nSet-Cookie: a=b")

    start, cookies = get(f"{oauth_bot.events_url}/slack/install?team={broken}")

    assert start.status == 302
    assert "a" not in cookies
