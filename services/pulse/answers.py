"""Answering a pulse: anonymous answers (a second click changes, not counts), the optional comment. Callers commit."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session, joinedload, lazyload

from models import Employee, PulseComment, PulseQuestion, PulseReceipt, PulseRelay, PulseResponse, PulseRound, Workspace
from services import directory, plain_sql, unordered_ids
from services.directory import PEOPLE_LOCKS
from services.errors import AlreadyDone, InvalidInput, NotFound
from services.pulse.openings import not_reached_yet
from services.pulse.relay_tags import RelayKey
from services.pulse.rounds import open_round
from services.pulse.taken_over import question_not_here, round_not_here
from services.rows import take_turns

MAX_COMMENT = 2000
# A poll click and the App Home run these: built once, since building a statement costs more than running it. A round
# is read under a shared lock (closing takes its row for update, so no answer slips in while it seals), and only in the
# clicker's workspace: a click forged with another workspace's id never locks its round.
_HERE = PulseRound.workspace_id == bindparam("workspace_id")
_ROUND_ASKING = (
    select(PulseRound)
    .join(PulseQuestion, PulseQuestion.round_id == PulseRound.id)
    .where(PulseQuestion.id == bindparam("question_id"), _HERE)
    .with_for_update(read=True, of=PulseRound)
)
_ROUND_OF_QUESTION = _ROUND_ASKING.options(joinedload(PulseRound.questions, innerjoin=True))  # in the same statement
_ROUND_HERE = select(PulseRound).where(PulseRound.id == bindparam("round_id"), _HERE).with_for_update(read=True)
_OPEN_ROUND_ASKING = (
    select(PulseRound)
    .options(lazyload(PulseRound.questions))
    .join(PulseReceipt, PulseReceipt.round_id == PulseRound.id)
    .where(PulseRound.workspace_id == bindparam("workspace_id"), PulseRound.status == "open")
    .where(PulseReceipt.employee_id == bindparam("employee_id"))
    .limit(1)
)
_COMMENTED = select(PulseComment.id).where(
    PulseComment.round_id == bindparam("comment_round"), PulseComment.respondent == bindparam("commenter")
)
_MARK_ANSWERED = (
    update(PulseReceipt)
    .where(PulseReceipt.round_id == bindparam("in_round"), PulseReceipt.employee_id == bindparam("of_employee"))
    .values(answered=True)
    .returning(PulseReceipt.id, _COMMENTED.exists())
)
_ANSWERS = select(PulseResponse.question_id, PulseResponse.value).where(
    PulseResponse.round_id == bindparam("round_id"), PulseResponse.respondent == bindparam("respondent")
)
_UNANSWERED = select(
    select(func.count(PulseQuestion.id)).where(PulseQuestion.round_id == bindparam("round_id")).scalar_subquery()
    - select(func.count(PulseResponse.id))
    .where(PulseResponse.round_id == bindparam("round_id"), PulseResponse.respondent == bindparam("respondent"))
    .scalar_subquery()
)
NO_ROUND_OPEN = "There is no pulse poll open right now. The next round will come to you in a DM."


@dataclass(frozen=True)
class MyRound:
    """One person's view of an open round: its questions and their own answers so far."""

    round: PulseRound
    answers: dict[int, int]
    commented: bool

    @property
    def unanswered(self) -> list[PulseQuestion]:
        return [question for question in self.round.questions if question.id not in self.answers]


@dataclass(frozen=True)
class AnswerOutcome:
    mine: MyRound
    question: PulseQuestion
    changed: bool


def respondent_of(pulse_round: PulseRound, employee: Employee, purpose: str = "answers") -> str:
    """The person's opaque id in this round; answers and comments get different ones, so they don't link."""
    assert pulse_round.salt is not None, "a closed round has no respondents to find"
    return hashlib.sha256(f"{pulse_round.salt}:{pulse_round.id}:{employee.id}:{purpose}".encode()).hexdigest()


def my_round(session: Session, *, workspace: Workspace, employee: Employee, now: datetime) -> MyRound:
    """The caller's open round: questions and their own answers so far. Rounds ask only active people, so someone
    who left is told so, not promised the next round."""
    return _mine(session, _round_for_answer(session, workspace, employee, None, now), employee)


def my_round_asking(
    session: Session, *, workspace: Workspace, employee: Employee, question_id: int, now: datetime
) -> MyRound:
    """`my_round` of the round that asked this question: *Change* in an older round's message says that round has
    closed, rather than turning the message into the round open now."""
    directory.require_member(employee)
    pulse_round = session.scalar(_ROUND_ASKING, {"question_id": question_id, "workspace_id": workspace.id})
    if pulse_round is None:
        raise question_not_here(session, workspace=workspace, employee=employee, question_id=question_id, now=now)
    _check_open(pulse_round, now)
    _check_asked(session, pulse_round, employee, now)
    return _mine(session, pulse_round, employee)


def _mine(session: Session, pulse_round: PulseRound, employee: Employee) -> MyRound:
    """The person's answers and comment in a round already checked to be open and theirs."""
    answers = _answers_of(session, pulse_round, respondent_of(pulse_round, employee))
    return MyRound(pulse_round, answers, _has_commented(session, pulse_round, employee))


def answers_stored(session: Session, pulse_round: PulseRound, employee: Employee) -> dict[int, int]:
    """The person's answers in this round as stored now (none once it has closed: its answers are sealed)."""
    if pulse_round.salt is None:
        return {}
    return _answers_of(session, pulse_round, respondent_of(pulse_round, employee))


def _answers_of(session: Session, pulse_round: PulseRound, respondent: str) -> dict[int, int]:
    rows = plain_sql.execute(session, _ANSWERS, {"round_id": pulse_round.id, "respondent": respondent})
    return {question_id: value for question_id, value in rows}


def _comment_of(session: Session, pulse_round: PulseRound, employee: Employee) -> PulseComment | None:
    author = respondent_of(pulse_round, employee, "comment")
    return session.scalar(select(PulseComment).filter_by(round_id=pulse_round.id, respondent=author))


def _has_commented(session: Session, pulse_round: PulseRound, employee: Employee) -> bool:
    author = respondent_of(pulse_round, employee, "comment")
    return session.scalar(_COMMENTED, {"comment_round": pulse_round.id, "commenter": author}) is not None


def _round_for_answer(
    session: Session, workspace: Workspace, employee: Employee, round_id: int | None, now: datetime
) -> PulseRound:
    directory.require_member(employee)  # who left (or is a guest) answers no more: what they gave before stays counted
    # A shared lock: closing takes the round's row for update, so no answer slips in while it seals.
    pulse_round = (
        open_round(session, workspace)
        if round_id is None
        else session.scalar(_ROUND_HERE, {"round_id": round_id, "workspace_id": workspace.id})
    )
    if pulse_round is None:
        if round_id is None:
            raise NotFound(NO_ROUND_OPEN)
        raise round_not_here(session, workspace=workspace, employee=employee, round_id=round_id, now=now)
    _check_open(pulse_round, now)
    _check_asked(session, pulse_round, employee, now)
    return pulse_round


def _check_asked(session: Session, pulse_round: PulseRound, employee: Employee, now: datetime) -> None:
    invited = session.scalar(select(PulseReceipt.id).filter_by(round_id=pulse_round.id, employee_id=employee.id))
    if invited is None:
        raise NotFound(not_reached_yet(pulse_round, employee, now))


def round_taking_comments(
    session: Session, *, workspace: Workspace, employee: Employee, round_id: int, now: datetime
) -> PulseRound:
    """The round, when it still takes this person's comment (open, and asking them): checked before the comment
    form opens, so nobody writes one only to learn on sending that the round has closed. Sending checks again."""
    return _round_for_answer(session, workspace, employee, round_id, now)


def _check_open(pulse_round: PulseRound, now: datetime) -> None:
    """Open and not past its end: the tick that seals a round at its end comes up to a minute later (more after a
    restart), and the round takes nothing meanwhile."""
    if pulse_round.status != "open" or now >= pulse_round.closes_at:
        raise AlreadyDone(
            f"Pulse round {pulse_round.number} has closed, so its answers and comments can't change any more. Thanks!"
        )


def record_answer(
    session: Session, *, workspace: Workspace, employee: Employee, question_id: int, value: int, now: datetime
) -> AnswerOutcome:
    """Store an answer without the person; answering the same question again changes it, not the count.

    Every click of a poll comes here, so it takes few statements: the round through its question (with its
    questions), the receipt marked answered (no row: not asked) with whether they commented, their answers so far,
    one write. Someone who left answers no more, with the buttons still in their DM as with `/pulse`.
    """
    directory.require_member(employee)
    values = {"question_id": question_id, "workspace_id": workspace.id}
    pulse_round = session.execute(_ROUND_OF_QUESTION, values).unique().scalar_one_or_none()
    if pulse_round is None:
        raise question_not_here(session, workspace=workspace, employee=employee, question_id=question_id, now=now)
    question = next(asked for asked in pulse_round.questions if asked.id == question_id)
    _check_open(pulse_round, now)
    if not question.scale_min <= value <= question.scale_max:
        raise InvalidInput(f"Answers to this question go from {question.scale_min} to {question.scale_max}.")
    commented = _mark_answered(session, pulse_round, employee)
    if commented is None:
        raise NotFound(not_reached_yet(pulse_round, employee, now))
    respondent = respondent_of(pulse_round, employee)
    answers = _answers_of(session, pulse_round, respondent)
    before = answers.get(question.id)
    if before != value:
        _upsert_answer(session, pulse_round, question, respondent, value)
    answers[question.id] = value
    return AnswerOutcome(MyRound(pulse_round, answers, commented), question, before is not None and before != value)


def _upsert_answer(
    session: Session, pulse_round: PulseRound, question: PulseQuestion, respondent: str, value: int
) -> None:
    """Insert the answer, or change the one given before (a simultaneous double click included). Its id is random:
    counted up, the ids the seal deletes would still count the answers of groups too small to show."""
    answer = {"round_id": pulse_round.id, "question_id": question.id, "respondent": respondent, "value": value}
    keys = ("question_id", "respondent")
    unordered_ids.insert_or_change(session, PulseResponse, answer, keys=keys, changing=("value",))


def save_comment(
    session: Session,
    *,
    workspace: Workspace,
    employee: Employee,
    round_id: int,
    text: str,
    relay_key: RelayKey,
    now: datetime,
) -> MyRound:
    """Keep an anonymous comment (one per person per round; sending another replaces it).

    Only its relay leads back to the author, for replies, through a tag that needs `relay_key` (which
    the database never holds); it never links to their answers.
    """
    cleaned = text.strip()
    if not cleaned:
        raise InvalidInput("The comment is empty. Write something, or close the window to skip it.")
    if len(cleaned) > MAX_COMMENT:
        raise InvalidInput(f"Please keep the comment under {MAX_COMMENT} characters (it has {len(cleaned)}).")
    pulse_round = _round_for_answer(session, workspace, employee, round_id, now)
    take_turns(session, PEOPLE_LOCKS, [employee.id])  # a second send meanwhile replaces, rather than collides
    existing = _comment_of(session, pulse_round, employee)
    if existing is None:
        handle = secrets.token_hex(16)
        tag = relay_key.tag(handle, employee.id)
        relay = PulseRelay(handle=handle, workspace_id=workspace.id, round_id=pulse_round.id, author_tag=tag)
        session.add(relay)
        session.flush()
        comment = {"round_id": pulse_round.id, "respondent": respondent_of(pulse_round, employee, "comment")}
        comment |= {"text": cleaned, "relay_handle": relay.handle}
        unordered_ids.insert(session, PulseComment, comment)  # counted up, ids would say who wrote first
    else:
        existing.text = cleaned
    _mark_answered(session, pulse_round, employee)
    session.flush()
    return _mine(session, pulse_round, employee)


def _mark_answered(session: Session, pulse_round: PulseRound, employee: Employee) -> bool | None:
    """Note on the person's receipt that they answered; whether they commented in the round (one statement), None
    when they have no receipt (not asked in this round)."""
    author, in_round = respondent_of(pulse_round, employee, "comment"), pulse_round.id
    values = {"in_round": in_round, "of_employee": employee.id, "comment_round": in_round, "commenter": author}
    marked = plain_sql.execute(session, _MARK_ANSWERED, values).first()
    return None if marked is None else bool(marked[1])


@dataclass(frozen=True)
class Waiting:
    """An open round that still has questions for someone, and how many (for the App Home)."""

    round: PulseRound
    unanswered: int


def waiting_for(session: Session, *, workspace: Workspace, employee: Employee, now: datetime) -> Waiting | None:
    """The caller's open round when it still has questions for them (never for someone who left); None otherwise."""
    if not employee.active:
        return None
    pulse_round = session.scalar(_OPEN_ROUND_ASKING, {"workspace_id": workspace.id, "employee_id": employee.id})
    if pulse_round is None or pulse_round.salt is None or now >= pulse_round.closes_at:
        return None
    mine = {"round_id": pulse_round.id, "respondent": respondent_of(pulse_round, employee)}
    unanswered = int(plain_sql.execute(session, _UNANSWERED, mine).scalar() or 0)
    return Waiting(pulse_round, unanswered) if unanswered > 0 else None
