"""The channels of the fake workspaces: which exist, which are private or archived, who is in them.

Slack refuses a `chat.postMessage` to a channel it does not post to (https://api.slack.com/methods/chat.postMessage#errors):
- `channel_not_found`: no such channel, one of another workspace, or a private channel the bot is not in
  (a private channel is invisible to anyone outside it, apps included);
- `is_archived`: the channel was archived;
- `not_in_channel`: a public channel the bot has not joined, without the `chat:write.public` scope
  (https://api.slack.com/scopes/chat:write.public).
`chat.postEphemeral` is refused the same way, and with `user_not_in_channel` when the person it is for is not a
member of the channel (https://api.slack.com/methods/chat.postEphemeral#errors). `chat.update` of a message in a
channel answers `channel_not_found` where the bot cannot see the channel, and `is_inactive` in an archived one
("cannot be edited within a frozen, archived or deleted channel": https://api.slack.com/methods/chat.update#errors).
A DM (`D...`, or the user id in its place) is not a channel here; which ids and names a call may give is in
`destinations`.
"""

import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

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
    members: frozenset[str] | None = None
    """The people in the channel; None: everyone of the workspace, as in #general."""


class Channels:
    """The registry of channels. Thread-safe."""

    def __init__(self, team_id: str, reaches: Callable[[Grant, dict[str, Any]], bool] | None = None) -> None:
        """`reaches`: whether a token reaches someone of a workspace (`Installs.reaches`: an org-wide one, only the
        workspaces it was added to)."""
        self._known: dict[str, Channel] = {GENERAL: Channel(GENERAL, "general", team_id)}
        self._reaches = reaches or Grant.reaches
        self._lock = threading.Lock()

    def add(self, channel: Channel) -> None:
        with self._lock:
            self._known[channel.channel_id] = channel

    def change(self, channel_id: str, *, archived: bool | None = None, bot_is_member: bool | None = None) -> None:
        """Archive a channel, or invite or remove the bot, after the fact (messages already posted there stay)."""
        with self._lock:
            channel = self._known[channel_id]
            self._known[channel_id] = replace(
                channel,
                archived=channel.archived if archived is None else archived,
                bot_is_member=channel.bot_is_member if bot_is_member is None else bot_is_member,
            )

    def find(self, channel_id: str) -> Channel | None:
        with self._lock:
            return self._known.get(channel_id)

    def named(self, name: str) -> Channel | None:
        """The channel of that name (chat.postMessage takes a name in place of the id)."""
        with self._lock:
            return next((channel for channel in self._known.values() if channel.name == name), None)

    def post_problem(self, channel_id: str, grant: Grant | None, scopes: frozenset[str] | None) -> str | None:
        """Slack's error for posting to `channel_id` with this token, or None when the post is allowed."""
        if not channel_id.startswith(CHANNEL_PREFIXES):
            return None
        channel = self._visible(channel_id, grant)
        if channel is None:
            return "channel_not_found"
        if channel.archived:
            return "is_archived"
        if not channel.bot_is_member and scopes is not None and "chat:write.public" not in scopes:
            return "not_in_channel"
        return None

    def ephemeral_problem(
        self, channel_id: str, user_id: str, grant: Grant | None, scopes: frozenset[str] | None
    ) -> str | None:
        """Slack's error for an ephemeral message to `user_id` in `channel_id`, or None when it is allowed."""
        refused = self.post_problem(channel_id, grant, scopes)
        if refused or not channel_id.startswith(CHANNEL_PREFIXES):
            return refused
        channel = self.find(channel_id)
        members = channel.members if channel is not None else None
        return "user_not_in_channel" if members is not None and user_id not in members else None

    def update_problem(self, channel_id: str, grant: Grant | None) -> str | None:
        """Slack's error for changing a message in `channel_id`, or None when the channel allows it."""
        if not channel_id.startswith(CHANNEL_PREFIXES):
            return None
        channel = self._visible(channel_id, grant)
        if channel is None:
            return "channel_not_found"
        return "is_inactive" if channel.archived else None

    def _visible(self, channel_id: str, grant: Grant | None) -> Channel | None:
        """The channel, if the token sees it: it exists, is of the token's workspace (or org), and is public or
        has the bot in it."""
        channel = self.find(channel_id)
        if channel is None or (grant is not None and not self._in_reach(grant, channel)):
            return None
        return None if channel.private and not channel.bot_is_member else channel

    def _in_reach(self, grant: Grant, channel: Channel) -> bool:
        """A workspace's token posts only in that workspace's channels (an org-wide one, in those of the org's
        workspaces it is in)."""
        return self._reaches(grant, {"team_id": channel.team_id, "enterprise_id": channel.enterprise_id})
