"""Block Kit for HR's DM when Slack refuses Latitude's posts in a channel the policy names."""

import re
from typing import Any, Literal

from handlers.blocks.kit import notice
from services.text import escape_mrkdwn

ChannelUse = Literal["shout-outs", "suggestions", "messages"]
"""What Latitude's message in a channel is: a shout-out, a suggestion's post, or any other message of its own (a
card with buttons answered in a channel, say), which Slack may also refuse to change there."""

REFUSAL_CAUSES = {
    "channel_not_found": "the channel does not exist, or it is private and Latitude is not in it",
    "not_in_channel": "Latitude is not a member of the channel",
    "is_archived": "the channel is archived",
    "is_inactive": "the channel is archived, so its messages can no longer change",
}
MEANWHILE: dict[ChannelUse, str] = {
    "shout-outs": "shout-outs are only DMed to the people recognised",
    "suggestions": (
        "suggestions still reach whoever answers them, but the team neither sees them there to back them nor "
        'reads "you said, we did" there'
    ),
    "messages": "the buttons in it still act, but it does not show what was done",
}
SETTING: dict[ChannelUse, str] = {
    "shout-outs": "under `[rewards] channel`",
    "suggestions": "for the team under `[suggestions.channels]`",
}
WHAT: dict[ChannelUse, str] = {
    "shout-outs": "a shout-out's post",
    "suggestions": "a suggestion's post",
    "messages": "a message of Latitude's",
}
SUMMARY: dict[ChannelUse, str] = {
    "shout-outs": "Shout-outs cannot be posted in the recognition channel",
    "suggestions": "Suggestions cannot be posted in a team's channel",
    "messages": "A message of Latitude's cannot be updated in a channel",
}


def channel_ref(channel: str) -> str:
    """A channel as mrkdwn: a link for an id, `#name` for a channel named in the settings."""
    return f"<#{channel}>" if re.fullmatch(r"[CG][A-Z0-9]{2,}", channel) else f"#{escape_mrkdwn(channel.lstrip('#'))}"


def refused_channel_notice(
    person_id: str, use: ChannelUse, channel: str, error: str, *, updating: bool = False
) -> dict[str, Any]:
    """Why Slack refused, what happens meanwhile, and the ways to fix it. `updating`: Slack refused to change a post
    already there (a suggestion's new status), which the team then reads as it was."""
    cause = REFUSAL_CAUSES.get(error, "Slack does not let Latitude post there")
    done = f"update {WHAT[use]}" if updating else "post " + WHAT[use].removesuffix("'s post")
    meanwhile = MEANWHILE[use]
    if updating and use != "messages":
        meanwhile = f"the team reads the post there as it was, and {meanwhile}"
    where = channel_ref(channel)
    elsewhere = f", or name another channel {SETTING[use]} in the policy file" if use in SETTING else ""
    text = (
        f":warning: Slack refused to {done} in {where} (`{escape_mrkdwn(error)}`: {cause}), and will "
        f"refuse the next ones the same way. Until it is fixed, {meanwhile}.\nTo fix it, make the channel "
        f"public (and not archived) or invite Latitude with `/invite @Latitude` in the channel{elsewhere}."
    )
    once = f"You are told once a week for {where} and this error while it lasts, not for every post."
    return notice(person_id, SUMMARY[use], text, once)
