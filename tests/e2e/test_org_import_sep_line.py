"""`python -m bot org import` of a file beginning with `sep=;`, the line some exports write so that Excel picks the
delimiter: it names the delimiter, the header follows it, and problems name the file's own lines."""

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Employee
from tests.conftest import FIXTURES
from tests.e2e.test_cli import cli, upgraded

WITH_SEP_LINE = "\ufeffsep=;\r\n" + (FIXTURES / "org.csv").read_text().replace(",", ";").replace("\n", "\r\n")


def test_a_file_with_excel_s_sep_line_imports_its_people(tmp_path: Path) -> None:
    engine = upgraded(tmp_path)
    org = tmp_path / "org.csv"
    org.write_bytes(WITH_SEP_LINE.encode("utf-8"))

    result = cli(tmp_path, "org", "import", str(org), "--workspace", "T0LATITUDE")

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "7 added, 0 updated, 0 deactivated, 0 unchanged"
    with Session(engine) as session:
        sam = session.scalars(select(Employee).where(Employee.slack_id == "U0AGENT1")).one()
        assert (sam.manager.slack_id if sam.manager else None, sam.tz) == ("U0MGR1", "America/New_York")


def test_a_bad_row_below_the_sep_line_is_named_by_the_file_s_own_line(tmp_path: Path) -> None:
    upgraded(tmp_path)
    org = tmp_path / "org.csv"
    org.write_bytes((WITH_SEP_LINE + "U0NEW;Nia;Support East;boss;U0MGR1;;;\r\n").encode("utf-8"))

    result = cli(tmp_path, "org", "import", str(org), "--workspace", "T0LATITUDE")

    assert result.returncode == 2
    assert result.stderr.splitlines() == ["error: line 10: unknown role 'boss' (use frontline, manager, hr, admin)"]


def test_a_sep_line_a_sheet_program_padded_with_commas_leaves_it_to_the_header(tmp_path: Path) -> None:
    """Saved again as CSV, `sep=;` comes back as `sep=;,,,,,,,` above a header separated by commas."""
    upgraded(tmp_path)
    org = tmp_path / "org.csv"
    org.write_text("sep=;,,,,,,,\n" + (FIXTURES / "org.csv").read_text(), encoding="utf-8")

    result = cli(tmp_path, "org", "import", str(org), "--workspace", "T0LATITUDE")

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "7 added, 0 updated, 0 deactivated, 0 unchanged"


def test_a_sep_line_naming_another_delimiter_than_the_header_s_is_named_as_the_problem(tmp_path: Path) -> None:
    engine = upgraded(tmp_path)
    org = tmp_path / "org.csv"
    org.write_text("sep=,\n" + (FIXTURES / "org.csv").read_text().replace(",", ";"), encoding="utf-8")

    result = cli(tmp_path, "org", "import", str(org), "--workspace", "T0LATITUDE")

    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "error: line 1 says `sep=,` but the header on line 2 is separated by `;`: fix or delete line 1"
    ]
    with Session(engine) as session:
        assert session.scalars(select(Employee)).all() == []
