"""`org import --deactivate-missing` with a file of one region: refused, unless the operator confirms it.

The org has East (a manager and 20 agents) and West (a manager and 8 agents), with an admin and HR: 32 active
people. HR imports West's file alone, by mistake, with `--deactivate-missing`.
"""

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.cli import main
from models import AuditEvent, Employee
from services.org_leavers import CONFIRM_FLAG

HEADER = "slack_id,name,team,role,manager_slack_id\n"
HEAD_OFFICE = "U0ADMIN,Ada Admin,Operations,admin,\nU0HR,Hana Reyes,People,hr,U0ADMIN\n"
EAST = "U0MGR1,Maya Manager,East,manager,U0ADMIN\n" + "".join(
    f"U0E{n:02d},East Agent {n},East,frontline,U0MGR1\n" for n in range(1, 21)
)
WEST = "U0MGR2,Omar Manager,West,manager,U0ADMIN\n" + "".join(
    f"U0W{n:02d},West Agent {n},West,frontline,U0MGR2\n" for n in range(1, 9)
)
WHOLE_ORG = HEADER + HEAD_OFFICE + EAST + WEST
WEST_ONLY = HEADER + HEAD_OFFICE + WEST


@pytest.fixture
def org_file(
    sessions: sessionmaker[Session], database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    monkeypatch.setenv("DATABASE_URL", database_url)
    whole = tmp_path / "org.csv"
    whole.write_text(WHOLE_ORG, encoding="utf-8")
    assert main(["org", "import", str(whole), "--workspace", "T0LATITUDE"]) == 0
    return tmp_path


def active_people(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return len(session.scalars(select(Employee.id).where(Employee.active)).all())


def imports_audited(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return len(session.scalars(select(AuditEvent.id).where(AuditEvent.action == "org.import")).all())


def test_a_file_of_one_region_is_refused_saying_how_many_would_go_and_how_to_go_on(
    org_file: Path, sessions: sessionmaker[Session], capsys: pytest.CaptureFixture[str]
) -> None:
    west = org_file / "west.csv"
    west.write_text(WEST_ONLY, encoding="utf-8")
    capsys.readouterr()

    assert main(["org", "import", str(west), "--deactivate-missing"]) == 2

    said = capsys.readouterr().err
    assert "would deactivate 21 of the 32 active people (65.6%)" in said, said
    assert "Maya Manager (U0MGR1), East Agent 1 (U0E01)" in said and "and 16 more" in said
    assert "Nothing was written" in said and CONFIRM_FLAG in said and "leave out --deactivate-missing" in said
    assert active_people(sessions) == 32
    assert imports_audited(sessions) == 1


def test_the_operator_who_confirms_deactivates_everyone_the_file_leaves_out(
    org_file: Path, sessions: sessionmaker[Session], capsys: pytest.CaptureFixture[str]
) -> None:
    west = org_file / "west.csv"
    west.write_text(WEST_ONLY, encoding="utf-8")
    capsys.readouterr()

    assert main(["org", "import", str(west), "--deactivate-missing", CONFIRM_FLAG]) == 0

    assert capsys.readouterr().out.splitlines()[0] == "0 added, 0 updated, 21 deactivated, 11 unchanged"
    assert active_people(sessions) == 11


def test_a_few_people_leaving_need_no_confirmation(org_file: Path, sessions: sessionmaker[Session]) -> None:
    """Five of 32 is over 10% but a handful: an ordinary month's leavers."""
    leavers = [f"U0E{n:02d}," for n in range(1, 6)]
    fewer = org_file / "fewer.csv"
    fewer.write_text(
        "".join(line for line in WHOLE_ORG.splitlines(keepends=True) if not line.startswith(tuple(leavers)))
    )

    assert main(["org", "import", str(fewer), "--deactivate-missing"]) == 0

    assert active_people(sessions) == 27


def test_the_confirmation_is_in_the_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["org", "import", "--help"])

    assert CONFIRM_FLAG in capsys.readouterr().out


def test_a_share_just_over_the_tenth_reads_over_it(
    sessions: sessionmaker[Session],
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """6 of 58 is 10.3%: a whole percentage cut down read "(10%), more than 10%", which says it should pass."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    agents = [f"U0S{n:02d},Agent {n},Support,frontline,U0ADMIN\n" for n in range(1, 57)]
    whole, fewer = tmp_path / "org.csv", tmp_path / "fewer.csv"
    whole.write_text(HEADER + HEAD_OFFICE + "".join(agents), encoding="utf-8")
    fewer.write_text(HEADER + HEAD_OFFICE + "".join(agents[6:]), encoding="utf-8")
    assert main(["org", "import", str(whole), "--workspace", "T0LATITUDE"]) == 0
    capsys.readouterr()

    assert main(["org", "import", str(fewer), "--deactivate-missing"]) == 2

    said = capsys.readouterr().err
    assert "would deactivate 6 of the 58 active people (10.3%), more than 10%" in said, said


EAST_ONLY = HEADER + EAST.replace("East Agent 1,", "Elsa Agent,")


def manager_of(sessions: sessionmaker[Session], slack_id: str) -> str | None:
    with sessions() as session:
        person = session.scalars(select(Employee).where(Employee.slack_id == slack_id)).one()
        return person.manager.slack_id if person.manager else None


def test_a_region_s_file_naming_its_head_s_manager_updates_its_people_without_deactivate_missing(
    org_file: Path, sessions: sessionmaker[Session], capsys: pytest.CaptureFixture[str]
) -> None:
    """East's file names Maya's manager, the admin, in no row of it: the admin is in the directory."""
    east = org_file / "east.csv"
    east.write_text(EAST_ONLY, encoding="utf-8")
    capsys.readouterr()
    assert main(["org", "import", str(east), "--deactivate-missing"]) == 2
    assert capsys.readouterr().err == (
        "error: line 2: manager U0ADMIN is not in the file: add their row (with --deactivate-missing the file is the "
        "whole organisation; without it, a manager the file does not list is found in the directory)\n"
    )

    assert main(["org", "import", str(east)]) == 0

    said = capsys.readouterr().out
    assert said.splitlines()[0] == "0 added, 1 updated, 0 deactivated, 20 unchanged", said
    assert "~ Elsa Agent (U0E01): name 'East Agent 1' -> 'Elsa Agent'" in said
    assert "!" not in said
    assert manager_of(sessions, "U0MGR1") == "U0ADMIN"
    assert active_people(sessions) == 32


def test_a_region_s_file_naming_a_manager_who_left_is_refused_naming_them(
    org_file: Path, sessions: sessionmaker[Session], capsys: pytest.CaptureFixture[str]
) -> None:
    """Maya left (the whole file without her, her agents moved to the admin); East's old file still names her."""
    without_maya = org_file / "without_maya.csv"
    without_maya.write_text(
        WHOLE_ORG.replace("U0MGR1,Maya Manager,East,manager,U0ADMIN\n", "").replace(",U0MGR1\n", ",U0ADMIN\n")
    )
    assert main(["org", "import", str(without_maya), "--deactivate-missing"]) == 0
    east = org_file / "east.csv"
    east.write_text(HEADER + "U0E01,Elsa Agent,East,frontline,U0MGR1\n", encoding="utf-8")
    capsys.readouterr()

    assert main(["org", "import", str(east)]) == 2

    said = capsys.readouterr().err
    assert "line 2: manager U0MGR1 (Maya Manager) is inactive in the directory: add their row" in said, said
    assert manager_of(sessions, "U0E01") == "U0ADMIN"


def test_a_partial_file_naming_a_manager_nobody_knows_is_refused_and_writes_nothing(
    org_file: Path, sessions: sessionmaker[Session], capsys: pytest.CaptureFixture[str]
) -> None:
    east = org_file / "east.csv"
    east.write_text(HEADER + "U0E01,Elsa Agent,East,frontline,U0MGR9\nU0E99,Newt,East,frontline,U0MGR1\n")
    capsys.readouterr()

    assert main(["org", "import", str(east)]) == 2

    assert "line 2: manager U0MGR9 is neither in the file nor in the directory" in capsys.readouterr().err
    assert active_people(sessions) == 32 and imports_audited(sessions) == 1


def test_a_loop_through_people_the_file_leaves_out_is_refused_naming_it(
    org_file: Path, sessions: sessionmaker[Session], capsys: pytest.CaptureFixture[str]
) -> None:
    """The admin put under West's manager, who reports to the admin in the directory: a chain with no top."""
    one = org_file / "one.csv"
    one.write_text(HEADER + "U0ADMIN,Ada Admin,Operations,admin,U0MGR2\n")
    capsys.readouterr()

    assert main(["org", "import", str(one)]) == 2

    said = capsys.readouterr().err
    assert (
        "line 2: manager cycle U0ADMIN -> U0MGR2 -> U0ADMIN (not in the file, the directory has U0MGR2 reports to "
        "U0ADMIN): name another manager on a line of the loop"
    ) in said, said
    assert manager_of(sessions, "U0ADMIN") is None and imports_audited(sessions) == 1


def test_an_empty_manager_cell_in_a_region_s_file_puts_its_head_at_the_top_and_says_so(
    org_file: Path, sessions: sessionmaker[Session], capsys: pytest.CaptureFixture[str]
) -> None:
    east = org_file / "east.csv"
    east.write_text(EAST_ONLY.replace("manager,U0ADMIN", "manager,"), encoding="utf-8")
    capsys.readouterr()

    assert main(["org", "import", str(east)]) == 0

    said = capsys.readouterr().out
    assert "~ Maya Manager (U0MGR1): manager -> none" in said
    assert (
        "  ! Maya Manager (U0MGR1) has no manager any more (their manager_slack_id is empty; it was Ada Admin "
        "(U0ADMIN)): a request of theirs over the limit goes to the admins"
    ) in said, said
    assert "write U0ADMIN back" in said
    assert manager_of(sessions, "U0MGR1") is None
