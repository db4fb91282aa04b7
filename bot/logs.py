"""Logging for the process: one record per line whatever text users put in it (text or JSON), and never
a pulse answer or its author.

slack_sdk logs every Web API request and response body at DEBUG (a `chat.update` thanking someone
carries their answer), Bolt logs each incoming payload at DEBUG (a comment and who wrote it), and
SQLAlchemy logs statements with their parameters at INFO. At any LOG_LEVEL those loggers stay at
WARNING, and the handler drops anything below WARNING from them should something lower their level.
APScheduler and Alembic speak only of problems too.
"""

import copy
import json
import logging
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TextIO

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_DETAIL = re.compile(r"^(\s*DETAIL:).*$", re.MULTILINE)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
CLIENT_OVER_TOKEN = "As you gave `client` as well, `token` will be unused."
"""Bolt's `warning_client_prioritized_and_token_skipped()`, spelled out: importing Bolt slows the CLI's start."""
BODY_LOGGERS = ("slack_sdk", "slack_bolt", "sqlalchemy", "urllib3")
QUIET_LIBRARIES = (*BODY_LOGGERS, "apscheduler", "alembic")


@contextmanager
def web_client_errors_silenced() -> Iterator[None]:
    """For a start-up check that says in one line what Slack answered: slack_sdk's own ERROR lines about the same
    failure ("Failed to send a request…") would come before it, and repeat it."""
    logger = logging.getLogger("slack_sdk.web.base_client")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def escape_controls(text: str) -> str:
    r"""Write control characters as escapes (a newline becomes `\n`), so user text cannot start a log line."""
    return _CONTROL.sub(lambda match: match.group().encode("unicode_escape").decode("ascii"), text)


class EscapingFormatter(logging.Formatter):
    """The usual text line with the message escaped; a traceback's lines are indented under it."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        escaped = copy.copy(record)
        escaped.message = escape_controls(record.message)
        return super().formatMessage(escaped)

    def formatException(self, ei: "logging._SysExcInfoType") -> str:
        return _indented(super().formatException(ei))

    def formatStack(self, stack_info: str) -> str:
        return _indented(super().formatStack(stack_info))


def _indented(block: str) -> str:
    return "\n".join("    " + escape_controls(line) for line in without_row_values(block).splitlines())


def without_row_values(traceback: str) -> str:
    """PostgreSQL's errors quote the row's values in a DETAIL line (`Key (round_id, respondent)=(1, 5cc5…)`):
    a pulse respondent's key beside the reference its author is told would link them to their answers."""
    return _DETAIL.sub(r"\1 (the row's values are not logged)", traceback)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, and the traceback when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["traceback"] = without_row_values(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=True)


REFUSED_INSTALL_CODE = "Failed to fetch oauth.v2.access result with code:"
_INSTALL_CODE = re.compile(r"(with code: )\S+")


class BodiesFilter(logging.Filter):
    """Drops the chatty libraries' records below WARNING: those are the ones that carry bodies. Bolt's warning of
    an install whose code Slack refused quotes that one-time code: it is kept out."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.msg == CLIENT_OVER_TOKEN:
            return False  # Bolt read SLACK_BOT_TOKEN itself beside our client, which holds that very token
        if isinstance(record.msg, str) and record.msg.startswith(REFUSED_INSTALL_CODE):
            record.msg, record.args = _INSTALL_CODE.sub(r"\1***", record.getMessage()), None
        return record.levelno >= logging.WARNING or not record.name.startswith(BODY_LOGGERS)


class _Handler(logging.StreamHandler):  # type: ignore[type-arg]
    """Without a stream of its own it writes to whatever `sys.stderr` is at the time, like `print`."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self._own = stream
        super().__init__(stream)

    @property  # type: ignore[override]
    def stream(self) -> TextIO:
        return self._own or sys.stderr

    @stream.setter
    def stream(self, value: TextIO) -> None:
        pass


def configure_logging(
    level: int | str = "WARNING", log_format: str = "text", stream: TextIO | None = None
) -> logging.Handler:
    """Route every record through one handler; chatty libraries speak only of problems, never of bodies."""
    handler = _Handler(stream)
    handler.setFormatter(JsonFormatter() if log_format == "json" else EscapingFormatter(TEXT_FORMAT))
    handler.addFilter(BodiesFilter())
    root = logging.getLogger()
    for existing in list(root.handlers):
        root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(level)
    for name in QUIET_LIBRARIES:
        logging.getLogger(name).setLevel(logging.WARNING)
    return handler
