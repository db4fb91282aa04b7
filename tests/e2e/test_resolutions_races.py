"""Fixes logged and decided together (PostgreSQL: on SQLite two writers never overlap). Each test forces the
interleaving two real requests at once produce: one transaction held open while the other runs beside it."""

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import MovableClock
from models import Employee, Resolution, Workspace
from services.departures import follow_slack
from services.directory import SlackPerson
from services.resolutions import decisions
from services.resolutions.fixes import ResolutionRequest, log_resolution
from tests.helpers import (
    employee,
    in_a_transaction,
    load_org,
    load_org_and_policy,
    load_policy,
    one_after_the_other,
    skip_unless_writers_overlap,
    wait_until_waiting_for_the_lock,
)

# Agents may give one customer $100 of refunds in 30 days; a manager's refunds have no per-customer limit.
POLICY = """
currency = "USD"

[profiles.agent]
refund = { description = "Refund", per_day = 500, per_customer_30d = 100, requires_customer_ref = true }

[profiles.manager]
refund = { description = "Refund", per_month = 5000, requires_customer_ref = true }

[profiles.senior_agent]
inherit = "agent"

[profiles.frontline]
inherit = "agent"

[profiles.admin]
inherit = "manager"

[profiles.hr]
inherit = "agent"
"""


def refund(clock: MovableClock, who: str, amount: int) -> Callable[[Session], None]:
    def log(session: Session) -> None:
        request = ResolutionRequest("refund", Decimal(amount), "parcel lost", customer_ref="order 42")
        log_resolution(session, employee=employee(session, who), request=request, now=clock.now())

    return log


def test_a_colleague_without_a_customer_limit_refunding_the_same_customer_at_once_is_counted_against_it(
    engine: Engine, sessions: sessionmaker[Session], clock: MovableClock
) -> None:
    """Maya (no per-customer limit) refunds order 42 $80 while Sam (at most $100 a customer) refunds it $50: a
    moment apart, Sam's would go to Maya as past the customer's $100; at the same moment it must too, not slip
    through because Maya's refund, which no limit of hers counts, was not yet committed."""
    skip_unless_writers_overlap(engine)
    load_org(sessions, clock.now())
    load_policy(sessions, clock.now(), POLICY)

    one_after_the_other(sessions, engine, refund(clock, "U0MGR1", 80), refund(clock, "U0AGENT1", 50))

    with sessions() as session:
        fixes = session.execute(select(Resolution.amount, Resolution.status).order_by(Resolution.id)).all()
    assert [(int(amount), status) for amount, status in fixes] == [(80, "within"), (50, "pending")]


def test_a_manager_approving_as_slack_deactivates_them_leaves_the_approval_and_the_departure_both_done(
    engine: Engine, sessions: sessionmaker[Session], clock: MovableClock
) -> None:
    """Maya clicks Approve on Sam's refund the moment Slack tells of her deactivation. Her decision holds the
    request; the departure holds her directory entry and waits for the request, to hand it over. Recording her as
    the one who decided must not then wait for the departure (each waiting on the other until PostgreSQL gives one
    up): the approval goes through, and the departure, finding the request decided, has nothing to hand over."""
    skip_unless_writers_overlap(engine)
    load_org_and_policy(sessions, clock.now())
    in_a_transaction(sessions, refund(clock, "U0AGENT1", 80))

    with sessions() as click, ThreadPoolExecutor(1) as slack:
        maya = employee(click, "U0MGR1")
        request_id = click.scalars(select(Resolution.id)).one()
        decisions.decidable(click, resolution_id=request_id, decider=maya)  # the click has the request now
        left = slack.submit(in_a_transaction, sessions, maya_leaves_slack(clock))
        wait_until_waiting_for_the_lock(engine, 1)
        decisions.decide(click, resolution_id=request_id, decider=maya, approve=True, reason=None, now=clock.now())
        click.commit()
        left.result(timeout=10)

    with sessions() as session:
        assert session.scalars(select(Resolution.status)).all() == ["approved"]
        assert session.scalars(select(Employee.active).where(Employee.slack_id == "U0MGR1")).one() is False


def maya_leaves_slack(clock: MovableClock) -> Callable[[Session], None]:
    def leave(session: Session) -> None:
        workspace = session.scalars(select(Workspace)).one()
        follow_slack(session, workspace=workspace, person=SlackPerson("U0MGR1", exists=False), now=clock.now())

    return leave
