"""`python -m bot digest send --workspace T..`: an operator serving several workspaces sends (or reads) one
workspace's digests again without sending every other workspace's managers theirs a second time."""

from pathlib import Path

import pytest
from sqlalchemy import select

from bot.cli import main
from bot.fakeslack.server import BOT_TOKEN, CLIENT_ID, CLIENT_SECRET
from models import Delivery, Workspace
from tests.conftest import SIGNING_SECRET, RunningBot
from tests.e2e.test_installs import oauth_bot  # noqa: F401
from tests.e2e.test_installs_grid_lifecycle import install_org_wide
from tests.fixture_week import load_fixture_week
from tests.helpers import load_org

OTHER_ORG = """slack_id,name,team,role,manager_slack_id
U0OADMIN,Olga Admin,Head office,admin,
U0OMGR,Otto Manager,Support West,manager,U0OADMIN
U0OAGENT,Oona Agent,Support West,frontline,U0OMGR
"""


@pytest.fixture
def operator(bot: RunningBot, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> RunningBot:
    load_fixture_week(bot.sessions)
    load_org(bot.sessions, bot.clock.now(), OTHER_ORG, team_id="T0OTHER")
    monkeypatch.chdir(tmp_path)
    for name, value in {
        "DATABASE_URL": database_url,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": bot.slack.api_url,
    }.items():
        monkeypatch.setenv(name, value)
    return bot


def headers(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith("===")]


def test_a_dry_run_for_one_workspace_prints_only_its_managers_and_every_one_names_its_workspace(
    operator: RunningBot, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["digest", "send", "--dry-run", "--force", "--workspace", "T0OTHER"]) == 0
    one = headers(capsys.readouterr().out)
    assert main(["digest", "send", "--dry-run", "--force"]) == 0
    every = headers(capsys.readouterr().out)

    assert one == ["=== to Olga Admin (U0OADMIN)", "=== to Otto Manager (U0OMGR)"]
    assert "=== to Maya Manager (U0MGR1) in T0LATITUDE" in every
    assert "=== to Otto Manager (U0OMGR) in T0OTHER" in every


def test_forcing_one_workspaces_digests_queues_none_for_the_other(
    operator: RunningBot, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["digest", "send", "--force", "--workspace", "T0LATITUDE"]) == 0

    assert "queued 3 digests" in capsys.readouterr().out
    with operator.sessions() as session:
        teams = set(
            session.scalars(
                select(Workspace.slack_team_id).join(Delivery, Delivery.workspace_id == Workspace.id).distinct()
            )
        )
    assert teams == {"T0LATITUDE"}


def test_a_workspace_the_app_is_not_in_is_refused_in_one_line_and_nothing_is_queued(
    operator: RunningBot, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["digest", "send", "--force", "--workspace", "T0NOPE"]) == 2

    said = capsys.readouterr()
    assert said.err.strip() == (
        "error: no workspace T0NOPE in the database (known: T0LATITUDE, T0OTHER): with SLACK_BOT_TOKEN the bot "
        "serves the one workspace its token belongs to; check the id"
    )
    with operator.sessions() as session:
        assert session.scalars(select(Delivery)).first() is None


def test_a_workspace_inside_an_org_wide_install_is_refused_naming_its_org(
    oauth_bot: RunningBot,  # noqa: F811
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The org-wide install serves T0SOUTH's people, but its directory is the org's: the operator is told to pass it."""
    install_org_wide(oauth_bot)
    monkeypatch.chdir(tmp_path)
    for name, value in {
        "DATABASE_URL": database_url,
        "SLACK_CLIENT_ID": CLIENT_ID,
        "SLACK_CLIENT_SECRET": CLIENT_SECRET,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)

    assert main(["digest", "send", "--force", "--workspace", "T0SOUTH"]) == 2

    said = capsys.readouterr().err
    assert "a workspace inside an org-wide install is its org's: E0GROUP" in said
    assert main(["digest", "send", "--dry-run", "--force", "--workspace", "E0GROUP"]) == 0
    with oauth_bot.sessions() as session:
        assert session.scalars(select(Delivery).where(Delivery.idempotency_key.like("digest%"))).first() is None
