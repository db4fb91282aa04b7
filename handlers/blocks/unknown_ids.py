"""Block Kit for HR's DM when Slack has nobody of an org-file Slack id in the workspace."""

from typing import Any

from handlers.blocks.kit import notice
from services.text import escape_mrkdwn

SUMMARY = "Slack has nobody with a Slack id of the org file"


def unknown_id_notice(person_id: str, name: str, slack_id: str) -> dict[str, Any]:
    """Whose line of the org file names an id Slack does not have, what happens meanwhile, and how to fix it. The id
    is shown as written, not as a mention: Slack could not show whom it names."""
    who = f"*{escape_mrkdwn(name)}* (`{escape_mrkdwn(slack_id)}`)"
    text = (
        f":warning: The org file lists {who}, but Slack has nobody with the Slack id `{escape_mrkdwn(slack_id)}` in "
        "this workspace (`users.info`: `user_not_found`): the id is mistyped, or belongs to another workspace. Until "
        "it is fixed, Latitude cannot reach them: it publishes no App Home and sends no DM to them.\n"
        f"To fix it, correct the `slack_id` on {escape_mrkdwn(name)}'s line of the org file (their id is under "
        "*Copy member ID* in their Slack profile) and import it again (`python -m bot org import FILE`)."
    )
    once = f"You are told once a week for `{escape_mrkdwn(slack_id)}` until the org file is imported again."
    return notice(person_id, SUMMARY, text, once)
