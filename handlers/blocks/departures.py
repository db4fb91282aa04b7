"""Block Kit for HR's DM when Slack deactivates someone whose departure leaves something only HR can put right."""

from typing import Any

from handlers.blocks.kit import context_block, text_block
from services.text import escape_mrkdwn


def left_slack_notice(person_id: str, name: str, slack_id: str, needs: list[str], rerouted: int) -> dict[str, Any]:
    """Who left, what Latitude already did, and what is left for HR to do."""
    moved = f"{rerouted} waiting item(s) moved to whoever decides them now. " if rerouted else ""
    todo = "\n".join(f"• {escape_mrkdwn(need)}" for need in needs)
    text = (
        f":wave: Slack deactivated *{escape_mrkdwn(name)}* (<@{slack_id}>), so Latitude has too. {moved}"
        f"What needs you:\n{todo}"
    )
    return {
        "channel": person_id,
        "text": f"{escape_mrkdwn(name)} left Slack and Latitude needs you",
        "blocks": [text_block(text), context_block("Sent to HR and admins once, when Slack deactivates someone.")],
    }
