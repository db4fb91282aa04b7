"""Who works only in workspaces Slack removed from an org-wide install (`team_access_revoked`).

Slack names the workspaces, not the people, and a removed workspace can no longer be listed, so the install learns
who works in each workspace while it reaches it: from a whole listing (`users.list`) of each workspace Slack adds to
it (`team_access_granted`), and of each it still reaches after a removal. After a removal, someone learnt in a
removed workspace and found in none of the workspaces the install still reaches (`auth.teams.list`, then each one's
`users.list`, every page) can no longer be reached there: they leave as when Slack deactivates someone
(handlers/departures.py: what waited on them moves on, HR is told when something needs them). Nobody leaves on an
addition, nor when any listing fails, nor when Slack's list of the workspaces the install reaches lacks one Slack told
of adding and not of removing (its list may lag the event), nor without having been learnt in a removed workspace;
someone who left so and is listed again in a workspace added back is back.

A listing of a large org takes many pages, each a call Slack limits (users.list is Tier 2: about 20 a minute), so it
runs in the background after the event's ack (`Deps.background`), never on a listener thread a command needs; a
page Slack answers 429 is asked again once Slack's Retry-After has passed, a few times, before the listing counts
as failed. A listing the process stops in the middle of (a deploy) counts as failed too.
"""

import logging
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from slack_bolt import BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError
from slack_sdk.http_retry import HttpRequest, HttpResponse, RateLimitErrorRetryHandler, RetryState
from slack_sdk.web import SlackResponse
from sqlalchemy import select

from handlers.blocks.departures import OUT_OF_REACH
from handlers.delivery import client_for
from handlers.departures import follow_person
from handlers.deps import Deps, deps_of
from handlers.derived_clients import with_token
from models import Employee, Workspace
from services import org_members, org_takeover
from services.directory import SlackPerson

log = logging.getLogger(__name__)
PAGE = 200
RATE_LIMITED_RETRIES = 5
"""How many times one page Slack rate-limits is asked again, each after Slack's Retry-After."""
Listings = dict[str, set[str]]
Follow = Callable[[BoltContext, WebClient, int, list[str]], None]
T = TypeVar("T")


class Stopping(SlackClientError):
    """The process is stopping: a listing left in the middle counts as failed."""


class RateLimitWait(RateLimitErrorRetryHandler):
    """slack_sdk's retry of a 429, waiting Slack's Retry-After on `wait` (a clock tests move) instead of sleeping;
    a process `stopping` waits no more."""

    def __init__(self, wait: Callable[[float], None], stopping: threading.Event, max_retry_count: int) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self._wait, self._stopping = wait, stopping

    def prepare_for_next_attempt(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        if response is None:
            raise error or SlackClientError("rate limited with no answer")
        state.next_attempt_requested = True
        headers = {key.lower(): value for key, value in response.headers.items()}
        if self._stopping.is_set():
            raise Stopping("the process is stopping")
        self._wait(float((headers.get("retry-after") or ["1"])[0]))
        state.increment_current_attempt()


def follow_in_background(
    follow: Follow, context: BoltContext, client: WebClient, workspace_id: int, teams: list[str]
) -> None:
    """Run `follow` (`learn_added`, `follow_removal`) after the ack, off the listener thread; a failure is logged."""

    def work() -> None:
        try:
            follow(context, client, workspace_id, teams)
        except Exception:
            log.exception("following the org-wide install's team access change for %s failed", ", ".join(teams))

    deps_of(context).background(work)


def learn_added(context: BoltContext, client: WebClient, workspace_id: int, team_ids: list[str]) -> None:
    """Learn who works in each workspace Slack just added to the install; one it cannot list whole is skipped."""
    deps = deps_of(context)
    own = listing_client(deps, client, workspace_id)
    listings: Listings = {}
    for team_id in team_ids:
        try:
            if own is not None:
                listings[team_id] = members_of(own, team_id, stopping=deps.stopping)
        except (SlackClientError, OSError) as error:
            log.warning("could not list the people of %s, just added to the org-wide install (%s)", team_id, error)
    _learn(context, workspace_id, listings)
    for slack_id in _came_back(context, workspace_id, set().union(*listings.values())):
        follow_person(context, SlackPerson(slack_id, exists=True, name=slack_id), OUT_OF_REACH)


def follow_removal(context: BoltContext, client: WebClient, workspace_id: int, removed: list[str]) -> None:
    """Those learnt in the removed workspaces whom no workspace the install still reaches lists leave Latitude."""
    deps = deps_of(context)
    try:
        own = listing_client(deps, client, workspace_id)
        listings = still_reached(own, stopping=deps.stopping) if own is not None else None
    except (SlackClientError, OSError) as error:
        log.warning("could not list who the org-wide install still reaches (%s): nobody leaves", error)
        return
    if not listings:  # no workspace left at all is an uninstall, which Slack tells of by itself
        return
    _learn(context, workspace_id, listings)
    reached = set().union(*listings.values())
    with deps.sessions() as session:
        workspace = session.get(Workspace, workspace_id)
        if workspace is None:
            return
        unlisted = org_takeover.granted_teams(session, workspace) - set(removed) - set(listings)
        if unlisted:  # Slack's list lags an addition, or is short: someone of those could be taken for gone
            log.warning(
                "Slack does not list %s among the workspaces the org-wide install reaches, though it told of their "
                "addition: nobody leaves",
                ", ".join(sorted(unlisted)),
            )
            return
        gone = org_members.only_in_removed(session, workspace=workspace, removed=removed, reached=reached)
    for slack_id in gone:
        follow_person(context, SlackPerson(slack_id, exists=False), OUT_OF_REACH)


def listing_client(deps: Deps, client: WebClient, workspace_id: int) -> WebClient | None:
    """The install's client, which also waits out Slack's rate limits; None once the install is gone."""
    own = client_for(deps, client, workspace_id)
    if own is None:
        return None
    retries = [*own.retry_handlers, RateLimitWait(deps.wait, deps.stopping, max_retry_count=RATE_LIMITED_RETRIES)]
    return with_token(own, own.token, retries)


def still_reached(client: WebClient, *, stopping: threading.Event) -> Listings:
    """The people of every workspace the install reaches, by workspace; SlackApiError when Slack refuses a page."""
    teams = all_pages(client.auth_teams_list, "teams", lambda team: str(team["id"]), stopping=stopping)
    return {team_id: members_of(client, team_id, stopping=stopping) for team_id in teams}


def members_of(client: WebClient, team_id: str, *, stopping: threading.Event) -> set[str]:
    """The Slack ids of one workspace's people not deactivated (an org-wide token must name the workspace)."""
    active = all_pages(client.users_list, "members", _active_id, stopping=stopping, team_id=team_id)
    return set(active)


def _active_id(member: dict[str, Any]) -> str | None:
    return None if member.get("deleted") else str(member["id"])


def all_pages(
    call: Callable[..., SlackResponse],
    key: str,
    keep: Callable[[dict[str, Any]], T | None],
    *,
    stopping: threading.Event,
    **args: Any,
) -> list[T]:
    """What `keep` takes of each item of every page of a listing (None: nothing), page by page as each arrives, so
    a large workspace's full user objects are never all held at once; SlackApiError when Slack refuses a page,
    Stopping when the process stops meanwhile."""
    items: list[T] = []
    cursor = None
    while True:
        if stopping.is_set():
            raise Stopping("the process is stopping")
        answer = call(**args, cursor=cursor, limit=PAGE)
        kept = (keep(item) for item in answer.get(key) or [])
        items.extend(item for item in kept if item is not None)
        cursor = (answer.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            return items


def _learn(context: BoltContext, workspace_id: int, listings: Listings) -> None:
    with deps_of(context).sessions.begin() as session:
        workspace = session.get(Workspace, workspace_id)
        if workspace is None:
            return
        for team_id, slack_ids in listings.items():
            org_members.learn_members(session, workspace=workspace, team_id=team_id, slack_ids=slack_ids)


def _came_back(context: BoltContext, workspace_id: int, listed: set[str]) -> list[str]:
    """Those who left Latitude when Slack removed their workspaces (or deactivated them) and are listed again."""
    with deps_of(context).sessions() as session:
        left = session.scalars(
            select(Employee.slack_id).where(
                Employee.workspace_id == workspace_id, Employee.active.is_(False), Employee.left_slack_at.is_not(None)
            )
        ).all()
    return sorted(slack_id for slack_id in left if slack_id in listed)
