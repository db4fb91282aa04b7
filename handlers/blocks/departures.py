"""Block Kit for HR's DM when Slack deactivates someone whose departure leaves something only HR can put right."""

from typing import Any

from handlers.blocks.kit import notice
from services.text import escape_mrkdwn

DEACTIVATED, REMOVED, OUT_OF_REACH = "deactivated", "removed", "out_of_reach"
"""How someone left: Slack deactivated them; an org admin removed them from this workspace of the Grid org; or every
workspace they were seen in was removed from the org-wide install, and none it still reaches lists them (they may
still work in a workspace it was never added to, which it cannot list)."""
_LEFT = {
    DEACTIVATED: "Slack deactivated {who}",
    REMOVED: "Slack removed {who} from this workspace",
    OUT_OF_REACH: (
        "{who} is in no workspace of the org that Latitude's org-wide install is still in (Slack removed it from "
        "those Latitude saw them in)"
    ),
}
_LEFT_SLACK = (
    "{name} left Slack and Latitude needs you",
    "Sent to HR and admins once, when Slack deactivates someone.",
)
_TOLD = {
    DEACTIVATED: _LEFT_SLACK,
    REMOVED: _LEFT_SLACK,
    OUT_OF_REACH: (
        "{name} is out of Latitude's reach and Latitude needs you",
        "Sent to HR and admins once, when someone is in no workspace Latitude is still in.",
    ),
}


def left_slack_notice(
    person_id: str, name: str, slack_id: str, needs: list[str], rerouted: int, *, how: str = DEACTIVATED
) -> dict[str, Any]:
    """Who left and `how`, what Latitude already did, and what is left for HR to do."""
    moved = f"{rerouted} waiting item(s) moved to whoever decides them now. " if rerouted else ""
    todo = "\n".join(f"• {escape_mrkdwn(need)}" for need in needs)
    left = _LEFT[how].format(who=f"*{escape_mrkdwn(name)}* (<@{slack_id}>)")
    text = f":wave: {left}, so Latitude has deactivated them. {moved}What needs you:\n{todo}"
    title, told = _TOLD[how]
    return notice(person_id, title.format(name=escape_mrkdwn(name)), text, told)
