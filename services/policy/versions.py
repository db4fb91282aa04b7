"""The policy file: validate it whole, keep every version, and say which one is in force. Callers commit."""

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from models import PolicyVersion, Workspace
from services import audit
from services.config_cache import attached, bump, cache_of, detached_copy
from services.errors import NotFound
from services.money import CURRENCIES as CURRENCIES
from services.policy.digest import DigestSettings, parse_digest
from services.policy.file import NAME, NAME_RULE, PolicyText, with_line_feeds
from services.policy.in_use import check_directory_profiles
from services.policy.pulse import PulseSettings, parse_pulse
from services.policy.quiet_hours import QuietHours, parse_quiet_hours
from services.policy.rewards import RewardPolicy, parse_rewards
from services.policy.suggestions import SuggestionSettings, parse_suggestions
from services.rows import take_turns

TOP_LEVEL_KEYS = {
    "currency",
    "escalation_reminder_hours",
    "quiet_hours",
    "profiles",
    "pulse",
    "rewards",
    "digest",
    "suggestions",
}
LIMIT_KEYS = ("per_incident", "per_day", "per_month", "per_customer_30d")
BOUNDARY_KEYS = {*LIMIT_KEYS, "requires_customer_ref", "description"}
PROFILE_KEYS = {"inherit", "description"}
MAX_CATEGORIES = 100
"""The /resolve form offers a profile's categories in one Slack menu, which holds at most 100 options."""


@dataclass(frozen=True)
class BoundaryRule:
    category: str
    description: str
    per_incident: Decimal | None = None
    per_day: Decimal | None = None
    per_month: Decimal | None = None
    per_customer_30d: Decimal | None = None
    requires_customer_ref: bool = False

    @property
    def involves_money(self) -> bool:
        return any(getattr(self, key) is not None for key in LIMIT_KEYS)

    @property
    def needs_customer_ref(self) -> bool:
        """A per-customer limit binds only the fixes that name their customer: it needs the reference too."""
        return self.requires_customer_ref or self.per_customer_30d is not None


@dataclass(frozen=True)
class Policy:
    currency: str
    escalation_reminder_hours: int
    profiles: dict[str, dict[str, BoundaryRule]]
    pulse: PulseSettings = field(default_factory=PulseSettings)
    rewards: RewardPolicy = field(default_factory=RewardPolicy)
    digest: DigestSettings = field(default_factory=DigestSettings)
    suggestions: SuggestionSettings = field(default_factory=SuggestionSettings)
    quiet_hours: QuietHours | None = field(default_factory=QuietHours)

    def boundaries_for(self, profile: str) -> dict[str, BoundaryRule]:
        return self.profiles.get(profile, {})


@dataclass(frozen=True)
class ActivePolicy:
    version: PolicyVersion
    policy: Policy


def parse_policy(text: str, *, stored: bool = False) -> Policy:
    """The whole file checked at once: every problem is reported, with its line.

    `stored`: a version already in force, read again. It was checked when it was loaded; rules added since
    (category names) are not applied to it, so an upgrade never stops a workspace whose policy predates them.
    """
    source = PolicyText.parse(text)
    data = source.data
    source.unknown_keys((), data, TOP_LEVEL_KEYS)
    currency = source.currency(("currency",), data.get("currency", "USD")) or "USD"
    hours = source.whole(
        ("escalation_reminder_hours",), data.get("escalation_reminder_hours", 24), minimum=1, maximum=24 * 14
    )
    quiet_hours = parse_quiet_hours(source, data.get("quiet_hours"))
    raw_profiles = source.table(("profiles",), data.get("profiles", {}))
    profiles = _profiles(source, raw_profiles, new=not stored, currency=currency)
    pulse = parse_pulse(source, data.get("pulse"), new=not stored)
    if not profiles and not source.problems:
        source.problem(("profiles",), "the policy needs at least one profile, like [profiles.frontline]")
    rewards = parse_rewards(source, data.get("rewards", {}), currency, new=not stored)
    digest = parse_digest(source, data.get("digest"))
    suggestions = parse_suggestions(source, data.get("suggestions"), new=not stored)
    source.raise_if_problems()
    return Policy(
        currency=currency,
        escalation_reminder_hours=hours or 24,
        profiles=profiles,
        pulse=pulse,
        rewards=rewards,
        digest=digest,
        suggestions=suggestions,
        quiet_hours=quiet_hours,
    )


def _profiles(
    source: PolicyText, raw: dict[str, Any], *, new: bool, currency: str
) -> dict[str, dict[str, BoundaryRule]]:
    """A new version's limits have no more decimals than its currency (a stored one may predate that rule)."""
    own: dict[str, dict[str, BoundaryRule]] = {}
    parents: dict[str, str] = {}
    for name, table in raw.items():
        path = ("profiles", name)
        table = source.table(path, table)
        parent = source.string((*path, "inherit"), table.get("inherit"))
        if parent is not None:
            if parent not in raw:
                source.problem((*path, "inherit"), f"inherits {parent!r}, which is not a profile here")
            else:
                parents[name] = parent
        own[name] = {
            category: _boundary(source, (*path, category), category, rule, currency if new else None)
            for category, rule in table.items()
            if category not in PROFILE_KEYS
        }
        if new:
            _check_category_names(source, name, own[name])
    _check_cycles(source, parents)
    if source.problems:
        return {}
    profiles = {name: _inherited(name, own, parents) for name in own}
    if new:
        _check_menu_sizes(source, profiles)
    return profiles


def _check_category_names(source: PolicyText, profile: str, rules: dict[str, BoundaryRule]) -> None:
    """A category is typed after /resolve and is the value of an option in its form (Slack: 150 at most)."""
    for category in rules:
        if not NAME.match(category):
            source.problem(
                ("profiles", profile, category),
                f"the category {category!r} of profile {profile!r} must be named with {NAME_RULE}, "
                "starting with a letter (like fee_waiver): people type it after /resolve",
            )


def _check_menu_sizes(source: PolicyText, profiles: dict[str, dict[str, BoundaryRule]]) -> None:
    for profile, rules in profiles.items():
        if len(rules) > MAX_CATEGORIES:
            source.problem(
                ("profiles", profile),
                f"profile {profile!r} has {len(rules)} categories, counting the ones it inherits: the /resolve "
                f"form lists {MAX_CATEGORIES} at most, so merge some or split the profile",
            )


def _boundary(
    source: PolicyText, path: tuple[str, ...], category: str, rule: Any, currency: str | None
) -> BoundaryRule:
    table = source.table(path, rule)
    source.unknown_keys(path, table, BOUNDARY_KEYS)
    limits = {key: source.money((*path, key), table.get(key), currency) for key in LIMIT_KEYS}
    return BoundaryRule(
        category=category,
        description=source.string((*path, "description"), table.get("description")) or "",
        requires_customer_ref=bool(source.flag((*path, "requires_customer_ref"), table.get("requires_customer_ref"))),
        **limits,
    )


def _check_cycles(source: PolicyText, parents: dict[str, str]) -> None:
    for start in parents:
        seen = [start]
        current = parents.get(start)
        while current is not None and current not in seen:
            seen.append(current)
            current = parents.get(current)
        if current == start:
            source.problem(("profiles", start, "inherit"), f"inheritance cycle {' -> '.join([*seen, start])}")
            return


def _inherited(name: str, own: dict[str, dict[str, BoundaryRule]], parents: dict[str, str]) -> dict[str, BoundaryRule]:
    chain = [name]
    while chain[-1] in parents:
        chain.append(parents[chain[-1]])
    merged: dict[str, BoundaryRule] = {}
    for profile in reversed(chain):
        merged.update(own[profile])
    return dict(sorted(merged.items()))


def load_policy(
    session: Session, *, workspace: Workspace, text: str, loaded_by: str, now: datetime, edited: bool = False
) -> PolicyVersion:
    """Validate and store a new version; the same text as the version in force loads nothing new. `edited`: the
    version in force with one limit changed by Latitude, read as that version is (rules added since do not apply)."""
    text, policy = with_line_feeds(text), parse_policy(text, stored=edited)  # stored as its later reads see it
    active = policy_to_change(session, workspace)  # before reading who uses which profile: an import takes turns
    check_directory_profiles(session, workspace, policy.profiles, text)
    digest = hashlib.sha256(text.encode()).hexdigest()
    if active is not None and active.version.sha256 == digest:
        return active.version
    number = (
        session.scalar(select(func.max(PolicyVersion.number)).where(PolicyVersion.workspace_id == workspace.id)) or 0
    ) + 1
    version = PolicyVersion(
        workspace_id=workspace.id, number=number, text=text, sha256=digest, loaded_by=loaded_by, loaded_at=now
    )
    session.add(version)
    session.flush()
    audit.record(
        session,
        workspace=workspace,
        actor=loaded_by,
        action="policy.load",
        now=now,
        subject=f"version {number}",
        details={"sha256": digest},
    )
    bump(session, workspace)
    return version


def policy_to_change(session: Session, workspace: Workspace) -> ActivePolicy | None:
    """The version in force, read fresh once no other writer of the workspace's policy is at work (they take
    turns until commit): two changes made together would each start from the same version, and the later
    would silently undo the earlier. An org import takes the same turn, so that a policy dropping a profile and
    an import giving someone that profile cannot each pass its check against the other's old state."""
    take_turns(session, POLICY_LOCKS, [workspace.id])
    version = session.scalar(_LATEST_VERSION, {"workspace_id": workspace.id})
    return ActivePolicy(version=version, policy=_parsed(version.sha256, version.text)) if version else None


def current_policy(session: Session, workspace: Workspace) -> ActivePolicy | None:
    """The latest version; from this process's copy while the workspace's config version holds."""
    cache = cache_of(session)
    copy = cache.get("policy", workspace, "") if cache is not None else None
    if copy is not None:
        return ActivePolicy(version=attached(session, copy), policy=_parsed(copy.sha256, copy.text))
    version = session.scalar(_LATEST_VERSION, {"workspace_id": workspace.id})
    if version is None:
        return None
    if cache is not None:
        cache.put("policy", workspace, "", detached_copy(version))
    return ActivePolicy(version=version, policy=_parsed(version.sha256, version.text))


def policy_in_force_at(session: Session, workspace: Workspace, moment: datetime) -> Policy | None:
    """The version that was the latest at `moment`, if one had been loaded by then."""
    version = session.scalar(
        select(PolicyVersion)
        .where(PolicyVersion.workspace_id == workspace.id, PolicyVersion.loaded_at <= moment)
        .order_by(PolicyVersion.number.desc())
        .limit(1)
    )
    return None if version is None else _parsed(version.sha256, version.text)


_LATEST_VERSION = (
    select(PolicyVersion)
    .where(PolicyVersion.workspace_id == bindparam("workspace_id"))
    .order_by(PolicyVersion.number.desc())
    .limit(1)
)
POLICY_LOCKS = -2
"""The lock space of policy changes in `rows.take_turns` (services/directory.py's people use -1)."""


@lru_cache(maxsize=16)
def _parsed(_sha256: str, text: str) -> Policy:
    return parse_policy(text, stored=True)


def require_policy(session: Session, workspace: Workspace, *, loader: bool = False) -> ActivePolicy:
    """`loader`: the reader is HR or an admin, whom "ask HR" would send to themselves."""
    active = current_policy(session, workspace)
    if active is None:
        who = "Next step, for whoever runs Latitude: load" if loader else "Ask HR or an admin to load"
        raise NotFound(
            f"No policy is loaded yet, so there are no boundaries to check against. {who} one "
            "(`python -m bot policy load FILE`)."
        )
    return active
