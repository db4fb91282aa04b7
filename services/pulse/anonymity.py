"""Pulse anonymity: which groups, and which questions within them, may show their figures. Pure functions.

This module is the one place the privacy rule lives; results, the digest's pulse part, the comment
relay and the sealing of a closed round all ask it. For one round with threshold `k` (the round's
`anonymity_threshold`: 5 by default, never below 3) the rule is: every set of people a viewer can
form by adding and subtracting the groups they can see holds no answers or at least `k`.

In a reporting tree that comes down to:
1. A group is shown only when at least `k` people in it answered (anything, a comment included).
2. For each shown group, its answers minus those of the shown groups right inside it are 0 or at
   least `k`. When that fails, the smallest of those inner groups is hidden (deterministically: the
   one whose own remainder is smallest, then the smallest, then by key) until it holds. A hidden inner
   group's people then count only in the group around it.
3. The same holds per question, with each question's answer counts, within the shown groups.

Since every shown group's remainder is 0 or at least `k`, and the remainders of all shown groups
split the organisation into disjoint cells, any sum or difference of shown figures is a union of
cells: 0 or at least `k` people. Response counts are counted as answers.

A closed round keeps only those cells, and is judged again on them with `sealed`: the groups the seal hid stay
hidden (see `visibility`).
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

HIDDEN_REASON = "not shown, so that answers stay anonymous"


@dataclass(frozen=True)
class Group:
    """People whose answers are counted together: a manager's whole team, or the whole org."""

    key: str
    label: str
    managers: frozenset[int] | None  # answers counted by their answerer's manager; None: the whole org
    below: frozenset[str] = frozenset()  # keys of the groups nested inside this one, at any depth
    leader: int | None = None  # the manager's employee id; None for the whole org

    def holds(self, manager_id: int | None) -> bool:
        return self.managers is None or manager_id in self.managers


@dataclass(frozen=True)
class Cell:
    """Counts for the people under one manager id: never a person, only how many and how many per question."""

    manager_id: int | None
    answered: int
    questions: Mapping[int, int] = field(default_factory=dict)


@dataclass
class Visibility:
    """What the rule decided for one group: shown or not, and each question's own decision."""

    respondents: int
    shown: bool
    counts: dict[int, int]
    questions: dict[int, bool] = field(default_factory=dict)


Measure = Callable[[Cell], int]


def visibility(
    groups: Mapping[str, Group], cells: Iterable[Cell], threshold: int, *, sealed: bool = False
) -> dict[str, Visibility]:
    """The rule applied to one round's cells: every group's decision, keyed like `groups`.

    `sealed`: the cells are a closed round's, one per group the seal showed, each shown group's answers less those
    of the shown groups inside it. A group the seal hid has no cell of its own (its people's answers were filed in
    the group around it), so judged again on what is left inside it, it could pass the rule and be shown with only
    an inner team's figures: only the groups whose cells hold all their people's answers (`_whole`) may be shown."""
    cells = list(cells)
    questions = sorted({question for cell in cells for question in cell.questions})
    whole = _whole(groups, cells, None) if sealed else set(groups)
    shown = _shown(groups, cells, threshold, _answered, whole)
    per_question = {
        q: _shown(groups, cells, threshold, _answers_to(q), shown & (_whole(groups, cells, q) if sealed else shown))
        for q in questions
    }
    seen = {}
    for key, group in groups.items():
        held = [cell for cell in cells if group.holds(cell.manager_id)]
        counts = {q: total for q in questions if (total := sum(cell.questions.get(q, 0) for cell in held))}
        view = Visibility(sum(cell.answered for cell in held), key in shown, counts)
        view.questions = {q: key in per_question[q] for q in counts}
        seen[key] = view
    return seen


def _answered(cell: Cell) -> int:
    return cell.answered


def _answers_to(question: int) -> Measure:
    return lambda cell: cell.questions.get(question, 0)


def _whole(groups: Mapping[str, Group], cells: list[Cell], question: int | None) -> set[str]:
    """After the seal, the groups whose sealed cells hold every answer of their people (to `question`, or None: at
    all): the org; a group the seal showed (it has a cell); for a question, one whose cell holds answers to it (the
    seal showed it for that question), or none at all while every group the seal showed right inside it is whole.
    A group the seal hid has its people's answers in the cell of a group around it."""
    by_leader = {cell.manager_id: cell for cell in cells}
    kept = {key for key, group in groups.items() if group.leader is None or group.leader in by_leader}
    if question is None:
        return kept
    whole: set[str] = set()
    for group in sorted((groups[key] for key in kept), key=lambda g: (len(g.below), g.key)):  # inner ones first
        cell = by_leader[group.leader] if group.leader is not None else None
        if cell is None or cell.questions.get(question, 0) > 0 or _empty(cell, whole, _inner(groups, group, kept)):
            whole.add(group.key)
    return whole


def _empty(cell: Cell, whole: set[str], inner: list[str]) -> bool:
    """Nobody in the group's own cell answered, and each shown group right inside it holds all its people's."""
    return cell.answered == 0 and all(key in whole for key in inner)


def _shown(
    groups: Mapping[str, Group], cells: list[Cell], threshold: int, measure: Measure, candidates: set[str]
) -> set[str]:
    """The groups (among `candidates`) whose figures for `measure` may be shown, innermost decided first."""
    total = {key: sum(measure(c) for c in cells if group.holds(c.manager_id)) for key, group in groups.items()}
    shown = {key for key in candidates if total[key] >= threshold}
    for group in sorted(groups.values(), key=lambda g: (len(g.below), g.key)):
        while group.key in shown:
            inner = _inner(groups, group, shown)
            remainder = total[group.key] - sum(total[key] for key in inner)
            if not 0 < remainder < threshold:
                break
            own = {key: total[key] - sum(total[k] for k in _inner(groups, groups[key], shown)) for key in inner}
            shown.discard(min(inner, key=lambda key: (own[key] == 0, own[key], total[key], key)))
    return shown


def _inner(groups: Mapping[str, Group], group: Group, shown: set[str]) -> list[str]:
    """The shown groups right inside `group`: shown, and not inside another shown group inside it."""
    nested = [key for key in group.below if key in shown]
    return sorted(key for key in nested if not any(key in groups[other].below for other in nested))


def innermost(groups: Mapping[str, Group], shown: Iterable[str], manager_id: int | None) -> Group | None:
    """The smallest shown group that holds answers counted for `manager_id`: the cell they are kept in."""
    holding = [groups[key] for key in shown if groups[key].holds(manager_id)]
    return min(holding, key=lambda g: (len(g.below), g.key), default=None)
