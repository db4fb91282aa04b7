"""Block Kit for HR's DM when Slack refuses Latitude's posts in a channel the policy names."""

import re
from typing import Any, Literal

from handlers.blocks.kit import context_block, text_block
from services.text import escape_mrkdwn

ChannelUse = Literal["shout-outs", "suggestions"]

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
}
SETTING: dict[ChannelUse, str] = {
    "shout-outs": "under `[rewards] channel`",
    "suggestions": "for the team under `[suggestions.channels]`",
}
SUMMARY: dict[ChannelUse, str] = {
    "shout-outs": "Shout-outs cannot be posted in the recognition channel",
    "suggestions": "Suggestions cannot be posted in a team's channel",
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
    what = "a shout-out" if use == "shout-outs" else "a suggestion"
    done = f"update {what}'s post" if updating else f"post {what}"
    meanwhile = f"the team reads the post there as it was, and {MEANWHILE[use]}" if updating else MEANWHILE[use]
    where = channel_ref(channel)
    text = (
        f":warning: Slack refused to {done} in {where} (`{escape_mrkdwn(error)}`: {cause}), and will "
        f"refuse the next ones the same way. Until it is fixed, {meanwhile}.\nTo fix it, make the channel "
        "public (and not archived) or invite Latitude with `/invite @Latitude` in the channel, or name another "
        f"channel {SETTING[use]} in the policy file."
    )
    once = f"You are told once a week for {where} and this error while it lasts, not for every post."
    return {"channel": person_id, "text": SUMMARY[use], "blocks": [text_block(text), context_block(once)]}
