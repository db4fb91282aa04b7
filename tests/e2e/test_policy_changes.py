"""`policy load` says what the new version changes against the one in force, so a slip shows before anyone acts."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.cli import main
from tests.helpers import POLICY_EXAMPLE, load_org, load_policy

EXAMPLE = POLICY_EXAMPLE.read_text()
AGENT_REFUND = 'refund = { description = "Refund part or all of an order", per_incident = 50, per_day = 150'
RESCHEDULE = 'reschedule = { description = "Move a delivery or appointment" }'
HALF_DAY = """[rewards.half_day]
title = "Half a day off"
description = "Four hours off, to take within three months"
kind = "time_off"
value = 4
max_per_month = 1
"""
GIFT_BOX = """[rewards.gift_box]
title = "Gift box"
description = "A box of treats"
kind = "gift"
value = 40
"""


def edited(*replacements: tuple[str, str]) -> str:
    text = EXAMPLE
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def load_from_cli(tmp_path: Path, text: str, capsys: pytest.CaptureFixture[str]) -> list[str]:
    policy = tmp_path / "policy.toml"
    policy.write_text(text, encoding="utf-8")
    capsys.readouterr()
    assert main(["policy", "load", str(policy)]) == 0
    lines = capsys.readouterr().out.splitlines()[1:]
    return [line for line in lines if not line.startswith("! [suggestions.channels]")]  # the example's Support North


@pytest.fixture
def in_force(sessions: sessionmaker[Session], database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The fixture org, and the example policy as version 1."""
    now = datetime(2026, 3, 2, 9, tzinfo=UTC)
    load_org(sessions, now)
    load_policy(sessions, now, EXAMPLE)
    monkeypatch.setenv("DATABASE_URL", database_url)


def test_a_raised_limit_and_a_new_category_are_named_once_with_every_profile_they_reach(
    in_force: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = edited(
        (AGENT_REFUND, AGENT_REFUND.replace("per_incident = 50", "per_incident = 60")),
        (RESCHEDULE, RESCHEDULE + '\nupgrade = { description = "Free shipping upgrade", per_incident = 15 }'),
        ("open_hours = 72 ", "open_hours = 48 "),
    )

    assert load_from_cli(tmp_path, text, capsys) == [
        "changes from version 1:",
        "  [agent, frontline, hr] refund: per incident $50 -> $60",
        "  [agent, senior_agent, frontline, manager, hr, admin] + upgrade: per incident $15",
        "  pulse: open hours 72 -> 48",
    ]


def test_rewards_added_removed_and_changed_are_listed(
    in_force: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = edited(
        ("nomination_allowance_per_month = 5", "nomination_allowance_per_month = 8"),
        ("value = 25\nmax_per_month = 2", "value = 30\nmax_per_month = 2"),
        (HALF_DAY, GIFT_BOX),
    )

    assert load_from_cli(tmp_path, text, capsys) == [
        "changes from version 1:",
        "  reward voucher_25 (Coffee & cake voucher): value 25 USD -> 30 USD",
        "  - reward half_day (Half a day off)",
        "  + reward gift_box: Gift box (gift, 40 USD, needs approval)",
        "  rewards: allowance per month 5 -> 8",
    ]


def test_a_category_dropped_from_a_profile_and_a_customer_reference_now_required(
    in_force: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fee_waiver = 'fee_waiver = { description = "Waive a late or service fee", per_incident = 30, per_month = 300 }'
    text = edited((fee_waiver, fee_waiver.replace("per_month = 300", "per_month = 300, requires_customer_ref = true")))
    text = text.replace(RESCHEDULE + "\n", "", 1)

    assert load_from_cli(tmp_path, text, capsys) == [
        "changes from version 1:",
        "  [agent, senior_agent, frontline, manager, hr, admin] fee_waiver: customer reference now required",
        "  [agent, senior_agent, frontline, manager, hr, admin] - reschedule",
    ]


def test_a_file_that_differs_only_in_comments_says_no_rule_changed(
    in_force: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = load_from_cli(tmp_path, EXAMPLE + "\n# reviewed by HR in March\n", capsys)

    assert lines == ["no rule changed from version 1: only comments, layout or order differ"]


def test_the_first_version_names_its_profiles_and_rewards(
    sessions: sessionmaker[Session], database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    load_org(sessions, datetime(2026, 3, 2, 9, tzinfo=UTC))
    monkeypatch.setenv("DATABASE_URL", database_url)

    assert load_from_cli(tmp_path, EXAMPLE, capsys) == [
        "first version: profiles agent, senior_agent, frontline, manager, hr, admin; "
        "rewards shoutout, voucher_25, half_day, service_star"
    ]
