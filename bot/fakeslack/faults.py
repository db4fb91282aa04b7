"""Faults a test queues for the fake Slack: an HTTP status, a Slack error, or a connection closed unanswered
(before or after Slack did what was asked)."""

import threading
from dataclasses import dataclass
from typing import Any

HANG_UP = 0
"""The status of a fault that closes the connection without answering (a dropped connection, a proxy giving up)."""


@dataclass
class Fault:
    """The next `times` calls of a method answer an HTTP status (429, 5xx), with status 200 a Slack error, or with
    `HANG_UP` nothing at all; only calls to `channel` meet it when one is named. A hang-up that `acts` closes the
    connection only after doing what the call asks (a message is posted), as a network drop after Slack acted.
    `messages`: what Slack says of the error in `response_metadata.messages` (which block `invalid_blocks` refused)."""

    times: int
    status: int = 200
    error: str | None = None
    retry_after: int | None = None
    channel: str | None = None
    acts: bool = False
    messages: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.status == 429 and self.retry_after is None:
            raise ValueError("Slack's 429 always says when to try again: give retry_after (its Retry-After header)")

    def meets(self, args: dict[str, Any]) -> bool:
        return self.channel is None or args.get("channel") == self.channel


class Faults:
    """The queued faults, by method; each is met `times` times, in the order queued."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queued: dict[str, list[Fault]] = {}

    def add(self, method: str, fault: Fault) -> None:
        with self._lock:
            self._queued.setdefault(method, []).append(fault)

    def take(self, method: str, args: dict[str, Any]) -> Fault | None:
        """The fault this call of `method` meets, if any."""
        with self._lock:
            queue = self._queued.get(method) or []
            fault = next((fault for fault in queue if fault.meets(args)), None)
            if fault is None:
                return None
            fault.times -= 1
            if fault.times <= 0:
                queue.remove(fault)
            return fault

    def clear(self) -> None:
        with self._lock:
            self._queued.clear()
