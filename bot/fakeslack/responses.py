"""Response URLs: a POST makes a new message or replaces or deletes the clicked one, within Slack's limits."""

import time
from typing import Any

from bot.fakeslack.blockkit import posted_problems
from bot.fakeslack.state import BOT_USER_ID, Call, ResponseUrl, SlackState


def answer_response_url(state: SlackState, url_id: str, body: dict[str, Any]) -> tuple[int, str]:
    """A POST to a response URL: a new ephemeral (or in-channel) message, or a replaced or deleted original.

    https://api.slack.com/interactivity/handling#message_responses
    """
    state.hold("response_url", body)
    found = state.use_response_url(url_id)
    if isinstance(found, str):
        state.record(Call("response_url:failed", body, time.time(), response={"error": found}))
        return 404, found
    if not body.get("delete_original"):
        error, problems = posted_problems(body)
        if problems:
            state.reject("response_url", problems)
            state.record(Call("response_url:failed", body, time.time(), response={"error": error}))
            return 400, error
    where = _respond(state, found, body)
    state.record(Call("response_url", body, time.time(), response=where))
    return 200, "ok"


ACK_NOT_YET_SHOWN = (
    "replaced or deleted a command's ack before Slack showed it, which Slack documents nothing of: answer with a new "
    "message (see bot/fakeslack/command_acks.py)"
)


def _respond(state: SlackState, url: ResponseUrl, body: dict[str, Any]) -> dict[str, Any]:
    if (body.get("replace_original") or body.get("delete_original")) and url.message_ts in state.acks_on_their_way:
        state.reject("response_url", [ACK_NOT_YET_SHOWN])
    if body.get("delete_original"):
        state.replace_message(url.channel, url.message_ts or "", None)
        return {"channel": url.channel, "ts": url.message_ts, "deleted": True}
    message = {"type": "message", "text": body.get("text", ""), "blocks": body.get("blocks", [])}
    if body.get("replace_original") and url.message_ts and state.replace_message(url.channel, url.message_ts, message):
        return {"channel": url.channel, "ts": url.message_ts, "replaced": True}
    ts = state.new_ts()
    if body.get("response_type") == "in_channel":
        state.store_message(url.channel, ts, {**message, "ts": ts, "user": BOT_USER_ID})
        return {"channel": url.channel, "ts": ts}
    state.store_ephemeral(url.channel, ts, {**message, "ts": ts}, reader=url.user)
    return {"channel": url.channel, "ts": ts, "ephemeral": True}
