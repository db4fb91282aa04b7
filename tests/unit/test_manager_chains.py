"""The chain above someone, walked by the database in one statement, is the chain `directory.managers_above` walks in
Python, a cycle in stored data included."""

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import MovableClock
from models import Employee
from services.directory import managers_above
from services.manager_chains import chain_above
from tests.helpers import load_org

ABOVE = chain_above("person")


def ids_above(session: Session, slack_id: str) -> tuple[set[int], list[int]]:
    person = session.scalars(select(Employee).where(Employee.slack_id == slack_id)).one()
    walked = set(session.scalars(select(ABOVE.c.id), {"person": person.id}))
    return walked - {person.id}, [manager.id for manager in managers_above(person)]


def test_the_chain_above_someone_is_every_manager_up_to_the_top(
    sessions: sessionmaker[Session], clock: MovableClock
) -> None:
    load_org(sessions, clock.now())
    with sessions.begin() as session:
        walked, expected = ids_above(session, "U0AGENT1")
        top, _ = ids_above(session, "U0ADMIN")

    assert len(expected) == 2 and walked == set(expected)
    assert top == set()


def test_a_cycle_in_stored_data_ends_the_walk(sessions: sessionmaker[Session], clock: MovableClock) -> None:
    load_org(sessions, clock.now())
    with sessions.begin() as session:
        agent = session.scalars(select(Employee.id).where(Employee.slack_id == "U0AGENT1")).one()
        session.execute(update(Employee).where(Employee.slack_id == "U0ADMIN").values(manager_id=agent))
    with sessions.begin() as session:
        walked, expected = ids_above(session, "U0AGENT1")

    assert len(expected) == 2 and walked == set(expected)
