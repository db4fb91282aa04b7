"""Block Kit for HR's DM when Slack removes workspaces of a Grid org from Latitude's org-wide install."""

from typing import Any

from handlers.blocks.kit import context_block, text_block
from services.text import escape_mrkdwn

WORKSPACES_REMOVED = "Slack removed Latitude from workspaces of your org"


def workspaces_removed_notice(person_id: str, team_ids: list[str]) -> dict[str, Any]:
    """Which workspaces left, what goes on meanwhile, and what HR can do."""
    named = ", ".join(f"`{escape_mrkdwn(team_id)}`" for team_id in team_ids) or "one workspace"
    text = (
        f":warning: Slack removed Latitude from these workspaces of your org: {named}. People who work there and in "
        "no workspace of the org Latitude is still in no longer have Latitude in Slack. Those Latitude saw there and "
        "finds in none of the workspaces it is still in (it cannot list those it was never added to) are deactivated "
        "as if they had left (what waited on them moves on; you hear of anything that "
        "needs you). Anyone it never saw there, or could not check, is still sent reminders, digests, approval "
        "requests and pulse invitations, and still counts in response rates.\n"
        "If they no longer use Latitude, take them out of the org file and run `org import`; if the removal was a "
        "mistake, ask your Slack org admin to add the workspaces back: those deactivated come back with them."
    )
    return {
        "channel": person_id,
        "text": WORKSPACES_REMOVED,
        "blocks": [text_block(text), context_block("Sent to HR and admins once for each removal.")],
    }
