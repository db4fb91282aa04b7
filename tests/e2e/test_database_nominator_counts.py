"""What the App Home and /nominate count of a person's month (given, received, spent) and of their rewards still
waiting: read from that month's or the pending rows on an index, and the same counts whatever the index."""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import Engine, Select, inspect
from sqlalchemy.orm import Session

from models import Nomination, RewardGrant, Workspace
from models.engine import make_session_factory
from models.schema import HEAD_REVISION, migrate
from services.rewards import approvals, grants, monthly_most
from tests.conftest import MONDAY_MORNING, RunningBot
from tests.e2e.test_database import _plan, sent_opening_home
from tests.helpers import employee, load_org_and_policy

NOW = MONDAY_MORNING  # 2026-03-02 09:00 UTC: the month is UTC's March, whatever the reader's clock says
MONTH_STARTS = datetime(2026, 3, 1, tzinfo=UTC)
YEARS = 5
NEW_INDEXES = {
    "ix_reward_grants_nominator_granted",
    "ix_nominations_nominator_waiting",
    "ix_nominations_nominee_waiting",
}
OLD_INDEXES = {"ix_reward_grants_nominator_id", "ix_nominations_nominee_created"}


@dataclass(frozen=True)
class Counts:
    received: int
    given: int
    waiting: int
    allowance_left: int


def _moments() -> Iterator[datetime]:
    """Every month of five years up to now, each at its first instant, a second before it, and on its 15th; and
    the hours around this month's start where Tokyo (UTC+9) and Los Angeles (UTC-8) disagree with UTC on the month."""
    start = MONTH_STARTS
    for _ in range(12 * YEARS):
        yield from (start, start - timedelta(seconds=1), start + timedelta(days=14))
        start = (start - timedelta(days=1)).replace(day=1)
    yield from (MONTH_STARTS + timedelta(hours=7), MONTH_STARTS - timedelta(hours=8), NOW - timedelta(minutes=1))


# What becomes of each nomination in turn: its status, and its grant's (None: no grant).
FATES = [("approved", "approved"), ("approved", "fulfilled"), ("revoked", "revoked"), ("pending", None)]
FATES += [("declined", None), ("approved", "approved")]


def _give_for_five_years(session: Session, workspace: Workspace) -> None:
    """Sam nominates Lee and Lee nominates Sam at each moment, each nomination meeting the next fate."""
    sam, lee = employee(session, "U0AGENT1"), employee(session, "U0AGENT2")
    sam.tz = "Asia/Tokyo"
    for number, moment in enumerate(_moments()):
        for nominator, nominee in ((sam, lee), (lee, sam)):
            status, granted = FATES[(number + (nominator is lee)) % len(FATES)]
            nomination = Nomination(
                workspace_id=workspace.id, nominator_id=nominator.id, nominee_id=nominee.id, item_key="shoutout",
                title="Shout-out", kind="praise", value=Decimal(0), unit="USD", needs_approval=False,
                reason=f"thanks {number}", public=True, fingerprint=f"{number}:{nominator.id}", status=status,
                created_at=moment,
            )  # fmt: skip
            session.add(nomination)
            if granted is not None:
                session.flush()
                session.add(
                    RewardGrant(
                        workspace_id=workspace.id, nomination_id=nomination.id, recipient_id=nominee.id,
                        nominator_id=nominator.id, item_key="shoutout", title="Shout-out", kind="praise",
                        value=Decimal(0), unit="USD", reason=nomination.reason, public=True, status=granted,
                        granted_at=moment,
                    )
                )  # fmt: skip
    session.flush()


def _counted(session: Session, workspace: Workspace, revision: str) -> Counts:
    """The Home's four counts as its summary reads them; at 0055, which has no `reward_grants.public` for the latest
    shout-outs read in the same statement, each count as its own statement sends it."""
    sam = employee(session, "U0AGENT1")
    if revision == HEAD_REVISION:
        summary = grants.summary(session, workspace=workspace, employee=sam, now=NOW)
        return Counts(summary.received, summary.given, summary.waiting, summary.allowance_left)
    values = {"employee_id": sam.id, "since": grants.month_start(NOW)}
    counts = (grants._RECEIVED, grants._GIVEN, grants._WAITING, grants.SPENT)
    received, given, waiting, spent = (int(session.scalar(count, values) or 0) for count in counts)
    allowance = grants.reward_policy(session, workspace).allowance_per_month
    return Counts(received, given, waiting, max(allowance - spent, 0))


def _expected(session: Session, workspace: Workspace) -> Counts:
    """The same counts worked out from every row, in Python: the month starts at 00:00 UTC on the 1st."""
    sam = employee(session, "U0AGENT1")
    all_grants = session.query(RewardGrant).all()
    nominations = session.query(Nomination).filter(Nomination.nominator_id == sam.id).all()
    kept = [grant for grant in all_grants if grant.granted_at >= MONTH_STARTS and grant.status != "revoked"]
    spent = [n for n in nominations if n.created_at >= MONTH_STARTS and n.status in ("pending", "approved")]
    allowance = grants.reward_policy(session, workspace).allowance_per_month
    return Counts(
        received=sum(grant.recipient_id == sam.id for grant in kept),
        given=sum(grant.nominator_id == sam.id for grant in kept),
        waiting=sum(n.status == "pending" for n in nominations),
        allowance_left=max(allowance - len(spent), 0),
    )


def _indexes(engine: Engine) -> set[str]:
    found = inspect(engine)
    return {index["name"] or "" for table in ("reward_grants", "nominations") for index in found.get_indexes(table)}


def test_five_years_of_giving_count_the_same_months_and_waiting_rewards_before_and_after_migration_0056(
    database_of_its_own: Engine,
) -> None:
    """0056 widens the grants' nominator index with `granted_at`, adds the nominations' nominator, status and
    creation index and turns the nominee's by creation into one by status: it goes down to 0055 and back up on both
    databases, and the App Home's counts of five years of history (rows a second either side of every month's
    start) are those worked out by hand at every step."""
    sessions = make_session_factory(database_of_its_own)
    load_org_and_policy(sessions, NOW - timedelta(days=YEARS * 366))
    with sessions.begin() as session:
        workspace = session.query(Workspace).one()
        _give_for_five_years(session, workspace)
        expected = _expected(session, workspace)
    assert expected.given > 0 and expected.received > 0 and expected.waiting > 10

    counted = []
    for revision in (HEAD_REVISION, "0055", HEAD_REVISION):
        migrate(database_of_its_own, "upgrade" if revision == HEAD_REVISION else "downgrade", revision)
        indexes = _indexes(database_of_its_own)
        assert indexes & (NEW_INDEXES | OLD_INDEXES) == (NEW_INDEXES if revision == HEAD_REVISION else OLD_INDEXES)
        with sessions() as session:
            counted.append(_counted(session, session.query(Workspace).one(), revision))
    assert counted == [expected] * 3


def _home_counts_plan(bot: RunningBot, engine: Engine) -> str:
    """The plan of the App Home's counts (what its reader received and gave this month, their rewards waiting and
    their allowance spent), as the Home sends it when opened."""
    load_org_and_policy(bot.sessions, bot.clock.now())
    counts = r"count\(reward_grants\.id\).*count\(nominations\.id\)"
    statement, parameters = sent_opening_home(bot, "U0AGENT1", counts)
    with engine.connect() as connection:
        return _plan(connection, statement, parameters)


def test_the_homes_counts_read_the_months_grants_and_the_waiting_nominations_of_their_reader_by_range(
    bot: RunningBot, engine: Engine
) -> None:
    """Every App Home counts what its reader gave this month and their rewards still waiting for approval: this
    month's grants on the nominator and `granted_at`, the pending nominations on nominator and status, never every
    grant or nomination they ever gave."""
    plan = _home_counts_plan(bot, engine)
    if engine.dialect.name == "sqlite":
        assert "INDEX ix_reward_grants_nominator_granted (nominator_id=? AND granted_at>?)" in plan, plan
        assert "INDEX ix_nominations_nominator_waiting (nominator_id=? AND status=?)" in plan, plan
    else:
        assert re.search(r"ix_reward_grants_nominator_granted .*Index Cond: (?:(?!Filter).)*granted_at >=", plan)
        assert re.search(r"ix_nominations_nominator_waiting .*Index Cond: (?:(?!Filter).)*status", plan), plan
    for history_walk in ("Seq Scan on reward_grants", "Seq Scan on nominations"):
        assert history_walk not in plan, plan


NOMINEE_WAITING = [
    pytest.param(
        monthly_most._WAITING_OF_ITEM, id="/nominate: a reward's monthly most counts what still waits for its nominee"
    ),
    pytest.param(approvals._OTHERS_WAITING, id="approving: whether the next month has room for this one"),
]


@pytest.mark.parametrize("counted", NOMINEE_WAITING)
def test_a_rewards_monthly_most_counts_the_nominations_waiting_for_the_nominee_by_range(
    engine: Engine, counted: Select[Any]
) -> None:
    """Never every nomination the nominee ever received, to find the few still waiting."""
    values = {"nominee_id": 2, "item_key": "voucher", "nomination_id": 7}
    bound = counted.params({name: value for name, value in values.items() if name in counted.compile().params})
    statement = str(bound.compile(dialect=engine.dialect, compile_kwargs={"literal_binds": True}))
    with engine.connect() as connection:
        plan = _plan(connection, statement)
    if engine.dialect.name == "sqlite":
        assert "INDEX ix_nominations_nominee_waiting (nominee_id=? AND status=?)" in plan, plan
    else:
        assert re.search(r"ix_nominations_nominee_waiting .*Index Cond: (?:(?!Filter).)*status", plan), plan
    assert "Seq Scan" not in plan, plan
