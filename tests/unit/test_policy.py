"""The policy file: every kind of mistake named by its line, nothing loaded on error, every version kept."""

import hashlib
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import MovableClock
from bot.fakeslack.blockkit import view_problems
from handlers.blocks.resolutions import resolve_modal
from handlers.blocks.suggestions import suggest_modal
from models import PolicyVersion, Workspace
from services.money import minor_units_rule
from services.policy.file import PolicyError
from services.policy.versions import MAX_CATEGORIES, current_policy, load_policy, parse_policy
from tests.helpers import POLICY_EXAMPLE, count, load_org


def test_the_example_policy_loads_and_inherits() -> None:
    policy = parse_policy(POLICY_EXAMPLE.read_text())

    senior = policy.boundaries_for("senior_agent")
    assert senior["refund"].per_incident == Decimal(150)
    assert senior["replacement"].per_incident == Decimal(80)
    assert policy.boundaries_for("frontline") == policy.boundaries_for("agent")
    assert not senior["reschedule"].involves_money
    assert policy.escalation_reminder_hours == 24


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('currency = "USD"\ncolour = "blue"\n[profiles.a]\nx = {}\n', "line 2: colour: unknown key"),
        ("[profiles.a]\nrefund = { per_day = -5 }\n", "line 2: profiles.a.refund.per_day: cannot be negative (got -5)"),
        ("[profiles.a]\nrefund = { per_dya = 5 }\n", "line 2: profiles.a.refund.per_dya: unknown key"),
        ('currency = "USD"\n\n[profile.agent]\nrefund = { per_day = 5 }\n', "line 3: profile: unknown key"),
        ('[profiles.a]\nx = {}\n[reward.voucher]\ntitle = "V"\n', "line 3: reward: unknown key"),
        (
            '[profiles.a]\ninherit = "b"\n[profiles.b]\ninherit = "a"\n',
            "line 2: profiles.a.inherit: inheritance cycle a -> b -> a",
        ),
        ('[profiles.a]\ninherit = "nobody"\n', "line 2: profiles.a.inherit: inherits 'nobody', which is not a profile"),
        ('[profiles.a]\nrefund = { per_day = "lots" }\n', "line 2: profiles.a.refund.per_day: must be an amount"),
        ('currency = "XYZ"\n[profiles.a]\n', "line 1: currency: must be one of"),
        ('currency = "KWD"\n[profiles.a]\n', "line 1: currency: KWD has three decimals, which Latitude does not offer"),
        ('currency = "bhd"\n[profiles.a]\n', "line 1: currency: bhd has three decimals, which Latitude does not offer"),
        ('currency = "usd"\n[profiles.a]\n', "line 1: currency: is an ISO code in capitals: write \"USD\", not 'usd'"),
        ("[profiles.a\n", "line 1: not valid TOML: Expected ']' at the end of a table declaration (column 12)"),
        (
            "[profiles.a]\nr = { per_incident = 1e308 }\n",
            "line 2: profiles.a.r.per_incident: must be at most",
        ),
        ("[profiles.a]\nr = { per_incident = inf }\n", "line 2: profiles.a.r.per_incident: must be at most"),
        ("[profiles.a]\nr = { per_incident = nan }\n", "line 2: profiles.a.r.per_incident: must be at most"),
        (
            "[profiles.a]\nrefund = { per_incident = 50.555 }\n",
            "line 2: profiles.a.refund.per_incident: has more than two",
        ),
        (
            'currency = "JPY"\n[profiles.a]\nrefund = { per_incident = 49.99 }\n',
            "line 3: profiles.a.refund.per_incident: has more decimals than JPY has (got 49.99): JPY amounts are whole",
        ),
        (
            '[profiles.a]\nrefund = { per_incident = "50" }\n',
            "line 2: profiles.a.refund.per_incident: must be an amount",
        ),
        (
            "[profiles.a]\nrefund = { per_incident = 1_000_001 }\n",
            "line 2: profiles.a.refund.per_incident: must be at most",
        ),
    ],
)
def test_each_kind_of_mistake_names_its_line(text: str, problem: str) -> None:
    with pytest.raises(PolicyError) as raised:
        parse_policy(text)

    assert any(p.startswith(problem) for p in raised.value.problems), raised.value.problems


def test_a_policy_saved_with_a_byte_order_mark_loads() -> None:
    policy = parse_policy("\ufeff" + POLICY_EXAMPLE.read_text())

    assert policy.boundaries_for("agent")["refund"].per_incident == Decimal(50)


def test_a_profile_used_in_the_directory_but_missing_from_the_policy_loads_nothing(
    sessions: sessionmaker[Session], session: Session, workspace: Workspace, clock: MovableClock
) -> None:
    load_org(sessions, clock.now())
    text = (
        POLICY_EXAMPLE.read_text()
        .replace("[profiles.senior_agent]", "[profiles.senior]")
        .replace('inherit = "senior_agent"', 'inherit = "senior"')
    )

    with pytest.raises(PolicyError) as raised:
        load_policy(session, workspace=workspace, text=text, loaded_by="test", now=clock.now())

    assert "profile 'senior_agent' is used by Lee Senior (U0AGENT2) but the policy has no" in str(raised.value)
    session.rollback()
    assert count(session, PolicyVersion) == 0


def test_every_version_is_kept_and_the_same_text_loads_nothing_new(
    session: Session, workspace: Workspace, clock: MovableClock
) -> None:
    text = POLICY_EXAMPLE.read_text()
    first = load_policy(session, workspace=workspace, text=text, loaded_by="hr", now=clock.now())
    again = load_policy(session, workspace=workspace, text=text, loaded_by="hr", now=clock.now())
    clock.advance(timedelta(hours=1))
    second = load_policy(
        session,
        workspace=workspace,
        text=text.replace("per_incident = 50", "per_incident = 60"),
        loaded_by="hr",
        now=clock.now(),
    )
    session.commit()

    assert again.id == first.id
    assert (first.number, second.number) == (1, 2)
    active = current_policy(session, workspace)
    assert active is not None and active.version.id == second.id
    assert active.policy.boundaries_for("agent")["refund"].per_incident == Decimal(60)
    assert parse_policy(first.text).boundaries_for("agent")["refund"].per_incident == Decimal(50)


def categories(count: int, prefix: str = "c") -> str:
    return "".join(f'{prefix}{n:03d} = {{ description = "{"d" * 80}" }}\n' for n in range(count))


@pytest.mark.parametrize(
    "name",
    ['"Fee waiver"', "Fee_waiver", "fee-waiver", "_fee", "9lives", "a" * 41, '"' + "x" * 151 + '"', '"café"'],
)
def test_a_category_name_slack_or_the_slash_command_cannot_carry_is_refused_naming_it(name: str) -> None:
    with pytest.raises(PolicyError) as raised:
        parse_policy(f"[profiles.agent]\nrefund = {{ per_incident = 5 }}\n{name} = {{ per_incident = 5 }}\n")

    [problem] = raised.value.problems
    assert f"the category '{name.strip(chr(34))}' of profile 'agent' must be named with 1 to 40 lowercase" in problem


def test_a_category_name_of_40_lowercase_letters_digits_and_underscores_loads() -> None:
    name = "a" + "b_9" * 13

    assert name in parse_policy(f"[profiles.agent]\n{name} = {{}}\n").boundaries_for("agent")


def test_a_profile_with_more_categories_than_a_slack_menu_holds_is_refused_counting_inherited_ones() -> None:
    text = f'[profiles.agent]\n{categories(60)}[profiles.senior]\ninherit = "agent"\n{categories(41, "s")}'

    with pytest.raises(PolicyError) as raised:
        parse_policy(text)

    assert raised.value.problems == [
        "line 62: profiles.senior: profile 'senior' has 101 categories, counting the ones it inherits: "
        "the /resolve form lists 100 at most, so merge some or split the profile"
    ]


def test_the_most_categories_and_the_longest_names_make_a_resolve_form_slack_accepts() -> None:
    names = "".join(f'{"x" * 36}{n:03d}_ = {{ description = "{"d" * 80}" }}\n' for n in range(MAX_CATEGORIES))
    policy = parse_policy(f"[profiles.agent]\n{names}")

    assert len(policy.boundaries_for("agent")) == MAX_CATEGORIES
    assert view_problems(resolve_modal(policy.boundaries_for("agent"), "USD")) == []


def test_more_suggestion_categories_than_the_suggest_forms_menu_holds_are_refused() -> None:
    """Past the hundredth, a category could never be chosen in /suggest and its owner would never get an idea."""
    names = ", ".join(f'"topic_{n:03d}"' for n in range(101))
    text = f"[profiles.agent]\nreschedule = {{}}\n[suggestions]\ncategories = [{names}]\n"

    with pytest.raises(PolicyError) as raised:
        parse_policy(text)

    assert raised.value.problems == [
        "line 4: suggestions.categories: 101 categories: the /suggest form lists 100 at most, so merge some"
    ]
    assert len(parse_policy(text, stored=True).suggestions.categories) == 101, "a version loaded before still reads"


def test_the_most_suggestion_categories_make_a_suggest_form_slack_accepts() -> None:
    names = ", ".join(f'"{"t" * 36}{n:03d}"' for n in range(100))
    policy = parse_policy(f"[profiles.agent]\nreschedule = {{}}\n[suggestions]\ncategories = [{names}]\n")

    assert len(policy.suggestions.categories) == 100
    assert view_problems(suggest_modal(policy.suggestions.categories, [])) == []


def test_a_yen_reward_with_cents_is_refused_and_a_stored_one_still_reads() -> None:
    voucher = '[rewards.voucher]\ntitle = "Voucher"\nkind = "voucher"\nvalue = 12.5\nneeds_approval = true\n'
    text = f'currency = "JPY"\n[profiles.frontline]\nrefund = {{ per_incident = 5000 }}\n{voucher}'

    with pytest.raises(PolicyError) as raised:
        parse_policy(text)

    assert [problem.split(": ", 1)[1] for problem in raised.value.problems] == [
        "rewards.voucher.value: has more decimals than JPY has (got 12.5): " + minor_units_rule("JPY")
    ]
    assert parse_policy(text, stored=True).rewards.catalog["voucher"].value == Decimal("12.5")


def stored_as_loaded_before(session: Session, workspace: Workspace, text: str, clock: MovableClock) -> None:
    """A version an older release accepted, stored as it stored it (today's checks refuse it)."""
    session.add(
        PolicyVersion(
            workspace_id=workspace.id,
            number=1,
            text=text,
            sha256=hashlib.sha256(text.encode()).hexdigest(),
            loaded_by="hr",
            loaded_at=clock.now(),
        )
    )
    session.flush()


def test_a_yen_version_loaded_while_yen_had_cents_still_reads(
    session: Session, workspace: Workspace, clock: MovableClock
) -> None:
    text = 'currency = "JPY"\n[profiles.frontline]\nrefund = { per_incident = 49.99 }\n'
    with pytest.raises(PolicyError):
        parse_policy(text)
    stored_as_loaded_before(session, workspace, text, clock)

    active = current_policy(session, workspace)

    assert active is not None and active.policy.boundaries_for("frontline")["refund"].per_incident == Decimal("49.99")


def test_a_version_loaded_before_category_names_were_checked_still_reads(
    session: Session, workspace: Workspace, clock: MovableClock
) -> None:
    text = '[profiles.frontline]\n"Fee waiver" = { per_incident = 5 }\n'
    with pytest.raises(PolicyError):
        parse_policy(text)
    stored_as_loaded_before(session, workspace, text, clock)

    active = current_policy(session, workspace)

    assert active is not None and "Fee waiver" in active.policy.boundaries_for("frontline")
