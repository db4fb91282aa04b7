"""The install pages anyone on the internet can open: /slack/install and /slack/oauth_redirect."""

import io
import logging
from datetime import timedelta
from urllib.parse import parse_qs, quote, urlsplit

from sqlalchemy import func, select

from bot.fakeslack.browser import get
from bot.installs import BOT_SCOPES
from bot.logs import configure_logging
from models import slack_oauth_states
from services import directory
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


def count_states(bot: RunningBot) -> int:
    with bot.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(slack_oauth_states)) or 0)


def test_states_nobody_came_back_with_are_deleted_once_expired(oauth_bot: RunningBot) -> None:  # noqa: F811
    """Each visit of the install page stores a state: visits that never come back must not fill the database."""
    for _visit in range(5):
        get(f"{oauth_bot.events_url}/slack/install")
    assert count_states(oauth_bot) == 5

    oauth_bot.clock.advance(timedelta(minutes=11))
    get(f"{oauth_bot.events_url}/slack/install")

    assert count_states(oauth_bot) == 1


def test_an_install_finished_more_than_ten_minutes_after_it_began_is_refused(
    oauth_bot: RunningBot,  # noqa: F811
) -> None:
    oauth_bot.slack.installing(team_id="T0ALPHA")
    start, cookies = get(f"{oauth_bot.events_url}/slack/install")
    allowed, _ = get(start.location, cookies)

    oauth_bot.clock.advance(timedelta(minutes=11))
    landed, _ = get(allowed.location, cookies)

    assert landed.status == 401
    assert oauth_bot.slack.calls("oauth.v2.access") == []
    with oauth_bot.sessions() as session:
        assert directory.find_workspace(session, "T0ALPHA") is None


def test_a_state_serves_one_install_only(oauth_bot: RunningBot) -> None:  # noqa: F811
    oauth_bot.slack.installing(team_id="T0ALPHA")
    start, cookies = get(f"{oauth_bot.events_url}/slack/install")
    allowed, _ = get(start.location, cookies)
    first, _ = get(allowed.location, cookies)

    again, _ = get(allowed.location, cookies)

    assert first.status == 200 and again.status == 401
    assert len(oauth_bot.slack.calls("oauth.v2.access")) == 1


def test_an_install_code_slack_refuses_is_kept_out_of_the_log(oauth_bot: RunningBot) -> None:  # noqa: F811
    oauth_bot.slack.installing(team_id="T0ALPHA")
    start, cookies = get(f"{oauth_bot.events_url}/slack/install")
    allowed, _ = get(start.location, cookies)
    query = parse_qs(urlsplit(allowed.location).query)
    forged = f"{oauth_bot.events_url}/slack/oauth_redirect?code=one-time-code-4711&state={quote(query['state'][0])}"
    log = io.StringIO()
    configure_logging(logging.INFO, stream=log)
    try:
        landed, _ = get(forged, cookies)
    finally:
        configure_logging(logging.WARNING)

    assert landed.status != 200
    assert "oauth.v2.access result with code: ***" in log.getvalue()
    assert "one-time-code-4711" not in log.getvalue()
