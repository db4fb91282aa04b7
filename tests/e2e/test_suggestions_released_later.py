"""An anonymous suggestion reaches its owner and its team's channel a random 5 to 30 minutes after it is sent: at once,
the second Slack shows would name whoever was seen typing then. Until then nobody but its author sees it anywhere."""

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import MovableClock
from bot.fakeslack import FakeSlack
from handlers.jobs.drain_outbox import drain_outbox
from handlers.jobs.forget_anonymous_dms import forget_anonymous_dms
from handlers.jobs.release_suggestions import release_suggestions
from models import AuditEvent, Delivery, Suggestion
from services import anonymous_dms
from tests.conftest import RunningBot, SharedEngines, bot_settings, running_bot
from tests.e2e.test_people_leaving import WITHOUT_MAYA, reimport
from tests.e2e.test_suggestions_anonymous import IDEA, everything_stored, suggest_anonymously
from tests.suggestions_helpers import after_the_release, load_suggestion_org

EARLIEST, LATEST = timedelta(minutes=5), timedelta(minutes=30)
NAMED = "The returns desk needs a second card reader"


@pytest.fixture
def ready(bot: RunningBot) -> RunningBot:
    load_suggestion_org(bot.sessions, bot.clock.now())
    return bot


def ticks(bot: RunningBot) -> None:
    """What the bot's scheduler does every few seconds: release what is due, then send what the outbox holds."""
    release_suggestions(bot.runtime.deps, bot.runtime.sender_client)
    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)


def release_moment(bot: RunningBot) -> datetime:
    with bot.sessions() as session:
        moment = session.scalars(select(Suggestion.release_at).where(Suggestion.anonymous)).one()
    assert moment is not None
    return moment


def announced(bot: RunningBot, what: str = IDEA) -> list[str]:
    """Everyone but its author who has been sent anything about the idea (its card, its post, a hand-over)."""
    return [
        str(call.channel)
        for call in bot.slack.calls("chat.postMessage")
        if call.channel != "U0AGENT1" and what in str(call.args.get("blocks") or call.text)
    ]


def test_an_anonymous_idea_reaches_nobody_before_its_moment_and_its_owner_and_channel_after(ready: RunningBot) -> None:
    sent_at = ready.clock.now()
    assert suggest_anonymously(ready) == {}
    assert "Sent your suggestion" in ready.driver.command("U0AGENT2", "/suggest", NAMED).text
    moment = release_moment(ready)

    ready.clock.advance(moment - sent_at - timedelta(seconds=1))
    ticks(ready)
    before = announced(ready)
    ready.clock.advance(timedelta(seconds=1))
    ticks(ready)
    ticks(ready)

    assert before == [] and sorted(announced(ready)) == ["C0EAST", "U0MGR1"]
    assert sorted(announced(ready, NAMED)) == ["C0EAST", "U0MGR1"]  # a named idea went at once, as before
    [told] = [c for c in ready.slack.calls("chat.postMessage", channel="U0AGENT1") if "Sent anonymously" in c.text]
    assert "within half an hour, at a random moment, so that its arrival time does not point at you" in told.text
    with ready.sessions() as session:  # what others are shown dates it from its release, not from its sending
        suggestion = session.scalars(select(Suggestion).where(Suggestion.anonymous)).one()
        assert suggestion.created_at == suggestion.updated_at == moment and suggestion.release_at is None
        submitted = session.scalars(
            select(AuditEvent.at).where(AuditEvent.subject == f"#{suggestion.number}").order_by(AuditEvent.id)
        ).all()
        assert submitted == [moment]


def test_each_idea_draws_its_own_wait_between_5_and_30_minutes(ready: RunningBot) -> None:
    ideas = [f"Idea number {n}: fewer clicks in the refund tool" for n in range(6)]
    for number, idea in enumerate(ideas):  # from two people: one sends at most ANONYMOUS_A_DAY
        assert suggest_anonymously(ready, f"U0AGENT{number % 2 + 1}", what=idea) == {}
    arrived: dict[str, int] = {}

    for minute in range(1, 32):
        ready.clock.advance(timedelta(minutes=1))
        ticks(ready)
        for idea in ideas:
            if "U0MGR1" in announced(ready, idea):
                arrived.setdefault(idea, minute)

    assert sorted(arrived) == sorted(ideas)
    assert all(EARLIEST.seconds // 60 <= minute <= LATEST.seconds // 60 for minute in arrived.values()), arrived
    assert len(set(arrived.values())) > 1, arrived


def test_nobody_else_finds_it_in_their_list_or_digest_before_its_release_its_author_does(ready: RunningBot) -> None:
    assert suggest_anonymously(ready) == {}

    authors = ready.driver.command("U0AGENT1", "/suggest", "list").text
    owners = ready.driver.command("U0MGR1", "/suggest", "list").text
    teammates = ready.driver.command("U0AGENT2", "/suggest", "list").text
    ready.driver.command("U0MGR1", "/digest")
    digest = " ".join(call.text for call in ready.slack.calls("response_url"))
    after_the_release(ready)

    assert IDEA in authors
    assert IDEA not in owners and IDEA not in teammates and IDEA not in digest
    assert IDEA in ready.driver.command("U0MGR1", "/suggest", "list").text  # once released, it waits on Maya


def test_nobody_answers_an_idea_before_its_release_with_a_number_typed_into_another_card(ready: RunningBot) -> None:
    """Ada, an admin, may answer any suggestion; before its release nobody has seen this one, so nobody can: it has
    no number yet, and the ones around the named idea's (#1) get the words a number that never was gets."""
    assert suggest_anonymously(ready) == {}
    ready.driver.command("U0AGENT2", "/suggest", NAMED)
    [named_card] = [c for c in ready.slack.calls("chat.postMessage", channel="U0MGR1") if NAMED in str(c.args)]

    for typed in ("0", "2", "999"):
        ready.driver.click("U0ADMIN", named_card, "suggestion_planned", value=typed, forged=True)

    with ready.sessions() as session:
        assert session.scalars(select(Suggestion.status)).all() == ["open", "open"]
        assert session.scalars(select(Suggestion.number).where(Suggestion.anonymous)).one() is None
    none, held, never_was = (call.text for call in ready.slack.calls("response_url")[-3:])
    assert held.replace("#2", "#999") == never_was == none.replace("#0", "#999")
    assert "not yours to answer" in held


def test_an_idea_handed_over_before_its_release_reaches_only_its_new_owner_and_only_then(ready: RunningBot) -> None:
    """Maya leaves while the idea waits: nobody hears of it until its release, and then only whoever holds it."""
    assert suggest_anonymously(ready) == {}

    reimport(ready.sessions, ready.clock.now(), WITHOUT_MAYA)
    drain_outbox(ready.runtime.deps, ready.runtime.sender_client)
    before = announced(ready)
    after_the_release(ready)

    with ready.sessions() as session:
        owner = session.scalars(select(Suggestion).where(Suggestion.anonymous)).one().owner.slack_id
    assert before == [] and owner != "U0MGR1"
    assert owner in announced(ready) and "U0MGR1" not in announced(ready)


@pytest.fixture
def restarting(
    slack: FakeSlack,
    sessions: sessionmaker[Session],
    database_url: str,
    clock: MovableClock,
    bot_engines: SharedEngines | None,
) -> Iterator[tuple[FakeSlack, str, MovableClock, SharedEngines | None]]:
    yield slack, database_url, clock, bot_engines


def test_a_bot_restarted_while_an_idea_waits_releases_it_once(
    restarting: tuple[FakeSlack, str, MovableClock, SharedEngines | None],
) -> None:
    slack, database_url, clock, engines = restarting
    for first in running_bot(bot_settings(slack, database_url), slack, clock, engines):
        load_suggestion_org(first.sessions, clock.now())
        assert suggest_anonymously(first) == {}
        clock.advance(EARLIEST - timedelta(seconds=1))
        ticks(first)
        before = announced(first)
    for second in running_bot(bot_settings(slack, database_url), slack, clock, engines):
        after_the_release(second)
        ticks(second)
        after = announced(second)

    assert before == [] and sorted(after) == ["C0EAST", "U0MGR1"]


def test_a_database_reader_an_hour_later_cannot_tell_when_an_anonymous_idea_was_sent(ready: RunningBot) -> None:
    """The form's answer to its author went out at that moment: kept, its row would date the idea to it."""
    ready.clock.advance(timedelta(minutes=7, seconds=13))
    sent_at = ready.clock.now()
    assert suggest_anonymously(ready) == {}
    after_the_release(ready)
    assert any("Sent anonymously your suggestion" in call.text for call in ready.slack.messages_to("U0AGENT1"))

    ready.clock.advance(anonymous_dms.KEPT + timedelta(minutes=5))
    forget_anonymous_dms(ready.runtime.deps, ready.runtime.sender_client)

    with ready.sessions() as session:
        engine = session.get_bind()
        assert session.scalars(select(Delivery).where(Delivery.created_at == sent_at)).all() == []
    stored = everything_stored(engine)  # type: ignore[arg-type]
    assert sent_at.strftime("%H:%M:%S") not in stored, "nothing stored keeps the second it was sent"
