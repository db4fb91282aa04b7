"""What a click in a message says of that message, as Slack sends it in a block_actions payload.

A click in a message has a `message` container, the channel, the state of the message's inputs (none: `{}`) and,
unless the message is ephemeral (a response, or chat.postEphemeral), the message as Slack keeps it, every block
with a `block_id` (Slack gives one to a block the app sent without): https://docs.slack.dev/reference/interaction-payloads/block_actions-payload
"""

import hashlib
from dataclasses import dataclass
from typing import Any

from bot.fakeslack.payloads import BOT_ID
from bot.fakeslack.state import BOT_USER_ID, Call


@dataclass(frozen=True)
class ClickedMessage:
    channel: str
    ts: str
    blocks: list[dict[str, Any]]
    ephemeral: bool
    text: str = ""

    @classmethod
    def of(cls, message: Call) -> "ClickedMessage":
        """The message a recorded call posted or updated, as that call showed it."""
        channel = str(message.response.get("channel") or message.channel)
        ts = str(message.response.get("ts") or message.response.get("message_ts") or message.args.get("ts") or "")
        ephemeral = message.method == "chat.postEphemeral" or bool(message.response.get("ephemeral"))
        blocks = as_slack_keeps(message.args.get("blocks") or [], ts)
        return cls(channel, ts, blocks, ephemeral, str(message.args.get("text") or ""))

    def fields(self, channel_name: str, team_id: str) -> dict[str, Any]:
        """The payload's fields about the message (all but `response_url`)."""
        container = {"type": "message", "message_ts": self.ts, "channel_id": self.channel}
        fields: dict[str, Any] = {
            "container": {**container, "is_ephemeral": self.ephemeral},
            "channel": {"id": self.channel, "name": channel_name},
            "state": {"values": {}},
        }
        if not self.ephemeral:
            sent = {"type": "message", "user": BOT_USER_ID, "bot_id": BOT_ID, "team": team_id, "ts": self.ts}
            fields["message"] = {**sent, "text": self.text, "blocks": self.blocks}
        return fields


def as_slack_keeps(blocks: list[dict[str, Any]], ts: str) -> list[dict[str, Any]]:
    """Each block with a `block_id`: the app's, or one Slack made up for it, which a click on it names too."""
    return [b if b.get("block_id") else {**b, "block_id": _made_up(ts, n)} for n, b in enumerate(blocks)]


def is_made_up(message: ClickedMessage, block: dict[str, Any]) -> bool:
    """Whether Slack made up the block's `block_id` (the app sent none): a later version of the message has others."""
    return any(block.get("block_id") == _made_up(message.ts, n) for n in range(len(message.blocks)))


def _made_up(ts: str, index: int) -> str:
    return hashlib.sha1(f"{ts}:{index}".encode()).hexdigest()[:5]


def channel_name(channel_id: str, known: str | None, *, private: bool = False) -> str:
    """The `channel.name` (a command's `channel_name`) Slack sends: `directmessage` in a DM, `privategroup` in a
    private channel, else the channel's."""
    if channel_id[:1] in ("D", "U", "W"):
        return "directmessage"
    if private:
        return "privategroup"
    return known or channel_id.lower()
