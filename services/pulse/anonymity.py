"""Pulse anonymity: which groups, and which questions within them, may show their figures. Pure functions.

This module is the one place the privacy rule lives; results, the digest's pulse part and the comment
relay all ask it, and none decides on its own. For one round with threshold `k` (the round's
`anonymity_threshold`: 5 by default, never below 3):

1. A group's figures are shown only when at least `k` different people in it answered.
2. In a shown group, a question's figures are shown only when at least `k` people in it answered it.
3. A group is hidden when taking away one shown group nested inside it (directly or further down)
   would leave between 1 and `k - 1` people: subtracting the two figures would expose them. The same
   holds per question, with the question's counts.

Groups are decided innermost first, so a hidden inner group never hides the group around it (its
figures cannot be subtracted). Response rates and comments follow their group's decision.

The rule looks at one nested group at a time; sums and differences of several shown groups are not
yet weighed against each other. Any strengthening of the rule belongs here.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Group:
    """People whose answers are counted together: a manager's whole team, or the whole org."""

    key: str
    label: str
    managers: frozenset[int] | None  # answers counted by their answerer's manager; None: the whole org
    below: frozenset[str] = frozenset()  # keys of the groups nested inside this one, at any depth

    def holds(self, manager_id: int | None) -> bool:
        return self.managers is None or manager_id in self.managers


@dataclass(frozen=True)
class Answer:
    """One stored answer: an opaque respondent (one per person and round) and the answerer's manager."""

    question_id: int
    respondent: str
    manager_id: int | None
    value: int


@dataclass
class Visibility:
    """What the rule decided for one group: shown or not, and each question's own decision."""

    respondents: int
    shown: bool
    counts: dict[int, int]
    questions: dict[int, bool] = field(default_factory=dict)


def index_by_manager(answers: Iterable[Answer]) -> dict[int | None, list[Answer]]:
    index: dict[int | None, list[Answer]] = {}
    for answer in answers:
        index.setdefault(answer.manager_id, []).append(answer)
    return index


def held_by(group: Group, index: dict[int | None, list[Answer]]) -> list[Answer]:
    """The answers a group counts (the same set as filtering with `group.holds`, in another order)."""
    if group.managers is None:
        return [answer for answers in index.values() for answer in answers]
    return [answer for manager in group.managers for answer in index.get(manager, ())]


def visibility(groups: dict[str, Group], answers: list[Answer], threshold: int) -> dict[str, Visibility]:
    """The rule applied to one round's answers: every group's decision, keyed like `groups`."""
    seen: dict[str, Visibility] = {}
    index = index_by_manager(answers)
    for group in sorted(groups.values(), key=lambda g: len(g.below)):
        mine = held_by(group, index)
        inner = [seen[key] for key in group.below if key in seen and seen[key].shown]
        seen[group.key] = _decide(mine, inner, threshold)
    return seen


def _decide(mine: list[Answer], inner: list[Visibility], threshold: int) -> Visibility:
    counts = Counter(answer.question_id for answer in mine)
    respondents = len({answer.respondent for answer in mine})
    shown = respondents >= threshold and not any(_exposes(respondents, v.respondents, threshold) for v in inner)
    view = Visibility(respondents, shown, dict(counts))
    for question, count in counts.items():
        view.questions[question] = (
            shown
            and count >= threshold
            and not any(v.questions.get(question) and _exposes(count, v.counts[question], threshold) for v in inner)
        )
    return view


def _exposes(outer: int, inner: int, threshold: int) -> bool:
    """True when the difference between two shown figures would be a group of fewer than `threshold` people."""
    return 0 < outer - inner < threshold
