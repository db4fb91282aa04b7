"""Block Kit for HR's DMs when Slack removes workspaces of a Grid org from Latitude's org-wide install, or adds one
that had an install of its own with work still open there."""

from typing import Any

from handlers.blocks.kit import PRIVATE_NOTICE, notice, text_block
from models import Resolution, Suggestion
from services.money import format_money
from services.org_takeover import LeftOpen
from services.text import escape_mrkdwn, plural, truncate

WORKSPACES_REMOVED = "Slack removed Latitude from workspaces of your org"
LOG_AGAIN = "Your request must be logged again"
LEFT_OPEN = "Work still open in a workspace Latitude's org-wide install took over"


ALL_NAMED = (
    "`python -m bot workspace removed`, run where Latitude runs, lists them all, from the audit trail; so does "
    "Latitude's log line `team_access_revoked`"
)
WORKSPACES_NAMED = 10
"""The workspaces a removal notice names; the others are counted, or a large org's list would push what HR can do
off the end of the message."""


def workspaces_removed_notice(person_id: str, team_ids: list[str]) -> dict[str, Any]:
    """Which workspaces left, what goes on meanwhile, and what HR can do."""
    named = ", ".join(f"`{escape_mrkdwn(team_id)}`" for team_id in team_ids[:WORKSPACES_NAMED]) or "one workspace"
    if len(team_ids) > WORKSPACES_NAMED:
        named += f" and {len(team_ids) - WORKSPACES_NAMED} more ({ALL_NAMED})"
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
    return notice(person_id, WORKSPACES_REMOVED, text, "Sent to HR and admins once for each removal.")


def left_open_notice(person_id: str, team_id: str, left: LeftOpen) -> dict[str, Any]:
    """What the workspace's own directory still held when the org took it over, and how to carry it over."""
    items = [plural(left.requests, "request") + " waiting for a decision"] if left.requests else []
    items += [plural(left.nominations, "nomination") + " waiting for approval"] if left.nominations else []
    items += [plural(left.suggestions, "open suggestion")] if left.suggestions else []
    items += ["an open pulse round"] if left.pulse_open else []
    text = (
        f":warning: Latitude's org-wide install now serves `{escape_mrkdwn(team_id)}`, which had Latitude installed on "
        f"its own. Its own Latitude has stopped with {', '.join(items)} still open. These stay there and are not "
        "moved to the org: nobody can decide them here, and their buttons say so.\n"
        "Those who logged the requests and have not left are each told to log them again (`/resolve`); ask those "
        "who made the nominations to make them again (`/nominate`), let people know that whoever sent a suggestion "
        "can send it again (`/suggest`), and start a pulse round for the org (`/pulse start`) if one was running."
    )
    return notice(person_id, LEFT_OPEN, text, "Sent to HR and admins once for each workspace taken over.")


def log_again_notice(resolution: Resolution) -> dict[str, Any]:
    """The requester of a request left waiting in a workspace the org took over: nobody will decide it any more."""
    summary = escape_mrkdwn(truncate(resolution.summary, 300))
    what = f"{escape_mrkdwn(resolution.category)} of {format_money(resolution.amount, resolution.currency)}"
    text = (
        f"Your request for a {what} ({summary}) was still waiting for a decision when your org's Latitude took this "
        "workspace over. It stays with the workspace's own Latitude, which has stopped, so nobody can decide it any "
        "more. If it still needs a decision, please log it again with `/resolve`."
    )
    return {"channel": resolution.employee.slack_id, "text": LOG_AGAIN, "blocks": [text_block(text)]}


def not_sent_notice(seal: str, suggestion: Suggestion) -> dict[str, Any]:
    """The author of an anonymous idea not yet released when the org took its workspace over, reached through its
    seal: it never went out (services/suggestions/release.py). The phone shows nothing of it."""
    what = escape_mrkdwn(truncate(suggestion.what, 300))
    text = (
        f"Your anonymous suggestion ({what}) had not gone out yet when your org's Latitude took this workspace over. "
        "It stays, unsent, with the workspace's own Latitude, which has stopped. If you still want it "
        "heard, please send it again with `/suggest`."
    )
    return {"channel": seal, "text": PRIVATE_NOTICE, "blocks": [text_block(text)]}
