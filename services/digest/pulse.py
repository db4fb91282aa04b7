"""The digest's pulse part: each team's latest closed round, its gap to target and its trend. Read-only.

The rounds, groups and answers are the pulse results feature's own (`closed_rounds`, `groups_of`),
judged by the anonymity rule (services/pulse/anonymity.py) once for the whole org; each team's figures
are then taken from them. A team the rule hides gets no figures at all, only the reason.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from models import PulseRound, Workspace
from services.pulse.anonymity import HIDDEN_REASON, Group
from services.pulse.results import Rounds, closed_rounds, groups_of, judged


@dataclass(frozen=True)
class PulsePart:
    """The team's latest closed round: (question, score, target) per shown question and a trend, or why not."""

    round_label: str
    scores: tuple[tuple[str, float, float | None], ...]
    trend: tuple[tuple[str, float], ...]
    hidden: str | None = None


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
    groups = groups_of(session, workspace)
    loaded = judged(session, last, groups)
    return {
        manager: team_pulse(loaded, rounds, groups[slack_ids[manager]])
        for manager in teams
        if slack_ids.get(manager) in groups
    }


def team_pulse(loaded: Rounds, rounds: Sequence[PulseRound], group: Group) -> PulsePart:
    """`rounds` newest first. Scores are the average per question (eNPS for a 0–10 question)."""
    latest = rounds[0]
    label = f"round {latest.number}"
    view = loaded.seen[latest.id][group.key]
    if not view.shown:
        return PulsePart(label, (), (), hidden=hidden_reason(latest.anonymity_threshold))
    scores = tuple((question.text, result.score, question.target) for question, result in loaded.results(group, latest))
    return PulsePart(label, scores, trend(loaded, rounds, group))


def hidden_reason(threshold: int) -> str:
    """Why the anonymity rule hid the team, in words that give away no count."""
    return (
        f"{HIDDEN_REASON}: too few of your team answered, or their figures next to other teams' "
        f"would narrow answers down to fewer than {threshold} people"
    )


def trend(loaded: Rounds, rounds: Sequence[PulseRound], group: Group) -> tuple[tuple[str, float], ...]:
    """Oldest first: per round the team was shown in, the mean of its shown 1–5 question averages."""
    points: list[tuple[str, float]] = []
    for pulse_round in reversed(rounds):
        if not loaded.seen[pulse_round.id][group.key].shown:
            continue
        averages = [result.average for question, result in loaded.results(group, pulse_round) if not question.is_nps]
        if averages:
            points.append((f"R{pulse_round.number}", round(sum(averages) / len(averages), 2)))
    return tuple(points)
