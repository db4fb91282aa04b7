"""The app's own life in a workspace: uninstalled, or its bot token revoked, either of which stops all sending at once;
workspaces joining or leaving an org-wide install."""

import logging
from typing import Any

from slack_bolt import App, BoltContext

from handlers.deps import deps_of
from handlers.people import known_workspace
from services import workspaces

log = logging.getLogger(__name__)


def register(app: App) -> None:
    app.event("app_uninstalled")(app_uninstalled)
    app.event("tokens_revoked")(tokens_revoked)
    app.event("team_access_granted")(team_access_changed)
    app.event("team_access_revoked")(team_access_changed)


def app_uninstalled(context: BoltContext) -> None:
    stop_workspace(context, "app_uninstalled")


def tokens_revoked(event: dict[str, Any], context: BoltContext) -> None:
    """Only the bot's tokens matter: Latitude holds no user tokens."""
    if (event.get("tokens") or {}).get("bot"):
        stop_workspace(context, "tokens_revoked")


def stop_workspace(context: BoltContext, reason: str) -> None:
    """Mark the workspace uninstalled, drop its queued messages and its installation; its data stays for now."""
    deps = deps_of(context)
    with deps.sessions.begin() as session:
        workspace = known_workspace(session, context)
        if workspace is None:
            log.info("%s in a workspace never installed here: nothing to stop", reason)
            return
        dropped = workspaces.record_uninstall(session, workspace=workspace, now=deps.now(), reason=reason)
        workspace_id, key = workspace.id, workspace.slack_team_id
    if deps.tokens is not None:
        deps.tokens.forget(workspace_id)
    log.info("%s in %s: stopped sending, %d queued message(s) dropped; data kept until purged", reason, key, dropped)


def team_access_changed(event: dict[str, Any], context: BoltContext) -> None:
    """Workspaces of a Grid org were added to or removed from the org-wide install: noted in the org's audit trail.

    Slack sends these with the org and no team. The org stays one workspace here, installed while its install lasts:
    the directory does not say which of the org's workspaces each person works in.
    """
    team_ids = [str(team) for team in event.get("team_ids") or []]
    deps = deps_of(context)
    with deps.sessions.begin() as session:
        workspace = known_workspace(session, context)
        if workspace is None:
            log.info("%s for an org never installed here: nothing to note", event["type"])
            return
        workspaces.record_team_access(
            session, workspace=workspace, action=event["type"], team_ids=team_ids, now=deps.now()
        )
        key = workspace.slack_team_id
    log.info("%s in %s: %s", event["type"], key, ", ".join(team_ids) or "no workspace named")
