"""Catch up on Slack deactivations (and reactivations) whose `user_change` never reached the app, an outage longer
than Slack's retries: each workspace installed on its own has its people listed whole once a day
(services/missed_departures.py), and whoever is out of step is read again (`users.info`, how Slack shows them now) and
followed as their event would have been, with the same hand-over and notices (handlers/departures.py).

Slack limits `users.list` (Tier 2): a page answered 429 is asked again after Slack's Retry-After
(handlers/org_access.py). A listing that fails, or that a stopping process leaves in the middle, leaves the workspace
due: the next tick lists it again."""

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError

from handlers.blocks.departures import DEACTIVATED
from handlers.departures import follow_in, left
from handlers.deps import Deps, InstallGone
from handlers.org_access import all_pages, listing_client
from handlers.slack_people import person_of, slack_user
from models import Workspace
from services import missed_departures
from services.departures import SlackChange
from services.errors import DomainError

log = logging.getLogger(__name__)
READ_NOW = SlackChange(read_now=True)


def catch_up_departures(deps: Deps, client: WebClient) -> int:
    """Returns how many people it found out of step."""
    with deps.sessions() as session:
        due = missed_departures.due_for_listing(session, now=deps.now())
    return sum(_catch_up(deps, client, workspace_id) for workspace_id in due if not deps.stopping.is_set())


def _catch_up(deps: Deps, client: WebClient, workspace_id: int) -> int:
    try:
        own = listing_client(deps, client, workspace_id)
        members = [] if own is None else all_pages(own.users_list, "members", stopping=deps.stopping)
    except (InstallGone, SlackClientError, OSError) as error:
        log.warning("could not list the people of workspace %d to catch up on departures (%s)", workspace_id, error)
        return 0
    listed = [person_of(str(member["id"]), member) for member in members if isinstance(member.get("id"), str)]
    with deps.sessions.begin() as session:
        workspace = session.get(Workspace, workspace_id)
        if own is None or workspace is None:
            return 0
        gone = {person.slack_id: not person.exists for person in listed if not person.is_bot}
        stale = missed_departures.out_of_step(session, workspace=workspace, deactivated=gone)
        missed_departures.listed(session, workspace_id=workspace_id, now=deps.now())
    for slack_id in stale:
        _follow(deps, own, workspace_id, slack_id)
    return len(stale)


def _follow(deps: Deps, client: WebClient, workspace_id: int, slack_id: str) -> None:
    """Follow one person as Slack shows them now (the listing may be minutes old, a change followed since)."""
    try:
        user = slack_user(client, slack_id)
    except DomainError:
        return  # logged: the next listing finds them again
    if user is None:
        return
    person = person_of(slack_id, user)
    with deps.sessions.begin() as session:
        workspace = session.get(Workspace, workspace_id)
        if workspace is None or not workspace.installed:
            return
        departure = follow_in(session, workspace, person, DEACTIVATED, READ_NOW, deps.now())
    if departure is not None:
        left(deps, slack_id, DEACTIVATED, departure)
