"""Where a call says to post, as Slack reads it: a conversation id, a user id, or (for chat.postMessage) a name.

- chat.postMessage takes "an encoded ID or channel name" (https://docs.slack.dev/reference/methods/chat.postMessage);
  a user id (`U…`, `W…`) posts in the app's DM with that person and the answer's `channel` is the DM's `D…` id,
  which chat.update needs: "A `user_id` won't work for this method ... the conversation ID of the DM ... can be
  gathered from the response of a `chat.postMessage` that uses the `user_id`"
  (https://github.com/slackapi/bolt-python/issues/951). Anything else is `channel_not_found`.
- chat.update and chat.delete take the id of the conversation the message is in: a user id or a channel name is
  `channel_not_found` (https://github.com/slackapi/python-slack-sdk/issues/528, .../issues/696).
- files.completeUploadExternal's `channel_id` must match `^[CGDZ][A-Z0-9]{8,}$`: a user id there is
  `invalid_arguments` ("input must match regex pattern ... [json-pointer:/channel_id]":
  https://github.com/slackapi/bolt-js/issues/2115); its `channels` takes "channel IDs or user IDs", at most 100
  (`channels_limit_exceeded`: https://docs.slack.dev/reference/methods/files.completeUploadExternal). The stand-in
  checks the prefix and the characters, not the length: its ids are shorter than Slack's.
- A user id, or a DM's `D…` id, of someone Slack does not know finds nothing: `channel_not_found` where a call names a
  conversation (chat.postMessage, chat.update, chat.delete, chat.postEphemeral, a shared file), `user_not_found` in
  conversations.open's `users` ("Value(s) passed for users was invalid":
  https://docs.slack.dev/reference/methods/conversations.open#errors).
"""

import re
from collections.abc import Collection
from typing import Any

from bot.fakeslack.channels import Channels
from bot.fakeslack.state import dm_channel, dm_users

Answer = dict[str, Any]

CONVERSATION_PREFIXES = ("C", "G", "D")
USER_PREFIXES = ("U", "W")
UPLOAD_CHANNEL_ID = re.compile(r"^[CGDZ][A-Z0-9]+$")
UPLOAD_PATTERN = "^[CGDZ][A-Z0-9]{8,}$"
MOST_UPLOAD_CHANNELS = 100


def posted_to(channels: Channels, channel: str) -> str | None:
    """The conversation chat.postMessage posts in: a channel id as given, a person's DM for their user id, the
    channel of that name; None when Slack would find nothing (`channel_not_found`)."""
    if channel.startswith(CONVERSATION_PREFIXES):
        return channel
    if channel.startswith(USER_PREFIXES):
        return dm_channel(channel)
    named = channels.named(channel.removeprefix("#"))
    return named.channel_id if named is not None else None


def unknown_person(known: Collection[str], channel: str) -> bool:
    """Whether `channel` is a user id, or a DM's id, of nobody in `known` (the people of the fake's workspaces)."""
    people = dm_users(channel)
    return bool(people) and not any(person in known for person in people)


def ephemeral_reader_problem(known: Collection[str], channel: str, user: str) -> str | None:
    """Slack's refusal of an ephemeral message in a DM, or for someone it does not know: it is for a member of the
    conversation (`user_not_in_channel`: https://docs.slack.dev/reference/methods/chat.postEphemeral#errors), and a
    DM's only member besides the bot is its person."""
    people = dm_users(channel)
    return "user_not_in_channel" if user not in known or (people and user not in people) else None


def names_a_conversation(channel: str) -> bool:
    """Whether `channel` may name the conversation of a message to change (chat.update, chat.delete)."""
    return channel.startswith(CONVERSATION_PREFIXES)


def upload_problem(args: dict[str, Any]) -> tuple[Answer, str] | None:
    """Slack's refusal of files.completeUploadExternal's `channel_id` or `channels` by their form, with what it says
    went wrong; None when their form is fine."""
    channel_id = str(args.get("channel_id") or "")
    if channel_id and not UPLOAD_CHANNEL_ID.match(channel_id):
        said = f"input must match regex pattern: {UPLOAD_PATTERN} [json-pointer:/channel_id]"
        return {"ok": False, "error": "invalid_arguments", "response_metadata": {"messages": [f"[ERROR] {said}"]}}, said
    shared = upload_channels(args)
    if len(shared) > MOST_UPLOAD_CHANNELS:
        return {"ok": False, "error": "channels_limit_exceeded"}, f"{len(shared)} channels"
    strange = [c for c in shared if not c.startswith((*CONVERSATION_PREFIXES, *USER_PREFIXES))]
    if strange:
        return {"ok": False, "error": "invalid_channel"}, f"{strange[0]} is no channel or user id"
    return None


def upload_channels(args: dict[str, Any]) -> list[str]:
    """The conversations (or people) `channels` names, one to a comma."""
    return [part.strip() for part in str(args.get("channels") or "").split(",") if part.strip()]
