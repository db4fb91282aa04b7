"""HR's first day at the command line: files saved by whatever program was at hand, dates typed as people write them;
each is read as meant, or refused in one line that says what to do, with nothing written."""

import subprocess
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from models import Employee, Workspace
from tests.e2e.test_cli import cli, upgraded
from tests.helpers import count

HEADER = "slack_id,name,team,role,manager_slack_id"


def one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode == 2 and len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


def test_an_org_file_with_a_carriage_return_alone_at_each_line_end_imports(tmp_path: Path) -> None:
    """Excel for Mac's "CSV (Macintosh)", and files passed through old Mac tools, end lines so."""
    engine = upgraded(tmp_path)
    rows = [HEADER, "U0A,Ada Admin,East,admin,", "U0B,Ben Agent,East,frontline,U0A"]
    (tmp_path / "org.csv").write_bytes("\r".join(rows).encode() + b"\r")

    result = cli(tmp_path, "org", "import", "org.csv", "--workspace", "T0LATITUDE")

    assert result.returncode == 0, result.stderr
    assert "+ Ben Agent (U0B)" in result.stdout
    with Session(engine) as session:
        assert count(session, Employee) == 2


@pytest.mark.parametrize(
    ("later_rows", "expected"),
    [
        (
            ["U0B,Ben Agent,East,frontline,U0A", "U0C,Cleo Agent,East,frontline,U0A"],
            'error: line 3: a quote (") opens a cell that runs on to line 5: close it, or take it out',
        ),
        (
            [f"U0X{n},Agent number {n} with a long name,East,frontline,U0A" for n in range(3000)],
            'error: line 3: not readable as CSV: a cell runs on from here without end: is a quote (") left open?',
        ),
    ],
    ids=["a few rows swallowed", "the rest of a long file swallowed"],
)
def test_a_quote_left_open_in_the_org_file_names_the_line_it_opens_on_and_imports_nobody(
    tmp_path: Path, later_rows: list[str], expected: str
) -> None:
    engine = upgraded(tmp_path)
    rows = [HEADER, "U0A,Ada Admin,East,admin,", 'U0Q,"Quinn Agent,East,frontline,U0A', *later_rows]
    (tmp_path / "org.csv").write_text("\n".join(rows) + "\n")

    result = cli(tmp_path, "org", "import", "org.csv", "--workspace", "T0LATITUDE")

    assert one_error_line(result) == expected
    with Session(engine) as session:
        assert count(session, Employee) == 0 and count(session, Workspace) == 0
