"""The [rewards] section of the policy file: defaults, validation with line numbers."""

from decimal import Decimal

import pytest

from services.policy.file import PolicyError
from services.policy.versions import parse_policy
from tests.rewards_helpers import EXAMPLE_POLICY

PROFILES = """currency = "EUR"

[profiles.frontline]
reschedule = { description = "Move a delivery" }
"""


def problems_of(text: str) -> list[str]:
    with pytest.raises(PolicyError) as raised:
        parse_policy(text)
    return raised.value.problems


def test_without_a_rewards_section_there_is_a_shout_out_and_the_default_allowance() -> None:
    rewards = parse_policy(PROFILES).rewards

    assert list(rewards.catalog) == ["shoutout"]
    shoutout = rewards.catalog["shoutout"]
    assert (shoutout.kind, shoutout.value, shoutout.needs_approval, shoutout.unit) == ("praise", 0, False, "EUR")
    assert (rewards.allowance_per_month, rewards.leaderboards) == (10, True)


def test_items_take_their_unit_from_the_kind_and_tangible_ones_need_approval_by_default() -> None:
    text = PROFILES + (
        "\n[rewards]\nnomination_allowance_per_month = 3\n\n"
        '[rewards.lunch]\ntitle = "Lunch"\nkind = "voucher"\nvalue = 12.5\nmax_per_month = 1\n\n'
        '[rewards.hour_off]\ntitle = "An hour off"\nkind = "time_off"\nvalue = 1\n'
    )

    rewards = parse_policy(text).rewards

    assert rewards.allowance_per_month == 3
    lunch, hour = rewards.catalog["lunch"], rewards.catalog["hour_off"]
    assert (lunch.value, lunch.unit, lunch.needs_approval, lunch.max_per_month) == (Decimal("12.5"), "EUR", True, 1)
    assert (hour.unit, hour.needs_approval) == ("hours", True)


def test_every_problem_in_the_catalog_names_its_line_and_nothing_loads() -> None:
    text = PROFILES + (
        "\n[rewards]\n"  # line 5-6
        "nomination_allowance_per_month = 0\n"  # 7
        "colour = 'blue'\n"  # 8
        "\n[rewards.free_money]\n"  # 10
        'title = "Cash"\n'  # 11
        'kind = "cash"\n'  # 12
        "value = -5\n"  # 13
        "needs_approval = false\n"  # 14
        "\n[rewards.Bad-Key]\n"  # 16
        'title = "x"\n'
        "\n[rewards.untitled]\n"  # 19
        'kind = "gift"\n'
        "value = 10\n"
        "needs_approval = false\n"  # 22
    )

    problems = problems_of(text)

    assert "line 7: rewards.nomination_allowance_per_month: must be a whole number from 1 to 1000, got 0" in problems
    assert any(p.startswith("line 8: rewards.colour: unknown key") for p in problems)
    assert any(p.startswith("line 12: rewards.free_money.kind: must be one of praise, voucher") for p in problems)
    assert "line 13: rewards.free_money.value: cannot be negative (got -5)" in problems
    assert any(p.startswith("line 16: rewards.Bad-Key: a reward key is 1 to 40 lowercase") for p in problems)
    assert "line 19: rewards.untitled: needs a title" in problems
    assert any(p.startswith("line 22: rewards.untitled.needs_approval: a reward with a value") for p in problems)


def test_the_example_policy_loads_with_its_catalog() -> None:
    rewards = parse_policy(EXAMPLE_POLICY.read_text()).rewards

    assert list(rewards.catalog) == ["shoutout", "voucher_25", "half_day", "service_star"]
    assert rewards.catalog["service_star"].needs_approval


def catalog(count: int, key: str = "reward") -> str:
    items = "\n".join(f'[rewards.{key}_{n}]\ntitle = "Reward {n}"' for n in range(count))
    return f"{PROFILES}\n{items}\n"


def test_a_catalog_fits_the_nominate_menu_of_100_options_with_the_shout_out() -> None:
    assert len(parse_policy(catalog(99)).rewards.catalog) == 100
    assert any(
        "100 rewards besides the shout-out: the /nominate menu holds 99 at most" in p for p in problems_of(catalog(100))
    )


def test_a_reward_key_fits_slacks_option_value() -> None:
    assert any("1 to 40 lowercase letters" in problem for problem in problems_of(catalog(1, key="k" * 40)))


def test_the_shout_out_channel_is_a_channel_id() -> None:
    assert parse_policy(PROFILES + '\n[rewards]\nchannel = "C0KUDOS"\n').rewards.channel == "C0KUDOS"
    assert parse_policy(PROFILES).rewards.channel is None
    for wrong in ('"#kudos"', '"kudos"', "7", '"U0123ABCD"'):
        [problem] = problems_of(PROFILES + f"\n[rewards]\nchannel = {wrong}\n")
        assert "rewards.channel" in problem and "must be a Slack channel id like C0123ABCD" in problem


def test_a_reward_title_fits_what_a_nomination_keeps_of_it() -> None:
    text = PROFILES + f'\n[rewards.lunch]\ntitle = "{"L" * 201}"\nkind = "voucher"\nvalue = 12.5\n'

    assert problems_of(text) == ["line 7: rewards.lunch.title: must be at most 200 characters long (this one has 201)"]
