"""An org import while people use the bot (PostgreSQL: on SQLite two writers never overlap). The test forces the
interleaving real requests produce: one transaction held open while the import runs beside it."""

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import MovableClock
from models import Employee, Workspace
from services import directory
from services.org_import import import_org, parse_org_csv
from tests.conftest import FIXTURES
from tests.helpers import load_org, one_after_the_other, skip_unless_writers_overlap

NEW_HIRE = "U0NEW,Nia Newhire,Support East,frontline,U0MGR1,nia@example.com,America/New_York,agent\n"


def test_a_new_hire_first_seen_in_slack_while_the_import_adds_them_is_taken_into_the_directory(
    engine: Engine, sessions: sessionmaker[Session], clock: MovableClock
) -> None:
    """Nia's first `/resolve` adds her from Slack at the moment HR imports the file that lists her: the import
    finds her row, written meanwhile, and makes it the file's, rather than failing on a second row for her."""
    skip_unless_writers_overlap(engine)
    load_org(sessions, clock.now())

    def nia_first_uses_the_bot(session: Session) -> None:
        workspace = session.scalars(select(Workspace)).one()
        directory.identify(session, workspace=workspace, slack_id="U0NEW", name="nia", now=clock.now())

    def hr_imports(session: Session) -> None:
        workspace = session.scalars(select(Workspace)).one()
        rows = parse_org_csv((FIXTURES / "org.csv").read_text() + NEW_HIRE)
        import_org(session, workspace=workspace, rows=rows, deactivate_missing=False, actor="hr", now=clock.now())

    one_after_the_other(sessions, engine, nia_first_uses_the_bot, hr_imports)

    with sessions() as session:
        [nia] = session.scalars(select(Employee).where(Employee.slack_id == "U0NEW")).all()
        assert (nia.name, nia.in_directory, nia.manager.slack_id, nia.boundary_profile) == (
            "Nia Newhire",
            True,
            "U0MGR1",
            "agent",
        )
