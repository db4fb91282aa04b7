"""Block Kit for HR's DM when Slack has nobody of an org-file Slack id in the workspace."""

from typing import Any

from handlers.blocks.kit import notice
from services.text import escape_mrkdwn

SUMMARY = "Someone in the org file has a Slack id nobody in Slack has"


def unknown_id_notice(person_id: str, name: str, slack_id: str) -> dict[str, Any]:
    """Whose line of the org file names an id Slack does not have, what they miss meanwhile, and how to fix it, in
    plain words. The id is shown as written, not as a mention: Slack could not show whom it names."""
    who = escape_mrkdwn(name)
    text = (
        f":warning: The org file gives *{who}* the Slack id `{escape_mrkdwn(slack_id)}`, and nobody in this Slack "
        "workspace has it: it is mistyped, or it is someone's id in another workspace.\n"
        f"Until it is fixed, Latitude cannot reach {who}: their App Home is not updated and they get no DMs (no pulse "
        "invitations, reminders, digests or news of their rewards). Requests waiting on their decision go up to the "
        "next person only once they have waited too long.\n"
        f"To fix it, copy {who}'s id from their Slack profile (*Copy member ID*), put it on their line of the org "
        "file, and import the file again (`python -m bot org import FILE`)."
    )
    footer = "You are reminded once a week while the id stays wrong: importing a corrected file stops it."
    return notice(person_id, SUMMARY, text, footer)
