"""What listeners and jobs need from the process, put on Bolt's context by bot/."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker


@dataclass(frozen=True)
class Deps:
    sessions: sessionmaker[Session]
    now: Callable[[], datetime]
    recognition_channel: str | None = None


def deps_of(context: Any) -> Deps:
    deps = context["deps"]
    assert isinstance(deps, Deps)
    return deps
