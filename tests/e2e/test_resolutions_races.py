"""Fixes logged together (PostgreSQL: on SQLite two writers never overlap). Each test forces the interleaving two
real requests at once produce: one transaction held open while the other runs beside it."""

from collections.abc import Callable
from decimal import Decimal

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import MovableClock
from models import Resolution
from services.resolutions.fixes import ResolutionRequest, log_resolution
from tests.helpers import employee, load_org, load_policy, one_after_the_other, skip_unless_writers_overlap

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
