"""The digest's pulse part: each team's latest closed round, its gap to target and its trend. Read-only.

The rounds and answers are the pulse results feature's own (`closed_rounds`, `judged`), each round judged
by the anonymity rule (services/pulse/anonymity.py) once for the whole org, on its tree at close; each
manager's figures are then taken from the group they led when that round closed (none if they led none).
A team the rule hides gets no figures at all, only the reason.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction

from sqlalchemy.orm import Session

from models import PulseRound, Workspace
from services.pulse.results import QuestionResult, Rounds, closed_rounds, judged

NO_TEAM_THEN = "no team then"
"""Why not shown: the manager led no team when the round closed (their people's answers count where they were)."""
TOO_FEW = "too few"
"""Why not shown: the anonymity rule hid the team."""


@dataclass(frozen=True)
class PulsePart:
    """The team's latest closed round: (question, score, target) per shown question and a trend, or why not."""

    round_label: str
    scores: tuple[tuple[str, float, float | None], ...]
    trend: tuple[tuple[str, float], ...]
    hidden: str | None = None
    """NO_TEAM_THEN or TOO_FEW, worded for whoever reads it (the manager, or HR previewing the team)."""
    threshold: int = 0


def pulse_parts(
    session: Session,
    *,
    workspace: Workspace,
    teams: Mapping[int, frozenset[int]],
    slack_ids: Mapping[int, str],
    now: datetime,
) -> dict[int, PulsePart]:
    """Per manager, the pulse part of the latest round closed by `now`; none before any round has closed.

    `slack_ids` are everyone's Slack ids by employee id (the pulse groups are keyed by the manager's).
    """
    last = closed_rounds(session, workspace) if teams else []
    rounds = [r for r in last if r.closed_at is not None and r.closed_at <= now]
    if not rounds:
        return {}
    loaded = judged(session, last)
    return {manager: team_pulse(loaded, rounds, slack_ids[manager]) for manager in teams if manager in slack_ids}


def team_pulse(loaded: Rounds, rounds: Sequence[PulseRound], key: str) -> PulsePart:
    """`rounds` newest first; `key` the manager's Slack id. Scores are the average per question (eNPS for a 0–10
    question)."""
    latest = rounds[0]
    label = f"round {latest.number}"
    if not loaded.reaches(key, latest):  # a team formed since: its people's answers count where they were then
        return PulsePart(label, (), (), hidden=NO_TEAM_THEN)
    if not loaded.view(key, latest).shown:
        return PulsePart(label, (), (), hidden=TOO_FEW, threshold=latest.anonymity_threshold)
    scores = tuple((question.text, result.score, question.target) for question, result in loaded.results(key, latest))
    return PulsePart(label, scores, trend(loaded, rounds, key))


def trend(loaded: Rounds, rounds: Sequence[PulseRound], key: str) -> tuple[tuple[str, float], ...]:
    """Oldest first: per round the team was shown in, the mean of its shown 1–5 question averages."""
    points: list[tuple[str, float]] = []
    for pulse_round in reversed(rounds):
        if not loaded.view(key, pulse_round).shown:
            continue
        results = [result for question, result in loaded.results(key, pulse_round) if not question.is_nps]
        if results:
            points.append((f"R{pulse_round.number}", mean_score(results)))  # rounded once, where shown
    return tuple(points)


def mean_score(results: Sequence[QuestionResult]) -> float:
    """The mean of these questions' averages, worked out exactly from their answers' counts: a mean of the rounded
    floats can land just under a half (2.45 as 2.4499999999999997) and be shown a tenth too low."""
    exact = [
        Fraction(sum(value * n for value, n in r.distribution), sum(n for _, n in r.distribution)) for r in results
    ]
    return float(sum(exact, Fraction(0)) / len(exact))
