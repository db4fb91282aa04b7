"""Catch up on Slack deactivations (and reactivations) whose `user_change` never reached the app, an outage longer
than Slack's retries: each install has its people listed whole once a day (services/missed_departures.py), and whoever
is out of step is read again (`users.info`, how Slack shows them now) and followed as their event would have been,
with the same hand-over and notices (handlers/departures.py). An org-wide install's token must name the workspace it
lists (`team_id`): each workspace of the org it reaches is listed (those `auth.teams.list` names, with those Slack told
of adding, as its list may lag an addition), and someone counts as deactivated only if no listing shows them active
(a workspace they were removed from shows them deactivated there). A workspace Slack says the install no longer
reaches (`team_access_not_granted`, its removal's event lost too) is skipped, as the removal is no deactivation; one
Slack refuses to list otherwise is logged and skipped, the others are caught up, and the install stays due if the
failure may pass (a connection dropped, Slack failing or limiting), or else is asked again the next day.

Slack limits `users.list` (Tier 2): a page answered 429 is asked again after Slack's Retry-After
(handlers/org_access.py). Each page is reduced as it arrives to who is deactivated, so a large workspace's user objects
are never all held at once. The reads that follow are paced (`READ_EVERY`) and capped (`READS_PER_TICK`, per install:
an org-wide one has one share however many workspaces it lists), so that a big first run leaves the install's
`users.info` budget to what people ask meanwhile. The install counts as listed only once everyone found out of step
was read since the listing began: a listing that fails, a tick that reaches its cap, someone whose every read a change
of theirs followed meanwhile overtook, a process stopping or failing in the middle leaves it due, and the next tick
lists it again (those followed meanwhile are in step by then, and those read are not read again: someone a read leaves
out of step, removed from every workspace an org-wide install reaches, does not hold the others back)."""

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from handlers.blocks.departures import DEACTIVATED
from handlers.delivery_refusals import TOKEN_REFUSED, TRANSIENT_ERRORS
from handlers.departures import READS, follow_in, left_or_back
from handlers.deps import Deps, InstallGone
from handlers.org_access import Stopping, all_pages, listing_client
from handlers.slack_people import person_of, slack_user
from models import Workspace
from services import missed_departures
from services.departures import ReadOvertaken, SlackChange, changes_followed
from services.errors import DomainError

log = logging.getLogger(__name__)
READS_PER_TICK = 300
"""How many people out of step one tick reads again per install; the rest wait for the next tick."""
READ_EVERY = 1.0
"""Seconds between two reads: about 60 a minute, well under `users.info`'s limit (Tier 4, 100 and more a minute)."""


def catch_up_departures(deps: Deps, client: WebClient, *, reads: int = READS_PER_TICK) -> int:
    """Returns how many people it found out of step; it reads at most `reads` of them again per install."""
    with deps.sessions() as session:
        due = missed_departures.due_for_listing(session, now=deps.now())
    return sum(_catch_up(deps, client, workspace_id, reads) for workspace_id in due if not deps.stopping.is_set())


def _catch_up(deps: Deps, client: WebClient, workspace_id: int, reads: int) -> int:
    with deps.sessions() as session:
        granted = missed_departures.teams_to_list(session, workspace_id=workspace_id)
    try:
        own = listing_client(deps, client, workspace_id)
        listed, whole = ({}, True) if own is None else _listing(own, granted, deps, workspace_id)
    except (InstallGone, SlackClientError, OSError) as error:
        log.warning("could not list the people of workspace %d to catch up on departures (%s)", workspace_id, error)
        return 0
    with deps.sessions() as session:
        workspace = session.get(Workspace, workspace_id)
        if own is None or workspace is None:
            return 0
        stale = missed_departures.out_of_step(session, workspace=workspace, deactivated=listed)
        unread = missed_departures.not_read_yet(session, workspace=workspace, stale=stale, now=deps.now())
    if _follow_all(deps, own, workspace_id, unread[:reads]) == len(unread) and whole:
        with deps.sessions.begin() as session:
            missed_departures.listed(session, workspace_id=workspace_id, now=deps.now())
    return len(stale)


def _listing(
    client: WebClient, granted: list[str] | None, deps: Deps, workspace_id: int
) -> tuple[dict[str, bool], bool]:
    """Slack id -> whether Slack shows them deactivated, of the install's own workspace (`granted` None) or of each
    workspace of the org in turn, active in one of them winning; and whether the listing counts as whole: none failed
    but for a lasting refusal (logged), which the next day's listing asks again."""
    if granted is None:
        return dict(all_pages(client.users_list, "members", _deactivated, stopping=deps.stopping)), True
    teams, whole = _org_teams(client, granted, deps, workspace_id)
    listed: dict[str, bool] = {}
    for team_id in teams:
        members = _team_listing(client, team_id, deps)
        whole = whole and members is not None
        for slack_id, deactivated in members or []:
            listed[slack_id] = listed.get(slack_id, True) and deactivated
    return listed, whole


def _org_teams(client: WebClient, granted: list[str], deps: Deps, workspace_id: int) -> tuple[list[str], bool]:
    """The workspaces an org-wide install lists: those Slack says it reaches (one `auth.teams.list`, every page) and
    those Slack told of adding; only the latter when Slack does not answer, not counting as whole unless it refused
    for good."""
    whole = True
    try:
        reached = all_pages(client.auth_teams_list, "teams", lambda team: str(team["id"]), stopping=deps.stopping)
    except (SlackClientError, OSError) as error:
        if isinstance(error, Stopping):
            raise
        log.warning("Slack did not say which workspaces install %d reaches (%s): those it told of", workspace_id, error)
        reached, whole = [], _lasting(error)
    teams = sorted(set(reached) | set(granted))
    if not teams:
        log.warning("org-wide install %d reaches no workspace: nobody listed to catch up on departures", workspace_id)
    return teams, whole


def _team_listing(client: WebClient, team_id: str, deps: Deps) -> list[tuple[str, bool]] | None:
    """One workspace's listing; empty when the install no longer reaches it or Slack refuses it for good (logged: the
    next day's listing asks again); None when it failed otherwise (a connection dropped, Slack failing or limiting:
    the install stays due, the next tick asks once more). The process stopping stops the whole listing."""
    try:
        return all_pages(client.users_list, "members", _deactivated, stopping=deps.stopping, team_id=team_id)
    except (SlackClientError, OSError) as error:
        if isinstance(error, Stopping):
            raise
        if isinstance(error, SlackApiError) and error.response.get("error") == "team_access_not_granted":
            log.info("%s is no longer reached by the org-wide install: not listed to catch up on departures", team_id)
            return []
        lasting = _lasting(error)
        log.warning(
            "could not list the people of %s to catch up on departures (%s): asked again %s",
            team_id,
            error,
            "tomorrow" if lasting else "at the next tick",
        )
        return [] if lasting else None


def _lasting(error: Exception) -> bool:
    """Whether Slack refused for good (`team_not_found` of an archived workspace...): not a dropped connection, nor
    Slack failing, limiting or refusing the token (uninstalled meanwhile, or renewed by another process)."""
    if not isinstance(error, SlackApiError):
        return False
    status, code = error.response.status_code, error.response.get("error")
    return status != 429 and status < 500 and code not in TRANSIENT_ERRORS | TOKEN_REFUSED


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
    with deps.sessions.begin() as session:
        workspace = session.get(Workspace, workspace_id)
        if workspace is None or not workspace.installed:
            return
        before = missed_departures.standing(session, workspace_id=workspace_id, slack_id=slack_id)
        followed = None
        if user is not None:
            change = SlackChange(read_after=taken)
            followed = follow_in(session, workspace, person_of(slack_id, user), DEACTIVATED, change, deps.now())
        changed = missed_departures.standing(session, workspace_id=workspace_id, slack_id=slack_id) != before
        missed_departures.read_again(
            session, workspace_id=workspace_id, slack_id=slack_id, now=deps.now(), changed=changed
        )
    if followed is not None:
        left_or_back(deps, slack_id, DEACTIVATED, followed)
