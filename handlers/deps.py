"""What listeners and jobs need from the process, put on Bolt's context by bot/."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

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


@dataclass(frozen=True)
class Deps:
    sessions: sessionmaker[Session]
    now: Callable[[], datetime]
    recognition_channel: str | None = None
    sender_bell: SenderBell = field(default_factory=SenderBell)
    relay: Relay | None = None


def deps_of(context: Any) -> Deps:
    deps = context["deps"]
    assert isinstance(deps, Deps)
    return deps
