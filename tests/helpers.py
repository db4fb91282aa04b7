"""Small helpers shared by tests: load the fixture org, read rows back."""

import dataclasses
import json
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import datetime

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from bot.fakeslack.reply import Reply
from bot.fakeslack.server import Call, FakeSlack
from models import Base, Employee
from services import directory
from services.org_import import import_org, parse_org_csv
from tests.conftest import FIXTURES


def load_org(
    sessions: sessionmaker[Session], now: datetime, csv_text: str | None = None, *, team_id: str = "T0LATITUDE"
) -> None:
    text = csv_text if csv_text is not None else (FIXTURES / "org.csv").read_text()
    with sessions.begin() as session:
        workspace = directory.ensure_workspace(session, slack_team_id=team_id, now=now)
        import_org(
            session, workspace=workspace, rows=parse_org_csv(text), deactivate_missing=False, actor="test", now=now
        )


def add_org_people(slack: FakeSlack, csv_text: str | None = None, *, team_id: str = "T0LATITUDE") -> None:
    """The people of the org file (default: the fixture org) as Slack knows them, with their names, time zones and
    emails: Slack finds no DM with anyone else."""
    text = csv_text if csv_text is not None else (FIXTURES / "org.csv").read_text()
    for row in parse_org_csv(text):
        slack.add_user(row.slack_id, row.name, tz=row.tz or "UTC", email=row.email, team_id=team_id)


def employee(session: Session, slack_id: str) -> Employee:
    return session.execute(select(Employee).where(Employee.slack_id == slack_id)).scalar_one()


def count(session: Session, model: type[Base]) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


POLICY_EXAMPLE = FIXTURES.parent.parent / "policy.example.toml"
EXAMPLE_QUIET_HOURS = 'quiet_hours = "20:00-08:00"'


def around_the_clock(text: str | None = None) -> str:
    """The policy (default: the example) with no quiet hours: for tests of other rules, whose follow-ups fall due
    at 04:00 in New York."""
    text = text if text is not None else POLICY_EXAMPLE.read_text()
    assert EXAMPLE_QUIET_HOURS in text
    return text.replace(EXAMPLE_QUIET_HOURS, "quiet_hours = false")


def load_policy(
    sessions: sessionmaker[Session], now: datetime, text: str | None = None, *, team_id: str = "T0LATITUDE"
) -> None:
    from services.policy.versions import load_policy as load

    with sessions.begin() as session:
        workspace = directory.ensure_workspace(session, slack_team_id=team_id, now=now)
        load(session, workspace=workspace, text=text or around_the_clock(), loaded_by="test", now=now)


def load_org_and_policy(sessions: sessionmaker[Session], now: datetime) -> None:
    load_org(sessions, now)
    load_policy(sessions, now)


def skip_unless_writers_overlap(engine: Engine) -> None:
    """For tests of writers taking turns: on SQLite two writers never overlap, so there is nothing to test."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite takes the write lock when a transaction begins: two writers never overlap")


def wait_at_most_200_ms(session: Session) -> None:
    """A lock this transaction waits for longer than that fails it with "lock timeout" (PostgreSQL)."""
    session.execute(text("SET LOCAL lock_timeout = '200ms'"))


@contextmanager
def waits_for_the_other(session: Session) -> Iterator[None]:
    """What runs inside must wait for a lock another open transaction holds (it gives up after 200 ms)."""
    wait_at_most_200_ms(session)
    with pytest.raises(OperationalError, match="lock timeout"):
        yield


@contextmanager
def holding_the_workspaces(engine: Engine) -> Iterator[Callable[[str], int]]:
    """Every request's listener waits until the block ends, as behind a long migration (PostgreSQL only):
    each reads its workspace first. Yields a row count read meanwhile."""
    with engine.connect() as connection, connection.begin():
        connection.execute(text("LOCK TABLE workspaces IN ACCESS EXCLUSIVE MODE"))
        yield lambda table: int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def one_after_the_other(
    sessions: sessionmaker[Session],
    engine: Engine,
    first: Callable[[Session], None],
    then: Callable[[Session], None],
    *,
    then_in: sessionmaker[Session] | None = None,
) -> None:
    """`first` in a transaction left open while `then` starts in another thread's; once `then` waits for a lock,
    `first` commits and `then` finishes: two writers arriving together, the later one caught mid-way. A `then`
    that takes no lock `first` holds runs to its end before `first` commits, and its own checks say what it missed.
    `then_in`: the other process's sessions `then` runs in (else the same)."""
    with sessions() as session, ThreadPoolExecutor(1) as other:
        first(session)
        second = other.submit(in_a_transaction, then_in or sessions, then)
        wait_until(lambda: second.done() or transactions_waiting(engine) >= 1)
        session.commit()
        second.result(timeout=10)


def in_a_transaction(sessions: sessionmaker[Session], work: Callable[[Session], None]) -> None:
    with sessions.begin() as session:
        work(session)


def wait_until_waiting_for_the_lock(engine: Engine, transactions: int) -> None:
    """Until PostgreSQL has that many transactions waiting for a lock (10 s at most)."""
    wait_until(lambda: transactions_waiting(engine) >= transactions)


def transactions_waiting(engine: Engine) -> int:
    """How many transactions PostgreSQL has waiting for a lock now."""
    waiting = text(
        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
    )
    with engine.connect() as connection:  # one transaction a look: it sees the statistics as they were at first
        return int(connection.execute(waiting).scalar_one())


def wait_until(done: Callable[[], bool], seconds: float = 10) -> None:
    """Until another thread has got somewhere (not a clock: what the test waits for is work being done)."""
    deadline = time.monotonic() + seconds
    while not done():
        assert time.monotonic() < deadline, "it never happened"
        time.sleep(0.05)


def as_an_older_version_sent_it(slack: FakeSlack, message: Call, action_id: str, value: str) -> Call:
    """The message as an older version of the app posted it, its `action_id` button carrying `value` (a format since
    changed): Slack keeps it so, and sends that value when the button is clicked."""
    blocks = json.loads(json.dumps(message.args["blocks"]))
    for element in [e for block in blocks for e in block.get("elements") or [] if e.get("action_id") == action_id]:
        element["value"] = value
    assert slack.state.replace_message(message.response["channel"], message.response["ts"], {"blocks": blocks})
    return dataclasses.replace(message, args={**message.args, "blocks": blocks})


def shown(ack: Reply) -> Call:
    """A command's ack as Slack shows it: a message the person clicks in, which its response URL replaces."""
    assert ack.shown is not None, f"the ack shows no message: {ack.body!r}"
    return ack.shown


def answered(slack: FakeSlack, reply: Reply) -> str:
    """What a command's caller read: its ack, or for someone Slack was asked about first, the answer after it."""
    return reply.text or slack.calls("response_url")[-1].text
