"""Rows under random ids below zero (services/unordered_ids.py): a manager's relayed reply takes one, and an id drawn
by two transactions at once is drawn again by the later one rather than failing it (PostgreSQL: on SQLite two
writers never overlap). The ids drawn are scripted, as the clock is moved: `secrets` gives the ones the test names."""

import secrets
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import MovableClock
from models import Employee, PulseComment, PulseReply, PulseResponse, Suggestion, Workspace
from services import directory, unordered_ids
from services.policy.versions import load_policy
from services.pulse import answers as pulse
from services.pulse import closing, invitations, relay, rounds
from services.pulse.relay_tags import relay_key_from
from services.suggestions import lifecycle
from services.suggestions.lifecycle import SuggestionRequest
from services.suggestions.relay import Relay
from tests.helpers import in_a_transaction, load_org, skip_unless_writers_overlap, wait_until_waiting_for_the_lock
from tests.pulse_org import EAST, POLICY, PULSE, org_csv
from tests.suggestions_helpers import load_suggestion_org

TAKEN, AGAIN = -424242, -171717
"""The id two writers draw at once, and the one the later draws next."""
RELAY_KEY = relay_key_from("relay")
OTHER = "T0OTHER"


@pytest.fixture
def draws(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The ids `unordered_ids.draw` gives next, in order; once they are used up it draws at random again."""
    script: list[int] = []
    randbelow = secrets.randbelow

    def scripted(bound: int) -> int:
        return -script.pop(0) - 1 if bound == 2**31 - 1 and script else randbelow(bound)

    monkeypatch.setattr(secrets, "randbelow", scripted)
    return script


@pytest.fixture
def overlapping(engine: Engine) -> None:
    skip_unless_writers_overlap(engine)


def open_round(sessions: sessionmaker[Session], clock: MovableClock, team_id: str = "T0LATITUDE") -> None:
    """The pulse org in the workspace `team_id`, its round open and everyone asked."""
    load_org(sessions, clock.now(), org_csv(), team_id=team_id)
    with sessions.begin() as session:
        workspace = directory.ensure_workspace(session, slack_team_id=team_id, now=clock.now())
        load_policy(session, workspace=workspace, text=POLICY + PULSE, loaded_by="test", now=clock.now())
        rounds.start_round(session, workspace=workspace, by=None, actor="test", now=clock.now())
        invitations.due_invitations(session, workspace=workspace, now=clock.now())


def of(session: Session, user: str, team_id: str = "T0LATITUDE") -> tuple[Workspace, Employee]:
    workspace = session.scalars(select(Workspace).where(Workspace.slack_team_id == team_id)).one()
    person = select(Employee).where(Employee.workspace_id == workspace.id, Employee.slack_id == user)
    return workspace, session.scalars(person).one()


def comment(session: Session, clock: MovableClock, user: str, team_id: str = "T0LATITUDE") -> None:
    workspace, author = of(session, user, team_id)
    current = rounds.open_round(session, workspace)
    assert current is not None
    pulse.save_comment(
        session,
        workspace=workspace,
        employee=author,
        round_id=current.id,
        text=f"From {user} in {team_id}",
        relay_key=RELAY_KEY,
        now=clock.now(),
    )


def answer(session: Session, clock: MovableClock, user: str) -> None:
    workspace, person = of(session, user)
    current = rounds.open_round(session, workspace)
    assert current is not None
    first = current.questions[0].id
    pulse.record_answer(session, workspace=workspace, employee=person, question_id=first, value=4, now=clock.now())


def at_once(
    engine: Engine, sessions: sessionmaker[Session], first: Callable[[Session], None], later: Callable[[Session], None]
) -> None:
    """`first` writes and holds its transaction open while `later` writes the same id; then both commit."""
    with sessions() as session, ThreadPoolExecutor(1) as other:
        first(session)
        writing = other.submit(in_a_transaction, sessions, later)
        wait_until_waiting_for_the_lock(engine, 1)
        session.commit()
        writing.result()


def test_two_comments_written_at_once_under_the_same_drawn_id_are_both_kept(
    overlapping: None, engine: Engine, sessions: sessionmaker[Session], clock: MovableClock, draws: list[int]
) -> None:
    open_round(sessions, clock)
    draws += [TAKEN, TAKEN, AGAIN]

    at_once(engine, sessions, lambda s: comment(s, clock, EAST[0]), lambda s: comment(s, clock, EAST[1]))

    with sessions() as session:
        assert sorted(session.scalars(select(PulseComment.id))) == [TAKEN, AGAIN]


def test_two_answers_given_at_once_under_the_same_drawn_id_are_both_kept(
    overlapping: None, engine: Engine, sessions: sessionmaker[Session], clock: MovableClock, draws: list[int]
) -> None:
    open_round(sessions, clock)
    draws += [TAKEN, TAKEN, AGAIN]

    at_once(engine, sessions, lambda s: answer(s, clock, EAST[0]), lambda s: answer(s, clock, EAST[1]))

    with sessions() as session:
        assert sorted(session.scalars(select(PulseResponse.id))) == [TAKEN, AGAIN]
        assert list(session.scalars(select(PulseResponse.value))) == [4, 4]


def test_two_anonymous_ideas_sent_at_once_under_the_same_drawn_id_are_both_kept(
    overlapping: None, engine: Engine, sessions: sessionmaker[Session], clock: MovableClock, draws: list[int]
) -> None:
    load_suggestion_org(sessions, clock.now())
    draws += [TAKEN, TAKEN, AGAIN]

    def suggest(user: str) -> Callable[[Session], None]:
        def send(session: Session) -> None:
            workspace, author = of(session, user)
            request = SuggestionRequest(what=f"An idea of {user}'s", anonymous=True)
            relayed = Relay("relay")
            lifecycle.submit(
                session, workspace=workspace, author=author, request=request, relay=relayed, now=clock.now()
            )

        return send

    at_once(engine, sessions, suggest("U0AGENT4"), suggest("U0AGENT5"))

    with sessions() as session:
        assert sorted(session.scalars(select(Suggestion.id))) == [TAKEN, AGAIN]


def test_a_round_sealed_while_another_workspace_comments_under_the_same_drawn_id_keeps_both(
    overlapping: None, engine: Engine, sessions: sessionmaker[Session], clock: MovableClock, draws: list[int]
) -> None:
    open_round(sessions, clock)
    open_round(sessions, clock, OTHER)
    with sessions.begin() as session:
        for user in EAST[:5]:
            answer(session, clock, user)
        comment(session, clock, EAST[0])
    draws += [TAKEN, TAKEN, AGAIN]

    def seal(session: Session) -> None:
        workspace, _ = of(session, "U0HR")
        closing.close_due_rounds(session, workspace=workspace, now=clock.now() + timedelta(days=4))

    at_once(engine, sessions, lambda s: comment(s, clock, EAST[0], OTHER), seal)

    with sessions() as session:
        kept = {c.text: c.id for c in session.scalars(select(PulseComment))}
    assert kept == {f"From {EAST[0]} in {OTHER}": TAKEN, f"From {EAST[0]} in T0LATITUDE": AGAIN}


def test_a_managers_reply_to_an_anonymous_comment_takes_an_id_below_zero(
    sessions: sessionmaker[Session], clock: MovableClock
) -> None:
    open_round(sessions, clock)
    with sessions.begin() as session:
        for user in EAST[:5]:
            answer(session, clock, user)
        comment(session, clock, EAST[0])
        workspace, _ = of(session, "U0HR")
        clock.advance(timedelta(days=4))
        closing.close_due_rounds(session, workspace=workspace, now=clock.now())

    with sessions.begin() as session:
        workspace, manager = of(session, "U0MGR1")
        [commented] = session.scalars(select(PulseComment.id))
        for text in ("Which shifts?", "Mornings or evenings?"):
            relay.reply_to_comment(
                session,
                workspace=workspace,
                manager=manager,
                comment_id=commented,
                text=text,
                relay_key=RELAY_KEY,
                now=clock.now(),
            )

    with sessions() as session:
        replies = list(session.scalars(select(PulseReply)))
    assert len(replies) == 2 and all(reply.id < 0 for reply in replies), [reply.id for reply in replies]


def test_an_object_built_with_a_related_object_is_refused_rather_than_written_without_its_key(
    sessions: sessionmaker[Session], clock: MovableClock
) -> None:
    load_suggestion_org(sessions, clock.now())
    with sessions() as session:
        workspace, owner = of(session, "U0MGR1")
        idea = Suggestion(
            workspace_id=workspace.id, owner=owner, what="More chairs", created_at=clock.now(), updated_at=clock.now()
        )
        with pytest.raises(ValueError, match="owner"):
            unordered_ids.add(session, idea)
        session.rollback()
    with sessions() as session:
        assert session.scalars(select(Suggestion)).all() == []
