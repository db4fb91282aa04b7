"""Catch up on Slack deactivations (and reactivations) whose `user_change` never reached the app, an outage longer
than Slack's retries: each workspace installed on its own has its people listed whole once a day
(services/missed_departures.py), and whoever is out of step is read again (`users.info`, how Slack shows them now) and
followed as their event would have been, with the same hand-over and notices (handlers/departures.py).

Slack limits `users.list` (Tier 2): a page answered 429 is asked again after Slack's Retry-After
(handlers/org_access.py). Each page is reduced as it arrives to who is deactivated, so a large workspace's user objects
are never all held at once. The reads that follow are paced (`READ_EVERY`) and capped (`READS_PER_TICK`), so that a
big first run leaves the workspace's `users.info` budget to what people ask meanwhile. The workspace counts as listed
only once everyone found out of step was followed: a listing that fails, a tick that reaches its cap, someone whose
every read a change of theirs followed meanwhile overtook, a process stopping or failing in the middle leaves it due,
and the next tick lists it again (those followed meanwhile are in step by then)."""

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError

from handlers.blocks.departures import DEACTIVATED
from handlers.departures import READS, follow_in, left
from handlers.deps import Deps, InstallGone
from handlers.org_access import all_pages, listing_client
from handlers.slack_people import person_of, slack_user
from models import Workspace
from services import missed_departures
from services.departures import ReadOvertaken, SlackChange, changes_followed
from services.errors import DomainError

log = logging.getLogger(__name__)
READS_PER_TICK = 300
"""How many people out of step one tick reads again per workspace; the rest wait for the next tick."""
READ_EVERY = 1.0
"""Seconds between two reads: about 60 a minute, well under `users.info`'s limit (Tier 4, 100 and more a minute)."""


def catch_up_departures(deps: Deps, client: WebClient, *, reads: int = READS_PER_TICK) -> int:
    """Returns how many people it found out of step; it reads at most `reads` of them again per workspace."""
    with deps.sessions() as session:
        due = missed_departures.due_for_listing(session, now=deps.now())
    return sum(_catch_up(deps, client, workspace_id, reads) for workspace_id in due if not deps.stopping.is_set())


def _catch_up(deps: Deps, client: WebClient, workspace_id: int, reads: int) -> int:
    try:
        own = listing_client(deps, client, workspace_id)
        listed = [] if own is None else all_pages(own.users_list, "members", _deactivated, stopping=deps.stopping)
    except (InstallGone, SlackClientError, OSError) as error:
        log.warning("could not list the people of workspace %d to catch up on departures (%s)", workspace_id, error)
        return 0
    with deps.sessions() as session:
        workspace = session.get(Workspace, workspace_id)
        if own is None or workspace is None:
            return 0
        stale = missed_departures.out_of_step(session, workspace=workspace, deactivated=dict(listed))
    if _follow_all(deps, own, workspace_id, stale[:reads]) == len(stale):
        with deps.sessions.begin() as session:
            missed_departures.listed(session, workspace_id=workspace_id, now=deps.now())
    return len(stale)


def _deactivated(member: dict[str, Any]) -> tuple[str, bool] | None:
    """Of a listed user object, only who they are and whether Slack shows them deactivated; None for a bot."""
    slack_id = member.get("id")
    if not isinstance(slack_id, str):
        return None
    person = person_of(slack_id, member)
    return None if person.is_bot else (slack_id, not person.exists)


def _follow_all(deps: Deps, client: WebClient, workspace_id: int, stale: list[str]) -> int:
    """Follow those out of step, `READ_EVERY` apart, until the process stops; how many it followed (one whose reads
    were all overtaken is not: the workspace stays due, and the next tick reads them again)."""
    followed = 0
    for number, slack_id in enumerate(stale):
        if deps.stopping.is_set():
            break
        if number:
            deps.wait(READ_EVERY)
        followed += _follow(deps, client, workspace_id, slack_id)
    return followed


def _follow(deps: Deps, client: WebClient, workspace_id: int, slack_id: str) -> bool:
    """Follow one person as Slack shows them now (the listing may be minutes old, a change followed since); a read
    overtaken by a change followed meanwhile is made once more (services/departures.py). False when every read was."""
    for _ in range(READS):
        try:
            _read_and_follow(deps, client, workspace_id, slack_id)
            return True
        except ReadOvertaken:
            continue
    log.warning("%s changed in Slack while read %d times to catch up: read again at the next tick", slack_id, READS)
    return False


def _read_and_follow(deps: Deps, client: WebClient, workspace_id: int, slack_id: str) -> None:
    with deps.sessions() as session:
        taken = changes_followed(session, workspace_id=workspace_id, slack_id=slack_id)
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
        change = SlackChange(read_after=taken)
        departure = follow_in(session, workspace, person, DEACTIVATED, change, deps.now())
    if departure is not None:
        left(deps, slack_id, DEACTIVATED, departure)
