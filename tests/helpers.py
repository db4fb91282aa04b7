"""Small helpers shared by tests: load the fixture org, read rows back."""

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from models import Base, Employee
from services import directory
from services.org_import import import_org, parse_org_csv
from tests.conftest import FIXTURES


def load_org(sessions: sessionmaker[Session], now: datetime, csv_text: str | None = None) -> None:
    text = csv_text if csv_text is not None else (FIXTURES / "org.csv").read_text()
    with sessions.begin() as session:
        workspace = directory.ensure_workspace(session, slack_team_id="T0LATITUDE", now=now)
        import_org(
            session, workspace=workspace, rows=parse_org_csv(text), deactivate_missing=False, actor="test", now=now
        )


def employee(session: Session, slack_id: str) -> Employee:
    return session.execute(select(Employee).where(Employee.slack_id == slack_id)).scalar_one()


def count(session: Session, model: type[Base]) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


POLICY_EXAMPLE = FIXTURES.parent.parent / "policy.example.toml"


def load_policy(sessions: sessionmaker[Session], now: datetime, text: str | None = None) -> None:
    from services.policy.versions import load_policy as load

    with sessions.begin() as session:
        workspace = directory.ensure_workspace(session, slack_team_id="T0LATITUDE", now=now)
        load(session, workspace=workspace, text=text or POLICY_EXAMPLE.read_text(), loaded_by="test", now=now)


def load_org_and_policy(sessions: sessionmaker[Session], now: datetime) -> None:
    load_org(sessions, now)
    load_policy(sessions, now)
