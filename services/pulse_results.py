"""Pulse results per team, under the anonymity rule. Read-only.

A team is a manager and everyone below them; the org is everyone. A group's figures are shown only
when at least `anonymity_threshold` people answered, a question's only when that many answered it,
and a group is hidden when taking away one visible group inside it would leave fewer than that many
(otherwise subtracting the two would expose the small remainder).
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Employee, PulseComment, PulseQuestion, PulseReceipt, PulseResponse, PulseRound, Workspace
from services.errors import NotAllowed, NotFound
from services.pulse_rounds import ROUND_STARTERS

ORG = "org"
TREND_ROUNDS = 6


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    managers: frozenset[int] | None  # answers counted by their answerer's manager; None: the whole org
    below: frozenset[str] = frozenset()  # keys of the groups nested inside this one

    def holds(self, manager_id: int | None) -> bool:
        return self.managers is None or manager_id in self.managers


@dataclass(frozen=True)
class Answer:
    question_id: int
    respondent: str
    manager_id: int | None
    value: int


@dataclass
class Visibility:
    respondents: int
    shown: bool
    counts: dict[int, int]
    questions: dict[int, bool] = field(default_factory=dict)


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
        return None if self.target is None else self.score - self.target


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
    threshold: int
    shown: bool
    needed: int
    invited: int
    answered: int
    questions: tuple[QuestionResult, ...]
    hidden_questions: int
    comments: tuple[CommentView, ...]
    sub_teams: tuple[SubTeam, ...]
    trend: tuple[TrendPoint, ...]


def team_results(session: Session, *, workspace: Workspace, viewer: Employee, team: str | None) -> TeamResults:
    """The results a viewer asked for: their own team by default; HR/admin any team or the org."""
    groups = groups_of(session, workspace)
    group = groups[_allowed_key(session, workspace, viewer, team, groups)]
    rounds = list(
        session.scalars(
            select(PulseRound)
            .where(PulseRound.workspace_id == workspace.id, PulseRound.status == "closed")
            .order_by(PulseRound.number.desc())
            .limit(TREND_ROUNDS)
        )
    )
    if not rounds:
        raise NotFound("No pulse round has closed yet, so there are no results to show.")
    seen = {r.id: visibility(groups, answers_of(session, r), r.anonymity_threshold) for r in rounds}
    return _build(session, groups, group, rounds, seen)


def _allowed_key(
    session: Session, workspace: Workspace, viewer: Employee, team: str | None, groups: dict[str, Group]
) -> str:
    staff = viewer.role in ROUND_STARTERS
    if team is None:
        if staff:
            return ORG
        if viewer.slack_id not in groups:
            raise NotAllowed(
                "Nobody reports to you, so there are no team results for you. Your answers count in your manager's."
            )
        return viewer.slack_id
    if team == ORG:
        if not staff:
            raise NotAllowed(
                "Only HR and admins see the whole organisation's results. Try `/pulse results` for your team."
            )
        return ORG
    if team not in groups:
        raise NotFound("That person has nobody reporting to them, so they have no team results.")
    if staff or team == viewer.slack_id or (viewer.slack_id in groups and team in groups[viewer.slack_id].below):
        return team
    raise NotAllowed("You can see results for your own team and the teams inside it, not for other teams.")


def groups_of(session: Session, workspace: Workspace) -> dict[str, Group]:
    """The org and one group per manager (everyone below them, directly or not), keyed by Slack id."""
    people = list(session.scalars(select(Employee).where(Employee.workspace_id == workspace.id)))
    children: dict[int, list[Employee]] = {}
    for person in people:
        if person.manager_id is not None:
            children.setdefault(person.manager_id, []).append(person)
    groups: dict[str, Group] = {}
    for person in people:
        if person.id in children:
            below = list(_below(person.id, children))
            managers = frozenset([person.id, *(p.id for p in below)])
            nested = frozenset(p.slack_id for p in below if p.id in children)
            team = f" ({person.team_name})" if person.team else ""
            groups[person.slack_id] = Group(person.slack_id, f"{person.name}'s team{team}", managers, nested)
    groups[ORG] = Group(ORG, "the whole organisation", None, frozenset(key for key in groups))
    return groups


def _below(manager_id: int, children: dict[int, list[Employee]]) -> Iterable[Employee]:
    stack, seen = list(children.get(manager_id, [])), {manager_id}
    while stack:
        person = stack.pop()
        if person.id not in seen:
            seen.add(person.id)
            yield person
            stack += children.get(person.id, [])


def answers_of(session: Session, pulse_round: PulseRound) -> list[Answer]:
    rows = session.execute(
        select(
            PulseResponse.question_id, PulseResponse.respondent, PulseResponse.group_manager_id, PulseResponse.value
        ).where(PulseResponse.round_id == pulse_round.id)
    )
    return [Answer(*row) for row in rows]


def visibility(groups: dict[str, Group], answers: list[Answer], threshold: int) -> dict[str, Visibility]:
    """Which groups and questions may be shown; inner groups are decided first, then the ones holding them."""
    seen: dict[str, Visibility] = {}
    for group in sorted(groups.values(), key=lambda g: len(g.below)):
        mine = [answer for answer in answers if group.holds(answer.manager_id)]
        counts = Counter(answer.question_id for answer in mine)
        respondents = len({answer.respondent for answer in mine})
        inner = [seen[key] for key in group.below if key in seen and seen[key].shown]
        shown = respondents >= threshold and not any(0 < respondents - v.respondents < threshold for v in inner)
        view = Visibility(respondents, shown, dict(counts))
        for question_id, count in counts.items():
            view.questions[question_id] = (
                shown
                and count >= threshold
                and not any(
                    v.questions.get(question_id) and 0 < count - v.counts[question_id] < threshold for v in inner
                )
            )
        seen[group.key] = view
    return seen


def _build(
    session: Session,
    groups: dict[str, Group],
    group: Group,
    rounds: list[PulseRound],
    seen: dict[int, dict[str, Visibility]],
) -> TeamResults:
    latest = rounds[0]
    view = seen[latest.id][group.key]
    invited, answered = _receipts(session, latest, group)
    questions = _questions(session, group, rounds, seen) if view.shown else ()
    return TeamResults(
        label=group.label,
        round_number=latest.number,
        threshold=latest.anonymity_threshold,
        shown=view.shown,
        needed=max(latest.anonymity_threshold - view.respondents, 0),
        invited=invited if view.shown else 0,
        answered=answered if view.shown else 0,
        questions=questions,
        hidden_questions=len(latest.questions) - len(questions) if view.shown else 0,
        comments=_comments(session, latest, group) if view.shown else (),
        sub_teams=tuple(_sub_team(session, groups[key], latest, seen[latest.id]) for key in sorted(group.below)),
        trend=_trend(session, group, seen),
    )


def _questions(
    session: Session,
    group: Group,
    rounds: list[PulseRound],
    seen: dict[int, dict[str, Visibility]],
) -> tuple[QuestionResult, ...]:
    """Each shown question, with its change since the last earlier round that asked it (and showed it)."""
    latest, before = rounds[0], dict[str, float]()
    for earlier in rounds[1:]:
        before = dict(_scores(session, group, earlier, seen[earlier.id][group.key])) | before
    answers = [a for a in answers_of(session, latest) if group.holds(a.manager_id)]
    view = seen[latest.id][group.key]
    results = []
    for question in latest.questions:
        if view.questions.get(question.id):
            values = [a.value for a in answers if a.question_id == question.id]
            score = _result(question, values, None).score
            results.append(_result(question, values, score - before[question.key] if question.key in before else None))
    return tuple(results)


def _result(question: PulseQuestion, values: list[int], change: float | None) -> QuestionResult:
    counts = Counter(values)
    enps = None
    if question.is_nps:
        enps = round(100 * (sum(v >= 9 for v in values) - sum(v <= 6 for v in values)) / len(values))
    return QuestionResult(
        key=question.key,
        text=question.text,
        scale_min=question.scale_min,
        scale_max=question.scale_max,
        respondents=len(values),
        average=sum(values) / len(values),
        distribution=tuple((v, counts[v]) for v in range(question.scale_min, question.scale_max + 1)),
        enps=enps,
        target=question.target,
        change=change,
    )


def _scores(session: Session, group: Group, pulse_round: PulseRound, view: Visibility) -> list[tuple[str, float]]:
    if not view.shown:
        return []
    answers = [a for a in answers_of(session, pulse_round) if group.holds(a.manager_id)]
    return [
        (q.key, _result(q, [a.value for a in answers if a.question_id == q.id], None).score)
        for q in pulse_round.questions
        if view.questions.get(q.id)
    ]


def _sub_team(session: Session, group: Group, pulse_round: PulseRound, seen: dict[str, Visibility]) -> SubTeam:
    view = seen[group.key]
    return SubTeam(group.label, view.shown, tuple(_scores(session, group, pulse_round, view)))


def _trend(session: Session, group: Group, seen: dict[int, dict[str, Visibility]]) -> tuple[TrendPoint, ...]:
    """The group's shown scores in the last rounds, oldest first (for the chart)."""
    rounds = sorted((session.get_one(PulseRound, round_id) for round_id in seen), key=lambda r: r.number)
    nps = {q.key for r in rounds for q in r.questions if q.is_nps}
    return tuple(
        TrendPoint(r.number, key, score, key in nps)
        for r in rounds
        for key, score in _scores(session, group, r, seen[r.id][group.key])
    )


def _receipts(session: Session, pulse_round: PulseRound, group: Group) -> tuple[int, int]:
    rows = session.execute(
        select(PulseReceipt.answered, Employee.manager_id)
        .join(Employee, Employee.id == PulseReceipt.employee_id)
        .where(PulseReceipt.round_id == pulse_round.id)
    )
    mine = [answered for answered, manager_id in rows if group.holds(manager_id)]
    return len(mine), sum(mine)


def _comments(session: Session, pulse_round: PulseRound, group: Group) -> tuple[CommentView, ...]:
    rows = session.execute(
        select(PulseComment.id, PulseComment.text, PulseComment.group_manager_id)
        .where(PulseComment.round_id == pulse_round.id)
        .order_by(PulseComment.text)  # not by id: the order of writing could hint at who wrote
    )
    return tuple(CommentView(id, text) for id, text, manager_id in rows if group.holds(manager_id))


def may_see_comment(session: Session, *, workspace: Workspace, viewer: Employee, comment: PulseComment) -> bool:
    """True when the comment is in results this viewer may see: a team of theirs, shown in that closed round."""
    pulse_round = session.get_one(PulseRound, comment.round_id)
    if pulse_round.workspace_id != workspace.id or pulse_round.status != "closed":
        return False
    groups = groups_of(session, workspace)
    if viewer.role in ROUND_STARTERS:
        keys = set(groups)
    elif viewer.slack_id in groups:
        keys = {viewer.slack_id, *groups[viewer.slack_id].below}
    else:
        return False
    seen = visibility(groups, answers_of(session, pulse_round), pulse_round.anonymity_threshold)
    return any(seen[key].shown and groups[key].holds(comment.group_manager_id) for key in keys)
