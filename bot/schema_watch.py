"""Whether the database still has the schema this process started on, asked again while it runs.

`run` checks the schema once, at start. A newer release's `db upgrade` (replicas upgrading as they start), or an
older backup restored, changes it under processes already running, whose code then does not know it: a column
renamed fails every request, and one whose meaning changed is written by the old rule after the migration gave
the rows already there the new one. Such a process stops: its health check fails, it runs no scheduled job, and
it does nothing with a request, which Slack sends again (an event) or the person does (a command is told to).
"""

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from slack_bolt import BoltResponse
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from handlers.early_answers import command_answer
from models.engine import READ_ONLY
from models.schema import schema_state

log = logging.getLogger(__name__)
ASKED_AGAIN_AFTER = timedelta(seconds=10)
"""How long a request trusts the last answer: one read of the version table per process every 10 s at most."""
UPGRADING = "Latitude is being upgraded right now, so nothing was done: please send it again in a minute."


class SchemaWatch:
    def __init__(self, engine: Engine, *, now: Callable[[], datetime]) -> None:
        self._engine = engine.execution_options(**{READ_ONLY: True})  # on SQLite, waits for no writer
        self._now = now
        self._ours = True
        self._asked_at: datetime | None = None
        self._told = False

    def ask(self) -> bool | None:
        """Whether the schema is this code's, asked now; None when the database does not answer. The first time the
        schema is found moved, the log says so."""
        try:
            state = schema_state(self._engine)
        except SQLAlchemyError:
            return None
        self._ours, self._asked_at = state.is_current, self._now()
        if not state.is_current and not self._told:
            self._told = True
            log.warning(
                "%s, under this running process: it fails its health check, runs no scheduled jobs and does nothing "
                "with Slack's requests; restart it with the release that matches the database",
                state.describe(),
            )
        return state.is_current

    def has_not_moved(self) -> bool:
        """The last answer, asked again once it is older than `ASKED_AGAIN_AFTER`. A database that does not answer
        has not moved as far as anyone knows: the request goes on, and meets the outage as it would have."""
        if self._asked_at is None or self._now() - self._asked_at >= ASKED_AGAIN_AFTER:
            return self.ask() is not False
        return self._ours


def refuse_on_a_moved_schema(watch: SchemaWatch) -> Callable[..., BoltResponse | None]:
    """Global middleware, first of all (before anything is written): on a schema that is not this code's, a
    command is told to come again and anything else is not acknowledged (503), so that Slack sends an event again,
    perhaps to a process of the new release, and shows the person that a click or a form did not go through.
    Slack's check of the Request URL (`url_verification`) needs no database: it is answered, or saving the URL in
    the app's settings during an upgrade would fail."""

    def middleware(body: dict[str, Any], next: Callable[[], None]) -> BoltResponse | None:
        if body.get("type") == "url_verification" or watch.has_not_moved():
            next()
            return None
        if body.get("command"):
            return command_answer(UPGRADING)
        return BoltResponse(status=503, body="")

    return middleware
