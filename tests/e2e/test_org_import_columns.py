"""`python -m bot org import` of a file without some optional columns: what is stored stays, and it says so."""

from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from models import AuditEvent, Employee
from tests.conftest import FIXTURES
from tests.e2e.test_cli import cli, upgraded

FULL = (FIXTURES / "org.csv").read_text()


def imported(folder: Path, csv_text: str) -> list[str]:
    """Import the text as a file through the command line; the lines it printed."""
    path = folder / "org.csv"
    path.write_text(csv_text)
    result = cli(folder, "org", "import", str(path), "--workspace", "T0LATITUDE")
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def lee_and_the_last_audit(engine: Engine) -> tuple[tuple[str | None, str | None, str | None], dict[str, object]]:
    with Session(engine) as session:
        lee = session.scalars(select(Employee).where(Employee.slack_id == "U0AGENT2")).one()
        audit = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        assert audit is not None and audit.action == "org.import"
        return (lee.email, lee.tz, lee.profile), audit.details


def test_the_five_required_columns_after_the_full_file_change_nothing(tmp_path: Path) -> None:
    engine = upgraded(tmp_path)
    imported(tmp_path, FULL)
    five_columns = "".join(",".join(line.split(",")[:5]) + "\n" for line in FULL.splitlines())

    printed = imported(tmp_path, five_columns)

    assert printed == [
        "0 added, 0 updated, 0 deactivated, 7 unchanged",
        "  = not in the file, so left as they were: tz, profile",
        "  = not in the file: email, so each person's follows the one Slack gives them from now on",
    ]
    lee, audit = lee_and_the_last_audit(engine)
    assert lee == ("lee@example.com", "America/New_York", "senior_agent")
    assert audit["updated"] == 0 and audit["kept_columns"] == ["email", "tz", "profile"]


def test_an_empty_cell_in_a_column_the_file_has_clears_it_beside_one_it_lacks(tmp_path: Path) -> None:
    engine = upgraded(tmp_path)
    imported(tmp_path, FULL)
    without_email = "".join(",".join(line.split(",")[:5] + line.split(",")[6:]) + "\n" for line in FULL.splitlines())
    lee_without_tz_or_profile = without_email.replace("U0MGR1,America/New_York,senior_agent", "U0MGR1,,")

    printed = imported(tmp_path, lee_without_tz_or_profile)

    assert printed == [
        "0 added, 1 updated, 0 deactivated, 6 unchanged",
        "  = not in the file: email, so each person's follows the one Slack gives them from now on",
        "  ~ Lee Senior (U0AGENT2): tz 'America/New_York' -> None, profile 'senior_agent' -> None",
    ]
    lee, audit = lee_and_the_last_audit(engine)
    assert lee == ("lee@example.com", None, None)
    assert audit["updated"] == 1 and audit["kept_columns"] == ["email"]
