"""What an org-wide install can list of its Grid org: the workspaces it reaches (`auth.teams.list`) and the people of
one of them (`users.list`, which an org-wide token must give a `team_id`); what any install finds by email
(`users.lookupByEmail`): someone it reaches. Slack stops listing a workspace removed from the install
(`team_access_revoked`): https://docs.slack.dev/reference/methods/auth.teams.list,
https://docs.slack.dev/reference/methods/users.list

A workspace's listing shows its own view of each person: someone an org admin removed from it (`admin.users.remove`)
still shows there, deactivated in that workspace (`deleted`), while the workspaces they still work in, and
`users.info`, show them active; `auth.teams.list` answers an org-wide token only.
"""

from typing import Any

from bot.fakeslack.installs import Grant
from bot.fakeslack.people import teams_of
from bot.fakeslack.state import SlackState

Answer = dict[str, Any]
MAX_LIMIT = 1000


def reached_teams(state: SlackState, grant: Grant) -> list[str]:
    """The workspaces the token reaches: its own, or (org-wide) those an org admin added the install to and Slack has
    not removed it from since; none before the first `team_access_granted`."""
    if not grant.org_wide:
        return [str(grant.team_id)]
    return sorted(state.installs.reached_teams(str(grant.enterprise_id)))


def auth_teams_list(state: SlackState, grant: Grant | None, args: dict[str, Any]) -> Answer:
    assert grant is not None
    teams = [{"id": team, "name": state.installs.names.get(team, team)} for team in reached_teams(state, grant)]
    return _page(teams, "teams", args)


def users_list(state: SlackState, grant: Grant | None, args: dict[str, Any]) -> Answer:
    assert grant is not None
    team = args.get("team_id") or (None if grant.org_wide else grant.team_id)
    if not team:
        return {"ok": False, "error": "missing_argument"}
    if team not in reached_teams(state, grant):
        return {"ok": False, "error": "team_access_not_granted"}
    members = []
    for user_id, user in state.users.items():
        if team in teams_of(user):
            members.append(user)
        elif team in state.removed_from.get(user_id, ()):
            members.append({**user, "deleted": True})  # as that workspace shows them
    return _page(members, "members", args)


def users_by_email(state: SlackState, grant: Grant | None, args: dict[str, Any]) -> Answer:
    """The active person of the token's workspaces whose profile has the email: "An email address belonging to a user
    in the workspace", anyone else `users_not_found` (https://docs.slack.dev/reference/methods/users.lookupByEmail):
    not someone of another workspace, nor someone deactivated (`deleted`), nor, for no email at all, someone whose
    profile shows none."""
    assert grant is not None
    email = str(args.get("email") or "")
    for user in state.users.values():
        if not email or user.get("deleted") or user["profile"].get("email") != email:
            continue
        if state.installs.reaches(grant, user):
            return {"ok": True, "user": user}
    return {"ok": False, "error": "users_not_found"}


def _page(items: list[Any], key: str, args: dict[str, Any]) -> Answer:
    """One page of `limit` (at most 1000; none or 0: Slack tries to give the whole set in one), from the `cursor` of
    the page before."""
    cursor, limit = str(args.get("cursor") or "0"), int(args.get("limit") or 0)
    if not cursor.isdigit():
        return {"ok": False, "error": "invalid_cursor"}
    if not 0 <= limit <= MAX_LIMIT:
        return {"ok": False, "error": "invalid_limit"}
    start = int(cursor)
    limit = limit or max(len(items) - start, 1)
    rest = str(start + limit) if start + limit < len(items) else ""
    return {"ok": True, key: items[start : start + limit], "response_metadata": {"next_cursor": rest}}
