"""The pulse anonymity rule on random reporting trees, before and after the seal.

The seal's filing is copied from services/pulse/closing.py: a turnout row for every group shown (none answered
included) and one for the cell of each manager whose people were asked; each question's answers filed under the
smallest group shown for that question. Read back as services/pulse/counts.py does, the round must show the same
groups, each with all its people's answers, and nothing a viewer could add or subtract down to a few people.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import product
from random import Random

from services.pulse.anonymity import Cell, Group, Visibility, innermost, visibility

ORG = "org"
QUESTIONS = (1, 2)
TREES = 1500


@dataclass(frozen=True)
class Case:
    groups: dict[str, Group]
    cells: list[Cell]
    threshold: int
    seed: int


def random_case(seed: int) -> Case:
    """Up to eight managers in a random forest; each manager's own people asked or not, some answering."""
    rng = Random(seed)
    managers = list(range(1, rng.randint(1, 8) + 1))
    parent = {m: rng.choice([None, *managers[: m - 1]]) for m in managers}
    below = {m: {d for d in managers if _descends(d, m, parent)} for m in managers}
    groups = {f"m{m}": Group(f"m{m}", f"M{m}", frozenset({m, *below[m]}), _keys(below[m]), m) for m in managers}
    groups[ORG] = Group(ORG, "Org", None, _keys(managers))
    cells = [_random_cell(rng, m) for m in [None, *managers] if rng.random() < 0.85]
    return Case(groups, cells, rng.randint(3, 5), seed)


def _descends(person: int, manager: int, parent: dict[int, int | None]) -> bool:
    up = parent[person]
    while up is not None:
        if up == manager:
            return True
        up = parent[up]
    return False


def _keys(managers: Iterable[int]) -> frozenset[str]:
    return frozenset(f"m{m}" for m in managers)


def _random_cell(rng: Random, manager: int | None) -> Cell:
    answered = rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 8])
    questions = {q: n for q in QUESTIONS if (n := rng.randint(max(answered - 3, 0), answered))}
    return Cell(manager, answered, questions)


def shown(seen: dict[str, Visibility]) -> set[str]:
    return {key for key, view in seen.items() if view.shown}


def sealed_cells(case: Case, seen: dict[str, Visibility]) -> list[Cell]:
    visible = shown(seen)
    answered = {case.groups[key].leader: 0 for key in visible}
    questions: dict[int | None, dict[int, int]] = {}
    for fine in case.cells:
        if (group := innermost(case.groups, visible, fine.manager_id)) is not None:
            answered[group.leader] = answered.get(group.leader, 0) + fine.answered
        for question, answers in fine.questions.items():
            keys = [key for key, view in seen.items() if view.questions.get(question)]
            if (group := innermost(case.groups, keys, fine.manager_id)) is not None:
                filed = questions.setdefault(group.leader, {})
                filed[question] = filed.get(question, 0) + answers
    return [Cell(m, answered.get(m, 0), questions.get(m, {})) for m in set(answered) | set(questions)]


def assert_no_few_by_difference(case: Case, seen: dict[str, Visibility], question: int | None) -> None:
    """Any shown group less any shown groups inside it holds 0 answers or at least the threshold."""
    visible = [case.groups[key] for key, view in seen.items() if _visible(view, question)]
    for outer in visible:
        inner = [group for group in visible if group.key in outer.below]
        for chosen in product((False, True), repeat=len(inner)):
            taken = [group for group, pick in zip(inner, chosen, strict=True) if pick]
            people = sum(_measure(c, question) for c in case.cells if _left(c, outer, taken))
            assert people == 0 or people >= case.threshold, (case.seed, question, outer.key, [g.key for g in taken])


def _left(cell: Cell, outer: Group, taken: list[Group]) -> bool:
    return outer.holds(cell.manager_id) and not any(group.holds(cell.manager_id) for group in taken)


def _visible(view: Visibility, question: int | None) -> bool:
    return view.shown if question is None else view.questions.get(question, False)


def _measure(cell: Cell, question: int | None) -> int:
    return cell.answered if question is None else cell.questions.get(question, 0)


def test_on_random_trees_no_difference_of_shown_figures_leaves_a_few_people() -> None:
    for seed in range(TREES):
        case = random_case(seed)
        seen = visibility(case.groups, case.cells, case.threshold)
        for question in (None, *QUESTIONS):
            assert_no_few_by_difference(case, seen, question)


def test_on_random_trees_the_sealed_round_shows_the_same_groups_with_their_whole_figures() -> None:
    for seed in range(TREES):
        case = random_case(seed)
        seen = visibility(case.groups, case.cells, case.threshold)
        cells = sealed_cells(case, seen)
        again = visibility(case.groups, cells, case.threshold, sealed=True)

        assert shown(again) == shown(seen), seed
        for key, view in seen.items():
            own = next((c for c in cells if c.manager_id == case.groups[key].leader and key != ORG), None)
            kept = [q for q, visible in view.questions.items() if visible and own and own.questions.get(q)]
            assert all(again[key].questions.get(q) for q in kept), (seed, key, "a question its own cell holds")
        for key, view in again.items():
            assert not view.shown or view.respondents == seen[key].respondents, (seed, key)
            for question, visible in view.questions.items():
                assert not visible or seen[key].questions.get(question), (seed, key, question)
                assert not visible or view.counts[question] == seen[key].counts[question], (seed, key, question)
