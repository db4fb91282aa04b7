"""Answering a pulse: anonymous answers (a second click changes, not counts), the optional comment.
Callers commit.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models import Employee, PulseComment, PulseQuestion, PulseReceipt, PulseRelay, PulseResponse, PulseRound, Workspace
from services.errors import AlreadyDone, InvalidInput, NotFound
from services.pulse.relay import author_tag
from services.pulse.rounds import open_round

MAX_COMMENT = 2000


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


def my_round(session: Session, *, workspace: Workspace, employee: Employee, round_id: int | None = None) -> MyRound:
    """The caller's open round (or the one named): questions and their own answers so far."""
    return _mine(session, _round_for_answer(session, workspace, employee, round_id), employee)


def _mine(session: Session, pulse_round: PulseRound, employee: Employee) -> MyRound:
    """The person's answers and comment in a round already checked to be open and theirs."""
    respondent = respondent_of(pulse_round, employee)
    query = select(PulseResponse.question_id, PulseResponse.value).where(
        PulseResponse.round_id == pulse_round.id, PulseResponse.respondent == respondent
    )
    answers = {question_id: value for question_id, value in session.execute(query)}
    return MyRound(pulse_round, answers, _comment_of(session, pulse_round, employee) is not None)


def _comment_of(session: Session, pulse_round: PulseRound, employee: Employee) -> PulseComment | None:
    author = respondent_of(pulse_round, employee, "comment")
    return session.scalar(
        select(PulseComment).where(PulseComment.round_id == pulse_round.id, PulseComment.respondent == author)
    )


def _round_for_answer(session: Session, workspace: Workspace, employee: Employee, round_id: int | None) -> PulseRound:
    # A shared lock: closing takes the round's row for update, so no answer slips in while it seals.
    pulse_round = (
        open_round(session, workspace)
        if round_id is None
        else session.get(PulseRound, round_id, with_for_update={"read": True})
    )
    if pulse_round is None or pulse_round.workspace_id != workspace.id:
        raise NotFound("There is no pulse poll open right now. The next round will come to you in a DM.")
    if pulse_round.status != "open":
        raise AlreadyDone(f"Pulse round {pulse_round.number} has closed, so answers can't change any more. Thanks!")
    invited = session.scalar(
        select(PulseReceipt.id).where(PulseReceipt.round_id == pulse_round.id, PulseReceipt.employee_id == employee.id)
    )
    if invited is None:
        raise NotFound("This pulse round hasn't reached you yet: your questions arrive at your local opening hour.")
    return pulse_round


def record_answer(
    session: Session, *, workspace: Workspace, employee: Employee, question_id: int, value: int, now: datetime
) -> AnswerOutcome:
    """Store an answer without the person; answering the same question again changes it, not the count."""
    question = session.get(PulseQuestion, question_id)
    if question is None:
        raise NotFound("That pulse question no longer exists.")
    pulse_round = _round_for_answer(session, workspace, employee, question.round_id)
    if not question.scale_min <= value <= question.scale_max:
        raise InvalidInput(f"Answers to this question go from {question.scale_min} to {question.scale_max}.")
    respondent = respondent_of(pulse_round, employee)
    existing = session.scalar(
        select(PulseResponse).where(PulseResponse.question_id == question.id, PulseResponse.respondent == respondent)
    )
    changed = existing is not None and existing.value != value
    if existing is None:
        _insert_answer(session, pulse_round, question, respondent, value)
    else:
        existing.value = value
    _mark_answered(session, pulse_round, employee)
    session.flush()
    return AnswerOutcome(_mine(session, pulse_round, employee), question, changed)


def _insert_answer(
    session: Session, pulse_round: PulseRound, question: PulseQuestion, respondent: str, value: int
) -> None:
    """Insert in a savepoint: a simultaneous double click that inserted first turns this into a change."""
    row = PulseResponse(
        round_id=pulse_round.id,
        question_id=question.id,
        respondent=respondent,
        value=value,
    )
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        session.execute(
            update(PulseResponse)
            .where(PulseResponse.question_id == question.id, PulseResponse.respondent == respondent)
            .values(value=value)
        )


def save_comment(
    session: Session,
    *,
    workspace: Workspace,
    employee: Employee,
    round_id: int,
    text: str,
    relay_key: bytes,
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
    pulse_round = _round_for_answer(session, workspace, employee, round_id)
    existing = _comment_of(session, pulse_round, employee)
    if existing is None:
        handle = secrets.token_hex(16)
        tag = author_tag(relay_key, handle, employee.id)
        relay = PulseRelay(handle=handle, workspace_id=workspace.id, round_id=pulse_round.id, author_tag=tag)
        session.add(relay)
        session.flush()
        session.add(
            PulseComment(
                round_id=pulse_round.id,
                respondent=respondent_of(pulse_round, employee, "comment"),
                text=cleaned,
                relay_handle=relay.handle,
            )
        )
    else:
        existing.text = cleaned
    _mark_answered(session, pulse_round, employee)
    session.flush()
    return _mine(session, pulse_round, employee)


def _mark_answered(session: Session, pulse_round: PulseRound, employee: Employee) -> None:
    session.execute(
        update(PulseReceipt)
        .where(PulseReceipt.round_id == pulse_round.id, PulseReceipt.employee_id == employee.id)
        .values(answered=True)
    )


def waiting_for(session: Session, *, workspace: Workspace, employee: Employee) -> MyRound | None:
    """The caller's open round when it still has questions for them; None otherwise."""
    pulse_round = open_round(session, workspace)
    if pulse_round is None or pulse_round.salt is None:
        return None
    asked = session.scalar(
        select(PulseReceipt.id).where(PulseReceipt.round_id == pulse_round.id, PulseReceipt.employee_id == employee.id)
    )
    if asked is None:
        return None
    mine = _mine(session, pulse_round, employee)
    return mine if mine.unanswered else None
