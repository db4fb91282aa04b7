"""A slash command's ack as Slack shows it: a message only the person who typed the command sees (one in the channel
with `response_type: in_channel`), which the command's response URL replaces (`replace_original`) or deletes
(https://docs.slack.dev/interactivity/handling-user-interaction#message_responses), its buttons going with it.

The driver knows the ack only once the bot's answer reaches it, which may be after the listener's work after the ack
has already used the response URL: such a use waits until the ack is shown, as Slack shows the ack first.
"""

import threading
from typing import Any

ACK_WAIT = 3.0
"""Slack's wait for an ack: no ack shown by then is none to wait for."""


class CommandAcks:
    """The `ts` of each command's ack, the response URL's message, until the driver has shown it. Thread-safe."""

    def __init__(self) -> None:
        self._shown: dict[str, threading.Event] = {}
        self._lock = threading.Lock()

    def expect(self, ts: str) -> None:
        """A command is on its way: its response URL answers the message `ts`, once the ack shows it."""
        with self._lock:
            self._shown[ts] = threading.Event()

    def shown(self, ts: str) -> None:
        """The ack (with a message or none) is in: a use of the response URL may go on."""
        with self._lock:
            event = self._shown.pop(ts, None)
        if event is not None:
            event.set()

    def wait(self, ts: str | None) -> None:
        """Wait until the ack of the command whose response URL answers `ts` is shown (at once for any other URL)."""
        with self._lock:
            event = self._shown.get(ts or "")
        if event is not None:
            event.wait(ACK_WAIT)


def ack_message(ack: dict[str, Any], ts: str) -> dict[str, Any] | None:
    """The message an ack shows (None when it carries none): its text and blocks, at `ts`."""
    if not (ack.get("text") or ack.get("blocks")):
        return None
    return {"type": "message", "text": ack.get("text", ""), "blocks": ack.get("blocks", []), "ts": ts}
