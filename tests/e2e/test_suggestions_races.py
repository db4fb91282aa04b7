"""Suggestions arriving together (PostgreSQL: on SQLite two writers never overlap). Each test forces the interleaving
two real requests at once produce: one transaction held open while the other runs beside it."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import MovableClock
from handlers.jobs.drain_outbox import drain_outbox
from handlers.jobs.follow_up_pending_requests import follow_up_pending_requests
from handlers.suggestions import queue_new_suggestion
from models import Suggestion, SuggestionBacker, Workspace
from services.errors import AlreadyDone
from services.handover import hand_over_suggestions
from services.policy.versions import load_policy
from services.suggestions import backing, lifecycle, release
from services.suggestions.lifecycle import SuggestionRequest
from tests.conftest import RunningBot
from tests.e2e.test_suggestions_anonymous import suggest_anonymously
from tests.helpers import employee, in_a_transaction, one_after_the_other, skip_unless_writers_overlap
from tests.suggestions_helpers import SUGGESTIONS_POLICY, load_suggestion_org

IDEA = SuggestionRequest(what="A second card reader at the returns desk")


def sam_suggests(session: Session, now: MovableClock) -> None:
    workspace = session.scalars(select(Workspace)).one()
    author = employee(session, "U0AGENT1")
    lifecycle.submit(session, workspace=workspace, author=author, request=IDEA, relay=None, now=now.now())


def test_the_same_suggestion_sent_twice_at_once_is_kept_once_and_the_second_is_told_so(
    engine: Engine, sessions: sessionmaker[Session], clock: MovableClock
) -> None:
    """Two `/suggest` sent together (Enter pressed twice, the form sent from two tabs): the second waits for the
    first, then finds it, rather than each missing the other and the owner getting the idea twice."""
    skip_unless_writers_overlap(engine)
    load_suggestion_org(sessions, clock.now())

    def again(session: Session) -> None:
        with pytest.raises(AlreadyDone, match="You sent exactly this a moment ago"):
            sam_suggests(session, clock)

    one_after_the_other(sessions, engine, lambda session: sam_suggests(session, clock), again)

    with sessions() as session:
        assert session.scalars(select(Suggestion.what)).all() == [IDEA.what]


def test_a_me_too_clicked_as_the_owner_marks_it_done_is_told_it_is_done_and_not_counted(bot: RunningBot) -> None:
    """Lee clicks *Me too* on the team channel's post the moment Maya marks the idea done. Done thanks the backers it
    finds, by name, and closes the idea to backing: Lee's click must wait for Maya's and be told it is done, not be
    counted on a closed idea behind the thanks' back (nor show the post as still open to backing)."""
    skip_unless_writers_overlap(bot.runtime.engine)
    load_suggestion_org(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT1", "/suggest", IDEA.what)
    post = bot.slack.calls("chat.postMessage", channel="C0EAST")[-1]
    clicked = (post.channel, str(post.response["ts"]))
    with bot.sessions() as session:
        suggestion_id = session.scalars(select(Suggestion.id)).one()

    def maya_marks_it_done(session: Session) -> None:
        lifecycle.set_status(
            session,
            workspace=session.scalars(select(Workspace)).one(),
            number=suggestion_id,
            decider=employee(session, "U0MGR1"),
            status="done",
            note="A second reader is on the returns desk",
            relay=None,
            now=bot.clock.now(),
        )

    def lee_backs_it(session: Session) -> None:
        with pytest.raises(AlreadyDone, match=f"Suggestion #{suggestion_id} is already Done"):
            backing.back(
                session,
                workspace=session.scalars(select(Workspace)).one(),
                number=suggestion_id,
                backer=employee(session, "U0AGENT2"),
                clicked=clicked,
                relay=None,
                now=bot.clock.now(),
            )

    one_after_the_other(bot.sessions, bot.runtime.engine, maya_marks_it_done, lee_backs_it)

    with bot.sessions() as session:
        assert session.scalars(select(SuggestionBacker)).all() == [], "a backer of an idea already done"


def test_a_suggestion_sent_while_a_policy_load_names_another_owner_goes_to_the_new_owner(bot: RunningBot) -> None:
    """Sam sends a `tools` idea, owned by Omar, at the moment HR loads a policy that makes Maya the owner of `tools`.
    The load hands over the open `tools` ideas it can see, not Sam's (not committed yet): it would wait on Omar, who
    can no longer answer it, with Maya never told. The next follow-up tick hands it over as the load would have."""
    skip_unless_writers_overlap(bot.runtime.engine)
    load_suggestion_org(bot.sessions, bot.clock.now(), SUGGESTIONS_POLICY.replace('tools = "U0ADMIN"', OMARS))
    bot.clock.advance(timedelta(days=2))  # the org and the policy were loaded long before

    with bot.sessions() as sam:
        workspace = sam.scalars(select(Workspace)).one()
        sent = lifecycle.submit(
            sam,
            workspace=workspace,
            author=employee(sam, "U0AGENT1"),
            request=SuggestionRequest("A shared macro for refund replies", category="tools"),
            relay=None,
            now=bot.clock.now(),
        )
        assert sent.owner.slack_id == "U0MGR2"
        in_a_transaction(bot.sessions, hr_makes_maya_the_owner_of_tools(bot))  # it cannot see Sam's idea
        sam.commit()
    bot.clock.advance(timedelta(minutes=10))
    follow_up_pending_requests(bot.runtime.deps, bot.runtime.app.client)

    with bot.sessions() as session:
        assert session.scalars(select(Suggestion)).one().owner.slack_id == "U0MGR1", "it waits on Omar, no owner now"
    [card] = bot.slack.calls("chat.postMessage", channel="U0MGR1")
    assert "now comes to you" in card.text


OMARS = 'tools = "U0MGR2"'


def hr_makes_maya_the_owner_of_tools(bot: RunningBot) -> Callable[[Session], None]:
    """What `python -m bot policy load` does."""

    def load(session: Session) -> None:
        workspace = session.scalars(select(Workspace)).one()
        text = SUGGESTIONS_POLICY.replace('tools = "U0ADMIN"', 'tools = "U0MGR1"')
        load_policy(session, workspace=workspace, text=text, loaded_by="hr", now=bot.clock.now())
        assert hand_over_suggestions(session, workspace=workspace) == []

    return load


def held_ideas_due_at(bot: RunningBot, *minutes: int) -> list[int]:
    """Anonymous ideas sent now, due the given minutes from now (their waits drawn so), by id in that order."""
    ideas = [f"Idea {n}: fewer clicks in the refund tool" for n in range(len(minutes))]
    for idea in ideas:
        assert suggest_anonymously(bot, what=idea) == {}
    with bot.sessions.begin() as session:
        held = {row.what: row for row in session.scalars(select(Suggestion))}
        for idea, minute in zip(ideas, minutes, strict=True):
            held[idea].release_at = bot.clock.now() + timedelta(minutes=minute)
        return [held[idea].id for idea in ideas]


def releases_at(bot: RunningBot, minutes: int) -> Callable[[Session], None]:
    """The release tick's transaction (handlers/jobs/release_suggestions.py), its cards queued in it."""

    def tick(session: Session) -> None:
        now = bot.clock.now() + timedelta(minutes=minutes)
        for suggestion in release.release_due(session, now=now):
            queue_new_suggestion(session, suggestion, now)

    return tick


def test_two_releases_at_once_number_their_ideas_one_after_the_other_with_no_gap(bot: RunningBot) -> None:
    """Two processes' ticks each release an idea while the other's transaction is open (the first's idea is locked,
    so the second releases the next one due): the second waits for the first's number and takes the next."""
    skip_unless_writers_overlap(bot.runtime.engine)
    load_suggestion_org(bot.sessions, bot.clock.now())
    first, second = held_ideas_due_at(bot, 10, 12)

    one_after_the_other(bot.sessions, bot.runtime.engine, releases_at(bot, 11), releases_at(bot, 13))
    bot.clock.advance(timedelta(minutes=30))  # past the lease the tick took on the cards it queued to send itself
    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)

    with bot.sessions() as session:
        numbers = {row.id: row.number for row in session.scalars(select(Suggestion))}
    assert [numbers[first], numbers[second]] == [1, 2]
    cards = [call.args["text"] for call in bot.slack.calls("chat.postMessage", channel="U0MGR1")]
    assert sorted(cards) == ["New suggestion #1", "New suggestion #2"]


def test_a_named_idea_sent_while_an_anonymous_one_is_being_released_is_numbered_after_it(bot: RunningBot) -> None:
    """Lee sends a named idea the moment the tick releases Sam's: his waits for the release's number and takes the
    next, as Maya sees them arrive, rather than both taking the same number."""
    skip_unless_writers_overlap(bot.runtime.engine)
    load_suggestion_org(bot.sessions, bot.clock.now())
    [sams] = held_ideas_due_at(bot, 10)
    bot.clock.advance(timedelta(minutes=11))

    def lee_sends(_session: Session) -> None:
        assert "Sent your suggestion #2 " in bot.driver.command("U0AGENT2", "/suggest", IDEA.what).text

    one_after_the_other(bot.sessions, bot.runtime.engine, releases_at(bot, 0), lee_sends)

    with bot.sessions() as session:
        numbers = {row.id: row.number for row in session.scalars(select(Suggestion))}
    assert numbers[sams] == 1 and sorted(numbers.values()) == [1, 2]
