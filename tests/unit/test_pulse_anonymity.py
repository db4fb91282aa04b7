"""The pulse anonymity rule on its own: which groups and questions may be shown, and which must stay hidden."""

from services.pulse.anonymity import Answer, Group, held_by, index_by_manager, visibility

ORG = "org"
GROUPS = {
    "parent": Group("parent", "Parent", frozenset({1, 2}), frozenset({"child"})),
    "child": Group("child", "Child", frozenset({2})),
    ORG: Group(ORG, "Org", None, frozenset({"parent", "child"})),
}
DEEP = {
    "top": Group("top", "Top", frozenset({1, 2, 3}), frozenset({"middle", "bottom"})),
    "middle": Group("middle", "Middle", frozenset({2, 3}), frozenset({"bottom"})),
    "bottom": Group("bottom", "Bottom", frozenset({3})),
}


def answers(manager: int | None, people: int, *, question: int = 1, offset: int = 0) -> list[Answer]:
    return [Answer(question, f"r{offset + n}", manager, 4) for n in range(people)]


def test_a_group_is_shown_from_the_threshold_on() -> None:
    assert visibility(GROUPS, answers(2, 5), 5)["child"].shown
    assert not visibility(GROUPS, answers(2, 4), 5)["child"].shown


def test_people_are_counted_not_answers() -> None:
    four_people_two_questions = answers(2, 4) + answers(2, 4, question=2)

    seen = visibility(GROUPS, four_people_two_questions, 5)

    assert seen["child"].respondents == 4
    assert not seen["child"].shown


def test_a_parent_is_hidden_when_subtracting_a_visible_child_leaves_fewer_than_the_threshold() -> None:
    seen = visibility(GROUPS, answers(2, 5) + answers(1, 4, offset=100), 5)

    assert seen["child"].shown
    assert not seen["parent"].shown, "parent minus child would expose 4 people"
    assert not seen[ORG].shown


def test_a_difference_of_exactly_the_threshold_is_shown() -> None:
    seen = visibility(GROUPS, answers(2, 5) + answers(1, 5, offset=100), 5)

    assert seen["child"].shown and seen["parent"].shown


def test_a_parent_identical_to_its_child_or_far_larger_is_shown() -> None:
    identical = visibility(GROUPS, answers(2, 5), 5)
    larger = visibility(GROUPS, answers(2, 5) + answers(1, 9, offset=100), 5)

    assert identical["parent"].shown and identical[ORG].shown
    assert larger["parent"].shown and larger[ORG].shown


def test_a_hidden_child_does_not_hide_its_parent() -> None:
    seen = visibility(GROUPS, answers(2, 3) + answers(1, 4, offset=100), 5)

    assert not seen["child"].shown
    assert seen["parent"].shown


def test_a_group_nested_two_levels_down_is_subtracted_too() -> None:
    """Top minus bottom would expose the three people between them, though middle is hidden."""
    seen = visibility(DEEP, answers(3, 6) + answers(2, 1, offset=100) + answers(1, 2, offset=200), 5)

    assert seen["bottom"].shown
    assert not seen["middle"].shown
    assert not seen["top"].shown


def test_the_org_counts_people_without_a_manager() -> None:
    seen = visibility(GROUPS, answers(None, 5), 5)

    assert seen[ORG].respondents == 5 and seen[ORG].shown
    assert not seen["parent"].shown


def test_a_question_answered_by_fewer_than_the_threshold_is_hidden_even_in_a_shown_group() -> None:
    seen = visibility(GROUPS, answers(2, 6) + answers(2, 4, question=2), 5)

    assert seen["child"].shown
    assert seen["child"].questions == {1: True, 2: False}


def test_a_question_is_hidden_in_the_parent_when_its_difference_with_the_child_is_small() -> None:
    parent_only = answers(1, 6, question=1, offset=100) + answers(1, 2, question=2, offset=100)
    seen = visibility(GROUPS, answers(2, 5) + answers(2, 5, question=2) + parent_only, 5)

    assert seen["parent"].shown
    assert seen["parent"].questions == {1: True, 2: False}


def test_no_question_is_shown_in_a_hidden_group() -> None:
    seen = visibility(GROUPS, answers(2, 4), 3)
    hidden = visibility(GROUPS, answers(2, 4), 5)

    assert seen["child"].questions == {1: True}
    assert hidden["child"].questions == {1: False}


def test_a_group_holds_the_same_answers_through_the_index_as_by_filtering() -> None:
    everyone = answers(1, 3) + answers(2, 2, offset=10) + answers(7, 4, offset=20) + answers(None, 1, offset=30)
    index = index_by_manager(everyone)

    for group in GROUPS.values():
        expected = sorted((a.respondent for a in everyone if group.holds(a.manager_id)), key=str)
        assert sorted((a.respondent for a in held_by(group, index)), key=str) == expected
    assert len(held_by(GROUPS[ORG], index)) == len(everyone)
