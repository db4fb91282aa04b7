"""Who an org-wide install still reaches after Slack removed workspaces of the Grid org from it, or added them back
(`team_access_revoked`, `team_access_granted`).

Slack says only which workspaces changed, not who works in them: the install asks which workspaces it still reaches
(`auth.teams.list`) and who is in each (`users.list`). Someone of the directory in none of them works only in
removed workspaces: Latitude can no longer reach them, so they leave as when Slack deactivates someone
(handlers/departures.py: what waited on them moves, HR is told when something needs them, nothing more is sent to
them); someone who left so and is reached again is back. When Slack cannot say all of it, nobody changes.
"""

import logging
from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError
from slack_sdk.web import SlackResponse
from sqlalchemy import select

from handlers.blocks.departures import OUT_OF_REACH
from handlers.delivery import client_for
from handlers.departures import follow_person
from handlers.deps import Deps
from models import Employee, Workspace
from services.directory import SlackPerson

log = logging.getLogger(__name__)
PAGE = 200


def follow_team_access(deps: Deps, client: WebClient, workspace_id: int) -> None:
    """Bring the org's directory in line with who its org-wide install still reaches (after the event's ack)."""
    try:
        own = client_for(deps, client, workspace_id)
        reached = people_reached(own) if own is not None else None
    except (SlackClientError, OSError) as error:
        log.warning("could not list who the org-wide install still reaches (%s): nobody changes", error)
        return
    if not reached:  # no workspace left at all is an uninstall, which Slack tells of by itself
        return
    with deps.sessions() as session:
        people = session.execute(
            select(Employee.slack_id, Employee.active, Employee.left_slack_at).where(
                Employee.workspace_id == workspace_id
            )
        ).all()
    for slack_id, active, left_at in people:
        if active and slack_id not in reached:
            follow_person(deps, _workspace(workspace_id), SlackPerson(slack_id, exists=False), OUT_OF_REACH)
        elif not active and left_at is not None and slack_id in reached:
            follow_person(
                deps, _workspace(workspace_id), SlackPerson(slack_id, exists=True, name=slack_id), OUT_OF_REACH
            )


def people_reached(client: WebClient) -> set[str]:
    """The Slack ids of the people, not deactivated, of every workspace the install reaches."""
    teams = _all(client.auth_teams_list, "teams")
    members = [member for team in teams for member in _all(client.users_list, "members", team_id=team["id"])]
    return {str(member["id"]) for member in members if not member.get("deleted")}


def _all(call: Callable[..., SlackResponse], key: str, **args: Any) -> list[dict[str, Any]]:
    """Every page of a listing; SlackApiError when Slack refuses one."""
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        answer = call(**args, cursor=cursor, limit=PAGE)
        items.extend(answer.get(key) or [])
        cursor = (answer.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            return items


def _workspace(workspace_id: int) -> Callable[[Any], Workspace | None]:
    return lambda session: session.get(Workspace, workspace_id)
