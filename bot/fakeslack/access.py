"""Which token may make a call: the app-level token, the app's client credentials, or a live bot token that
reaches the people the call names (a workspace's token reaches only its workspace; an org-wide one the org) and
posts, and changes messages, only where the bot may (`channels`); DMs only with people Slack lets it message, and
Homes only with its Home tab on (`app_home`)."""

from typing import Any

from bot.fakeslack.destinations import (
    ephemeral_reader_problem,
    names_a_conversation,
    posted_to,
    unknown_person,
    upload_channels,
    upload_problem,
)
from bot.fakeslack.installs import Grant, expired
from bot.fakeslack.manifest import missing_scope
from bot.fakeslack.state import SlackState, dm_channel, dm_users

Args = dict[str, Any]
Answer = dict[str, Any]

APP_TOKEN_METHODS = frozenset({"apps.connections.open"})
CLIENT_METHODS = frozenset({"oauth.v2.access"})
USER_ARGS = ("channel", "channel_id", "channels", "user", "user_id", "users")
"""Where a call names a person (or the DM with one)."""
LISTS = frozenset({"users", "channels"})
"""Those of them that name several, one to a comma."""
LOOKUPS = frozenset({"users.info"})
"""Asking about someone outside the workspace is fine (Slack says `user_not_found`, or for someone met in a Slack
Connect channel, answers as of their own workspace); messaging them, or publishing their Home, is a bug."""


def token_problem(state: SlackState, name: str, token: str) -> Answer | None:
    """Slack's answer to a call made with the wrong or an expired token, or a token without the method's scope."""
    if name in CLIENT_METHODS:
        return None
    grant = state.installs.grant(token)
    if name in APP_TOKEN_METHODS:
        return None if token == state.app_token else _wrong_token(grant is not None, token)
    if grant is None and token in state.installs.revoked:
        return {"ok": False, "error": "token_revoked"}
    if grant is None:
        return _wrong_token(token == state.app_token, token)
    if expired(grant):
        return {"ok": False, "error": "token_expired"}
    return missing_scope(name, state.scopes)


def _wrong_token(other_kind: bool, token: str) -> Answer:
    if other_kind:
        return {"ok": False, "error": "not_allowed_token_type"}
    return {"ok": False, "error": "not_authed" if not token else "invalid_auth"}


def reach_problem(state: SlackState, name: str, args: Args, grant: Grant | None) -> Answer | None:
    """A token used for someone outside its workspace (or org): Slack does not find them, and the bot has a bug."""
    if grant is None:
        return None
    for key in USER_ARGS:
        for user_id in str(args.get(key) or "").split(",") if key in LISTS else [str(args.get(key) or "")]:
            strangers = [
                u for u in dm_users(user_id) if u in state.users and not state.installs.reaches(grant, state.users[u])
            ]
            if name in LOOKUPS:
                strangers = [u for u in strangers if grant.team_id not in state.connected.get(u, ())]
            elif strangers:
                owner = grant.enterprise_id if grant.org_wide else grant.team_id
                state.reject(name, [f"the token of {owner} used for {strangers[0]}, who is not there"])
            if strangers:
                return _not_found(name, key)
    return None


def _not_found(name: str, key: str) -> Answer:
    """A Home published with a token that does not reach the person (of another workspace, or a Slack Connect
    stranger) is refused as a guard against the app's bugs, recorded as a violation (`reach_problem`): no reference
    says what Slack answers then. Reports of a token of another workspace show Slack saying "invalid `user_id`"
    (slackapi/bolt-js#494), the answer given here."""
    if name == "views.publish":
        return invalid_user_id()
    return {"ok": False, "error": "channel_not_found" if key.startswith("channel") else "user_not_found"}


NAMING_PEOPLE = {
    "chat.postMessage": ("channel",),
    "chat.postEphemeral": ("channel",),
    "chat.update": ("channel",),
    "chat.delete": ("channel",),
    "conversations.open": ("users",),
    "files.completeUploadExternal": ("channel_id", "channels"),
}
"""Where a call may name a person, or the DM with one, to post to."""
UNKNOWN_PERSON_ERRORS = {"conversations.open": "user_not_found", "files.completeUploadExternal": "invalid_channel"}
"""Slack's error for such a call where it is not `channel_not_found` (each method's documented list)."""
INVALID_USER_ID = "invalid `user_id`"
"""What views.publish says (`invalid_arguments`) of a `user_id` that is nobody Slack knows. The errors table of its
reference names no error for that (no `user_not_found`); the closest it documents is its "Common error response",
this one, "before getting to any possible validation errors" (https://docs.slack.dev/reference/methods/views.publish,
as https://api.slack.com/methods/views.publish had it)."""


def invalid_user_id() -> Answer:
    return {"ok": False, "error": "invalid_arguments", "response_metadata": {"messages": [INVALID_USER_ID]}}


def unknown_problem(state: SlackState, name: str, args: Args) -> Answer | None:
    """Slack's answer to a call naming a person it does not know, or the DM with one (`destinations`), or publishing
    their Home; recorded, for it is a bug: of the bot, or of a test that never added the person to the workspace. A
    file's ids are judged by their form first (`upload_problem`)."""
    if name == "files.completeUploadExternal" and upload_problem(args) is not None:
        return None
    if name == "views.publish":
        return _unknown_home_reader(state, str(args.get("user_id") or ""))
    for key in NAMING_PEOPLE.get(name, ()):
        for named in str(args.get(key) or "").split(",") if key in LISTS else [str(args.get(key) or "")]:
            if unknown_person(state.users, named.strip()):
                state.reject(name, [f"{named.strip()} is nobody the workspace knows"])
                return {"ok": False, "error": UNKNOWN_PERSON_ERRORS.get(name, "channel_not_found")}
    return None


def _unknown_home_reader(state: SlackState, user_id: str) -> Answer | None:
    """A Home is published for a person by their user id, never a DM's id: anyone else is refused, and recorded."""
    if user_id in state.users:
        return None
    state.reject("views.publish", [f"{user_id or 'no user_id'} is nobody the workspace knows"])
    return invalid_user_id()


def channel_problem(state: SlackState, name: str, args: Args, grant: Grant | None) -> Answer | None:
    """Slack's answer to a post, an ephemeral message, an update or a shared file in a conversation it cannot find,
    one archived, or one the bot may not post in (see `channels` and `destinations`); None for any other call, and
    for DMs."""
    channel, channels = str(args.get("channel") or ""), state.channels
    if name == "files.completeUploadExternal":
        return _upload_refused(state, args, grant)
    if name == "chat.postMessage":
        posted = posted_to(channels, channel)
        error = channels.post_problem(posted, grant, state.scopes) if posted else "channel_not_found"
    elif name == "chat.postEphemeral":
        error = _ephemeral_refused(state, posted_to(channels, channel), str(args.get("user") or ""), grant)
    elif name == "chat.update":
        error = channels.update_problem(channel, grant) if names_a_conversation(channel) else "channel_not_found"
    else:
        return None
    return {"ok": False, "error": error} if error else None


def _ephemeral_refused(state: SlackState, channel: str | None, user: str, grant: Grant | None) -> str | None:
    if channel is None:
        return "channel_not_found"
    if user not in state.users:  # Slack says only `user_not_in_channel`; for the bot, or a test, it is a bug
        state.reject("chat.postEphemeral", [f"{user} is nobody the workspace knows"])
    refused = state.channels.ephemeral_problem(channel, user, grant, state.scopes)
    return refused or ephemeral_reader_problem(state.users, channel, user)


def _upload_refused(state: SlackState, args: Args, grant: Grant | None) -> Answer | None:
    """A file shared where Slack refuses it: a `channel_id` or `channels` of the wrong form (a bot bug, recorded),
    or a conversation the bot may not post in."""
    refused = upload_problem(args)
    if refused is not None:
        state.reject("files.completeUploadExternal", [refused[1]])
        return refused[0]
    for channel in [str(args.get("channel_id") or ""), *upload_channels(args)]:
        error = state.channels.post_problem(dm_channel(channel), grant, state.scopes) if channel else None
        if error:
            return {"ok": False, "error": error}
    return None


def dm_problem(state: SlackState, name: str, args: Args) -> Answer | None:
    """Slack's refusal of a DM (a message to a person, or opening the DM with them) it will not deliver. A message
    to a deactivated person's id is taken (ok) and reaches nobody, as Slack's own maintainers describe it
    (https://github.com/slackapi/python-slack-sdk/issues/1156); only opening the DM is refused (`methods`)."""
    if name == "conversations.open":
        people = str(args.get("users") or "").split(",")
    elif name == "chat.postMessage":
        people = list(dm_users(str(args.get("channel") or "")))
    else:
        return None
    known = [person for person in people if person in state.users]
    if any(state.users[person].get("is_bot") for person in known):
        return {"ok": False, "error": "cannot_dm_bot"}
    if name == "chat.postMessage" and people and not state.app_home.messages_tab:
        return {"ok": False, "error": "messages_tab_disabled"}
    return None


def home_problem(state: SlackState, name: str) -> Answer | None:
    """Slack's refusal of a Home published while the app's Home tab is off (`app_home`)."""
    return {"ok": False, "error": "not_enabled"} if name == "views.publish" and not state.app_home.home_tab else None
