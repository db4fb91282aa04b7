"""An org import names the roles its reporting tree contradicts: the tree, not the role, makes someone a manager.

HR steps Maya back to frontline but forgets to give Sam and Lee their new manager: they still report to her, so she
still decides their requests, gets their digest and reads their pulse results, and the import says so. HR makes Ines
a manager before anyone reports to her: she decides nothing yet, and the import says that too.
"""

from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.cli import main
from tests.conftest import FIXTURES

ORG = (FIXTURES / "org.csv").read_text()
MAYA_STEPS_BACK = ORG.replace("Maya Manager,Support East,manager", "Maya Manager,Support East,frontline")
INES_PROMOTED = ORG.replace("Ines Agent,Support West,frontline", "Ines Agent,Support West,manager")


def imported(text: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    org = tmp_path / "org.csv"
    org.write_text(text, encoding="utf-8")
    capsys.readouterr()
    assert main(["org", "import", str(org), "--workspace", "T0LATITUDE"]) == 0
    return capsys.readouterr().out.splitlines()


@pytest.fixture
def first_import(
    sessions: sessionmaker[Session],
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> list[str]:
    """The schema made by `sessions`; the fixture org imported from the command line."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    return imported(ORG, tmp_path, capsys)


def test_a_manager_made_frontline_with_reports_still_listed_under_them_is_named(
    first_import: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert not [line for line in first_import if "reports to them" in line or "report to them" in line]

    printed = imported(MAYA_STEPS_BACK, tmp_path, capsys)

    assert (
        "  ! Maya Manager (U0MGR1) is frontline, but 2 people report to them: they still decide those requests, get "
        "the team's weekly digest and read its pulse results; name the new manager in `manager_slack_id`, or make "
        "them a manager"
    ) in printed, printed


def test_a_manager_nobody_reports_to_is_named(
    first_import: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    printed = imported(INES_PROMOTED, tmp_path, capsys)

    assert (
        "  ! Ines Agent (U0AGENT3) is a manager, but nobody reports to them: they decide no requests and get no "
        "digest until the file names them in someone's `manager_slack_id`"
    ) in printed, printed
    sam_under_ines = INES_PROMOTED.replace(
        "Sam Agent,Support East,frontline,U0MGR1", "Sam Agent,Support East,frontline,U0AGENT3"
    )
    assert not [line for line in imported(sam_under_ines, tmp_path, capsys) if "Ines" in line and "!" in line]


def test_someone_rehired_under_a_new_slack_id_with_their_old_email_is_named(
    first_import: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Sam left (the file no longer lists him, imported with --deactivate-missing) and is rehired: Slack gave him a new
    id, the file his old email. The import says Latitude counts him as another person."""
    rehired = ORG.replace("U0AGENT1,Sam Agent", "U0SAM2,Sam Agent")
    org = tmp_path / "org.csv"
    org.write_text(rehired, encoding="utf-8")
    capsys.readouterr()
    assert main(["org", "import", str(org), "--workspace", "T0LATITUDE", "--deactivate-missing"]) == 0
    printed = capsys.readouterr().out.splitlines()

    assert (
        "  ! Sam Agent (U0SAM2) has the email of Sam Agent (U0AGENT1), who left: a new Slack id is another person to "
        "Latitude, so the earlier history stays with the old id, and this month's limits and nomination allowance "
        "start afresh"
    ) in printed, printed
    assert not [line for line in imported(rehired, tmp_path, capsys) if "!" in line], "said once, when he is added"


def test_two_active_people_sharing_an_email_are_named(
    first_import: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two rows of one file sharing an email are refused; two people still can, once the file lists a newcomer with
    the email of someone it no longer lists, imported without `--deactivate-missing`: the old row stays active."""
    sam = "U0AGENT1,Sam Agent,Support East,frontline,U0MGR1,sam@example.com,America/New_York,agent\n"
    nia = "U0AGENT9,Nia New,Support East,frontline,U0MGR1,SAM@example.com,America/New_York,agent\n"
    assert sam in ORG

    printed = imported(ORG.replace(sam, nia), tmp_path, capsys)

    assert (
        "  ! Nia New (U0AGENT9) and Sam Agent (U0AGENT1) share the email sam@example.com: HR's export names it for "
        "each; give each their own"
    ) in printed, printed
    assert not [line for line in first_import if "email" in line]
