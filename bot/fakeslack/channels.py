"""The channels of the fake workspaces: which exist, which are private or archived, which the bot is in.

Slack refuses a `chat.postMessage` to a channel it does not post to (https://api.slack.com/methods/chat.postMessage#errors):
- `channel_not_found`: no such channel, one of another workspace, or a private channel the bot is not in
  (a private channel is invisible to anyone outside it, apps included);
- `is_archived`: the channel was archived;
- `not_in_channel`: a public channel the bot has not joined, without the `chat:write.public` scope
  (https://api.slack.com/scopes/chat:write.public).
A DM (`D...`, or the user id in its place) is not a channel here.
"""

import threading
from dataclasses import dataclass

from bot.fakeslack.installs import Grant

GENERAL = "C0GENERAL"
"""Every workspace has a #general, which everyone, the bot included, is in."""
CHANNEL_PREFIXES = ("C", "G")


@dataclass(frozen=True)
class Channel:
    channel_id: str
    name: str
    team_id: str
    enterprise_id: str | None = None
    private: bool = False
    archived: bool = False
    bot_is_member: bool = True


class Channels:
    """The registry of channels. Thread-safe."""

    def __init__(self, team_id: str) -> None:
        self._known: dict[str, Channel] = {GENERAL: Channel(GENERAL, "general", team_id)}
        self._lock = threading.Lock()

    def add(self, channel: Channel) -> None:
        with self._lock:
            self._known[channel.channel_id] = channel

    def find(self, channel_id: str) -> Channel | None:
        with self._lock:
            return self._known.get(channel_id)

    def post_problem(self, channel_id: str, grant: Grant | None, scopes: frozenset[str] | None) -> str | None:
        """Slack's error for posting to `channel_id` with this token, or None when the post is allowed."""
        if not channel_id.startswith(CHANNEL_PREFIXES):
            return None
        channel = self.find(channel_id)
        if channel is None or (grant is not None and not _reaches(grant, channel)):
            return "channel_not_found"
        if channel.private and not channel.bot_is_member:
            return "channel_not_found"
        if channel.archived:
            return "is_archived"
        if not channel.bot_is_member and scopes is not None and "chat:write.public" not in scopes:
            return "not_in_channel"
        return None


def _reaches(grant: Grant, channel: Channel) -> bool:
    """A workspace's token posts only in that workspace's channels (an org-wide one, in the org's)."""
    return grant.reaches({"team_id": channel.team_id, "enterprise_id": channel.enterprise_id})
