"""Block Kit for HR's DM when Slack deactivates someone whose departure leaves something only HR can put right."""

from typing import Any

from handlers.blocks.kit import context_block, text_block
from services.text import escape_mrkdwn

LEFT_SLACK = "Someone left Slack and Latitude needs you"


def left_slack_notice(
    person_id: str, name: str, slack_id: str, needs: list[str], rerouted: int, *, removed: bool = False
) -> dict[str, Any]:
    """Who left (Slack deactivated them, or `removed` them from this workspace of the Grid org), what Latitude
    already did, and what is left for HR to do."""
    moved = f"{rerouted} waiting item(s) moved to whoever decides them now. " if rerouted else ""
    todo = "\n".join(f"• {escape_mrkdwn(need)}" for need in needs)
    done = "removed" if removed else "deactivated"
    where = " from this workspace" if removed else ""
    text = (
        f":wave: Slack {done} *{escape_mrkdwn(name)}* (<@{slack_id}>){where}, so Latitude deactivated them too. {moved}"
        f"What needs you:\n{todo}"
    )
    return {
        "channel": person_id,
        "text": LEFT_SLACK,
        "blocks": [text_block(text), context_block("Sent to HR and admins once, when Slack deactivates someone.")],
    }
