"""A person's latest fixes as their App Home lists them: the few columns it shows, not whole rows. Read only."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from models import Employee, Resolution, Workspace
from services import directory, plain_sql
from services.resolutions.fixes import recent_for
from services.text import SLACK_MENTION, as_slack_shows

SHOWN = 10
# Built once, as every App Home runs it. Whole rows would also join the person and their team, and build an object
# each for ten lines of text.
_RECENT_LINES = (
    select(Resolution.created_at, Resolution.category, Resolution.amount, Resolution.currency, Resolution.status)
    .where(Resolution.employee_id == bindparam("employee_id"))
    .order_by(Resolution.created_at.desc(), Resolution.id.desc())
    .limit(SHOWN)
)


@dataclass(frozen=True)
class RecentFix:
    created_at: datetime
    category: str
    amount: Decimal
    currency: str
    status: str


def recent_lines(session: Session, employee: Employee) -> list[RecentFix]:
    """The person's ten latest fixes, newest first (as `fixes.recent_for` reads them)."""
    return [RecentFix(*row) for row in plain_sql.execute(session, _RECENT_LINES, {"employee_id": employee.id})]


def fixes_as_shown(session: Session, workspace: Workspace, employee: Employee) -> list[tuple[int, str]]:
    """The person's ten latest fixes as a menu lists them, `category: summary`: a menu option is plain text, so a
    mention in a summary is shown as Slack shows it (`@Lee Senior` for `<@U0AGENT2>`), not as its markup."""
    fixes = recent_for(session, employee)
    summaries = summaries_as_shown(session, workspace, fixes)
    return [(fix.id, f"{fix.category}: {summary}") for fix, summary in zip(fixes, summaries, strict=True)]


def summaries_as_shown(session: Session, workspace: Workspace, fixes: Sequence[Resolution]) -> list[str]:
    """Each fix's summary as plain text shows it: a mention as Slack shows it (`@Lee Senior`), `@someone` for a person
    the directory has not vetted."""
    mentioned = [match["person"] for fix in fixes for match in SLACK_MENTION.finditer(fix.summary)]
    names = directory.vetted_names_of(session, workspace, [person for person in mentioned if person])
    return [as_slack_shows(fix.summary, names, stranger="someone") for fix in fixes]
