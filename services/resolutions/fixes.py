"""On-the-spot fixes: judge one against the caller's boundaries, route it, record decisions. Callers commit."""

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, lazyload

from models import Employee, Resolution, Workspace
from models.resolution import CUSTOMER_OUTCOMES
from services import directory, emoji
from services.calendar import local_day, local_month
from services.errors import InvalidInput, NotFound
from services.money import format_money
from services.policy.versions import ActivePolicy, BoundaryRule, require_policy
from services.resolutions.customers import (
    INCIDENT_WINDOW,
    customer_history,
    customer_key,
    customer_total,
    lock_customer,
    usable_reference,
)
from services.resolutions.filing import file_under_managers
from services.resolutions.spending import NOTHING_SPENT, Spent, spent_by_category, spent_in, spent_with_incident
from services.resolutions.spending import AllowanceLine as AllowanceLine
from services.resolutions.unknown_categories import UnknownCategory as UnknownCategory
from services.vetting import require_vetted

MAX_SUMMARY = 2000
MAX_CUSTOMER_REF = 100
_RECENT = (
    select(Resolution)
    .options(lazyload(Resolution.employee))
    .where(Resolution.employee_id == bindparam("employee_id"))
    .order_by(Resolution.created_at.desc(), Resolution.id.desc())
    .limit(10)
)


@dataclass(frozen=True)
class ResolutionRequest:
    category: str
    amount: Decimal
    summary: str
    customer_ref: str | None = None
    customer_outcome: str | None = None


@dataclass(frozen=True)
class Logged:
    resolution: Resolution
    exceeded: list[str]
    allowance: AllowanceLine
    deciders: list[Employee]
    history: list[Resolution]
    currency: str

    @property
    def within(self) -> bool:
        return not self.exceeded


def categories_for(session: Session, employee: Employee) -> tuple[ActivePolicy, dict[str, BoundaryRule]]:
    loader = directory.acts_as(employee, ("hr", "admin"))
    active = require_policy(session, _workspace(session, employee), loader=loader)
    return active, active.policy.boundaries_for(employee.boundary_profile)


def categories_to_log(session: Session, employee: Employee) -> tuple[ActivePolicy, dict[str, BoundaryRule]]:
    """`categories_for` a person about to log a fix: nobody once they have left, and no guest."""
    directory.require_member(employee)
    return categories_for(session, employee)


def _workspace(session: Session, employee: Employee) -> Workspace:
    return session.get_one(Workspace, employee.workspace_id)


def log_resolution(
    session: Session,
    *,
    employee: Employee,
    request: ResolutionRequest,
    now: datetime,
    policy: tuple[ActivePolicy, dict[str, BoundaryRule]] | None = None,
) -> Logged:
    """Record a fix: `within` when inside every limit (this one included), else `pending` for a decider.

    `policy` is what `categories_for` returned, when the caller already has it. Nobody the org file leaves out logs
    one before Slack has said whether they are a guest.
    """
    require_vetted(employee, what="log a fix from you")
    active, rules = policy or categories_for(session, employee)
    rule = checked_rule(request, rules, active.policy.currency)
    request = replace(request, customer_ref=usable_reference(request.customer_ref))
    directory.lock_people(session, [employee])  # two fixes at once must not both fit in what is left today
    if request.customer_ref:  # also when no limit of this rule counts the customer's: a colleague's may count this
        lock_customer(session, employee.workspace_id, request.customer_ref)
    spent, earlier = _spent_and_incident(session, employee, rule, request, active.policy.currency, now)
    exceeded = _exceeded(session, employee, rule, request, (spent, earlier), active.policy.currency, now)
    if not employee.in_directory:  # nobody wrote their limits down, and no manager's digest would show their fixes
        exceeded.insert(0, NOT_LISTED)
    deciders = deciders_for(session, employee) if exceeded else []
    resolution = Resolution(
        workspace_id=employee.workspace_id,
        employee_id=employee.id,
        policy_version_id=active.version.id,
        category=rule.category,
        amount=request.amount,
        currency=active.policy.currency,
        customer_ref=request.customer_ref,
        customer_key=customer_key(request.customer_ref) if request.customer_ref else None,
        summary=request.summary.strip(),
        customer_outcome=request.customer_outcome,
        status="pending" if exceeded else "within",
        exceeded="; ".join(exceeded) or None,
        profile=employee.boundary_profile,
        created_at=now,
        day_ends_at=local_day(now, employee.tz)[1],
        month_ends_at=local_month(now, employee.tz)[1],
        manager_id=employee.manager_id,
        decider_id=deciders[0].id if deciders else None,
    )
    session.add(resolution)
    session.flush()
    file_under_managers(session, resolution, employee)
    counted = Spent(spent.today + request.amount, spent.this_month + request.amount)
    return Logged(
        resolution=resolution,
        exceeded=exceeded,
        allowance=AllowanceLine(rule, counted),
        deciders=deciders,
        history=customer_history(session, resolution),
        currency=active.policy.currency,
    )


def checked_rule(request: ResolutionRequest, rules: dict[str, BoundaryRule], currency: str) -> BoundaryRule:
    """The rule a fix falls under, once what was typed is sound: checked before anything else, a form too."""
    rule = rules.get(request.category.lower())
    if rule is None:
        raise UnknownCategory(request.category, sorted(rules))
    _validate(request, rule, currency)
    return rule


def _validate(request: ResolutionRequest, rule: BoundaryRule, currency: str) -> None:
    if not emoji.has_words(request.summary):  # `👍` alone tells the manager and the customer's history nothing
        example = f"/resolve {rule.category}{' 45' if rule.involves_money else ''} order 1234 arrived late"
        raise InvalidInput(f"Say what happened and what you did, e.g. `{example}`.", field="summary")
    if len(request.summary) > MAX_SUMMARY:
        raise InvalidInput(
            f"The summary is {len(request.summary):,} characters; keep it under {MAX_SUMMARY:,}.", field="summary"
        )
    if request.customer_ref is not None and len(request.customer_ref) > MAX_CUSTOMER_REF:
        raise InvalidInput(
            f"The customer reference is too long (at most {MAX_CUSTOMER_REF} characters).", field="customer_ref"
        )
    if rule.needs_customer_ref and request.customer_ref and not usable_reference(request.customer_ref):
        raise InvalidInput(
            f"The customer reference you gave has no letters or digits, and a `{rule.category}` needs one: "
            "mention the order, ticket or case (like `order 1234`) or add `ref:ABC123`.",
            field="customer_ref",
        )
    if rule.needs_customer_ref and not request.customer_ref:
        raise InvalidInput(
            f"A `{rule.category}` needs a customer reference: mention the order, ticket or case "
            f"(like `order 1234`) or add `ref:ABC123`.",
            field="customer_ref",
        )
    if rule.involves_money and request.amount <= 0:
        raise InvalidInput(
            f"A `{rule.category}` involves money: give an amount above zero, like `45`.",
            field="amount",
        )
    if not rule.involves_money and request.amount != 0:
        raise InvalidInput(
            f"`{rule.category}` involves no money, so leave the amount out "
            f"(you typed {format_money(request.amount, currency)}).",
            field="amount",
        )
    if request.customer_outcome is not None and request.customer_outcome not in CUSTOMER_OUTCOMES:
        raise InvalidInput("The customer outcome is one of happy, neutral or unhappy.", field="customer_outcome")


def _exceeded(
    session: Session,
    employee: Employee,
    rule: BoundaryRule,
    request: ResolutionRequest,
    counted: tuple[Spent, Decimal],
    currency: str,
    now: datetime,
) -> list[str]:
    def money(amount: Decimal) -> str:
        return format_money(amount, currency)

    (spent, earlier), amount, exceeded = counted, request.amount, []
    if rule.per_incident is not None and earlier + amount > rule.per_incident:
        exceeded.append(_over_per_incident(rule, amount, earlier, money))
    if rule.per_day is not None and spent.today + amount > rule.per_day:
        exceeded.append(f"daily limit {money(rule.per_day)} (today's total would be {money(spent.today + amount)})")
    if rule.per_month is not None and spent.this_month + amount > rule.per_month:
        exceeded.append(
            f"monthly limit {money(rule.per_month)} (this month's total would be {money(spent.this_month + amount)})"
        )
    if rule.per_customer_30d is not None and request.customer_ref:
        received = customer_total(session, employee.workspace_id, request.customer_ref, rule.category, now, currency)
        if received + amount > rule.per_customer_30d:
            exceeded.append(
                f"per-customer limit {money(rule.per_customer_30d)} in 30 days "
                f"(this customer would have {money(received + amount)})"
            )
    return exceeded


def _spent_and_incident(
    session: Session, employee: Employee, rule: BoundaryRule, request: ResolutionRequest, currency: str, now: datetime
) -> tuple[Spent, Decimal]:
    """What the employee spent in the category, and what the customer received in it in the last 24 hours (by anyone:
    one customer problem) when a per-incident limit counts it, in one statement."""
    if not request.customer_ref or rule.per_incident is None:
        return spent_in(session, employee, rule.category, now, currency), Decimal(0)
    since, customer = now - INCIDENT_WINDOW, customer_key(request.customer_ref)
    return spent_with_incident(session, employee, rule.category, now, currency, customer=customer, since=since)


def _over_per_incident(rule: BoundaryRule, amount: Decimal, earlier: Decimal, money: Callable[[Decimal], str]) -> str:
    limit = money(rule.per_incident or Decimal(0))
    if not earlier:
        return f"per-incident limit {limit} (this is {money(amount)})"
    hours = int(INCIDENT_WINDOW.total_seconds() // 3600)
    others = f"this customer's other `{rule.category}` fixes in {hours} hours"
    return f"per-incident limit {limit} (with {others}, {money(earlier + amount)})"


def deciders_for(session: Session, employee: Employee) -> list[Employee]:
    """Who decides a request outside the boundaries: the manager, else the admins (never the requester), those who
    do not report to the requester; when every other admin does, the first of them (nobody else can)."""
    if employee.manager is not None and employee.manager.active:
        return [employee.manager]
    admins = directory.active_admins(session, _workspace(session, employee))
    others = [a for a in admins if a.id != employee.id]
    if not others:
        raise NotFound(ONLY_ADMIN if len(others) < len(admins) else NO_DECIDER)
    return directory.not_answering_to(others, employee)


def unlisted_with_no_admin(session: Session, employee: Employee) -> bool:
    """Someone the org file does not list, in a workspace with no admin yet (before the first `org import`): their
    fixes would go to an admin to decide, and there is none, so none can be logged."""
    return not employee.in_directory and not any(
        admin.id != employee.id for admin in directory.active_admins(session, _workspace(session, employee))
    )


NOT_LISTED = (
    "boundaries, none yet: the org file does not list this person, so an admin decides each fix until HR adds them"
)
NO_DECIDER = (
    "You have no manager in the directory and there is no admin to decide, so I couldn't log "
    "this. Ask HR to add your manager to the org file."
)
ONLY_ADMIN = (
    "You have no manager and you are the only admin, and nobody decides their own request, so I couldn't log "
    "this. Another admin has to decide it: add a second admin to the org file (or ask HR to), then log it again."
)


def recent_for(session: Session, employee: Employee) -> list[Resolution]:
    """The person's ten latest fixes (each one's `employee` is the session's own copy of the person: no join)."""
    return list(session.scalars(_RECENT, {"employee_id": employee.id}))


def allowance_for(session: Session, employee: Employee, now: datetime) -> tuple[ActivePolicy, list[AllowanceLine]]:
    active, rules = categories_for(session, employee)
    spent = spent_by_category(session, employee, now, active.policy.currency)
    return active, [AllowanceLine(rule, spent.get(rule.category, NOTHING_SPENT)) for rule in rules.values()]


def allowance_to_log(session: Session, employee: Employee, now: datetime) -> tuple[ActivePolicy, list[AllowanceLine]]:
    """`allowance_for` a person who may still log fixes: nobody once they have left, and no guest."""
    directory.require_member(employee)
    return allowance_for(session, employee, now)


def allowance_in(lines: list[AllowanceLine], category: str) -> AllowanceLine:
    """The line of `category` as typed (any case), else `UnknownCategory` naming the person's categories."""
    for line in lines:
        if line.rule.category == category.lower():
            return line
    raise UnknownCategory(category, sorted(line.rule.category for line in lines))
