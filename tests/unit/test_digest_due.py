"""Which digests are due: each manager once a week after their local moment, read in a fixed number of queries."""

from collections import Counter
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import Engine, event, select
from sqlalchemy.orm import Session, sessionmaker

from models import Employee, Workspace
from services import outbox
from services.digest.weekly import due_digests
from tests.fixture_week import MONDAY, load_fixture_week

TABLES = ("deliveries", "employees", "policy_versions")
MANAGERS = ["U0ADMIN", "U0MGR1", "U0MGR2"]


@pytest.fixture
def statements(engine: Engine) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    yield seen
    event.remove(engine, "before_cursor_execute", record)


def reads(statements: list[str]) -> Counter[str]:
    return Counter(table for statement in statements for table in TABLES if f"FROM {table}" in statement)


def test_every_due_digest_comes_from_two_reads_of_the_outbox_one_of_the_org_and_one_of_the_policy(
    sessions: sessionmaker[Session], statements: list[str]
) -> None:
    """However many managers are due (the fixture week has no closed pulse round, whose groups are read apart): the
    outbox is read for the keys queued already, and for the digests Slack refused as a bot's
    (services/digest/unreachable.py)."""
    load_fixture_week(sessions)
    with sessions() as session:
        workspace = session.scalars(select(Workspace)).one()
        statements.clear()

        due = due_digests(session, workspace=workspace, now=MONDAY + timedelta(days=1))

    assert sorted(d.digest.manager.slack_id for d in due) == MANAGERS
    assert reads(statements) == {"deliveries": 2, "employees": 1, "policy_versions": 1}


def test_the_digests_due_are_read_in_the_same_two_looks_at_the_outbox_however_many_people_never_led_a_team(
    sessions: sessionmaker[Session], statements: list[str]
) -> None:
    """Only someone who had a digest lately can have had a team in the week reported: the people who never had one
    are not looked up one key each (a thousand agents once took as many keys, read 500 at a time)."""
    load_fixture_week(sessions)
    with sessions.begin() as session:
        workspace = session.scalars(select(Workspace)).one()
        agents = [
            Employee(
                workspace_id=workspace.id,
                slack_id=f"U1AGENT{n}",
                name=f"Agent {n}",
                role="frontline",
                created_at=MONDAY,
                updated_at=MONDAY,
            )
            for n in range(1_000)
        ]
        session.add_all(agents)
    with sessions() as session:
        statements.clear()
        due = due_digests(session, workspace=workspace, now=MONDAY + timedelta(days=1))

    assert sorted(d.digest.manager.slack_id for d in due) == MANAGERS
    assert reads(statements)["deliveries"] == 2


def test_a_digest_already_queued_is_not_due_again(sessions: sessionmaker[Session]) -> None:
    load_fixture_week(sessions)
    now = MONDAY + timedelta(days=1)
    with sessions.begin() as session:
        workspace = session.scalars(select(Workspace)).one()
        [first, *others] = due_digests(session, workspace=workspace, now=now)
        outbox.enqueue(session, workspace=workspace, key=first.key, method="chat.postMessage", payload={}, now=now)

    with sessions() as session:
        again = due_digests(session, workspace=workspace, now=now)
        forced = due_digests(session, workspace=workspace, now=now, force=True)

    assert [d.key for d in again] == [d.key for d in others]
    assert len(forced) == len(MANAGERS) and first.key not in {d.key for d in forced}
