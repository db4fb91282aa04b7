"""Logging for the process: one handler on the root logger that never writes a pulse answer or its author.

slack_sdk logs every Web API request and response body at DEBUG (a `chat.update` thanking someone
carries their answer), Bolt logs each incoming payload at DEBUG (a comment and who wrote it), and
SQLAlchemy logs statements with their parameters at INFO. At any LOG_LEVEL those loggers stay at
WARNING, and the handler drops anything below WARNING from them should something lower their level.
"""

import logging
import sys
from typing import TextIO

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
QUIET = ("slack_sdk", "slack_bolt", "sqlalchemy", "urllib3")


class BodiesFilter(logging.Filter):
    """Drops the chatty libraries' records below WARNING: those are the ones that carry bodies."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING or not record.name.startswith(QUIET)


class _Handler(logging.StreamHandler):  # type: ignore[type-arg]
    """Ours, so configuring twice replaces it instead of adding a second. Without a stream of its own it
    writes to whatever `sys.stderr` is at the time, like `print` (so a replaced stderr is followed)."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self._own = stream
        super().__init__(stream)

    @property  # type: ignore[override]
    def stream(self) -> TextIO:
        return self._own or sys.stderr

    @stream.setter
    def stream(self, value: TextIO) -> None:
        pass


def configure_logging(level: int | str, stream: TextIO | None = None) -> logging.Handler:
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _Handler)]:
        root.removeHandler(old)
    handler = _Handler(stream)
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(BodiesFilter())
    root.addHandler(handler)
    root.setLevel(level)
    for name in QUIET:
        logging.getLogger(name).setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    return handler
