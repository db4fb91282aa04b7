"""The Web API methods the fake Slack answers, and the rules every call meets (token, faults, the record).

Each method is one function from the state and the call's arguments to Slack's JSON answer,
registered under its Slack name with `@method("chat.postMessage")`; `call_method` runs one call.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.fakeslack.access import (
    CLIENT_METHODS,
    channel_problem,
    dm_problem,
    home_problem,
    reach_problem,
    token_problem,
    unknown_problem,
)
from bot.fakeslack.blockkit import posted_problems
from bot.fakeslack.destinations import names_a_conversation, posted_to
from bot.fakeslack.faults import HANG_UP, Fault
from bot.fakeslack.installs import Grant
from bot.fakeslack.org_directory import auth_teams_list, users_by_email, users_list
from bot.fakeslack.state import BOT_USER_ID, Call, SlackState, dm_channel

Args = dict[str, Any]
Answer = dict[str, Any]
Method = Callable[[SlackState, Args], Answer]

METHODS: dict[str, Method] = {}
ORG_DIRECTORY = {"auth.teams.list": auth_teams_list, "users.list": users_list, "users.lookupByEmail": users_by_email}
"""Methods whose answer depends on what the token reaches."""


def method(name: str) -> Callable[[Method], Method]:
    """Register the function as the answer to the Web API method `name`."""

    def register(answer: Method) -> Method:
        METHODS[name] = answer
        return answer

    return register


@dataclass(frozen=True)
class ApiReply:
    """What goes back over HTTP: Slack answers errors with 200 and `ok: false`, except rate limits and 5xx."""

    status: int
    body: Answer
    headers: dict[str, str] = field(default_factory=dict)


def call_method(state: SlackState, name: str, args: Args, *, bearer: str | None) -> ApiReply:
    """Answer one Web API call as Slack would: check the token and its scopes, meet a queued fault, run the method,
    record it."""
    token = str(bearer or args.get("token") or "")
    grant = state.installs.grant(token)
    refused = (
        token_problem(state, name, token)
        or reach_problem(state, name, args, grant)
        or unknown_problem(state, name, args)
        or channel_problem(state, name, args, grant)
        or dm_problem(state, name, args)
        or home_problem(state, name)
    )
    if refused is not None:
        state.record(Call(name + ":failed", args, time.time(), response=refused, token=token))
        return ApiReply(200, refused)
    state.hold(name, args)
    fault = state.faults.take(name, args)
    if fault is not None and not fault.acts:
        state.record(Call(name + ":failed", args, time.time(), token=token))
        return _faulted(fault)
    answer = _answer(state, name, args, token)
    if answer.get("ok"):
        files = {f["id"]: state.uploads.get(f["id"]) or b"" for f in answer.get("files", [])}
        state.record(Call(name, args, time.time(), files, answer, token))
        time.sleep(state.latency.get(name, 0.0))
    else:
        state.record(Call(name + ":failed", args, time.time(), response=answer, token=token))
    return ApiReply(HANG_UP, {}) if fault is not None else ApiReply(200, answer)


def _answer(state: SlackState, name: str, args: Args, token: str) -> Answer:
    if name == "auth.test":
        return auth_test(state, state.installs.grant(token))
    if name in ORG_DIRECTORY:
        return ORG_DIRECTORY[name](state, state.installs.grant(token), args)
    if name in CLIENT_METHODS:
        return state.installs.exchange(args)
    return METHODS.get(name, _unknown)(state, args)


def _faulted(fault: Fault) -> ApiReply:
    if fault.status in (200, HANG_UP):
        said = {"response_metadata": {"messages": list(fault.messages)}} if fault.messages else {}
        return ApiReply(fault.status, {"ok": False, "error": fault.error, **said} if fault.error else {})
    headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
    error = fault.error or ("ratelimited" if fault.status == 429 else "internal_error")
    return ApiReply(fault.status, {"ok": False, "error": error}, headers)


def _unknown(_state: SlackState, _args: Args) -> Answer:
    return {"ok": False, "error": "unknown_method"}


def refused_for(state: SlackState, name: str, problems: list[str], error: str = "invalid_blocks") -> Answer | None:
    """Slack's answer to blocks or a view it would not accept, saying what is wrong in `response_metadata.messages`
    as Slack does (`[ERROR] must be less than 3001 characters [json-pointer:/blocks/1/text/text]`); None when there is
    nothing wrong."""
    if not problems:
        return None
    state.reject(name, problems)
    messages = [f"[ERROR] {problem}" for problem in problems]
    return {"ok": False, "error": error, "errors": problems, "response_metadata": {"messages": messages}}


def _posted_refused(state: SlackState, name: str, args: Args) -> Answer | None:
    error, problems = posted_problems(args)
    return refused_for(state, name, problems, error)


# -- auth -----------------------------------------------------------------------------------
def auth_test(state: SlackState, grant: Grant | None) -> Answer:
    """Who the token is: an org-wide token answers for the org (https://docs.slack.dev/reference/methods/auth.test)."""
    assert grant is not None
    team_id = grant.enterprise_id if grant.org_wide else grant.team_id
    answer = {
        "ok": True,
        "url": "https://latitude-demo.slack.com/",
        "team": state.installs.names.get(str(team_id), str(team_id)),
        "team_id": team_id,
        "user": "latitude",
        "user_id": BOT_USER_ID,
        "bot_id": "B0LATBOT",
        "is_enterprise_install": grant.org_wide,
    }
    return {**answer, "enterprise_id": grant.enterprise_id} if grant.enterprise_id else answer


# -- chat -----------------------------------------------------------------------------------
@method("chat.postMessage")
def chat_post_message(state: SlackState, args: Args) -> Answer:
    if not args.get("channel"):
        return {"ok": False, "error": "channel_not_found"}
    refused = _posted_refused(state, "chat.postMessage", args)
    if refused:
        return refused
    channel, ts = str(posted_to(state.channels, str(args["channel"]))), state.new_ts()
    message = {
        "type": "message",
        "ts": ts,
        "text": args.get("text", ""),
        "blocks": args.get("blocks", []),
        "user": BOT_USER_ID,
    }
    state.store_message(channel, ts, message)
    return {"ok": True, "channel": channel, "ts": ts, "message": message}


@method("chat.postEphemeral")
def chat_post_ephemeral(state: SlackState, args: Args) -> Answer:
    if not args.get("channel") or not args.get("user"):
        return {"ok": False, "error": "channel_not_found" if not args.get("channel") else "user_not_found"}
    refused = _posted_refused(state, "chat.postEphemeral", args)
    if refused:
        return refused
    ts = state.new_ts()
    message = {"type": "message", "ts": ts, "text": args.get("text", ""), "blocks": args.get("blocks", [])}
    state.store_ephemeral(str(posted_to(state.channels, str(args["channel"]))), ts, message, reader=str(args["user"]))
    return {"ok": True, "message_ts": ts}


@method("chat.update")
def chat_update(state: SlackState, args: Args) -> Answer:
    """Without `blocks` the message keeps its blocks; `[]` removes them (https://api.slack.com/methods/chat.update)."""
    found = _existing_message(state, args, not_ours="cant_update_message")
    if isinstance(found, dict):
        return found
    refused = _posted_refused(state, "chat.update", args)
    if refused:
        return refused
    channel, ts = found
    state.update_message(channel, ts, text=args.get("text", ""), blocks=args.get("blocks"))
    return {"ok": True, "channel": channel, "ts": ts, "text": args.get("text", "")}


@method("chat.delete")
def chat_delete(state: SlackState, args: Args) -> Answer:
    found = _existing_message(state, args, not_ours="cant_delete_message")
    if isinstance(found, dict):
        return found
    state.replace_message(*found, None)
    return {"ok": True, "channel": found[0], "ts": found[1]}


def _existing_message(state: SlackState, args: Args, *, not_ours: str) -> tuple[str, str] | Answer:
    """The (channel, ts) of a message the bot may change, or Slack's refusal.

    chat.update and chat.delete take a conversation id, never a user id or a name (the DM's `D...` id comes back
    from chat.postMessage: `destinations`), cannot touch ephemeral messages, which only a response URL changes, and
    change only the bot's own messages (`not_ours` otherwise): https://api.slack.com/methods/chat.update#errors
    """
    channel, ts = str(args.get("channel") or ""), str(args.get("ts") or "")
    if not names_a_conversation(channel):
        return {"ok": False, "error": "channel_not_found"}
    message = state.find_message(channel, ts)
    if message is None:
        return {"ok": False, "error": "message_not_found"}
    if message.get("user") != BOT_USER_ID:
        return {"ok": False, "error": not_ours}
    return channel, ts


# -- conversations --------------------------------------------------------------------------
@method("conversations.open")
def conversations_open(state: SlackState, args: Args) -> Answer:
    """A DM with one person; Slack will not open one with a deactivated account (`user_disabled`:
    https://docs.slack.dev/reference/methods/conversations.open#errors)."""
    users = str(args.get("users") or "").split(",")
    if len(users) != 1 or not users[0]:
        return {"ok": False, "error": "users_list_not_supplied"}
    if (state.users.get(users[0]) or {}).get("deleted"):
        return {"ok": False, "error": "user_disabled"}
    return {"ok": True, "channel": {"id": dm_channel(users[0])}}


# -- users ----------------------------------------------------------------------------------
@method("users.info")
def users_info(state: SlackState, args: Args) -> Answer:
    """People the token reaches (`access`: Slack Connect strangers too); anyone else is `user_not_found`, "Value
    passed for `user` was invalid" (https://docs.slack.dev/reference/methods/users.info#errors)."""
    user = state.users.get(str(args.get("user")))
    return {"ok": True, "user": user} if user else {"ok": False, "error": "user_not_found"}


# -- Socket Mode ----------------------------------------------------------------------------
@method("apps.connections.open")
def apps_connections_open(state: SlackState, _args: Args) -> Answer:
    """A WebSocket URL for Socket Mode (https://api.slack.com/methods/apps.connections.open)."""
    if not state.socket_url:
        return {"ok": False, "error": "not_allowed"}
    return {"ok": True, "url": f"{state.socket_url}/link/?ticket={state.next_id()}&app_id=A0LATITUDE"}
