"""Commands answered in time: an answer that is late for Slack's 3 seconds comes through the response URL.

A command acks with its answer once its transaction has committed. When that takes too long (the
database busy with an org import, a disk that stalls), Slack shows the person "operation_timeout"
while the work still goes through, and they send it again: a refund logged twice. Instead, a command
not answered within `Settings.answer_within` seconds is acked with a holding note, and its answer,
whenever it comes, is posted through the command's response URL.
"""

import heapq
import itertools
import threading
import time
from collections.abc import Callable
from typing import Any

from slack_bolt import BoltContext, BoltResponse, Respond
from slack_bolt.context.ack import Ack

HOLDING_NOTE = (
    ":hourglass_flowing_sand: Got it. This is taking longer than usual: the answer will appear here in a moment. "
    "No need to send it again."
)


class TimelyAck(Ack):
    """Bolt's `ack` for one command: the answer while it is in time, else a holding note and `respond` later."""

    def __init__(self, respond: Respond) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._respond = respond
        self._lock = threading.Lock()
        self._held = False

    def __call__(self, text: str | dict[Any, Any] = "", blocks: Any = None, *more: Any, **rest: Any) -> BoltResponse:
        with self._lock:
            if not self._held:
                return super().__call__(text, blocks, *more, **rest)
        if text or blocks:
            visibility = rest.get("response_type") or "ephemeral"
            self._respond(text=text, blocks=blocks, response_type=visibility, replace_original=False)
        assert self.response is not None
        return self.response

    def hold_if_unanswered(self) -> None:
        with self._lock:
            if self.response is None:
                super().__call__(text=HOLDING_NOTE)
                self._held = True


class Deadlines:
    """One thread that runs each action at its moment, for the whole process (started on first use)."""

    def __init__(self) -> None:
        self._due: list[tuple[float, int, Callable[[], None]]] = []
        self._order = itertools.count()
        self._changed = threading.Condition()
        self._thread: threading.Thread | None = None

    def at(self, moment: float, action: Callable[[], None]) -> None:
        """Run `action` once `time.monotonic()` reaches `moment`."""
        with self._changed:
            entry = (moment, next(self._order), action)
            heapq.heappush(self._due, entry)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="ack-deadlines", daemon=True)
                self._thread.start()
            if self._due[0] is entry:  # else the thread already wakes earlier than this one is due
                self._changed.notify()

    def _run(self) -> None:
        while True:
            with self._changed:
                while not self._due or self._due[0][0] > time.monotonic():
                    self._changed.wait(self._due[0][0] - time.monotonic() if self._due else None)
                _, _, action = heapq.heappop(self._due)
            action()


DEADLINES = Deadlines()


def answer_in_time(within: float) -> Callable[..., None]:
    """Global middleware: give each slash command a `TimelyAck` with `within` seconds to answer."""

    def middleware(body: dict[str, Any], context: BoltContext, next: Callable[[], None]) -> None:
        respond = context.respond
        if body.get("command") and respond is not None:
            ack = TimelyAck(respond)
            context["ack"] = ack
            DEADLINES.at(time.monotonic() + within, ack.hold_if_unanswered)
        next()

    return middleware
