"""The policy file: every kind of mistake named by its line, nothing loaded on error, every version kept."""

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import MovableClock
from models import PolicyVersion, Workspace
from services.policy.file import PolicyError
from services.policy.versions import current_policy, load_policy, parse_policy
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
        (
            '[profiles.a]\ninherit = "b"\n[profiles.b]\ninherit = "a"\n',
            "line 2: profiles.a.inherit: inheritance cycle a -> b -> a",
        ),
        ('[profiles.a]\ninherit = "nobody"\n', "line 2: profiles.a.inherit: inherits 'nobody', which is not a profile"),
        ('[profiles.a]\nrefund = { per_day = "lots" }\n', "line 2: profiles.a.refund.per_day: must be an amount"),
        ('currency = "XYZ"\n[profiles.a]\n', "line 1: currency: must be one of"),
        ("[profiles.a\n", "not valid TOML"),
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
