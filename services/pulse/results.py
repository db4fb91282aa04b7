"""Pulse results per team, under the anonymity rule (services/pulse/anonymity.py). Read-only.

A team is a manager and everyone below them; the org is everyone. A closed round holds only counts per
cell (services/pulse/closing.py); a team's figures are the sum of the cells it held when the round closed
(services/pulse/trees.py), and which of them may be shown is the anonymity module's decision, taken again
on the sealed cells with that round's tree (so a group the seal hid stays hidden). Whom a viewer may ask for is
checked on today's org, its active people only (services/pulse/asking.py); what they see of each round, on that
round's tree: only the groups they led, or that were inside theirs, when it closed.
"""

from collections import Counter
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cached_property

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Employee, PulseComment, PulseQuestion, PulseRound, Workspace
from services.errors import NotFound
from services.pulse.anonymity import Group, Visibility, visibility
from services.pulse.asking import allowed_key
from services.pulse.counts import Tally, Turnout, cells_of, tallies_of, turnouts_of
from services.pulse.rounds import ROUND_STARTERS, replies_open
from services.pulse.targets import change_between, gap_to_target
from services.pulse.trees import groups_of, trees_at_close
from services.text import percent

TREND_ROUNDS = 6


@dataclass(frozen=True)
class QuestionResult:
    key: str
    text: str
    scale_min: int
    scale_max: int
    respondents: int
    average: float
    distribution: tuple[tuple[int, int], ...]
    enps: int | None
    target: float | None
    change: float | None

    @property
    def score(self) -> float:
        return float(self.enps) if self.enps is not None else self.average

    @property
    def gap(self) -> float | None:
        return None if self.target is None else gap_to_target(self.score, self.target)


@dataclass(frozen=True)
class TrendPoint:
    round_number: int
    key: str
    score: float
    nps: bool


@dataclass(frozen=True)
class CommentView:
    id: int
    text: str


@dataclass(frozen=True)
class SubTeam:
    label: str
    shown: bool
    scores: tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class TeamResults:
    label: str
    round_number: int
    round_id: int
    threshold: int
    shown: bool
    invited: int
    answered: int
    questions: tuple[QuestionResult, ...]
    hidden_questions: int
    comments: tuple[CommentView, ...]
    sub_teams: tuple[SubTeam, ...]
    trend: tuple[TrendPoint, ...]
    replies_open: bool
    not_led_then: str | None = None
    """Why the latest round shows nothing of the team although the rule did not hide it: NO_TEAM_THEN or NOT_YOURS."""
    viewer_leads: bool = False


NO_TEAM_THEN = "no team then"
"""The team's lead had no team when the latest round closed: its people's answers count where they were then."""
NOT_YOURS = "not yours then"
"""The team was neither the viewer's nor inside theirs when the latest round closed."""
NOTHING = Visibility(0, False, {})


@dataclass(frozen=True)
class Rounds:
    """The last closed rounds (newest first), their answers, and what of them may be shown.

    Each round is read through its own tree as it was at close (services/pulse/trees.py). `viewer` limits what
    is reached: a manager (their Slack id) reaches, in each round, the group they led when it closed and the
    groups inside it then; None reaches every group (HR and admins, or a reader asking each manager's own).
    A group not reached in a round, or that did not exist then, holds nothing there.
    """

    rounds: list[PulseRound]
    trees: dict[int, dict[str, Group]]
    tallies: dict[int, list[Tally]]
    turnouts: dict[int, list[Turnout]]
    seen: dict[int, dict[str, Visibility]]
    viewer: str | None = None

    @cached_property
    def by_manager(self) -> dict[int, dict[int | None, list[Tally]]]:
        """Each round's tallies indexed by their cell's manager, built once (a team's are a few look-ups)."""
        index: dict[int, dict[int | None, list[Tally]]] = {}
        for round_id, tallies in self.tallies.items():
            for tally in tallies:
                index.setdefault(round_id, {}).setdefault(tally.manager_id, []).append(tally)
        return index

    def reaches(self, key: str, pulse_round: PulseRound) -> bool:
        """Whether `key` led a group when the round closed, and the viewer led it or a group around it then."""
        tree = self.trees[pulse_round.id]
        if key not in tree:
            return False
        return self.viewer is None or (self.viewer in tree and (key == self.viewer or key in tree[self.viewer].below))

    def group(self, key: str, pulse_round: PulseRound) -> Group:
        """The group `key` led when the round closed, if the viewer reaches it; otherwise one holding nothing."""
        return self.trees[pulse_round.id][key] if self.reaches(key, pulse_round) else Group(key, "", frozenset())

    def view(self, key: str, pulse_round: PulseRound) -> Visibility:
        """What the rule decided for the group in that round (nothing shown for a group the viewer does not reach)."""
        return self.seen[pulse_round.id][key] if self.reaches(key, pulse_round) else NOTHING

    def turnout(self, key: str, pulse_round: PulseRound) -> tuple[int, int]:
        """(invited, answered) in the group's cells."""
        group = self.group(key, pulse_round)
        mine = [t for t in self.turnouts[pulse_round.id] if group.holds(t.manager_id)]
        return sum(t.invited for t in mine), sum(t.answered for t in mine)

    def scores(self, key: str, pulse_round: PulseRound) -> list[tuple[str, float]]:
        """The group's shown score per question key in one round (nothing when the group is hidden)."""
        if not self.view(key, pulse_round).shown:
            return []
        return [(question.key, result.score) for question, result in self.results(key, pulse_round)]

    def results(self, key: str, pulse_round: PulseRound) -> list[tuple[PulseQuestion, "QuestionResult"]]:
        view, group = self.view(key, pulse_round), self.group(key, pulse_round)
        values: dict[int, Counter[int]] = {}
        for manager, tallies in self.by_manager.get(pulse_round.id, {}).items():
            if group.holds(manager):
                for tally in tallies:
                    values.setdefault(tally.question_id, Counter())[tally.value] += tally.answers
        return [(q, _result(q, values[q.id], None)) for q in pulse_round.questions if view.questions.get(q.id)]


def team_results(
    session: Session, *, workspace: Workspace, viewer: Employee, team: str | None, now: datetime
) -> TeamResults:
    """The results a viewer asked for: their own team by default; HR/admin any team or the org."""
    groups = groups_of(session, workspace, leavers=False)
    group = groups[allowed_key(session, workspace, viewer, team, groups)]
    rounds = closed_rounds(session, workspace)
    if not rounds:
        raise NotFound("No pulse round has closed yet, so there are no results to show.")
    reach = None if viewer.role in ROUND_STARTERS else viewer.slack_id
    built = _build(session, judged(session, rounds, viewer=reach), group, now)
    return replace(built, viewer_leads=group.key == viewer.slack_id)


def closed_rounds(session: Session, workspace: Workspace) -> list[PulseRound]:
    """The last closed rounds, newest first."""
    query = (
        select(PulseRound)
        .where(PulseRound.workspace_id == workspace.id, PulseRound.status == "closed")
        .order_by(PulseRound.number.desc())
        .limit(TREND_ROUNDS)
    )
    return list(session.scalars(query))


def judged(session: Session, rounds: list[PulseRound], *, viewer: str | None = None) -> Rounds:
    """The rounds' counts, with what of them the anonymity rule lets each group show, each round judged on its
    tree at close; `viewer` as in `Rounds`."""
    trees = trees_at_close(session, rounds)
    tallies = {r.id: tallies_of(session, r) for r in rounds}
    turnouts = {r.id: turnouts_of(session, r) for r in rounds}
    seen = {
        r.id: visibility(trees[r.id], cells_of(tallies[r.id], turnouts[r.id]), r.anonymity_threshold, sealed=True)
        for r in rounds
    }
    return Rounds(rounds, trees, tallies, turnouts, seen, viewer)


def _build(session: Session, loaded: Rounds, group: Group, now: datetime) -> TeamResults:
    latest, key = loaded.rounds[0], group.key
    view = loaded.view(key, latest)
    invited, answered = loaded.turnout(key, latest)
    questions = _questions(loaded, key) if view.shown else ()
    return TeamResults(
        label=group.label,
        round_number=latest.number,
        round_id=latest.id,
        threshold=latest.anonymity_threshold,
        shown=view.shown,
        invited=invited if view.shown else 0,
        answered=answered if view.shown else 0,
        questions=questions,
        hidden_questions=len(latest.questions) - len(questions) if view.shown else 0,
        comments=_comments(session, latest, loaded.group(key, latest)) if view.shown else (),
        sub_teams=tuple(_sub_team(loaded, inner) for inner in sorted(loaded.group(key, latest).below)),
        trend=_trend(loaded, key),
        replies_open=replies_open(latest, now),
        not_led_then=_not_led_then(loaded, key, latest),
    )


def _not_led_then(loaded: Rounds, key: str, latest: PulseRound) -> str | None:
    if loaded.reaches(key, latest):
        return None
    return NOT_YOURS if key in loaded.trees[latest.id] else NO_TEAM_THEN


def _questions(loaded: Rounds, key: str) -> tuple[QuestionResult, ...]:
    """Each shown question, with its change since the last earlier round that showed it on the same scale."""
    before: dict[tuple[str, tuple[int, int]], float] = {}
    for earlier in (shown for shown in loaded.rounds[1:] if loaded.view(key, shown).shown):
        before = {(q.key, q.scale): result.score for q, result in loaded.results(key, earlier)} | before
    return tuple(
        replace(result, change=change_between(before[k], result.score) if (k := (q.key, q.scale)) in before else None)
        for q, result in loaded.results(key, loaded.rounds[0])
    )


def _result(question: PulseQuestion, counts: Counter[int], change: float | None) -> QuestionResult:
    total = counts.total()
    enps = None
    if question.is_nps:
        enps = percent(sum(n if v >= 9 else -n for v, n in counts.items() if v >= 9 or v <= 6), total)
    return QuestionResult(
        key=question.key,
        text=question.text,
        scale_min=question.scale_min,
        scale_max=question.scale_max,
        respondents=total,
        average=sum(v * n for v, n in counts.items()) / total,
        distribution=tuple((v, counts[v]) for v in range(question.scale_min, question.scale_max + 1)),
        enps=enps,
        target=question.target,
        change=change,
    )


def _sub_team(loaded: Rounds, key: str) -> SubTeam:
    """A team inside the viewed one as it was when the latest round closed."""
    latest = loaded.rounds[0]
    group = loaded.group(key, latest)
    return SubTeam(group.label, loaded.view(key, latest).shown, tuple(loaded.scores(key, latest)))


def _trend(loaded: Rounds, key: str) -> tuple[TrendPoint, ...]:
    """The group's shown scores in the last rounds, oldest first (for the chart), each on the scale it was asked in."""
    oldest_first = sorted(loaded.rounds, key=lambda r: r.number)
    nps = {(r.id, q.key) for r in oldest_first for q in r.questions if q.is_nps}
    return tuple(TrendPoint(r.number, q, s, (r.id, q) in nps) for r in oldest_first for q, s in loaded.scores(key, r))


def _comments(session: Session, pulse_round: PulseRound, group: Group) -> tuple[CommentView, ...]:
    rows = session.execute(
        select(PulseComment.id, PulseComment.text, PulseComment.group_manager_id)
        .where(PulseComment.round_id == pulse_round.id)
        .order_by(PulseComment.text)  # not by id: the order of writing could hint at who wrote
    )
    return tuple(CommentView(id, text) for id, text, manager_id in rows if group.holds(manager_id))
