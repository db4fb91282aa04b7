"""The audit trail of an org import names whose powers it changed: who became an admin or HR, who decides for whom,
whose limits changed, so that a role given for a day and taken back leaves more than a count behind."""

from pathlib import Path

import pytest
from sqlalchemy import select

from models import AuditEvent
from models.engine import make_session_factory
from tests.conftest import FIXTURES
from tests.e2e.test_cli import cli, upgraded

ORG = (FIXTURES / "org.csv").read_text()
SAM_AN_ADMIN = ORG.replace(
    "U0AGENT1,Sam Agent,Support East,frontline,U0MGR1", "U0AGENT1,Sam Agent,Support East,admin,U0MGR1"
)
INES_UNDER_MAYA = ORG.replace(
    "ines@example.com,America/Los_Angeles,agent", "ines@example.com,America/Los_Angeles,senior_agent"
).replace("U0AGENT3,Ines Agent,Support West,frontline,U0MGR2", "U0AGENT3,Ines Agent,Support West,frontline,U0MGR1")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path


def imports(folder: Path, *files: str) -> list[dict[str, object]]:
    engine = upgraded(folder)
    for number, text in enumerate(files):
        path = folder / f"org-{number}.csv"
        path.write_text(text)
        result = cli(folder, "org", "import", str(path), "--workspace", "T0LATITUDE")
        assert result.returncode == 0, result.stderr
    with make_session_factory(engine)() as session:
        found = session.scalars(select(AuditEvent).where(AuditEvent.action == "org.import").order_by(AuditEvent.id))
        details = [dict(event.details) for event in found]
    engine.dispose()
    return details


def test_a_role_given_and_taken_back_is_in_the_audit_trail_both_times(folder: Path) -> None:
    first, given, taken_back = imports(folder, ORG, SAM_AN_ADMIN, ORG)

    assert "U0ADMIN: added as admin" in first["powers"] and "U0HR: added as hr" in first["powers"]
    assert given["powers"] == ["U0AGENT1: role 'frontline' -> 'admin'"]
    assert taken_back["powers"] == ["U0AGENT1: role 'admin' -> 'frontline'"]


def test_a_new_manager_and_new_limits_are_in_the_audit_trail(folder: Path) -> None:
    _first, moved = imports(folder, ORG, INES_UNDER_MAYA)

    assert moved["powers"] == ["U0AGENT3: profile 'agent' -> 'senior_agent', manager -> Maya Manager"]
