"""Pulse writers arriving together (PostgreSQL: on SQLite two writers never overlap). Each test forces the
interleaving real concurrent requests produce: one transaction held open while the other waits for its lock."""

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import pytest
from sqlalchemy import Engine, event, select
from sqlalchemy.engine.interfaces import DBAPICursor, ExecutionContext
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import MovableClock
from handlers.blocks import pulse_relay as relay_blocks
from handlers.jobs.drain_outbox import notices_for
from handlers.jobs.run_pulse_rounds import run_pulse_rounds
from handlers.pulse_invitations import queue_invitations
from handlers.pulse_relay_outbox import queue_relayed
from models import (
    Delivery,
    PulseComment,
    PulseQuestion,
    PulseReceipt,
    PulseRelay,
    PulseReply,
    PulseRound,
    Workspace,
)
from services import outbox
from services.errors import AlreadyDone, NotFound
from services.outbox import SendOutcome
from services.pulse import relay as pulse_relay
from services.pulse.answers import record_answer
from services.pulse.closing import close_round
from services.pulse.relay import RELAY_DELAY_MINUTES, AnswerTo
from services.pulse.rounds import invitable, start_round
from tests.conftest import RunningBot
from tests.e2e.test_pulse_relay import commented_round, reply_from_results
from tests.helpers import (
    employee,
    in_a_transaction,
    load_org,
    load_policy,
    one_after_the_other,
    skip_unless_writers_overlap,
    wait_until_waiting_for_the_lock,
)
from tests.pulse_org import load_pulse_org


def workspace_of(session: Session) -> Workspace:
    return session.scalars(select(Workspace)).one()


def test_the_invitation_tick_during_an_early_close_writes_no_receipt_and_invites_nobody_to_the_closed_round(
    engine: Engine, sessions: sessionmaker[Session], clock: MovableClock
) -> None:
    skip_unless_writers_overlap(engine)
    load_pulse_org(sessions, clock.now())
    with sessions.begin() as session:
        start_round(session, workspace=workspace_of(session), by=None, actor="cli", now=clock.now())
    clock.advance(timedelta(minutes=1))  # the next tick sends everyone's invitation

    def hr_closes(session: Session) -> None:
        close_round(
            session, workspace=workspace_of(session), by=employee(session, "U0HR"), actor="U0HR", now=clock.now()
        )

    def tick(session: Session) -> None:
        queue_invitations(session, workspace=workspace_of(session), now=clock.now())

    one_after_the_other(sessions, engine, hr_closes, tick)

    with sessions() as session:
        assert session.scalars(select(PulseRound.status)).one() == "closed"
        assert session.scalars(select(PulseReceipt)).all() == [], "who was asked outlives the seal"
        assert session.scalars(select(Delivery).where(Delivery.status == "pending")).all() == []


def test_a_reply_sent_as_the_relay_window_ends_leaves_no_reply_route_behind(bot: RunningBot) -> None:
    skip_unless_writers_overlap(bot.runtime.engine)
    commented_round(bot)
    with bot.sessions() as session:
        ends = session.scalars(select(PulseRound)).one().relay_ends_at
        comment_id = session.scalars(select(PulseComment.id)).one()
    assert ends is not None

    def maya_replies(session: Session) -> None:
        pulse_relay.reply_to_comment(
            session,
            workspace=workspace_of(session),
            manager=employee(session, "U0MGR1"),
            comment_id=comment_id,
            text="Which shifts?",
            relay_key=bot.runtime.deps.relay_key,
            now=ends - timedelta(minutes=RELAY_DELAY_MINUTES[1], seconds=1),  # the last moment a reply is taken
        )

    def tick(session: Session) -> None:
        assert pulse_relay.end_relays(session, workspace=workspace_of(session), now=ends) == 1

    one_after_the_other(bot.sessions, bot.runtime.engine, maya_replies, tick)

    with bot.sessions() as session:
        assert session.scalars(select(PulseRelay)).all() == []
        assert session.scalars(select(PulseReply)).all() == [], "a reply route outlives the relay window for good"


def test_a_reply_after_the_relay_window_ended_meanwhile_is_told_replies_have_ended(bot: RunningBot) -> None:
    skip_unless_writers_overlap(bot.runtime.engine)
    commented_round(bot)
    with bot.sessions() as session:
        ends = session.scalars(select(PulseRound)).one().relay_ends_at
        comment_id = session.scalars(select(PulseComment.id)).one()
    assert ends is not None

    def tick(session: Session) -> None:
        pulse_relay.end_relays(session, workspace=workspace_of(session), now=ends)

    def maya_replies(session: Session) -> None:
        with pytest.raises(AlreadyDone, match="Replies to round 1's comments have ended"):
            pulse_relay.reply_to_comment(
                session,
                workspace=workspace_of(session),
                manager=employee(session, "U0MGR1"),
                comment_id=comment_id,
                text="Which shifts?",
                relay_key=bot.runtime.deps.relay_key,
                now=ends - timedelta(seconds=1),
            )

    one_after_the_other(bot.sessions, bot.runtime.engine, tick, maya_replies)

    with bot.sessions() as session:
        assert session.scalars(select(PulseReply)).all() == []


def test_two_round_starts_at_once_leave_one_round_open_and_tell_the_second_it_is_already_open(
    engine: Engine, sessions: sessionmaker[Session], clock: MovableClock
) -> None:
    """The admin's start has checked that no round is open when HR's whole start commits; then it goes on."""
    skip_unless_writers_overlap(engine)
    load_pulse_org(sessions, clock.now())
    checked, first_committed = threading.Event(), threading.Event()
    admins_thread: list[int] = []

    def pause_after_the_open_check(
        conn: object,
        cursor: DBAPICursor,
        statement: str,
        parameters: object,
        context: ExecutionContext | None,
        executemany: bool,
    ) -> None:
        admins = admins_thread == [threading.get_ident()] and not checked.is_set()
        if admins and "FROM pulse_rounds" in statement and "status" in statement:
            checked.set()
            first_committed.wait(10)

    def admin_starts() -> None:
        admins_thread.append(threading.get_ident())
        with sessions.begin() as session:
            by = employee(session, "U0ADMIN")
            start_round(session, workspace=workspace_of(session), by=by, actor="U0ADMIN", now=clock.now())

    event.listen(engine, "after_cursor_execute", pause_after_the_open_check)
    try:
        with ThreadPoolExecutor(1) as other:
            second = other.submit(admin_starts)
            assert checked.wait(10)
            with sessions.begin() as session:
                by = employee(session, "U0HR")
                start_round(session, workspace=workspace_of(session), by=by, actor="U0HR", now=clock.now())
            first_committed.set()
            with pytest.raises(AlreadyDone, match="A pulse round is already open"):
                second.result(timeout=10)
    finally:
        event.remove(engine, "after_cursor_execute", pause_after_the_open_check)

    with sessions() as session:
        assert session.scalars(select(PulseRound.number).where(PulseRound.status == "open")).all() == [1]


def test_a_tick_overlapping_another_invites_each_person_once_and_goes_on_to_the_next_workspace(
    bot: RunningBot, engine: Engine
) -> None:
    """A tick still inviting when the next one starts (its leader lost the lock meanwhile) holds a person's receipt:
    the next tick finds it written, and invites the next workspace all the same."""
    skip_unless_writers_overlap(engine)
    now = bot.clock.now()
    load_pulse_org(bot.sessions, now)
    load_org(bot.sessions, now, team_id="T0OTHER")
    load_policy(bot.sessions, now, team_id="T0OTHER")
    with bot.sessions.begin() as session:
        for workspace in session.scalars(select(Workspace)):
            start_round(session, workspace=workspace, by=None, actor="cli", now=now)

    with bot.sessions() as first, ThreadPoolExecutor(1) as other:
        queue_invitations(first, workspace=in_team(first, "T0LATITUDE"), now=now)
        second = other.submit(run_pulse_rounds, bot.runtime.deps, bot.runtime.sender_client)
        wait_until_waiting_for_the_lock(engine, 1)
        first.commit()
        second.result(timeout=10)

    with bot.sessions() as session:
        for team in ("T0LATITUDE", "T0OTHER"):
            workspace = in_team(session, team)
            everyone = sorted(f"pulse:{team}:" in key for key in invitations(session, workspace))
            assert len(everyone) == len(invitable(session, workspace)) > 0 and all(everyone), team


def invitations(session: Session, workspace: Workspace) -> list[str]:
    return list(
        session.scalars(
            select(Delivery.idempotency_key).where(
                Delivery.workspace_id == workspace.id, Delivery.idempotency_key.like("pulse:%")
            )
        )
    )


def in_team(session: Session, team_id: str) -> Workspace:
    return session.scalars(select(Workspace).where(Workspace.slack_team_id == team_id)).one()


def test_someone_answering_as_the_reminder_tick_runs_gets_no_reminder(bot: RunningBot) -> None:
    """Dee answers the moment her reminder falls due and the tick reads who has not answered: the tick must wait for
    her answer and leave her out, not remind her a moment after she answered (the one reminder is for those who
    have not)."""
    skip_unless_writers_overlap(bot.runtime.engine)
    load_pulse_org(bot.sessions, bot.clock.now())
    with bot.sessions.begin() as session:
        start_round(session, workspace=workspace_of(session), by=None, actor="cli", now=bot.clock.now())
        queue_invitations(session, workspace=workspace_of(session), now=bot.clock.now())
    bot.clock.advance(timedelta(hours=24))

    def dee_answers(session: Session) -> None:
        question_id = session.scalars(select(PulseQuestion.id).order_by(PulseQuestion.position)).first()
        assert question_id is not None
        dee = employee(session, "U0A04")
        record_answer(
            session,
            workspace=workspace_of(session),
            employee=dee,
            question_id=question_id,
            value=4,
            now=bot.clock.now(),
        )

    def tick(session: Session) -> None:
        queue_invitations(session, workspace=workspace_of(session), now=bot.clock.now())

    one_after_the_other(bot.sessions, bot.runtime.engine, dee_answers, tick)

    with bot.sessions() as session:
        reminded = session.scalars(select(Delivery.idempotency_key).where(Delivery.idempotency_key.like("%reminder%")))
        assert [key for key in reminded if key.endswith(":U0A04")] == [], "reminded a moment after answering"
        assert len(session.scalars(select(PulseReceipt).where(PulseReceipt.reminded_at.is_not(None))).all()) == 19


def answer_as_the_window_ends(bot: RunningBot, *, now: datetime) -> Callable[[Session], None]:
    """The comment's author answers the manager's reply: the answer is checked and queued in one transaction, as the
    answer form's listener does."""
    with bot.sessions() as session:
        reply_id = session.scalars(select(PulseReply.id)).one()
        round_id = session.scalars(select(PulseRound.id)).one()

    def author_answers(session: Session) -> None:
        workspace = workspace_of(session)
        relayed = pulse_relay.answer_reply(
            session,
            workspace=workspace,
            author=employee(session, "U0A01"),
            to=AnswerTo(reply_id, round_id),
            text="Saturday mornings",
            relay_key=bot.runtime.deps.relay_key,
            now=now,
        )
        message = relay_blocks.answer_to_manager(relayed)
        queue_relayed(
            session,
            bot.runtime.deps,
            workspace=workspace,
            relayed=relayed,
            message=message,
            sender="U0A01",
            kind="answer",
            now=now,
        )

    return author_answers


def relayed_in_the_outbox(bot: RunningBot) -> list[str]:
    with bot.sessions() as session:
        keys = session.scalars(select(Delivery.idempotency_key))
        return [key for key in keys if key.startswith("pulse-relay:")]


def test_an_answer_sent_as_the_relay_window_ends_leaves_nothing_relayed_in_the_outbox(bot: RunningBot) -> None:
    skip_unless_writers_overlap(bot.runtime.engine)
    commented_round(bot)
    reply_from_results(bot, "U0MGR1", "Which shifts?")
    ends = relay_end(bot)
    author_answers = answer_as_the_window_ends(bot, now=ends - timedelta(minutes=RELAY_DELAY_MINUTES[1], seconds=1))

    def tick(session: Session) -> None:
        assert pulse_relay.end_relays(session, workspace=workspace_of(session), now=ends) == 1

    one_after_the_other(bot.sessions, bot.runtime.engine, author_answers, tick)

    assert relayed_in_the_outbox(bot) == [], "an answer and its sealed sender outlive the relay window"


def test_an_answer_after_the_relay_window_ended_meanwhile_finds_no_conversation_and_queues_nothing(
    bot: RunningBot,
) -> None:
    """Its own clock says replies are still open (another worker's ran ahead): it is told what anyone is told once
    the route is deleted."""
    skip_unless_writers_overlap(bot.runtime.engine)
    commented_round(bot)
    reply_from_results(bot, "U0MGR1", "Which shifts?")
    ends = relay_end(bot)
    author_answers = answer_as_the_window_ends(bot, now=ends - timedelta(minutes=RELAY_DELAY_MINUTES[1], seconds=1))

    def tick(session: Session) -> None:
        pulse_relay.end_relays(session, workspace=workspace_of(session), now=ends)

    def too_late(session: Session) -> None:
        with pytest.raises(NotFound, match="does not exist, or it is not yours"):
            author_answers(session)

    one_after_the_other(bot.sessions, bot.runtime.engine, tick, too_late)

    assert relayed_in_the_outbox(bot) == []


def relay_end(bot: RunningBot) -> datetime:
    with bot.sessions() as session:
        ends = session.scalars(select(PulseRound)).one().relay_ends_at
    assert ends is not None
    return ends


def test_a_not_delivered_notice_queued_as_replies_end_is_deleted_by_the_next_end(bot: RunningBot) -> None:
    """The sender gives up on an author's answer (Slack refused it for our own fault) in a transaction the end of
    replies waits for; the notice to its author it queued there was not yet written when the end deleted what it saw."""
    skip_unless_writers_overlap(bot.runtime.engine)
    commented_round(bot)
    reply_from_results(bot, "U0MGR1", "Which shifts?")
    ends = relay_end(bot)
    author_answers = answer_as_the_window_ends(bot, now=ends - timedelta(minutes=RELAY_DELAY_MINUTES[1], seconds=1))
    in_a_transaction(bot.sessions, author_answers)
    with bot.sessions.begin() as session:
        [claimed] = outbox.claim_due(session, now=ends)

    def sender_gives_up(session: Session) -> None:
        sends = [(claimed, SendOutcome(ok=False, error="missing_scope", permanent=True))]
        outbox.record_outcomes(session, outcomes=sends, now=ends)
        assert notices_for(session, bot.runtime.deps, sends) == 1

    def tick(session: Session) -> None:
        pulse_relay.end_relays(session, workspace=workspace_of(session), now=ends)

    one_after_the_other(bot.sessions, bot.runtime.engine, sender_gives_up, tick)
    with bot.sessions.begin() as session:
        pulse_relay.end_relays(session, workspace=workspace_of(session), now=ends + timedelta(minutes=1))

    assert relayed_in_the_outbox(bot) == [], "a sealed notice and its text outlive the relay window"
