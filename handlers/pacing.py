"""Pacing the background sender like Slack does: one token bucket per workspace and Web API method.

Slack limits each method per app per workspace (https://docs.slack.dev/apis/web-api/rate-limits):
Tier 2 allows 20+ calls a minute, Tier 3 50+, Tier 4 100+; `chat.postMessage` is special (about one
message a second per channel, plus a workspace-wide limit Slack does not publish), so its rate is a
setting. A 429's Retry-After pauses only the bucket of that workspace and method: other workspaces
and other methods keep sending.
"""

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

PER_MINUTE = {2: 20, 3: 50, 4: 100}
"""Slack's published floor for each tier, in calls a minute."""

METHOD_TIERS = {
    "chat.update": 3,
    "chat.delete": 3,
    "conversations.open": 3,
    "chat.postEphemeral": 4,
    "views.publish": 4,
    "users.info": 4,
    "files.getUploadURLExternal": 4,
    "files.completeUploadExternal": 4,
    "files.uploadV2": 4,  # a digest's chart through the outbox: the two calls above, and the upload between
}
DEFAULT_TIER = 2
POST_MESSAGE = "chat.postMessage"


@dataclass(frozen=True)
class Rate:
    per_second: float
    burst: float


def rate_for(method: str, messages_per_second: float) -> Rate:
    """The pace of one method in one workspace: `chat.postMessage` as configured, the rest by their tier."""
    if method == POST_MESSAGE:
        return Rate(messages_per_second, max(1.0, messages_per_second))
    per_minute = PER_MINUTE[METHOD_TIERS.get(method, DEFAULT_TIER)]
    return Rate(per_minute / 60, max(1.0, per_minute / 10))


class TokenBucket:
    """Up to `burst` calls at once, then `per_second`; a pause (Retry-After) stops it until it ends."""

    def __init__(self, rate: Rate, clock: Callable[[], float]) -> None:
        self._rate, self._clock = rate, clock
        self._tokens, self._updated, self._paused_until = rate.burst, clock(), 0.0
        self._lock = threading.Lock()

    def reserve(self) -> float:
        """Take a token; returns how many seconds to wait before using it (0 when it can be used now)."""
        with self._lock:
            now = self._clock()
            start = max(now, self._paused_until)
            refill = max(0.0, start - self._updated) * self._rate.per_second
            self._tokens = min(self._rate.burst, self._tokens + refill)
            self._updated = max(self._updated, start)
            self._tokens -= 1
            return (start - now) + max(0.0, -self._tokens) / self._rate.per_second

    def paused(self) -> bool:
        """Whether a Retry-After still stops it."""
        with self._lock:
            return self._paused_until > self._clock()

    def pause(self, seconds: float) -> None:
        """Stop until Retry-After has passed, then go on at the steady rate (no burst to catch up)."""
        with self._lock:
            self._paused_until = max(self._paused_until, self._clock() + seconds)
            self._tokens = min(self._tokens, 0.0)
            self._updated = max(self._updated, self._paused_until)


class Pacer:
    """Every (workspace, method) bucket of this process; the sender waits on it before each call."""

    def __init__(
        self,
        messages_per_second: float = 5.0,
        *,
        clock: Callable[[], float] = time.time,
        sleep_until: Callable[[float], None] = lambda moment: time.sleep(max(0.0, moment - time.time())),
    ) -> None:
        """`clock` says the time in seconds; `sleep_until` waits until that time (tests move a clock instead)."""
        self._messages_per_second, self._clock, self._sleep_until = messages_per_second, clock, sleep_until
        self._buckets: dict[tuple[int, str], TokenBucket] = {}
        self._lock = threading.Lock()

    def wait_turn(self, workspace_id: int, method: str) -> None:
        start = self._clock()
        wait = self._bucket(workspace_id, method).reserve()
        if wait > 0:
            self._sleep_until(start + wait)

    def pause(self, workspace_id: int, method: str, seconds: float) -> None:
        self._bucket(workspace_id, method).pause(seconds)

    def paused(self, workspace_id: int, method: str) -> bool:
        """Whether Slack's Retry-After still stops the bucket: a call that can be done without is not waited for."""
        return self._bucket(workspace_id, method).paused()

    def _bucket(self, workspace_id: int, method: str) -> TokenBucket:
        with self._lock:
            key = (workspace_id, method)
            if key not in self._buckets:
                self._buckets[key] = TokenBucket(rate_for(method, self._messages_per_second), self._clock)
            return self._buckets[key]
