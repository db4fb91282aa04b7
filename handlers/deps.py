"""What listeners and jobs need from the process, put on Bolt's context by bot/."""

import os
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from slack_sdk.errors import SlackTokenRotationError
from sqlalchemy.orm import Session, sessionmaker

from handlers.event_attempts import EventsAgain
from handlers.pacing import Pacer
from services.pulse.relay_tags import RelayKey
from services.suggestions.relay import Relay


class SenderBell:
    """Wakes the background sender once a listener has queued a fan-out (e.g. `/pulse start`).

    bot/ connects it to the scheduler's outbox drain; until then (the CLI, tests) ringing does nothing
    and the queued messages wait for the next drain.
    """

    def __init__(self) -> None:
        self._ring: Callable[[], object] = lambda: None

    def connect(self, ring: Callable[[], object]) -> None:
        self._ring = ring

    def ring(self) -> None:
        self._ring()


class SenderPool:
    """The background sender's threads, kept from one drain to the next so that the connection to Slack each keeps
    (bot/slack_pool.py) serves the next drain rather than closing with its thread. Each drain borrows threads of its
    own (`lend`): drains running at once (the scheduled one and a tick's) never share them, so that one waiting out a
    workspace's Retry-After in its threads holds up no other; drains in a row reuse the same ones. Made as a drain
    finds none idle, in each process (a forked one makes its own); bot/ shuts them down as the process stops."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._idle: dict[int, list[ThreadPoolExecutor]] = {}  # by size: a Deps copied with other `sender_threads`
        self._pid = os.getpid()
        self._closed = False

    @contextmanager
    def lend(self, count: int) -> Iterator[ThreadPoolExecutor]:
        """`count` threads for one drain, given back as it ends. Refuses once the pool is closed (the process is
        stopping): no thread is then left that nothing shuts down."""
        pool = self._borrow(count)
        try:
            yield pool
        finally:
            self._give_back(count, pool)

    def close(self) -> None:
        """Waits for the idle threads to end; a drain still under way shuts its own down as it gives them back."""
        with self._lock:
            self._closed = True
            pools = [pool for idle in self._idle.values() for pool in idle]
            self._idle = {}
        for pool in pools:
            pool.shutdown(wait=True)

    def _borrow(self, count: int) -> ThreadPoolExecutor:
        with self._lock:
            if self._closed:
                raise RuntimeError("the sender's threads were shut down: the process is stopping")
            if self._pid != os.getpid():  # forked: the parent's threads are not in this process
                self._idle, self._pid = {}, os.getpid()
            idle = self._idle.get(count)
            return idle.pop() if idle else ThreadPoolExecutor(count, thread_name_prefix="sender")

    def _give_back(self, count: int, pool: ThreadPoolExecutor) -> None:
        with self._lock:
            kept = not self._closed and self._pid == os.getpid()
            if kept:
                self._idle.setdefault(count, []).append(pool)
        if not kept:
            pool.shutdown(wait=True)


class InstallGone(SlackTokenRotationError):
    """Slack refused for good to renew a workspace's expired token with the refresh token still stored (not one
    another process spent and replaced): the app was uninstalled there, whether or not Slack told of it."""


class RefreshTokenSpent(SlackTokenRotationError):
    """Slack refused a refresh token another process had just spent, and replaced with the one now stored: renewing
    again (with that one) may succeed, unlike any other refusal Slack answers (`invalid_client_id`...)."""


class AuthorizationFailedForNow(Exception):
    """Slack did not answer the check of a request's token or its renewal now (down, busy, not answering): the request
    fails, for Slack to send an event again (or the app to try a kept one) and the person to be told to try again,
    rather than be answered as from a workspace the app is not installed in. Not a SlackApiError: Bolt answers those
    as that refusal."""


class BotTokens(Protocol):
    """Each workspace's bot token, for calls made outside a request (the background sender, the scheduler)."""

    def token_for(self, workspace_id: int) -> str | None:
        """The workspace's current token (renewed if it is about to expire); None when the app is not installed.
        Raises InstallGone when Slack will renew it no more, SlackClientError or OSError when it could not now."""

    def forget(self, workspace_id: int) -> None:
        """Drop what this process remembers of the workspace's token (after an uninstall)."""


class KnownCallers:
    """People the directory was seen to know, by the workspace a request names (handlers/people.py): their next Grid
    click needs no read of its own before its transaction. Thread-safe; never forgets but on the caller's word."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._known: set[tuple[str, str]] = set()

    def __contains__(self, caller: tuple[str, str]) -> bool:
        with self._lock:
            return caller in self._known

    def add(self, caller: tuple[str, str]) -> None:
        with self._lock:
            self._known.add(caller)

    def discard(self, caller: tuple[str, str]) -> None:
        with self._lock:
            self._known.discard(caller)


@dataclass(frozen=True)
class Deps:
    sessions: sessionmaker[Session]
    now: Callable[[], datetime]
    recognition_channel: str | None = None
    sender_bell: SenderBell = field(default_factory=SenderBell)
    pacer: Pacer = field(default_factory=Pacer)
    sender_threads: int = 4
    sender_pool: SenderPool = field(default_factory=SenderPool)
    # The pulse relay's key (services/pulse/relay.py); bot/ derives it from RELAY_SECRET (or the signing secret). The
    # default, fresh per process, suits the CLI and tests that never relay across processes.
    relay_key: RelayKey = field(default_factory=lambda: RelayKey(secrets.token_bytes(32)))
    relay: Relay | None = None
    # None: one workspace, whose token the client already has. With OAuth installs, each workspace's token.
    tokens: BotTokens | None = None
    # Set when the process is asked to stop: the sender finishes the batch in hand and claims no other.
    stopping: threading.Event = field(default_factory=threading.Event)
    # Runs slow work an event asks for (the org-wide install's listings of who works where) off the listener threads,
    # which commands need within Slack's 3 seconds; bot/ gives it a thread of its own. By default, at once.
    background: Callable[[Callable[[], None]], object] = field(default=lambda work: work())
    # Waits that many seconds (Slack's Retry-After); bot/ waits on its clock, which tests move instead.
    wait: Callable[[float], None] = field(default=time.sleep)
    # Runs a kept event through the Bolt app again (handlers/jobs/retry_failed_events.py); bot/ connects it.
    events_again: EventsAgain = field(default_factory=EventsAgain)
    known_callers: KnownCallers = field(default_factory=KnownCallers)


def deps_of(context: Any) -> Deps:
    deps = context["deps"]
    assert isinstance(deps, Deps)
    return deps
