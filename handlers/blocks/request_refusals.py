"""The DMs telling that a decision request never reached its decider: to the requester, and to HR and admins."""

from typing import Any

from handlers.blocks.kit import notice, text_block
from services.text import escape_mrkdwn

CAUSES = {
    "cannot_dm_bot": "{decider} is a bot user, and Slack lets no app message a bot",
    "messages_tab_disabled": "Latitude's Messages tab is turned off in its Slack app settings, so Slack delivers none "
    "of its DMs",
}
REMEDIES = {
    "cannot_dm_bot": "name a person as {requester}'s manager in the org file and import it again",
    "messages_tab_disabled": "turn the Messages tab on under *App Home* in the Slack app's settings (manifest.yml "
    "has `messages_tab_enabled: true`)",
}


def cause(error: str, decider: str) -> str:
    return CAUSES.get(error, "Slack does not let Latitude message {decider}").format(decider=f"<@{decider}>")


def requester_dm(requester: str, what: str, decider: str, error: str) -> dict[str, Any]:
    """The requester learns their request waits on nobody who has seen it, and that HR knows."""
    text = (
        f":warning: Your {escape_mrkdwn(what)} could not reach <@{decider}>: {cause(error, decider)}. "
        "It is still waiting for a decision; HR and admins have been told, to fix who decides it."
    )
    return {"channel": requester, "text": f"Your {what} could not reach its decider", "blocks": [text_block(text)]}


def hr_notice(person: str, requester: str, what: str, decider: str, error: str) -> dict[str, Any]:
    """What HR and admins must fix for the request to be decided."""
    remedy = REMEDIES.get(error, "check that Latitude may message {decider} in Slack")
    text = (
        f":warning: Slack refused to deliver <@{requester}>'s {escape_mrkdwn(what)} to <@{decider}> "
        f"(`{escape_mrkdwn(error)}`: {cause(error, decider)}), so nobody has been asked to decide it. To fix it, "
        + remedy.format(requester=f"<@{requester}>", decider=f"<@{decider}>")
        + "."
    )
    return notice(person, "A request could not reach its decider", text, "You are told once for each such request.")
