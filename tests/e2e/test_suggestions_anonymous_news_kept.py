"""An anonymous idea's author's news, waiting its random moment, tells them where the idea stands in the end, and what
the outbox keeps of it says nothing of who they are: news a sender holds as the status is set back is followed by the
latest, "you said, we did" standing for the news of *Done* is seen only as it is sent, and an install stopped short
of an uninstall (a takeover by the org, a switch to OAuth installs) does not drop it."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import MovableClock
from bot.fakeslack import FakeSlack
from bot.fakeslack.browser import install
from bot.fakeslack.server import CLIENT_ID, CLIENT_SECRET
from handlers.delivery import send_for_workspace
from handlers.jobs.drain_outbox import drain_outbox, recorded
from models import Delivery, Workspace
from services import outbox
from services.workspace_purge import purge, purge_plan
from tests.conftest import RunningBot, SharedEngines, bot_settings, running_bot
from tests.e2e.test_installs import load_org_and_policy, oauth_bot  # noqa: F401
from tests.e2e.test_installs_grid_lifecycle import driver_for
from tests.e2e.test_installs_grid_takeover import GROUP_ORG
from tests.e2e.test_installs_grid_workspaces import install_in_the_org
from tests.e2e.test_people_leaving import SAM_MOVES_WEST, reimport
from tests.e2e.test_suggestions_anonymous_news import AUTHOR, dms, released
from tests.e2e.test_suggestions_held_when_not_served import BIG_NORTH, suggest_anonymously, ticks_after_the_wait
from tests.e2e.test_suggestions_held_while_moving import suggest_a_tool_anonymously
from tests.e2e.test_suggestions_team_kept import NO_CHANNELS
from tests.suggestions_helpers import (
    EXTRA_AGENTS,
    LONGEST_WAIT,
    after_the_release,
    after_the_wait,
    load_suggestion_org,
)

BACK_UNDER_REVIEW = "is looking at your suggestion #1"


def news_to_the_author(bot: RunningBot) -> list[str]:
    return [text for whom, text in dms(bot) if whom == AUTHOR and "your suggestion #1" in text]


def status_rows(bot: RunningBot) -> list[tuple[str, str, object, int, str | None]]:
    """What the outbox keeps of each status DM: its status's word, how it went, its result, attempts and error."""
    with bot.sessions() as session:
        rows = session.scalars(select(Delivery).where(Delivery.idempotency_key.like("suggestion:%:status:%")))
        return sorted(
            (row.idempotency_key.rsplit(":", 1)[1], row.status, row.result, row.attempts, row.last_error)
            for row in rows
        )


@pytest.mark.parametrize("sam_moves", [False, True], ids=["author-still-in-the-team", "author-moved-away"])
def test_done_without_a_channel_leaves_the_same_rows_whether_its_anonymous_author_is_still_in_the_team(
    bot: RunningBot, sam_moves: bool
) -> None:
    """ "You said, we did" goes by DM to each of the team; it stands for the author's own news of *Done* when they
    are among them. A status row only when they are not would tell a reader of the database that the author left the
    team since: every author's news is queued, and recorded sent alike, whether it went to Slack or not."""
    load_suggestion_org(bot.sessions, bot.clock.now(), NO_CHANNELS)
    suggest_a_tool_anonymously(bot)
    after_the_release(bot)
    if sam_moves:
        reimport(bot.sessions, bot.clock.now(), SAM_MOVES_WEST + EXTRA_AGENTS)
    [card] = [c for c in bot.slack.calls("chat.postMessage", channel="U0ADMIN") if "suggestion_done" in str(c.args)]
    before = len(dms(bot))

    bot.driver.click("U0ADMIN", card, "suggestion_done")
    bot.driver.submit("U0ADMIN", bot.slack.calls("views.open")[-1].args["view"], {"note": "Two card readers now"})
    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)
    with statements_sent(bot) as asked:
        after_the_wait(bot)

    to_sam = [text for whom, text in dms(bot)[before:] if whom == AUTHOR]
    assert len(to_sam) == 1 and ("You said, we did" in to_sam[0]) != sam_moves, to_sam
    assert status_rows(bot) == [("done", "sent", {}, 1, None)]
    assert asked and not [values for values in asked if AUTHOR in values], "a logged statement names the author"


@contextmanager
def statements_sent(bot: RunningBot) -> Iterator[list[str]]:
    """The values of each statement sent to the database meanwhile, as a server logging its statements shows them."""
    asked: list[str] = []

    def record(_conn: object, _cursor: object, _statement: str, parameters: object, *_args: object) -> None:
        asked.append(repr(parameters))

    engine = bot.sessions.kw["bind"]
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield asked
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_news_a_sender_holds_as_the_status_is_set_back_is_followed_by_the_status_it_has(bot: RunningBot) -> None:
    load_suggestion_org(bot.sessions, bot.clock.now())
    card = released(bot)
    bot.driver.click("U0MGR1", card, "suggestion_under_review")
    after_the_wait(bot)
    bot.driver.click("U0MGR1", card, "suggestion_planned")
    planned_due(bot)
    taken_at = bot.clock.now()
    with bot.sessions.begin() as session:
        [planned] = outbox.claim_due(session, now=taken_at)  # the drain takes it, and calls Slack...

    bot.driver.click("U0MGR1", card, "suggestion_under_review")  # ...as Maya sets it back
    sends = [(planned, send_for_workspace(bot.runtime.deps, bot.runtime.sender_client, planned))]
    recorded(bot.runtime.deps, sends, taken_at, {})
    after_the_wait(bot)

    told = news_to_the_author(bot)
    assert "plans to do" in told[-2] and BACK_UNDER_REVIEW in told[-1], told


def test_news_slack_took_from_a_sender_that_died_before_recording_it_is_followed_by_the_status_it_has(
    bot: RunningBot,
) -> None:
    load_suggestion_org(bot.sessions, bot.clock.now())
    card = released(bot)
    bot.driver.click("U0MGR1", card, "suggestion_under_review")
    after_the_wait(bot)
    bot.driver.click("U0MGR1", card, "suggestion_planned")
    planned_due(bot)
    with bot.sessions.begin() as session:
        [planned] = outbox.claim_due(session, now=bot.clock.now())
    send_for_workspace(bot.runtime.deps, bot.runtime.sender_client, planned)  # Slack has it; the sender dies

    bot.driver.click("U0MGR1", card, "suggestion_under_review")
    after_the_wait(bot)

    told = news_to_the_author(bot)
    assert "plans to do" in told[-2] and BACK_UNDER_REVIEW in told[-1], told


def planned_due(bot: RunningBot) -> None:
    """The news of *Planned* is due: the longest wait passes, with no drain yet."""
    bot.clock.advance(LONGEST_WAIT + timedelta(seconds=1))


def test_news_waiting_when_the_org_takes_the_workspace_over_reaches_the_anonymous_author_from_the_org(
    oauth_bot: RunningBot,  # noqa: F811
) -> None:
    """A named author heard of it at the click: the anonymous one, whose news waited, hears of it too."""
    north = install_in_the_org(oauth_bot, "T0NORTH", BIG_NORTH)
    suggest_anonymously(north, oauth_bot, "W0NAGENT")
    ticks_after_the_wait(oauth_bot)
    [card] = [c for c in oauth_bot.slack.messages_to("W0NMGR") if "suggestion_not_doing" in str(c.args)]
    north.click("W0NMGR", card, "suggestion_not_doing")
    north.submit("W0NMGR", oauth_bot.slack.calls("views.open")[-1].args["view"], {"note": "No budget this year"})
    oauth_bot.slack.add_user("W0GMGR", "Gus Manager", teams=("T0NORTH",), enterprise_id="E0GROUP")
    oauth_bot.slack.installing(enterprise_id="E0GROUP", user_id="W0HR")
    assert install(oauth_bot.events_url).status == 200
    load_org_and_policy(oauth_bot.sessions, "E0GROUP", GROUP_ORG, oauth_bot.clock.now())

    driver_for(oauth_bot, "T0NORTH", "E0GROUP", org_wide=True).org_event(
        {"type": "team_access_granted", "team_ids": ["T0NORTH"]}
    )
    ticks_after_the_wait(oauth_bot)

    told = [call for call in oauth_bot.slack.messages_to("W0NAGENT") if "won't do your suggestion" in str(call.args)]
    assert len(told) == 1, oauth_bot.slack.messages_to("W0NAGENT")

    with oauth_bot.sessions.begin() as session:  # the workspace taken over, purged: its ideas' words go with it
        taken = session.scalars(select(Workspace).where(Workspace.slack_team_id == "T0NORTH")).one()
        purge(session, purge_plan(session, workspace=taken, now=oauth_bot.clock.now(), retention_days=30, force=True))
    with oauth_bot.sessions() as session:
        kept = [str(row.payload) for row in session.scalars(select(Delivery))]
    assert not [payload for payload in kept if "No budget this year" in payload], kept


@pytest.fixture
def decided_then_switched_to_oauth(
    slack: FakeSlack,
    sessions: sessionmaker[Session],
    database_url: str,
    clock: MovableClock,
    bot_engines: SharedEngines | None,
) -> Iterator[RunningBot]:
    """With one bot token, Maya marks Sam's anonymous idea *Not doing*, its news to wait a random while; then the bot
    runs with OAuth installs on the same database, which stops the workspace until it is installed through them."""
    for first in running_bot(bot_settings(slack, database_url), slack, clock, bot_engines):
        load_suggestion_org(first.sessions, clock.now())
        card = released(first)
        first.driver.click("U0MGR1", card, "suggestion_not_doing")
        first.driver.submit("U0MGR1", slack.calls("views.open")[-1].args["view"], {"note": "No budget this year"})
    oauth = bot_settings(
        slack, database_url, slack_bot_token="", slack_client_id=CLIENT_ID, slack_client_secret=CLIENT_SECRET
    )
    for bot in running_bot(oauth, slack, clock, bot_engines):
        slack.set_redirect_url(bot.events_url + "/slack/oauth_redirect")
        yield bot


def test_news_waiting_when_the_workspace_stops_for_its_oauth_install_reaches_the_anonymous_author_once_installed(
    decided_then_switched_to_oauth: RunningBot,
) -> None:
    bot = decided_then_switched_to_oauth
    bot.slack.installing(team_id="T0LATITUDE", user_id="U0ADMIN")
    assert install(bot.events_url).status == 200

    after_the_wait(bot)

    assert len([text for text in news_to_the_author(bot) if "won't do your suggestion #1" in text]) == 1
