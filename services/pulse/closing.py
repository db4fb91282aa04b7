"""Closing a pulse round (on time, or early by HR/admin) seals it: from then on only counts remain. Callers commit.

Sealing, in the closing transaction: the anonymity rule is applied to the round's answers; each answer,
receipt and comment is moved to the smallest group the rule shows that holds it (its cell), and kept
only as counts per cell (`PulseTally`, `PulseTurnout`, inserted in one sorted statement each), with the
reporting tree as it is at the close (`PulseCellGroup`), which every later read judges the round on; comments
and their relays are rewritten in a sorted order, without their respondent hash (comments under random ids, which
count none written); answers and receipts are deleted; the salt is erased. No row left then carries the order,
time or transaction in which anyone answered (SQLite rowid, PostgreSQL ctid, xmin and xmax), and no cell is finer
than a shown group.
Invitations and reminders still waiting in the outbox are given up: nobody is asked to answer a round
that has closed.
"""

import logging
from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, insert, select
from sqlalchemy.orm import Session

from models import (
    Employee,
    PulseComment,
    PulseQuestion,
    PulseReceipt,
    PulseRelay,
    PulseResponse,
    PulseRound,
    PulseTally,
    PulseTurnout,
    Workspace,
)
from models.engine import empty_journal, empty_journal_after_commit
from services import audit, directory, outbox, unordered_ids
from services.errors import AlreadyDone, NotFound
from services.outbox_keys import home_key_prefix
from services.pulse.anonymity import Cell, Group, Visibility, innermost, visibility
from services.pulse.answers import respondent_of
from services.pulse.rounds import (
    INVITATION_KINDS,
    ROUND_STARTERS,
    anonymous_dm_key_prefix,
    invitation_key_prefix,
    pulse_settings,
)
from services.pulse.trees import groups_of, record_tree
from services.rereading import as_now
from services.rows import lock_again
from services.unlisted import refused_by_role

log = logging.getLogger(__name__)
CLOSED_BEFORE_SENT = "the pulse round closed before this invitation was sent"


def close_due_rounds(session: Session, *, workspace: Workspace, now: datetime) -> list[PulseRound]:
    """Close and seal every open round past its end."""
    due = session.scalars(
        select(PulseRound)
        .where(PulseRound.workspace_id == workspace.id, PulseRound.status == "open", PulseRound.closes_at <= now)
        .with_for_update()
    )
    return [seal(session, workspace=workspace, pulse_round=pulse_round, now=now) for pulse_round in list(due)]


def _require_starter(by: Employee) -> None:
    directory.require_active(by)
    if by.role not in ROUND_STARTERS:
        raise refused_by_role(
            by,
            what="Closing a pulse round early",
            refusal="Closing a pulse round early is for HR and admins. Results come when the round ends.",
        )


def close_round(
    session: Session, *, workspace: Workspace, by: Employee | None, actor: str, now: datetime
) -> PulseRound:
    """HR/admin (or the CLI when `by` is None) close the open round before its end, so results show at once."""
    if by is not None:
        _require_starter(by)
    pulse_round = session.scalar(
        select(PulseRound)
        .where(PulseRound.workspace_id == workspace.id, PulseRound.status == "open")
        .limit(1)
        .with_for_update()
    )
    if by is not None:  # the round is locked: who they are now is what they may do
        _require_starter(as_now(session, by))
    if pulse_round is None:
        last = session.scalar(
            select(PulseRound.number).where(PulseRound.workspace_id == workspace.id).order_by(PulseRound.number.desc())
        )
        if last is None:
            raise NotFound("No pulse round has been opened yet, so there is nothing to close.")
        raise AlreadyDone(f"Pulse round {last} is already closed. `/pulse results` shows its results.")
    audit.record(
        session, workspace=workspace, actor=actor, action="pulse.close", now=now, subject=f"round {pulse_round.number}"
    )
    return seal(session, workspace=workspace, pulse_round=pulse_round, now=now)


def empty_sealed_journal(session: Session) -> None:
    """Empty SQLite's write-ahead log now: a seal's that a long read kept from being emptied at its commit, or
    one by another process (`python -m bot pulse close`), which could not try again."""
    engine = session.get_bind()
    if isinstance(engine, Engine):
        empty_journal(engine)


def seal(session: Session, *, workspace: Workspace, pulse_round: PulseRound, now: datetime) -> PulseRound:
    """Close one round and keep only what the anonymity rule can show, as counts (see the module's docstring).
    A round sealed past its end (the bot was down then) closed at its end, and its replies are counted from then."""
    receipts = _receipts(session, pulse_round)
    people = [person for person, _ in receipts]
    manager_of = {respondent_of(pulse_round, person): person.manager_id for person in people}
    author_manager = {respondent_of(pulse_round, person, "comment"): person.manager_id for person in people}
    answers = _answers(session, pulse_round, manager_of)
    answered = {person.id: person.manager_id for person, did in receipts if did}
    groups = groups_of(session, workspace)
    cells = _cells(people, answered, answers)
    seen = visibility(groups, cells, pulse_round.anonymity_threshold)
    shown = [key for key, view in seen.items() if view.shown]
    _write_turnouts(session, pulse_round, groups, shown, people, answered)
    _write_tallies(session, pulse_round, groups, seen, answers)
    _rewrite_comments(session, pulse_round, groups, shown, author_manager)
    record_tree(session, pulse_round, groups)
    # each answer locked its question through its key, a comment the workspace: their stamp would date the last ones
    lock_again(session, PulseQuestion, [question.id for question in pulse_round.questions])
    lock_again(session, Workspace, [workspace.id])
    session.execute(delete(PulseResponse).where(PulseResponse.round_id == pulse_round.id))
    session.execute(delete(PulseReceipt).where(PulseReceipt.round_id == pulse_round.id))
    relay_days = pulse_settings(session, workspace).relay_days
    closed_at = min(now, pulse_round.closes_at)
    pulse_round.status, pulse_round.salt, pulse_round.closed_at = "closed", None, closed_at
    pulse_round.relay_ends_at = closed_at + timedelta(days=relay_days)
    unsent = 0
    for kind in INVITATION_KINDS:  # who was invited and who reminded would say who answered early
        prefix = invitation_key_prefix(workspace, pulse_round, kind)
        unsent += outbox.give_up_pending(session, key_prefix=prefix, reason=CLOSED_BEFORE_SENT)
        outbox.forget(session, key_prefix=prefix)
    outbox.forget(session, key_prefix=anonymous_dm_key_prefix(workspace, pulse_round.id))
    outbox.forget(session, key_prefix=home_key_prefix(workspace.slack_team_id))  # "3 questions waiting for you"
    session.flush()
    empty_journal_after_commit(session)
    log.info("pulse round %s closed and sealed; %s invitation(s) not yet sent were dropped", pulse_round.number, unsent)
    return pulse_round


def _receipts(session: Session, pulse_round: PulseRound) -> list[tuple[Employee, bool]]:
    rows = session.execute(
        select(Employee, PulseReceipt.answered)
        .join(PulseReceipt, PulseReceipt.employee_id == Employee.id)
        .where(PulseReceipt.round_id == pulse_round.id)
    )
    return [(person, did) for person, did in rows]


def _answers(
    session: Session, pulse_round: PulseRound, manager_of: dict[str, int | None]
) -> list[tuple[int | None, int, int]]:
    """(answerer's manager, question, value) for each answer, found through the salt one last time."""
    rows = session.execute(
        select(PulseResponse.respondent, PulseResponse.question_id, PulseResponse.value).where(
            PulseResponse.round_id == pulse_round.id
        )
    )
    return [(manager_of[who], question, value) for who, question, value in rows if who in manager_of]


def _cells(
    people: list[Employee], answered: dict[int, int | None], answers: list[tuple[int | None, int, int]]
) -> list[Cell]:
    """Counts per manager id: how many answered, and how many answers each question got."""
    managers = {person.manager_id for person in people}
    per_manager = Counter(answered.values())
    questions: dict[int | None, Counter[int]] = {}
    for manager, question, _ in answers:
        questions.setdefault(manager, Counter())[question] += 1
    return [Cell(m, per_manager[m], dict(questions.get(m, {}))) for m in managers]


def _write_turnouts(
    session: Session,
    pulse_round: PulseRound,
    groups: dict[str, Group],
    shown: list[str],
    people: list[Employee],
    answered: dict[int, int | None],
) -> None:
    invited: Counter[int | None] = Counter({groups[key].leader: 0 for key in shown})  # a shown group has its row
    did: Counter[int | None] = Counter()
    for person in people:
        cell = innermost(groups, shown, person.manager_id)
        if cell is not None:
            invited[cell.leader] += 1
            did[cell.leader] += person.id in answered
    rows = [
        {"round_id": pulse_round.id, "group_manager_id": key, "invited": invited[key], "answered": did[key]}
        for key in sorted(invited, key=_order)
    ]
    if rows:
        session.execute(insert(PulseTurnout), rows)


def _write_tallies(
    session: Session,
    pulse_round: PulseRound,
    groups: dict[str, Group],
    seen: dict[str, Visibility],
    answers: Iterable[tuple[int | None, int, int]],
) -> None:
    counts: Counter[tuple[int | None, int, int]] = Counter()
    shown_for: dict[int, list[str]] = {}
    for manager, question, value in answers:
        keys = shown_for.setdefault(question, [key for key, view in seen.items() if view.questions.get(question)])
        cell = innermost(groups, keys, manager)
        if cell is not None:
            counts[(cell.leader, question, value)] += 1
    rows = [
        {"round_id": pulse_round.id, "group_manager_id": m, "question_id": q, "value": v, "answers": n}
        for (m, q, v), n in sorted(counts.items(), key=lambda item: (item[0][1], _order(item[0][0]), item[0][2]))
    ]
    if rows:
        session.execute(insert(PulseTally), rows)


def _rewrite_comments(
    session: Session,
    pulse_round: PulseRound,
    groups: dict[str, Group],
    shown: list[str],
    author_manager: dict[str, int | None],
) -> None:
    """Each comment moves to its cell, or is dropped when no shown group holds it; new rows, sorted, under random ids
    (services/unordered_ids.py): ids counted up would tell how many comments were written, the dropped ones too."""
    old = list(session.scalars(select(PulseComment).where(PulseComment.round_id == pulse_round.id)))
    relays = {r.handle: r for r in session.scalars(select(PulseRelay).where(PulseRelay.round_id == pulse_round.id))}
    kept: list[tuple[int | None, str, PulseRelay | None]] = []
    for comment in old:
        cell = innermost(groups, shown, author_manager.get(comment.respondent or ""))
        if cell is not None and comment.respondent in author_manager:
            kept.append((cell.leader, comment.text, relays.get(comment.relay_handle or "")))
    session.execute(delete(PulseComment).where(PulseComment.round_id == pulse_round.id))
    session.execute(delete(PulseRelay).where(PulseRelay.round_id == pulse_round.id))
    relay_rows = sorted(
        (
            {"handle": r.handle, "workspace_id": r.workspace_id, "round_id": r.round_id, "author_tag": r.author_tag}
            for _, _, r in kept
            if r is not None
        ),
        key=lambda row: str(row["handle"]),
    )
    if relay_rows:
        session.execute(insert(PulseRelay), relay_rows)
    ordered = sorted(kept, key=lambda item: (_order(item[0]), item[1]))
    rows = [
        {
            "round_id": pulse_round.id,
            "respondent": None,
            "group_manager_id": m,
            "text": text,
            "relay_handle": relay.handle if relay else None,
        }
        for m, text, relay in ordered
    ]
    unordered_ids.insert_all(session, PulseComment, rows)  # a counted id would count those dropped
    session.expire_all()


def _order(manager_id: int | None) -> int:
    return -1 if manager_id is None else manager_id
