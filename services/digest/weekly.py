"""Weekly manager digests: every manager's team (direct and indirect reports) read in a few set-based queries.

Read-only: nothing is written. The org, the policy and each part (resolutions here; recognition and pulse in
their own modules) are read once for every manager; so are the outbox keys of the digests already queued.
"""

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from uuid import uuid4

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Delivery, Resolution, Workspace
from services.digest import unreachable
from services.digest.former import former_managers
from services.digest.keys import LAST, digest_key, queued_lately, readers
from services.digest.keys import digest_key_prefix as digest_key_prefix
from services.digest.org import Org, read_org
from services.digest.org import Person as Person
from services.digest.pulse import PulsePart as PulsePart
from services.digest.pulse import pulse_parts
from services.digest.recognition import RecognitionPart as RecognitionPart
from services.digest.recognition import recognition_parts
from services.digest.resolutions import ResolutionsPart, Row, summarise, summary_words
from services.digest.seen import WeekOf, recognised_since, weeks_seen
from services.digest.week import Week, last_full_week, send_moment, week_so_far
from services.policy.digest import DigestSettings
from services.policy.versions import current_policy
from services.resolutions.filing import managers_filed
from services.suggestions.digest import SuggestionsPart, suggestion_parts


@dataclass(frozen=True)
class Waiting:
    """A request outside the boundaries waiting on this manager's decision."""

    resolution_id: int
    employee: Person | None
    category: str
    amount: Decimal
    currency: str
    summary: str
    created_at: datetime


@dataclass(frozen=True)
class Digest:
    workspace_id: int
    manager: Person
    team_size: int
    week: Week
    currency: str
    settings: DigestSettings
    resolutions: ResolutionsPart
    waiting: tuple[Waiting, ...]
    recognition: RecognitionPart | None = None
    pulse: PulsePart | None = None
    suggestions: SuggestionsPart | None = None
    recognised_since: date | None = None
    """The local day Latitude started, when within the 30 days its "nobody has recognised" nudge looks back."""
    last: bool = False
    """Its manager has nobody reporting to them now: their last digest, of the week they still had a team."""


def digest_settings(session: Session, workspace: Workspace) -> tuple[DigestSettings, str]:
    """The `[digest]` section and the currency of the policy in force (defaults before any policy)."""
    active = current_policy(session, workspace)
    return (active.policy.digest, active.policy.currency) if active else (DigestSettings(), "USD")


def weekly_digests(
    session: Session,
    *,
    workspace: Workspace,
    now: datetime,
    managers: Collection[int] | None = None,
    so_far: bool = False,
) -> list[Digest]:
    """Every manager's digest (or the given managers'): the last full local week, or this week so far."""
    org = read_org(session, workspace.id)
    heads = [m for m in org.managers() if managers is None or m.id in managers]
    week_of: WeekOf = week_so_far if so_far else last_full_week
    return _digests(session, workspace, org, heads, digest_settings(session, workspace), week_of, now)


def _digests(
    session: Session,
    workspace: Workspace,
    org: Org,
    heads: list[Person],
    policy: tuple[DigestSettings, str],
    week_of: WeekOf,
    now: datetime,
) -> list[Digest]:
    weeks = weeks_seen(workspace, heads, week_of, now)
    heads = [m for m in heads if m.id in weeks]
    if not heads:
        return []
    settings, currency = policy
    teams = org.teams(weeks)
    this_week, last_week, given = _rows_by_manager(session, workspace, org, weeks)
    waiting = waiting_by_decider(session, workspace.id, org)
    recognition = recognition_parts(
        session,
        workspace_id=workspace.id,
        teams=teams,
        weeks=weeks,
        active_people=org.active_people(),
        now=now,
        kept_since=workspace.managers_kept_since,
    )
    slack_ids = {p.id: p.slack_id for p in org.people.values()}
    pulse = pulse_parts(session, workspace=workspace, teams=teams, slack_ids=slack_ids, now=now)
    suggestions = suggestion_parts(session, weeks=weeks)
    return [
        Digest(
            workspace_id=workspace.id,
            manager=m,
            team_size=sum(org.people[i].active for i in teams[m.id]),
            week=weeks[m.id],
            currency=currency,
            settings=settings,
            resolutions=summarise(this_week[m.id], last_week[m.id], given[m.id], org.people),
            waiting=tuple(waiting.get(m.id, ())),
            recognition=recognition.get(m.id),
            pulse=pulse.get(m.id),
            suggestions=suggestions.get(m.id),
            recognised_since=recognised_since(workspace, m, now),
        )
        for m in heads
    ]


def _rows_by_manager(
    session: Session, workspace: Workspace, org: Org, weeks: dict[int, Week]
) -> tuple[dict[int, list[Row]], dict[int, list[Row]], dict[int, list[Row]]]:
    """One range scan on (workspace_id, created_at) covering every manager's two windows, and one of the requests
    approved in them, then grouped: logged this week, logged last week, given this week."""
    this_week: dict[int, list[Row]] = defaultdict(list)
    last_week: dict[int, list[Row]] = defaultdict(list)
    given: dict[int, list[Row]] = defaultdict(list)
    low = min(week.previous_start for week in weeks.values())
    high = max(week.end for week in weeks.values())
    for row in _rows(session, workspace.id, low, high):
        for manager in _filed_under(row, org, workspace.managers_kept_since):
            week = weeks.get(manager)
            if week is None:
                continue
            if week.start <= row.created_at < week.end:
                this_week[manager].append(row)
            elif week.previous_start <= row.created_at < week.previous_end:
                last_week[manager].append(row)
            if row.given_at is not None and week.start <= row.given_at < week.end:
                given[manager].append(row)
    return this_week, last_week, given


def _filed_under(row: Row, org: Org, kept_since: datetime | None) -> tuple[int, ...]:
    """The managers whose digests count a fix: every manager above its giver when it was logged (none: the giver
    had no manager then); for one logged before they were kept, the giver's manager then and those above them now;
    before that too, those above the giver now."""
    if row.filed_under or kept_since is None or row.created_at >= kept_since:
        return row.filed_under
    if row.manager_id is None:
        return org.above.get(row.employee_id, ())
    return (row.manager_id, *org.above.get(row.manager_id, ()))


def _rows(session: Session, workspace_id: int, low: datetime, high: datetime) -> list[Row]:
    """The fixes logged from `low` to `high`, and the requests logged before and approved then."""
    r = Resolution
    logged = (r.workspace_id == workspace_id, r.created_at >= low, r.created_at < high)
    approved = (
        r.workspace_id == workspace_id,
        r.status == "approved",
        r.decided_at >= low,
        r.decided_at < high,
        r.created_at < low,
    )
    rows = [values._asdict() for where in (logged, approved) for values in session.execute(select(*_ROW).where(*where))]
    filed = managers_filed(session, *logged) | managers_filed(session, *approved)
    return [
        Row(**values, words=summary_words(values["summary"]), filed_under=filed.get(values["id"], ()))
        for values in rows
    ]


_ROW = (
    Resolution.id,
    Resolution.employee_id,
    Resolution.category,
    Resolution.amount,
    Resolution.status,
    Resolution.customer_outcome.label("outcome"),
    Resolution.summary,
    Resolution.created_at,
    Resolution.currency,
    Resolution.decided_at,
    Resolution.manager_id,
)


def waiting_by_decider(session: Session, workspace_id: int, org: Org) -> dict[int, list[Waiting]]:
    """Pending requests, oldest first, under whoever may decide them: the direct manager, and the decider while they
    may (not one demoted or moved since, with nobody to hand it to, nor an admin who reports to the requester while
    someone else may: services/deciders.py; their Home leaves it out)."""
    r = Resolution
    query = select(r.id, r.employee_id, r.decider_id, r.category, r.amount, r.currency, r.summary, r.created_at)
    query = query.where(r.workspace_id == workspace_id, r.status == "pending")
    waiting: dict[int, list[Waiting]] = defaultdict(list)
    # Sorted here, not in SQL: an ORDER BY created_at lures SQLite onto the history-wide date index.
    for row in sorted(session.execute(query), key=lambda row: (row.created_at, row.id)):
        person = org.people.get(row.employee_id)
        item = Waiting(row.id, person, *row[3:])
        for decider in {row.decider_id, person.manager_id if person else None} - {None, row.employee_id}:
            assert decider is not None
            if org.may_decide(decider, row.employee_id, row.decider_id):
                waiting[decider].append(item)
    return waiting


@dataclass(frozen=True)
class DueDigest:
    """A digest to queue now, under the outbox key that lets it be queued only once."""

    key: str
    digest: Digest


def due_digests(session: Session, *, workspace: Workspace, now: datetime, force: bool = False) -> list[DueDigest]:
    """The last full week's digest of each manager whose send moment has come this local week, not queued yet, and
    the last one of each former manager (services/digest/former.py).

    A missed moment stays due until the local week ends; `force` takes every manager, under a fresh key; without it a
    manager Slack refused as a bot user waits for the next org import (services/digest/unreachable.py). The org,
    the policy and the keys already queued are read once for all managers.
    """
    org = read_org(session, workspace.id)
    settings, currency = digest_settings(session, workspace)
    managers = org.managers()
    keys, last = _due_keys(session, workspace, org, settings, now=now, force=force)
    keys = keys if force else unreachable.without_refused(session, workspace, keys)
    heads = [m for m in managers if m.id in keys] + [org.people[person] for person in last]
    digests = _digests(session, workspace, org, heads, (settings, currency), last_full_week, now)
    keys |= last
    return [DueDigest(keys[d.manager.id], replace(d, last=d.manager.id in last)) for d in digests]


def _due_keys(
    session: Session, workspace: Workspace, org: Org, settings: DigestSettings, *, now: datetime, force: bool
) -> tuple[dict[int, str], dict[int, str]]:
    """The outbox key of each manager's digest due now, and of each former manager's last one, by their id."""
    managers = org.managers()
    if force:
        run = f"{now:%Y%m%dT%H%M%S}-{uuid4().hex[:8]}"
        return {m.id: f"{digest_key(workspace, m, now)}:forced:{run}" for m in managers}, {}
    if not settings.enabled:
        return {}, {}
    due = {m.id: digest_key(workspace, m, now) for m in managers if now >= send_moment(now, m.tz, settings)}
    queued = queued_lately(session, workspace, now)
    former = former_managers(workspace, org, settings, now, readers(workspace, queued))
    # A week brings one digest: a plain one, or a former manager's last (their team left, or came back, in the week)
    last = {
        person: key
        for person, (led_then, key) in former.items()
        if led_then in queued and key not in queued and key.removesuffix(LAST) not in queued
    }
    return {manager: key for manager, key in due.items() if key not in queued and f"{key}{LAST}" not in queued}, last


def delivered_channel(session: Session, *, key: str) -> str | None:
    """The channel a sent digest landed in (a DM id), or None while it waits in the outbox."""
    result = session.scalar(select(Delivery.result).where(Delivery.idempotency_key == key, Delivery.status == "sent"))
    channel = (result or {}).get("channel")
    return str(channel) if channel else None
