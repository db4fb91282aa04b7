"""Boundaries that learn: a month of requests over the limit, per profile and category, and what it suggests.

Read the month, then write one `BoundaryProposal` per profile and category where the evidence says
something (most over-limit requests approved: a new per-incident limit; declines dominate: a note).
Callers commit.
"""

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from statistics import median
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import BoundaryProposal, Employee, Resolution, Workspace
from services.policy.suggestions import ProposalSettings
from services.policy.versions import ActivePolicy, current_policy
from services.rows import insert_new

OVER_LIMIT = ("pending", "approved", "declined")
MAX_REASONS = 5


@dataclass(frozen=True)
class Evidence:
    profile: str
    category: str
    limit: Decimal | None
    over_limit: int
    approved: int
    declined: int
    approved_median: Decimal | None
    approved_p90: Decimal | None
    decline_reasons: tuple[str, ...]

    @property
    def approved_share(self) -> float:
        return self.approved / self.over_limit if self.over_limit else 0.0

    @property
    def declines_dominate(self) -> bool:
        return self.declined > self.approved and self.declined * 2 >= self.over_limit

    def as_json(self) -> dict[str, Any]:
        money = {
            key: None if value is None else str(value)
            for key, value in (
                ("limit", self.limit),
                ("approved_median", self.approved_median),
                ("approved_p90", self.approved_p90),
            )
        }
        counts = {"over_limit": self.over_limit, "approved": self.approved, "declined": self.declined}
        return {**money, **counts, "decline_reasons": list(self.decline_reasons)}


@dataclass(frozen=True)
class Finding:
    evidence: Evidence
    kind: str | None
    proposed_limit: Decimal | None


def month_window(month: str) -> tuple[datetime, datetime]:
    """`2026-03` -> [1 March, 1 April) in UTC."""
    year, number = (int(part) for part in month.split("-"))
    start = datetime(year, number, 1, tzinfo=UTC)
    end = datetime(year + number // 12, number % 12 + 1, 1, tzinfo=UTC)
    return start, end


def previous_month(now: datetime) -> str:
    first = now.astimezone(UTC).replace(day=1)
    return f"{first.year - 1}-12" if first.month == 1 else f"{first.year}-{first.month - 1:02d}"


def percentile(values: list[Decimal], share: int) -> Decimal:
    """Nearest-rank percentile: the smallest value with at least `share`% of the values at or below it."""
    ordered = sorted(values)
    rank = max(math.ceil(share / 100 * len(ordered)), 1)
    return ordered[rank - 1]


def rounded(amount: Decimal, step: int) -> Decimal:
    """To the nearest multiple of `step` (halves up)."""
    return (amount / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step


def evidence_for_month(
    session: Session, *, workspace: Workspace, active: ActivePolicy, month: str, settings: ProposalSettings
) -> list[Evidence]:
    """Every profile and category with at least one request over its per-incident limit in the month, each request
    under the profile it was checked against. Only requests in the policy's currency count: after a change of
    currency, an amount in the earlier one says nothing about a limit in the new one."""
    start, end = month_window(month)
    checked_against = func.coalesce(Resolution.profile, Employee.profile, Employee.role)
    query = (
        select(checked_against, Resolution.category, Resolution.amount, Resolution.status, Resolution.decline_reason)
        .join(Employee, Resolution.employee_id == Employee.id)
        .where(
            Resolution.workspace_id == workspace.id,
            Resolution.status.in_(OVER_LIMIT),
            Resolution.currency == active.policy.currency,
            Resolution.created_at >= start,
            Resolution.created_at < end,
        )
    )
    groups: dict[tuple[str, str], list[tuple[Decimal, str, str | None]]] = defaultdict(list)
    for profile, category, amount, status, reason in session.execute(query):
        groups[(profile, category)].append((amount, status, reason))
    found = [
        _evidence(active, profile, category, rows, settings) for (profile, category), rows in sorted(groups.items())
    ]
    return [evidence for evidence in found if evidence.over_limit]


def _evidence(
    active: ActivePolicy,
    profile: str,
    category: str,
    rows: list[tuple[Decimal, str, str | None]],
    settings: ProposalSettings,
) -> Evidence:
    rule = active.policy.boundaries_for(profile).get(category)
    limit = rule.per_incident if rule is not None else None
    # Only what went over the per-incident limit says anything about it (not a small one over a daily cap).
    rows = [row for row in rows if limit is None or row[0] > limit]
    approved = [amount for amount, status, _reason in rows if status == "approved"]
    reasons = [reason for _amount, status, reason in rows if status == "declined" and reason]
    return Evidence(
        profile=profile,
        category=category,
        limit=limit,
        over_limit=len(rows),
        approved=len(approved),
        declined=sum(status == "declined" for _amount, status, _reason in rows),
        approved_median=Decimal(median(approved)).quantize(Decimal("0.01")) if approved else None,
        approved_p90=percentile(approved, settings.percentile) if approved else None,
        decline_reasons=tuple(dict.fromkeys(reasons))[:MAX_REASONS],
    )


def judge(evidence: Evidence, settings: ProposalSettings) -> Finding:
    """A raise where enough requests went over and most were approved; a note where declines dominate."""
    if evidence.over_limit < settings.min_over_limit:
        return Finding(evidence, None, None)
    if evidence.approved_share >= settings.approved_share and evidence.limit is not None:
        assert evidence.approved_p90 is not None
        proposed = rounded(evidence.approved_p90, settings.round_to)
        if proposed > evidence.limit:
            return Finding(evidence, "raise", proposed)
    if evidence.declines_dominate:
        return Finding(evidence, "declines", None)
    return Finding(evidence, None, None)


def findings(session: Session, *, workspace: Workspace, month: str) -> tuple[ActivePolicy | None, list[Finding]]:
    active = current_policy(session, workspace)
    if active is None:
        return None, []
    settings = active.policy.suggestions.proposals
    evidence = evidence_for_month(session, workspace=workspace, active=active, month=month, settings=settings)
    return active, [judge(item, settings) for item in evidence]


def propose(session: Session, *, workspace: Workspace, month: str, now: datetime) -> list[BoundaryProposal]:
    """Store the month's proposals and notes (once: a rerun for the same month adds nothing, nor does a run beside
    it, which waits for the other's rows and finds them there); return the new ones."""
    active, found = findings(session, workspace=workspace, month=month)
    if active is None or not active.policy.suggestions.proposals.enabled:
        return []
    query = select(BoundaryProposal.profile, BoundaryProposal.category).where(
        BoundaryProposal.workspace_id == workspace.id, BoundaryProposal.month == month
    )
    existing = {(row.profile, row.category) for row in session.execute(query)}
    made: list[BoundaryProposal] = []
    for finding in found:
        if finding.kind is None or (finding.evidence.profile, finding.evidence.category) in existing:
            continue
        values = _proposal(workspace, active, month, finding, now)
        new_id = insert_new(session.connection(), BoundaryProposal, BoundaryProposal.id, values)
        if new_id is not None:
            made.append(session.get_one(BoundaryProposal, new_id))
    return made


def made_before(session: Session, *, workspace: Workspace, month: str) -> int:
    """How many proposals and notes of this month HR and admins were already sent: a rerun sends none of them again."""
    query = select(func.count()).where(BoundaryProposal.workspace_id == workspace.id, BoundaryProposal.month == month)
    return session.scalar(query) or 0


def _proposal(
    workspace: Workspace, active: ActivePolicy, month: str, finding: Finding, now: datetime
) -> dict[str, Any]:
    assert finding.kind is not None
    return {
        "workspace_id": workspace.id,
        "month": month,
        "profile": finding.evidence.profile,
        "category": finding.evidence.category,
        "kind": finding.kind,
        "basis_version_id": active.version.id,
        "current_limit": finding.evidence.limit,
        "proposed_limit": finding.proposed_limit,
        "evidence": finding.evidence.as_json(),
        "status": "proposed" if finding.kind == "raise" else "noted",
        "created_at": now,
    }
