"""Monthly: last month's requests over the limit become boundary proposals in HR's and admins' DMs."""

from datetime import datetime

from slack_sdk import WebClient
from sqlalchemy.orm import Session

from handlers.blocks.boundary_proposals import proposal_message, proposal_text
from handlers.deps import Deps
from handlers.jobs.drain_outbox import drain_outbox
from models import BoundaryProposal, Workspace
from services import directory, outbox
from services.errors import DomainError
from services.policy.versions import ActivePolicy, current_policy
from services.rewards.approvals import hr_people
from services.suggestions import proposals
from services.suggestions.apply import preview


def propose_boundaries(deps: Deps, client: WebClient, *, month: str | None = None) -> int:
    """Once per month and workspace (a rerun adds nothing): store the proposals and queue them; returns how many."""
    made = 0
    with deps.sessions.begin() as session:
        for workspace in directory.installed_workspaces(session):
            now = deps.now()
            found = proposals.propose(
                session, workspace=workspace, month=month or proposals.previous_month(now), now=now
            )
            queue_proposals(session, workspace, found, now)
            made += len(found)
    if made:
        drain_outbox(deps, client)
    return made


def queue_proposals(session: Session, workspace: Workspace, found: list[BoundaryProposal], now: datetime) -> None:
    """One DM per proposal to each active HR person and admin, for the background sender."""
    active = current_policy(session, workspace)
    if active is None:
        return
    for proposal in found:
        profiles: tuple[str, ...] = ()
        if proposal.kind == "raise" and proposal.proposed_limit is not None:
            profiles = _profiles(active, proposal)
        content = proposal_message(proposal, active.policy.currency, profiles)
        for person in hr_people(session, workspace.id):
            outbox.enqueue(
                session,
                workspace=workspace,
                key=f"proposal:{proposal.id}:{person.slack_id}",
                method="chat.postMessage",
                payload={"channel": person.slack_id, "text": proposal_text(proposal), "blocks": content},
                now=now,
            )


def _profiles(active: ActivePolicy, proposal: BoundaryProposal) -> tuple[str, ...]:
    """The profiles the change would reach; none known when the file's layout defeats the edit (Apply says so)."""
    assert proposal.proposed_limit is not None
    try:
        _text, profiles = preview(
            active.version.text, active.policy, proposal.profile, proposal.category, proposal.proposed_limit
        )
    except DomainError:
        return ()
    return profiles
