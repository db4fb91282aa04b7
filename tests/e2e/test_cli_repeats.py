"""HR or a script at the command line doing again what is done already: what was asked holds, so it says so
once and exits 0, writing nothing and telling nobody twice; what conflicts with it is one `error:` line, exit 2."""

import re
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from models import AuditEvent, Delivery, PulseRound, RewardGrant, Workspace
from models.engine import make_engine
from services.workspaces import record_uninstall
from tests.e2e.test_cli import cli, prepared_database
from tests.e2e.test_rewards_export import make_history
from tests.helpers import count

FULFILLED, REVOKED, APPROVED = "4", "5", "6"
"""Grants of `make_history`: a voucher fulfilled on 5 March at 08:00, a shout-out revoked on 6 March at 10:00,
and a shout-out still approved."""


@pytest.fixture
def history(sessions: sessionmaker[Session], database_url: str) -> dict[str, str]:
    make_history(sessions)
    return {"DATABASE_URL": database_url}


def written(sessions: sessionmaker[Session]) -> tuple[list[str], list[tuple[str, str | None]], list[str]]:
    """What a command can write: messages queued, audit lines, and each grant's state."""
    with sessions() as session:
        queued = sorted(session.scalars(select(Delivery.idempotency_key)))
        audited = sorted((e.action, e.subject) for e in session.scalars(select(AuditEvent)))
        grants = [f"{g.id} {g.status} {g.fulfilled_at} {g.revoked_at}" for g in session.scalars(select(RewardGrant))]
        return queued, audited, sorted(grants)


@pytest.mark.parametrize(("spelt", "number"), [("fulfil", FULFILLED), ("fulfill", f"#{FULFILLED}")])
def test_fulfilling_a_fulfilled_grant_again_says_when_it_was_and_changes_nothing(
    tmp_path: Path, sessions: sessionmaker[Session], history: dict[str, str], spelt: str, number: str
) -> None:
    """`#4` (quoted), as the grant's Slack messages write it, is grant 4."""
    before = written(sessions)

    again = cli(tmp_path, "rewards", spelt, number, env=history)

    assert (again.returncode, again.stderr) == (0, "")
    assert again.stdout == "reward grant #4 was already fulfilled on 2026-03-05 08:00 UTC; nothing changed\n"
    assert written(sessions) == before, "no second DM to the recipient, no second audit line"


def test_revoking_a_grant_twice_revokes_it_once_and_the_repeat_exits_0(
    tmp_path: Path, sessions: sessionmaker[Session], history: dict[str, str]
) -> None:
    first = cli(tmp_path, "rewards", "revoke", APPROVED, "--reason", "given twice for the same call", env=history)
    after_first = written(sessions)
    again = cli(tmp_path, "rewards", "revoke", APPROVED, "--reason", "given twice for the same call", env=history)

    assert first.returncode == 0, first.stderr
    assert (again.returncode, again.stderr) == (0, "")
    assert re.fullmatch(
        r"reward grant #6 was already revoked on \d{4}-\d\d-\d\d \d\d:\d\d UTC; nothing changed\n", again.stdout
    )
    assert written(sessions) == after_first
    queued, audited, _ = after_first
    assert [key for key in queued if key.startswith("reward-revoked:6:")] == [
        "reward-revoked:6:U0AGENT2",
        "reward-revoked:6:U0AGENT3",
    ]
    assert audited.count(("reward.revoke", "grant 6")) == 1


@pytest.mark.parametrize(
    ("command", "refusal"),
    [
        (
            ["fulfil", REVOKED],
            "reward grant #5 was revoked on 2026-03-06 10:00 UTC: a revoked reward is not paid or delivered",
        ),
        (
            ["revoke", FULFILLED, "--reason", "paid twice"],
            "reward grant #4 was fulfilled on 2026-03-05 08:00 UTC: a reward already paid or delivered cannot be "
            "taken back",
        ),
    ],
)
def test_settling_a_grant_the_other_way_is_one_error_line_and_changes_nothing(
    tmp_path: Path, sessions: sessionmaker[Session], history: dict[str, str], command: list[str], refusal: str
) -> None:
    before = written(sessions)

    refused = cli(tmp_path, "rewards", *command, env=history)

    assert (refused.returncode, refused.stdout) == (2, "")
    assert refused.stderr == f"error: {refusal}; nothing changed\n"
    assert written(sessions) == before


def test_starting_a_pulse_round_while_one_is_open_says_until_when_and_opens_no_second(tmp_path: Path) -> None:
    """HR pressing Enter twice, or a script starting the quarter's round the day the schedule opened it."""
    prepared_database(tmp_path)

    first = cli(tmp_path, "pulse", "start")
    again = cli(tmp_path, "pulse", "start")

    assert first.returncode == 0, first.stderr
    assert (again.returncode, again.stderr) == (0, "")
    assert re.fullmatch(r"Pulse round 1 is already open \(it closes .* UTC\)\.\n", again.stdout)
    engine = make_engine(f"sqlite:///{tmp_path / 'latitude.db'}")
    with Session(engine) as session:
        assert count(session, PulseRound) == 1
    engine.dispose()


def test_purging_a_purged_workspace_again_says_when_it_was_and_a_mistyped_one_is_still_refused(
    tmp_path: Path, sessions: sessionmaker[Session], history: dict[str, str]
) -> None:
    """An operator's script run twice, or a second operator finishing the first one's job."""
    with sessions.begin() as session:
        workspace = session.scalars(select(Workspace).where(Workspace.slack_team_id == "T0LATITUDE")).one()
        record_uninstall(session, workspace=workspace, now=workspace.created_at)

    first = cli(tmp_path, "workspace", "purge", "T0LATITUDE", "--now", env=history)
    again = cli(tmp_path, "workspace", "purge", "T0LATITUDE", "--now", env=history)
    dry_again = cli(tmp_path, "workspace", "purge", "T0LATITUDE", "--dry-run", env=history)
    mistyped = cli(tmp_path, "workspace", "purge", "T0LATITUD", "--now", env=history)

    assert first.returncode == 0 and first.stdout.endswith("T0LATITUDE purged\n"), first.stderr
    for repeat in (again, dry_again):
        assert (repeat.returncode, repeat.stderr) == (0, "")
        assert re.fullmatch(
            r"T0LATITUDE was already purged on \d{4}-\d\d-\d\d \d\d:\d\d UTC; nothing to delete\n", repeat.stdout
        )
    assert mistyped.returncode == 2 and mistyped.stderr.startswith("error: no workspace T0LATITUD in"), mistyped.stderr
    with sessions() as session:
        assert count(session, Workspace) == 0
