"""What any process checks before it starts work: the database answers and its schema is current.

Kept apart from `bot.runtime` (which loads Bolt, the scheduler and the digest charts) so that a command
line tool such as the reward export starts without loading what only the running bot needs.
"""

import logging
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from models.engine import DEFAULT_MOST_CONNECTIONS, make_engine
from models.schema import schema_state

log = logging.getLogger("latitude")


class StartupError(Exception):
    """The process cannot start; the message is one line saying why and what to do."""


def describe_url(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def open_database(url: str, *, most_connections: int = DEFAULT_MOST_CONNECTIONS) -> Engine:
    try:
        engine = make_engine(url, most_connections=most_connections)
    except OSError as error:  # a SQLite file that cannot be created or opened where the URL says
        path = Path(str(error.filename or "")).absolute()
        missing = isinstance(error, FileNotFoundError) and not path.parent.is_dir()
        reason = f"folder {path.parent} does not exist" if missing else f"{error.strerror} ({path})"
        raise StartupError(f"cannot reach the database at {describe_url(url)}: {reason}") from None
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        raise StartupError(f"cannot reach the database at {describe_url(url)}: {reason}") from None
    return engine


def require_current_schema(engine: Engine) -> None:
    state = schema_state(engine)
    if state.is_ahead:
        raise StartupError(state.describe())
    if not state.is_current:
        raise StartupError(f"{state.describe()}: run `python -m bot db upgrade` first")


def warn_if_connections_short(engine: Engine, wanted: int, *, processes: int = 1) -> None:
    """Say at start when PostgreSQL would refuse some of the connections these processes may open at once."""
    if engine.dialect.name != "postgresql":
        return
    with engine.connect() as connection:
        allowed = int(connection.execute(text("SHOW max_connections")).scalar_one())
        reserved = int(connection.execute(text("SHOW superuser_reserved_connections")).scalar_one())
    if processes * wanted > allowed - reserved:
        log.warning(
            "PostgreSQL takes %d connections (max_connections less those reserved) and %d process(es) may open "
            "up to %d each when every thread is busy (LISTENER_THREADS, HTTP_THREADS, SENDER_THREADS and one for "
            "each scheduled job): "
            "raise max_connections or lower the thread counts, or a burst will meet refused connections",
            allowed - reserved,
            processes,
            wanted,
        )
