""" "You said, we did": who hears about a done suggestion, and the author's shout-out. Callers commit."""

import hashlib
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy.orm import Session

from models import Employee, Nomination, Suggestion, Workspace
from services import directory
from services.policy.rewards import SHOUTOUT
from services.rewards.approvals import grant_for
from services.rewards.grants import reward_policy
from services.suggestions.anonymity import group_of
from services.suggestions.lifecycle import settings_of


@dataclass(frozen=True)
class Audience:
    """Where "you said, we did" goes: the team's channel, else a DM to each person of the team."""

    channel: str | None
    people: tuple[str, ...]


def audience(session: Session, workspace: Workspace, suggestion: Suggestion) -> Audience:
    """The channel of the team the idea came from, kept with it (models/suggestion.py) whoever leads that team since;
    without one, the team's manager and its people among their direct reports."""
    settings, _threshold = settings_of(session, workspace)
    channel = settings.channel_of(suggestion.team.name) if suggestion.team is not None else None
    if channel is not None:
        return Audience(channel, ())
    manager = suggestion.team_manager
    if manager is None:
        people = [suggestion.author.slack_id] if suggestion.author is not None else []
        return Audience(None, tuple(people))
    members = sorted(teammates(session, suggestion, manager), key=lambda person: person.name)
    return Audience(None, tuple(dict.fromkeys([manager.slack_id, *(person.slack_id for person in members)])))


def teammates(session: Session, suggestion: Suggestion, manager: Employee) -> list[Employee]:
    """The manager's direct reports of the team the idea came from, not every one: someone leading a team directly
    (an admin, say) may also lead the managers of other teams and people of other teams, and a manager sitting in
    another team may lead it since an import. A named idea's team is its author's when they sent it; an anonymous
    one's is the group its author hid in (anonymity.group_of)."""
    if suggestion.anonymous:
        return group_of(session, manager, suggestion.team_id)
    reports = directory.direct_reports(session, manager.id)
    return [person for person in reports if person.team_id == suggestion.team_id]


def team_channel(session: Session, workspace: Workspace, suggestion: Suggestion) -> str | None:
    """The channel the policy names for the team the idea came from, where colleagues can back it."""
    return audience(session, workspace, suggestion).channel


def thank_author(session: Session, *, suggestion: Suggestion, decider: Employee, now: datetime) -> Nomination | None:
    """A shout-out from the decider in the author's recognition history; none when anonymous (it would name them)."""
    author = suggestion.author
    if author is None or author.id == decider.id or suggestion.nomination_id is not None:
        return None
    item = reward_policy(session, session.get_one(Workspace, suggestion.workspace_id)).catalog[SHOUTOUT]
    nomination = Nomination(
        workspace_id=suggestion.workspace_id,
        nominator=decider,
        nominee=author,
        item_key=item.key,
        title=item.title,
        kind=item.kind,
        value=Decimal(0),
        unit=item.unit,
        needs_approval=False,
        reason=f"You said, we did: {suggestion.what} — {suggestion.change}",
        public=False,  # thanked in the team's channel (or DMs), not the recognition channel every Home shows
        fingerprint=hashlib.sha256(f"suggestion:{suggestion.id}".encode()).hexdigest(),
        status="approved",
        created_at=now,
    )
    session.add(nomination)
    session.flush()
    grant_for(session, nomination, approver=None, now=now)
    suggestion.nomination_id = nomination.id
    session.flush()
    return nomination
