"""A closed round's counts as the seal (services/pulse/closing.py) stores them: per cell. Read-only."""

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import PulseRound, PulseTally, PulseTurnout
from services.pulse.anonymity import Cell


@dataclass(frozen=True)
class Tally:
    """How many answers in one cell gave `value` to a question."""

    manager_id: int | None
    question_id: int
    value: int
    answers: int


@dataclass(frozen=True)
class Turnout:
    manager_id: int | None
    invited: int
    answered: int


def tallies_of(session: Session, pulse_round: PulseRound) -> list[Tally]:
    rows = session.execute(
        select(PulseTally.group_manager_id, PulseTally.question_id, PulseTally.value, PulseTally.answers).where(
            PulseTally.round_id == pulse_round.id
        )
    )
    return [Tally(*row) for row in rows]


def turnouts_of(session: Session, pulse_round: PulseRound) -> list[Turnout]:
    rows = session.execute(
        select(PulseTurnout.group_manager_id, PulseTurnout.invited, PulseTurnout.answered).where(
            PulseTurnout.round_id == pulse_round.id
        )
    )
    return [Turnout(*row) for row in rows]


def cells_of(tallies: list[Tally], turnouts: list[Turnout]) -> list[Cell]:
    questions: dict[int | None, Counter[int]] = {}
    for tally in tallies:
        questions.setdefault(tally.manager_id, Counter())[tally.question_id] += tally.answers
    managers = {t.manager_id for t in turnouts} | set(questions)
    answered = {t.manager_id: t.answered for t in turnouts}
    return [Cell(m, answered.get(m, 0), dict(questions.get(m, {}))) for m in managers]
