"""What an employee has used of each category's allowance in their local day and month. Read only.

Only fixes in the policy's currency count: after a change of currency, what was given in the earlier one is no
amount of the new one. A fix counts in the current local day and month, and also until the day and month it was logged
in have ended on the clock its giver kept then: someone who sets their Slack time zone further east starts no new day
there, with all of its allowance, while the day they gave that allowance in is still going.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, bindparam, case, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import BindParameter

from models import Employee, Resolution
from services import plain_sql
from services.calendar import local_day, local_month
from services.policy.versions import BoundaryRule
from services.resolutions.customers import COUNTED, CUSTOMER_TOTAL

# The statements of `/resolve` and the App Home, built once: building a statement costs more than running it.
_NOW: BindParameter[datetime] = bindparam("now")
_MONTH = (
    Resolution.created_at >= bindparam("lookback"),  # no month is longer: keeps the read to the index's range
    or_(
        and_(Resolution.created_at >= bindparam("month_start"), Resolution.created_at < bindparam("month_end")),
        Resolution.month_ends_at > _NOW,
    ),
)
_IN_DAY = or_(
    and_(Resolution.created_at >= bindparam("day_start"), Resolution.created_at < bindparam("day_end")),
    Resolution.day_ends_at > _NOW,
)
LOOKBACK = timedelta(days=32)
_SPENT_TODAY = func.coalesce(func.sum(case((_IN_DAY, Resolution.amount), else_=0)), 0)
_SPENT_MONTH = func.coalesce(func.sum(Resolution.amount), 0)
_COUNTED_FOR = (
    Resolution.employee_id == bindparam("employee_id"),
    Resolution.status.in_(COUNTED),
    Resolution.currency == bindparam("currency"),
    *_MONTH,
)
_SPENT_IN = select(_SPENT_TODAY, _SPENT_MONTH).where(*_COUNTED_FOR, Resolution.category == bindparam("category"))
_SPENT_WITH_INCIDENT = _SPENT_IN.add_columns(CUSTOMER_TOTAL.correlate(None).scalar_subquery())  # its own rows
_SPENT_BY_CATEGORY = (
    select(Resolution.category, _SPENT_TODAY, _SPENT_MONTH).where(*_COUNTED_FOR).group_by(Resolution.category)
)


@dataclass(frozen=True)
class Spent:
    """What an employee has used of a category's allowance in the current local day and month (and in the ones
    their fixes were logged in, until those end)."""

    today: Decimal
    this_month: Decimal


NOTHING_SPENT = Spent(Decimal(0), Decimal(0))


def spent_in(session: Session, employee: Employee, category: str, now: datetime, currency: str) -> Spent:
    """Today's and this month's totals in one query (the local day lies inside the local month)."""
    values = {**_windows(employee, now), "category": category, "currency": currency}
    today, month = plain_sql.execute(session, _SPENT_IN, values).one()
    return Spent(today=Decimal(today or 0), this_month=Decimal(month or 0))


def spent_with_incident(
    session: Session, employee: Employee, category: str, now: datetime, currency: str, *, customer: str, since: datetime
) -> tuple[Spent, Decimal]:
    """`spent_in`, with what the customer (by `customer_key`) received in the category since `since`, by anyone."""
    customer_values = {"workspace_id": employee.workspace_id, "customer": customer, "since": since}
    values = {**_windows(employee, now), "category": category, "currency": currency, **customer_values}
    today, month, received = plain_sql.execute(session, _SPENT_WITH_INCIDENT, values).one()
    return Spent(today=Decimal(today or 0), this_month=Decimal(month or 0)), Decimal(received or 0)


def _windows(employee: Employee, now: datetime) -> dict[str, Any]:
    day_start, day_end = local_day(now, employee.tz)
    month_start, month_end = local_month(now, employee.tz)
    return {
        "employee_id": employee.id,
        "day_start": day_start,
        "day_end": day_end,
        "month_start": month_start,
        "month_end": month_end,
        "now": now,
        "lookback": now - LOOKBACK,
    }


def spent_by_category(session: Session, employee: Employee, now: datetime, currency: str) -> dict[str, Spent]:
    """`spent_in` for every category at once: one grouped query."""
    rows = plain_sql.execute(session, _SPENT_BY_CATEGORY, {**_windows(employee, now), "currency": currency})
    return {category: Spent(Decimal(today or 0), Decimal(month or 0)) for category, today, month in rows}


@dataclass(frozen=True)
class AllowanceLine:
    rule: BoundaryRule
    spent: Spent

    @property
    def left_today(self) -> Decimal | None:
        """What the day allows, never more than the month still does: a fix past either goes to a decider."""
        if self.rule.per_day is None:
            return None
        today = max(self.rule.per_day - self.spent.today, Decimal(0))
        month = self.left_this_month
        return today if month is None else min(today, month)

    @property
    def left_this_month(self) -> Decimal | None:
        return None if self.rule.per_month is None else max(self.rule.per_month - self.spent.this_month, Decimal(0))
