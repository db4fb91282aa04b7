"""A follow-up held for its recipients' morning is worked out once, not again at every tick of the night: the tick
reads past it in SQL until that morning, or until the workspace's people or policy change."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import Engine, event, select
from sqlalchemy.orm import Session, sessionmaker

from models import Employee, Resolution
from services import directory
from services.policy.versions import current_policy
from services.resolutions.escalations import due_follow_ups
from tests.helpers import POLICY_EXAMPLE, load_org, load_policy

ADMINS_ABROAD = """slack_id,name,team,role,manager_slack_id,email,tz,profile
U0ADMIN,Ada Admin,Operations,admin,,,Asia/Kolkata,
U0ADMIN2,Zoe Admin,Leadership,admin,,,Europe/London,
U0MGR1,Maya Manager,Support East,manager,,,Australia/Sydney,
U0AGENT1,Sam Agent,Support East,frontline,U0MGR1,,America/New_York,agent
"""
"""Nobody is above Maya: what she lets wait goes to the admins, in Kolkata and London."""
MADE = datetime(2026, 3, 2, 9, tzinfo=UTC)
BOTH_ASLEEP = datetime(2026, 3, 4, 22, tzinfo=UTC)
"""48 h on, and 24 h after Maya's reminder: 03:30 in Kolkata, 22:00 in London."""
KOLKATA_MORNING = datetime(2026, 3, 5, 2, 30, tzinfo=UTC)
HELD = 30


@pytest.fixture
def statements(engine: Engine) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    yield seen
    event.remove(engine, "before_cursor_execute", record)


@pytest.fixture
def reminded_requests(sessions: sessionmaker[Session]) -> None:
    """`HELD` requests Maya was reminded of, due to go up to the admins at `BOTH_ASLEEP`."""
    load_org(sessions, MADE, ADMINS_ABROAD)
    load_policy(sessions, MADE, POLICY_EXAMPLE.read_text())
    with sessions.begin() as session:
        workspace = directory.find_workspace(session, "T0LATITUDE")
        active = current_policy(session, workspace) if workspace else None
        assert workspace is not None and active is not None
        people = {e.slack_id: e for e in session.scalars(select(Employee))}
        session.add_all(
            Resolution(
                workspace_id=workspace.id,
                employee_id=people["U0AGENT1"].id,
                decider_id=people["U0MGR1"].id,
                policy_version_id=active.version.id,
                category="refund",
                amount=Decimal(80),
                currency="USD",
                summary=f"order {n}",
                status="pending",
                created_at=MADE,
                reminded_at=MADE + timedelta(hours=24),
            )
            for n in range(HELD)
        )


def tick(sessions: sessionmaker[Session], now: datetime) -> list[str]:
    with sessions.begin() as session:
        return [follow_up.kind for follow_up in due_follow_ups(session, now=now)]


@pytest.mark.usefixtures("reminded_requests")
def test_requests_held_for_the_admins_morning_are_read_past_at_each_tick_of_the_night(
    sessions: sessionmaker[Session], statements: list[str]
) -> None:
    first = tick(sessions, BOTH_ASLEEP)
    statements.clear()
    later = tick(sessions, BOTH_ASLEEP + timedelta(minutes=10))
    at_a_later_tick = len(statements)
    in_the_morning = tick(sessions, KOLKATA_MORNING)

    assert first == [] and later == []
    assert at_a_later_tick < 10, f"{at_a_later_tick} statements: the held requests were worked out again"
    assert in_the_morning == ["escalation"] * HELD


@pytest.mark.usefixtures("reminded_requests")
def test_a_held_request_goes_as_soon_as_a_change_of_people_puts_one_of_them_in_their_day(
    sessions: sessionmaker[Session],
) -> None:
    """Zoe moves to New York, where 22:00 in London is 17:00: the next tick sends it her way, not Kolkata's 08:00."""
    held = tick(sessions, BOTH_ASLEEP)
    load_org(sessions, BOTH_ASLEEP, ADMINS_ABROAD.replace("Europe/London", "America/New_York"))

    assert held == []
    assert tick(sessions, BOTH_ASLEEP + timedelta(minutes=10)) == ["escalation"] * HELD


@pytest.mark.usefixtures("reminded_requests")
def test_a_held_request_goes_at_once_when_the_policy_turns_the_quiet_hours_off(sessions: sessionmaker[Session]) -> None:
    held = tick(sessions, BOTH_ASLEEP)
    load_policy(sessions, BOTH_ASLEEP, POLICY_EXAMPLE.read_text().replace('"20:00-08:00"', "false"))

    assert held == []
    assert tick(sessions, BOTH_ASLEEP + timedelta(minutes=10)) == ["escalation"] * HELD
