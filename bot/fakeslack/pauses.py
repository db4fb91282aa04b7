"""Calls a test holds at the door, to force one order of two things happening at once without sleeping: the next call
of a method (to a channel, when named) waits, before Slack does anything, until the test lets it through; meanwhile
the test knows it arrived and does the other thing."""

import threading
from typing import Any

LONGEST_HOLD = 30.0
"""A call is let through after this many seconds even if the test never does (it failed before letting it go)."""


class Pause:
    """One held call: `wait_until_arrived`, do what must come first, then `release`."""

    def __init__(self, method: str, channel: str | None) -> None:
        self.method = method
        self.channel = channel
        self._arrived = threading.Event()
        self._released = threading.Event()

    def meets(self, method: str, args: dict[str, Any]) -> bool:
        return method == self.method and (self.channel is None or args.get("channel") == self.channel)

    def hold(self) -> None:
        """Called by the server's thread answering the call."""
        self._arrived.set()
        self._released.wait(LONGEST_HOLD)

    def wait_until_arrived(self, timeout: float = 10.0) -> None:
        if not self._arrived.wait(timeout):
            raise AssertionError(f"no {self.method} call came to be held within {timeout}s")

    def release(self) -> None:
        self._released.set()


class Pauses:
    """The pauses set and not met yet; each holds one call."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiting: list[Pause] = []

    def add(self, pause: Pause) -> None:
        with self._lock:
            self._waiting.append(pause)

    def hold(self, method: str, args: dict[str, Any]) -> None:
        """Hold this call if a pause waits for it."""
        with self._lock:
            pause = next((pause for pause in self._waiting if pause.meets(method, args)), None)
            if pause is not None:
                self._waiting.remove(pause)
        if pause is not None:
            pause.hold()
