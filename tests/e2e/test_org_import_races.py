"""An org import while people use the bot (PostgreSQL: on SQLite two writers never overlap). The test forces the
interleaving real requests produce: one transaction held open while the import runs beside it."""

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import MovableClock
from handlers.people import learn_from_slack
from models import Employee, Workspace
from services import directory
from services.org_import import import_org, parse_org_csv
from tests.conftest import FIXTURES, RunningBot
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


def test_what_slack_says_of_a_newcomer_as_the_import_lists_them_leaves_the_files_name_and_time_zone(
    bot: RunningBot,
) -> None:
    """Nia used the bot once (added from Slack, as `nia`); her next request asks Slack for her profile at the
    moment HR imports the file that lists her. What the file gives wins over Slack's, whichever writes first: Slack's
    answer must not overwrite the name and time zone the import has just written."""
    skip_unless_writers_overlap(bot.runtime.engine)
    load_org(bot.sessions, bot.clock.now())
    with bot.sessions.begin() as session:
        workspace = session.scalars(select(Workspace)).one()
        directory.identify(session, workspace=workspace, slack_id="U0NEW", name="nia", now=bot.clock.now())
    bot.slack.add_user("U0NEW", "nia.travelling", tz="Asia/Tokyo", email="nia@example.com")
    with bot.sessions() as session:
        nia = session.scalars(select(Employee).where(Employee.slack_id == "U0NEW")).one()
        session.expunge(nia)

    def hr_imports(session: Session) -> None:
        workspace = session.scalars(select(Workspace)).one()
        rows = parse_org_csv((FIXTURES / "org.csv").read_text() + NEW_HIRE)
        import_org(session, workspace=workspace, rows=rows, deactivate_missing=False, actor="hr", now=bot.clock.now())

    def slack_answers(_session: Session) -> None:
        learn_from_slack(bot.runtime.app.client, bot.runtime.deps, nia)

    one_after_the_other(bot.sessions, bot.runtime.engine, hr_imports, slack_answers)

    with bot.sessions() as session:
        nia = session.scalars(select(Employee).where(Employee.slack_id == "U0NEW")).one()
        assert (nia.name, nia.tz, nia.tz_from_slack) == ("Nia Newhire", "America/New_York", False)
