"""`python -m bot workspace removed`: the workspaces Slack removed from an org-wide install, of one org or all."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from services import audit, directory
from services.org_takeover import GRANTED, REINSTALLED
from services.workspaces import WORKSPACES_REMOVED
from tests.e2e.test_cli import cli

NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def removed(sessions: sessionmaker[Session], org: str, team_ids: list[str], at: datetime) -> None:
    """A removal as the audit trail holds it (`services.workspaces.record_team_access`)."""
    with sessions.begin() as session:
        workspace = directory.ensure_workspace(session, slack_team_id=org, now=at, org_wide=True)
        details = {"team_ids": team_ids}
        audit.record(session, workspace=workspace, actor="slack", action=WORKSPACES_REMOVED, now=at, details=details)


def test_one_orgs_removals_leave_out_the_other_orgs_of_the_deployment(
    sessions: sessionmaker[Session], database_url: str, tmp_path: Path
) -> None:
    removed(sessions, "E0NORTH", ["T0ONE", "T0TWO"], NOON)
    removed(sessions, "E0SOUTH", ["T0THREE"], NOON + timedelta(hours=1))
    env = {"DATABASE_URL": database_url}

    north = cli(tmp_path, "workspace", "removed", "--workspace", "E0NORTH", env=env)
    naming = cli(tmp_path, "workspace", "removed", "--workspace", "T0THREE", env=env)
    every = cli(tmp_path, "workspace", "removed", env=env)

    assert north.returncode == 0, north.stderr
    assert north.stdout.splitlines() == ["2026-03-02 12:00 UTC, E0NORTH: 2 workspaces removed", "  T0ONE", "  T0TWO"]
    assert naming.stdout.splitlines() == ["2026-03-02 13:00 UTC, E0SOUTH: 1 workspace removed", "  T0THREE"]
    assert every.stdout.splitlines()[0] == "2026-03-02 13:00 UTC, E0SOUTH: 1 workspace removed"
    assert len(every.stdout.splitlines()) == 5


def test_a_mistyped_org_is_refused_and_a_removal_naming_no_workspace_says_so(
    sessions: sessionmaker[Session], database_url: str, tmp_path: Path
) -> None:
    removed(sessions, "E0NORTH", [], NOON)
    env = {"DATABASE_URL": database_url}

    mistyped = cli(tmp_path, "workspace", "removed", "--workspace", "E0NROTH", env=env)
    shown = cli(tmp_path, "workspace", "removed", "--workspace", "E0NORTH", env=env)

    assert mistyped.returncode != 0 and "Latitude knows no org or workspace E0NROTH" in mistyped.stderr
    assert shown.stdout.splitlines() == ["2026-03-02 12:00 UTC, E0NORTH: removed, though Slack named no workspace"]


def granted(sessions: sessionmaker[Session], org: str, team_ids: list[str], at: datetime) -> None:
    """Slack adding workspaces to the org-wide install as the audit trail holds it (`record_team_access`)."""
    with sessions.begin() as session:
        workspace = directory.ensure_workspace(session, slack_team_id=org, now=at, org_wide=True)
        details = {"team_ids": team_ids}
        audit.record(session, workspace=workspace, actor="slack", action=GRANTED, now=at, details=details)


def test_a_workspace_the_org_wide_install_was_granted_is_known_and_its_state_said(
    sessions: sessionmaker[Session], database_url: str, tmp_path: Path
) -> None:
    granted(sessions, "E0NORTH", ["T0ONE", "T0TWO"], NOON)
    removed(sessions, "E0NORTH", ["T0TWO"], NOON + timedelta(hours=1))
    env = {"DATABASE_URL": database_url}

    served = cli(tmp_path, "workspace", "removed", "--workspace", "T0ONE", env=env)
    gone = cli(tmp_path, "workspace", "removed", "--workspace", "T0TWO", env=env)

    assert served.returncode == 0, served.stderr
    assert served.stdout.splitlines() == [
        "No removal from an org-wide install is of T0ONE or names it",
        "Slack added T0ONE to the org-wide install of E0NORTH on 2026-03-02 12:00 UTC, which serves it still",
    ]
    assert gone.stdout.splitlines() == ["2026-03-02 13:00 UTC, E0NORTH: 1 workspace removed", "  T0TWO"]


def test_a_workspace_granted_before_the_org_installed_again_is_said_to_be_served_no_more(
    sessions: sessionmaker[Session], database_url: str, tmp_path: Path
) -> None:
    granted(sessions, "E0NORTH", ["T0ONE"], NOON)
    with sessions.begin() as session:
        org = directory.ensure_workspace(session, slack_team_id="E0NORTH", now=NOON, org_wide=True)
        audit.record(session, workspace=org, actor="slack", action=REINSTALLED, now=NOON + timedelta(days=1))

    shown = cli(tmp_path, "workspace", "removed", "--workspace", "T0ONE", env={"DATABASE_URL": database_url})

    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.splitlines()[1] == (
        "Slack added T0ONE to the org-wide install of E0NORTH on 2026-03-02 12:00 UTC, which serves it no more "
        "(uninstalled or installed again since, with no word of T0ONE)"
    )


def test_a_workspace_removed_from_one_org_and_added_to_another_since_is_shown_where_it_stands_now(
    sessions: sessionmaker[Session], database_url: str, tmp_path: Path
) -> None:
    granted(sessions, "E0NORTH", ["T0ONE"], NOON)
    removed(sessions, "E0NORTH", ["T0ONE"], NOON + timedelta(hours=1))
    granted(sessions, "E0SOUTH", ["T0ONE"], NOON + timedelta(days=1))

    shown = cli(tmp_path, "workspace", "removed", "--workspace", "T0ONE", env={"DATABASE_URL": database_url})

    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.splitlines() == [
        "2026-03-02 13:00 UTC, E0NORTH: 1 workspace removed",
        "  T0ONE",
        "Slack added T0ONE to the org-wide install of E0SOUTH on 2026-03-03 12:00 UTC, which serves it still",
    ]
