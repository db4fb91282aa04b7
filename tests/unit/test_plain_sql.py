"""Plain-column statements run as Core still see what the session has not written yet, as the ORM's execute does."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.clock import MovableClock
from models import Employee, Workspace
from services import plain_sql

PEOPLE = select(func.count(Employee.id)).where(Employee.slack_id == "U0NEWCOMER")


def newcomer(workspace: Workspace, clock: MovableClock) -> Employee:
    now = clock.now()
    return Employee(
        workspace_id=workspace.id, slack_id="U0NEWCOMER", name="New", role="frontline", created_at=now, updated_at=now
    )


def test_a_read_counts_a_row_added_in_the_session_and_not_yet_written(
    session: Session, workspace: Workspace, clock: MovableClock
) -> None:
    session.add(newcomer(workspace, clock))

    assert plain_sql.execute(session, PEOPLE).scalar() == 1


def test_a_read_in_a_block_without_autoflush_leaves_the_session_unwritten_as_the_orm_does(
    session: Session, workspace: Workspace, clock: MovableClock
) -> None:
    session.add(newcomer(workspace, clock))

    with session.no_autoflush:
        assert plain_sql.execute(session, PEOPLE).scalar() == session.execute(PEOPLE).scalar() == 0
