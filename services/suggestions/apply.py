"""*Apply* on a boundary proposal: a new policy version with just that one limit changed. Callers commit.

The policy file is edited as text, one line: the profile's own `per_incident` for the category, or,
when the profile inherits the category, one new line in its table with the inherited rule and the new
limit. The result is parsed and compared with the policy in force; anything but that limit changing
(for that profile and those that inherit it) refuses the edit, and nothing is loaded.
"""

import json
import re
import tomllib
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import BoundaryProposal, Employee, PolicyVersion, Workspace
from services import audit, directory
from services.errors import AlreadyDone, InvalidInput, NotAllowed, NotFound
from services.policy.file import PolicyText
from services.policy.versions import ActivePolicy, BoundaryRule, Policy, load_policy, parse_policy, policy_to_change
from services.rereading import as_now
from services.rewards.grants import HR_ROLES

_PER_INCIDENT = re.compile(r"(\bper_incident\s*=\s*)([0-9][0-9_]*(?:\.[0-9]+)?)")


@dataclass(frozen=True)
class Applied:
    proposal: BoundaryProposal
    version: PolicyVersion
    profiles: tuple[str, ...]


def amount_text(amount: Decimal) -> str:
    return f"{amount.normalize():f}"


def edited_text(text: str, policy: Policy, profile: str, category: str, limit: Decimal) -> str:
    """The policy text with that profile's per-incident limit for the category set to `limit`."""
    own = tomllib.loads(text).get("profiles", {}).get(profile, {})
    lines = text.splitlines(keepends=True)
    source = PolicyText(text=text, data={})
    if category in own:
        number = source.line_of("profiles", profile, category, "per_incident") - 1
        line, count = _PER_INCIDENT.subn(lambda m: m.group(1) + amount_text(limit), lines[number], count=1)
        if count != 1:
            raise _cannot(profile, category)
        lines[number] = line
    else:
        rule = policy.boundaries_for(profile).get(category)
        if rule is None:
            raise _cannot(profile, category)
        header = source.line_of("profiles", profile)
        lines.insert(header, f"{category} = {_inline(replace(rule, per_incident=limit))}\n")
    return "".join(lines)


def _inline(rule: BoundaryRule) -> str:
    parts = [f"description = {json.dumps(rule.description)}"] if rule.description else []
    for key in ("per_incident", "per_day", "per_month", "per_customer_30d"):
        value = getattr(rule, key)
        if value is not None:
            parts.append(f"{key} = {amount_text(value)}")
    if rule.requires_customer_ref:
        parts.append("requires_customer_ref = true")
    return "{ " + ", ".join(parts) + " }"


def _cannot(profile: str, category: str) -> InvalidInput:
    return InvalidInput(
        f"I can't change the {category} limit of {profile} in the policy file by myself (its layout is unusual). "
        "Nothing changed: edit the file by hand and load it with `python -m bot policy load`."
    )


def changed_profiles(before: Policy, after: Policy, category: str, limit: Decimal) -> tuple[str, ...]:
    """The profiles whose rule changed, if the only change is the category's per-incident limit becoming `limit`."""
    if set(before.profiles) != set(after.profiles):
        return ()
    changed = []
    for name, rules in before.profiles.items():
        new = after.profiles[name]
        if set(rules) != set(new):
            return ()
        for key, rule in rules.items():
            if rule == new[key]:
                continue
            if key != category or replace(rule, per_incident=limit) != new[key]:
                return ()
            changed.append(name)
    return tuple(sorted(changed))


def preview(
    policy_text: str, policy: Policy, profile: str, category: str, limit: Decimal
) -> tuple[str, tuple[str, ...]]:
    """The edited text and every profile it changes (the target and those inheriting from it), or InvalidInput. The
    rest of the text is the version in force's, read as it is: rules added since it was loaded do not refuse it."""
    text = edited_text(policy_text, policy, profile, category, limit)
    profiles = changed_profiles(policy, parse_policy(text, stored=True), category, limit)
    if profile not in profiles:
        raise _cannot(profile, category)
    return text, profiles


def apply_proposal(session: Session, *, workspace: Workspace, proposal_id: int, hr: Employee, now: datetime) -> Applied:
    """HR or an admin applies a proposed limit: one new policy version, audited with who and when."""
    proposal = open_proposal(session, workspace=workspace, proposal_id=proposal_id, hr=hr, verb="apply")
    active = policy_to_change(session, workspace)
    if active is None:
        raise NotFound("No policy is loaded any more, so there is nothing to apply this proposal to.")
    assert proposal.proposed_limit is not None
    rule = active.policy.boundaries_for(proposal.profile).get(proposal.category)
    now_limit = rule.per_incident if rule is not None else None
    if now_limit != proposal.current_limit:
        raise AlreadyDone(
            f"The {proposal.category} limit of {proposal.profile} changed since this proposal "
            f"(it is now {amount_text(now_limit) if now_limit is not None else 'unset'}); nothing applied."
        )
    text, profiles = preview(
        active.version.text, active.policy, proposal.profile, proposal.category, proposal.proposed_limit
    )
    _refuse_reaching_further(session, proposal, active, profiles)
    version = load_policy(session, workspace=workspace, text=text, loaded_by=hr.slack_id, now=now, edited=True)
    proposal.status, proposal.applied_version_id, proposal.applied_by_id, proposal.applied_at = (
        "applied",
        version.id,
        hr.id,
        now,
    )
    audit.record(
        session,
        workspace=workspace,
        actor=hr.slack_id,
        action="policy.proposal_applied",
        now=now,
        subject=f"proposal {proposal.id} -> version {version.number}",
        details={
            "profile": proposal.profile,
            "category": proposal.category,
            "from": amount_text(proposal.current_limit) if proposal.current_limit is not None else None,
            "to": amount_text(proposal.proposed_limit),
            "profiles": list(profiles),
        },
    )
    session.flush()
    return Applied(proposal, version, profiles)


def dismiss_proposal(
    session: Session, *, workspace: Workspace, proposal_id: int, hr: Employee, now: datetime
) -> BoundaryProposal:
    """HR or an admin dismisses a proposal: the policy stays as it is, and the proposal says who decided so."""
    proposal = open_proposal(session, workspace=workspace, proposal_id=proposal_id, hr=hr, verb="dismiss")
    proposal.status, proposal.dismissed_by_id, proposal.dismissed_at = "dismissed", hr.id, now
    audit.record(
        session,
        workspace=workspace,
        actor=hr.slack_id,
        action="policy.proposal_dismissed",
        now=now,
        subject=f"proposal {proposal.id}",
        details={"profile": proposal.profile, "category": proposal.category, "month": proposal.month},
    )
    session.flush()
    return proposal


def open_proposal(
    session: Session, *, workspace: Workspace, proposal_id: int, hr: Employee, verb: str
) -> BoundaryProposal:
    """The proposal, locked until the caller commits, if HR may still apply or dismiss it; else a clear refusal. Only
    a proposal of their workspace is locked: a click forged with another workspace's id never holds up its HR."""
    _require_hr(hr)
    proposal = session.scalar(
        select(BoundaryProposal)
        .where(BoundaryProposal.id == proposal_id, BoundaryProposal.workspace_id == workspace.id)
        .with_for_update(of=BoundaryProposal.__table__)
    )
    _require_hr(as_now(session, hr))  # the proposal is locked: who they are now is what they may do
    if proposal is None or proposal.kind != "raise":
        raise NotFound(f"There is no boundary proposal #{proposal_id} to {verb} here.")
    if proposal.status == "applied":
        who = directory.name_of(proposal.applied_by) if proposal.applied_by else "someone"
        version = session.get(PolicyVersion, proposal.applied_version_id) if proposal.applied_version_id else None
        as_version = f" as policy version {version.number}" if version is not None else ""
        raise AlreadyDone(f"{who} already applied this proposal{as_version}; nothing changed.")
    if proposal.status == "dismissed":
        who = directory.name_of(proposal.dismissed_by) if proposal.dismissed_by else "someone"
        raise AlreadyDone(f"{who} already dismissed this proposal; the limit stays as it is and nothing changed.")
    return proposal


def _require_hr(hr: Employee) -> None:
    if hr.role not in HR_ROLES or not hr.active:
        raise NotAllowed("Only HR and admins can change the boundaries.")


def _refuse_reaching_further(
    session: Session, proposal: BoundaryProposal, active: ActivePolicy, profiles: tuple[str, ...]
) -> None:
    """HR read which profiles the change reaches when it was proposed; a policy loaded since may make it reach
    more (a new profile inheriting the one it changes), which they never saw."""
    basis = session.get(PolicyVersion, proposal.basis_version_id)
    if basis is None or basis.id == active.version.id or proposal.proposed_limit is None:
        return
    try:
        _text, shown = preview(
            basis.text,
            parse_policy(basis.text, stored=True),
            proposal.profile,
            proposal.category,
            proposal.proposed_limit,
        )
    except InvalidInput:
        return
    further = sorted(set(profiles) - set(shown))
    if further:
        raise AlreadyDone(
            f"The policy changed since this proposal: applying it now would also change {', '.join(further)}, "
            "which it did not say. Nothing applied; change the policy file instead (`python -m bot policy load`)."
        )


def change_note(session: Session, version: PolicyVersion) -> str | None:
    """For `policy show`: the proposal a version came from, who applied it and when."""
    proposal = session.scalar(select(BoundaryProposal).where(BoundaryProposal.applied_version_id == version.id))
    if proposal is None or proposal.applied_at is None or proposal.proposed_limit is None:
        return None
    who = proposal.applied_by.name if proposal.applied_by else version.loaded_by
    before = amount_text(proposal.current_limit) if proposal.current_limit is not None else "unset"
    return (
        f"applied boundary proposal #{proposal.id} ({proposal.month}): {proposal.profile} {proposal.category} "
        f"per incident {before} -> {amount_text(proposal.proposed_limit)}, "
        f"by {who} at {proposal.applied_at:%Y-%m-%d %H:%M} UTC"
    )
