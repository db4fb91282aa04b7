"""The pulse anonymity rule on its own: every sum or difference of shown groups is 0 or at least the threshold."""

from itertools import product

from services.pulse.anonymity import Cell, Group, innermost, visibility

ORG = "org"
GROUPS = {
    "parent": Group("parent", "Parent", frozenset({1, 2}), frozenset({"child"}), 1),
    "child": Group("child", "Child", frozenset({2}), leader=2),
    ORG: Group(ORG, "Org", None, frozenset({"parent", "child"})),
}
DEEP = {
    "top": Group("top", "Top", frozenset({1, 2, 3}), frozenset({"middle", "bottom"}), 1),
    "middle": Group("middle", "Middle", frozenset({2, 3}), frozenset({"bottom"}), 2),
    "bottom": Group("bottom", "Bottom", frozenset({3}), leader=3),
}
# Bo (10) manages Lee directly and the leads of Sub A (11) and Sub B (12); Sub C (13) in the three-team org.
BO = {
    "bo": Group("bo", "Bo", frozenset({10, 11, 12, 13}), frozenset({"a", "b", "c"}), 10),
    "a": Group("a", "Sub A", frozenset({11}), leader=11),
    "b": Group("b", "Sub B", frozenset({12}), leader=12),
    "c": Group("c", "Sub C", frozenset({13}), leader=13),
    ORG: Group(ORG, "Org", None, frozenset({"bo", "a", "b", "c"})),
}


def cell(manager: int | None, people: int, *, question: int = 1) -> Cell:
    return Cell(manager, people, {question: people} if people else {})


def shown(seen: dict[str, object]) -> set[str]:
    return {key for key, view in seen.items() if getattr(view, "shown", False)}


def test_a_group_is_shown_from_the_threshold_on() -> None:
    assert visibility(GROUPS, [cell(2, 5)], 5)["child"].shown
    assert not visibility(GROUPS, [cell(2, 4)], 5)["child"].shown


def test_bo_minus_both_sub_teams_would_be_lee_so_the_smallest_sub_team_is_hidden() -> None:
    seen = visibility(BO, [cell(11, 5), cell(12, 5), cell(10, 1)], 5)

    assert shown(seen) == {"bo", "b", ORG}, "Sub A and Sub B tie on size: the first by key is hidden"
    assert seen["bo"].respondents == 11


def test_with_three_sub_teams_the_smallest_is_hidden_and_the_others_stay() -> None:
    seen = visibility(BO, [cell(11, 7), cell(12, 5), cell(13, 6), cell(10, 1)], 5)

    assert shown(seen) == {"bo", "a", "c", ORG}


def test_a_sub_team_whose_own_remainder_is_empty_is_passed_over_for_one_that_helps() -> None:
    """Middle holds exactly Bottom: hiding Middle changes nothing, so the rule goes on to Bottom."""
    seen = visibility(DEEP, [cell(3, 5), cell(1, 2)], 5)

    assert seen["top"].shown and seen["top"].respondents == 7
    assert not seen["middle"].shown and not seen["bottom"].shown


def test_a_difference_of_exactly_the_threshold_is_shown() -> None:
    seen = visibility(GROUPS, [cell(2, 5), cell(1, 5)], 5)

    assert seen["child"].shown and seen["parent"].shown


def test_a_hidden_child_does_not_hide_its_parent() -> None:
    seen = visibility(GROUPS, [cell(2, 3), cell(1, 4)], 5)

    assert not seen["child"].shown
    assert seen["parent"].shown


def test_the_org_counts_people_without_a_manager() -> None:
    seen = visibility(GROUPS, [cell(None, 5)], 5)

    assert seen[ORG].respondents == 5 and seen[ORG].shown
    assert not seen["parent"].shown


def test_a_question_answered_by_fewer_than_the_threshold_is_hidden_even_in_a_shown_group() -> None:
    seen = visibility(GROUPS, [Cell(2, 6, {1: 6, 2: 4})], 5)

    assert seen["child"].shown
    assert seen["child"].questions == {1: True, 2: False}


def test_a_question_is_hidden_in_the_child_when_the_parent_would_single_out_a_few_who_answered_it() -> None:
    seen = visibility(GROUPS, [Cell(2, 5, {1: 5, 2: 5}), Cell(1, 6, {1: 6, 2: 2})], 5)

    assert seen["parent"].questions == {1: True, 2: True}
    assert seen["child"].questions == {1: True, 2: False}


def test_every_sum_and_difference_of_shown_figures_holds_none_or_at_least_the_threshold() -> None:
    """Exhaustive over small orgs: subtracting any shown groups from any shown group never leaves 1..k-1."""
    for a, b, c, lee, others in product(range(0, 8, 2), range(0, 8, 3), range(0, 7, 3), range(3), range(3)):
        cells = [cell(11, a), cell(12, b), cell(13, c), cell(10, lee), cell(None, others)]
        seen = visibility(BO, cells, 5)
        visible = [BO[key] for key in shown(seen)]
        for outer in visible:
            inner = [g for g in visible if g.key in outer.below]
            for chosen in product((False, True), repeat=len(inner)):
                taken = [g for g, pick in zip(inner, chosen, strict=True) if pick]
                held = {c.manager_id for c in cells if outer.holds(c.manager_id)}
                left = held - {m for g in taken for m in held if g.holds(m)}
                people = sum(c.answered for c in cells if c.manager_id in left)
                assert people == 0 or people >= 5, (a, b, c, lee, others, outer.key, [g.key for g in taken])


def test_innermost_finds_the_smallest_shown_group_holding_a_manager() -> None:
    assert innermost(BO, {"bo", "b", ORG}, 11) == BO["bo"]
    assert innermost(BO, {"bo", "b", ORG}, 12) == BO["b"]
    assert innermost(BO, {"bo", "b", ORG}, None) == BO[ORG]
    assert innermost(BO, {"b"}, 11) is None


# Anna (1) leads Ben (2), who leads Cara (3), and Dan (4).
ANNA = {
    "anna": Group("anna", "Anna", frozenset({1, 2, 3, 4}), frozenset({"ben", "cara", "dan"}), 1),
    "ben": Group("ben", "Ben", frozenset({2, 3}), frozenset({"cara"}), 2),
    "cara": Group("cara", "Cara", frozenset({3}), leader=3),
    "dan": Group("dan", "Dan", frozenset({4}), leader=4),
    ORG: Group(ORG, "Org", None, frozenset({"anna", "ben", "cara", "dan"})),
}


def sealed(groups: dict[str, Group], cells: list[Cell], threshold: int) -> list[Cell]:
    """The cells as the seal keeps them: each count filed under the smallest group shown (for it) that holds it."""
    seen = visibility(groups, cells, threshold)
    answered: dict[int | None, int] = {}
    questions: dict[int | None, dict[int, int]] = {}
    for fine in cells:
        if (group := innermost(groups, shown(seen), fine.manager_id)) is not None:
            answered[group.leader] = answered.get(group.leader, 0) + fine.answered
        for question, answers in fine.questions.items():
            keys = [key for key, view in seen.items() if view.questions.get(question)]
            if (group := innermost(groups, keys, fine.manager_id)) is not None:
                filed = questions.setdefault(group.leader, {})
                filed[question] = filed.get(question, 0) + answers
    return [Cell(m, answered.get(m, 0), questions.get(m, {})) for m in set(answered) | set(questions)]


def test_a_team_the_seal_hid_is_not_shown_after_with_only_the_team_inside_it() -> None:
    """Anna's remainder would be her two: Ben's team is hidden, his five filed with Anna's; Cara's five stay."""
    fine = [cell(1, 2), cell(2, 5), cell(3, 5), cell(4, 6)]
    assert shown(visibility(ANNA, fine, 5)) == {"anna", "cara", "dan", ORG}

    again = visibility(ANNA, sealed(ANNA, fine, 5), 5, sealed=True)

    assert shown(again) == {"anna", "cara", "dan", ORG}
    assert not again["ben"].questions.get(1)


def test_a_question_the_seal_hid_in_a_shown_team_stays_hidden() -> None:
    """Ben's team is shown; Anna's remainder for question 2 would be one answer, so Ben's question 2 is hidden (his
    own five's filed with Anna's), not Cara's."""
    fine = [Cell(1, 5, {1: 5, 2: 1}), Cell(2, 5, {1: 5, 2: 5}), Cell(3, 5, {1: 5, 2: 5}), Cell(4, 6, {1: 6, 2: 6})]
    seen = visibility(ANNA, fine, 5)
    assert seen["ben"].shown and seen["ben"].questions == {1: True, 2: False} and seen["cara"].questions[2]

    again = visibility(ANNA, sealed(ANNA, fine, 5), 5, sealed=True)

    assert again["ben"].shown and again["ben"].questions == {1: True, 2: False}


def test_a_team_whose_own_people_gave_no_answer_shows_after_the_seal_as_the_teams_inside_it() -> None:
    """Anna's own cell holds none (her two did not answer): her team's figures are Ben's and Dan's, all kept."""
    fine = [cell(1, 0), cell(2, 5), cell(3, 5), cell(4, 6)]
    seen = visibility(ANNA, fine, 5)
    assert shown(seen) == {"anna", "ben", "cara", "dan", ORG}

    again = visibility(ANNA, sealed(ANNA, fine, 5), 5, sealed=True)

    assert shown(again) == shown(seen) and again["anna"].questions == {1: True}


def test_after_the_seal_every_shown_figure_is_the_groups_whole_and_nothing_shown_before_is_lost() -> None:
    """Exhaustive over small orgs: judged again on the sealed cells, a group or question shows only with all the
    answers of the people in the group, and every group the seal showed still shows."""
    for anna, ben, cara, dan, skipped in product(range(0, 7, 2), range(0, 7, 3), range(0, 7, 5), (0, 6), range(3)):
        fine = [Cell(m, n, {1: n, 2: max(n - skipped, 0)} if n else {}) for m, n in ((1, anna), (2, ben), (3, cara))]
        fine += [cell(4, dan), cell(None, 1)]
        seen, again = visibility(ANNA, fine, 5), visibility(ANNA, sealed(ANNA, fine, 5), 5, sealed=True)
        assert shown(again) == shown(seen), (anna, ben, cara, dan, skipped)
        for key, view in again.items():
            case = (anna, ben, cara, dan, skipped, key)
            assert not view.shown or view.respondents == seen[key].respondents, case
            for question, visible in view.questions.items():
                assert not visible or view.counts[question] == seen[key].counts[question], case
