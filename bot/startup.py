"""What any process checks before it starts work: the database answers and its schema is current.

Kept apart from `bot.runtime` (which loads Bolt, the scheduler and the digest charts) so that a command
line tool such as the reward export starts without loading what only the running bot needs.
"""

import logging
import os
import socket
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import SQLAlchemyError

from models.engine import CONNECT_TIMEOUT, DEFAULT_MOST_CONNECTIONS, make_engine, sqlite_file
from models.schema import schema_state

log = logging.getLogger("latitude")


class StartupError(Exception):
    """The process cannot start; the message is one line saying why and what to do."""


class DatabaseUnreachable(StartupError):
    """The database did not answer: it may be restarting or failing over, and answer again in a while."""


class SlackUnreachable(StartupError):
    """Slack did not answer `auth.test`, or answered that it could not now (a 5xx, a rate limit): it may in a while."""


REFUSED_FOR_GOOD = ("28000", "28P01", "3D000", "42501")
"""SQLSTATEs of a refusal waiting cannot heal: authentication, a database that does not exist, no CONNECT right."""
REFUSED_FOR_GOOD_SAYS = (
    "authentication failed",
    "no pg_hba.conf entry",
    "no password supplied",
    "does not exist",
    "permission denied for database",
)
"""What libpq says of those refusals: psycopg gives a connection refused at start no SQLSTATE, only this text."""
LOCK_NOT_AVAILABLE = "55P03"
"""SQLSTATE of a statement that waited for a lock past `lock_timeout` (or asked for one with NOWAIT)."""
QUERY_CANCELED = "57014"
"""SQLSTATE of a statement cancelled: by `statement_timeout` when the message says so, else by someone."""


def describe_url(url: str) -> str:
    """The database as an operator may read it in a log: backend, host, port and name (a SQLite file's absolute
    path), without the user name, password or query (`?password=...` is libpq's other way to give one)."""
    parsed = make_url(url)
    sqlite_file = sqlite_path(url)
    database = str(sqlite_file) if sqlite_file is not None else parsed.database
    return URL.create(parsed.drivername, host=parsed.host, port=parsed.port, database=database).render_as_string()


def describe_api_url(url: str) -> str:
    """SLACK_API_URL with a proxy's password, if it holds one, hidden."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    return parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@", 1)).geturl()


def sqlite_path(url: str) -> Path | None:
    """The absolute path of the SQLite file the URL names; None for another database or one kept in memory."""
    name = sqlite_file(url)
    return None if name is None else Path(name).absolute()


def open_database(
    url: str,
    *,
    most_connections: int = DEFAULT_MOST_CONNECTIONS,
    create: bool = False,
    connect_timeout: int = CONNECT_TIMEOUT,
    lock_timeout: int | None = None,
    statement_timeout: int | None = None,
) -> Engine:
    """Connect, and check the database answers (PostgreSQL within `connect_timeout` seconds). Only `create` (`db
    upgrade`) may make a new SQLite file: any other command given a mistyped path, or run from the wrong folder, would
    otherwise serve a second, empty database."""
    if not create:
        require_sqlite_file(url)
    try:
        engine = make_engine(
            url,
            most_connections=most_connections,
            connect_timeout=connect_timeout,
            lock_timeout=lock_timeout,
            statement_timeout=statement_timeout,
        )
    except OSError as error:  # a SQLite file that cannot be created or opened where the URL says
        path = Path(str(error.filename or "")).absolute()
        missing = isinstance(error, FileNotFoundError) and not path.parent.is_dir()
        reason = f"folder {path.parent} does not exist" if missing else f"{error.strerror} ({path})"
        raise StartupError(f"cannot reach the database at {describe_url(url)}: {reason}") from None
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        engine.dispose()
        raise database_failed(url, error, lock_timeout=lock_timeout, statement_timeout=statement_timeout) from None
    return engine


def database_failed(
    url: str, error: SQLAlchemyError, *, lock_timeout: int | None = None, statement_timeout: int | None = None
) -> StartupError:
    """The one line a process stops with when its database failed it: refused for good (`refused_for_good`); held up,
    behind a lock or by a statement running too long (`held_up`); or out of reach. A worker waits out the last two
    (bot/prefork.py): the lock is released, the database answers again."""
    if refused_for_good(error):
        return StartupError(f"the database at {describe_url(url)} refused Latitude: {first_line(error)}")
    why = held_up(error, lock_timeout=lock_timeout, statement_timeout=statement_timeout)
    if why is not None:
        return DatabaseUnreachable(f"the database at {describe_url(url)} {why}: {first_line(error)}")
    return DatabaseUnreachable(f"cannot reach the database at {describe_url(url)}: {first_line(error)}")


def held_up(error: SQLAlchemyError, *, lock_timeout: int | None, statement_timeout: int | None) -> str | None:
    """What held a statement up, when the database answered that it gave up on it: None for anything else."""
    cause = getattr(error, "orig", None)
    sqlstate, said = getattr(cause, "sqlstate", None), str(cause or error)
    if sqlstate == LOCK_NOT_AVAILABLE:
        within = f" within {lock_timeout} s (DATABASE_LOCK_TIMEOUT)" if lock_timeout and "lock timeout" in said else ""
        return f"did not answer{within}: another session holds a lock Latitude needs"
    if sqlstate == QUERY_CANCELED and "statement timeout" in said:
        longer = f"{statement_timeout} s (DATABASE_STATEMENT_TIMEOUT)" if statement_timeout else "the statement timeout"
        return f"cancelled a statement that took longer than {longer}"
    return None


def first_line(error: Exception) -> str:
    """What the database (the driver's own error, when there is one) said, on one line."""
    return str(getattr(error, "orig", None) or error).strip().splitlines()[0]


def refused_for_good(error: SQLAlchemyError) -> bool:
    """Wrong credentials or a database name that does not exist: trying again would only delay saying so."""
    cause = getattr(error, "orig", None)
    if getattr(cause, "sqlstate", None) in REFUSED_FOR_GOOD:
        return True
    message = str(cause or error)
    return any(words in message for words in REFUSED_FOR_GOOD_SAYS)


def require_sqlite_file(url: str) -> None:
    """A missing file in an existing folder is refused here; in a missing folder, opening it says so."""
    path = sqlite_path(url)
    if path is not None and path.parent.is_dir() and not path.exists():
        raise StartupError(f"no database at {path}: {missing_database_hint()}")


def missing_database_hint() -> str:
    """What to do about a missing SQLite file. Run from another folder, a command finds neither `.env` nor the
    database beside it: creating one there would give it a second, empty database."""
    folder = Path.cwd()
    if not os.environ.get("DATABASE_URL", "").strip() and not (folder / ".env").is_file():
        return (
            f"DATABASE_URL is not set and there is no .env in {folder}: run the command from the folder that holds "
            "Latitude's .env, or set DATABASE_URL (`python -m bot db upgrade` would start a new, empty database here)"
        )
    return "check DATABASE_URL, or run `python -m bot db upgrade` to create it"


SIGNING_SECRET_PLACEHOLDER = "your-signing-secret"
"""What `.env.example` gives SLACK_SIGNING_SECRET."""


def require_a_real_signing_secret(secret: str) -> None:
    """Serving HTTP, every request's signature is checked with it: `.env.example`'s placeholder left in place refuses
    each one, Slack's check of the request URL first, and Slack shows only that the app did not answer."""
    if secret == SIGNING_SECRET_PLACEHOLDER:
        raise StartupError(
            f"SLACK_SIGNING_SECRET is still .env.example's {SIGNING_SECRET_PLACEHOLDER!r}: copy the app's Signing "
            "Secret (Basic Information -> App Credentials) into it, or every request from Slack is refused"
        )


def token_refused(api_url: str, refused: object) -> StartupError:
    """Slack answered `auth.test` with a refusal (`invalid_auth`, `account_inactive`...)."""
    return StartupError(f"Slack did not accept SLACK_BOT_TOKEN at {describe_api_url(api_url)}: {refused}")


def token_of_another_workspace(identity: Mapping[str, Any], team_id: str | None) -> StartupError | None:
    """SLACK_TEAM_ID names the workspace this deployment serves; a new SLACK_BOT_TOKEN (a rotation, a copied `.env`)
    of another one would end its service at start, as an uninstall does. None when the token is the workspace's."""
    wanted = (team_id or "").strip()
    if not wanted or wanted in (identity.get("team_id"), identity.get("enterprise_id")):
        return None
    got, name = identity.get("team_id"), identity.get("team") or "no name"
    return StartupError(
        f"SLACK_BOT_TOKEN belongs to workspace {got} ({name}), not SLACK_TEAM_ID {wanted}: put {wanted}'s bot token "
        f"in SLACK_BOT_TOKEN, or, if Latitude is to serve {got} from now on, set SLACK_TEAM_ID={got} (the bot then "
        f"stops serving {wanted}, as an uninstall would)"
    )


def auth_test_failed(api_url: str, error: Exception, status: int, code: object) -> StartupError:
    """Slack's answer to `auth.test` other than ok (`status`, its `code`): one that may pass (a 5xx, a rate limit,
    `service_unavailable`) is Slack out of reach for now, which a worker waits for; any other refuses the token."""
    from handlers.event_retries import may_pass  # here: the command line's light commands load no handler

    if may_pass(error):
        return slack_unreachable(api_url, error, f"HTTP {status} {code or ''}".strip())
    return token_refused(api_url, code)


def slack_unreachable(api_url: str, error: Exception, answer: str | None = None) -> SlackUnreachable:
    """No answer from Slack to `auth.test` (or `answer`, one saying it could not now); the reason without the proxy's
    password the URL may hold."""
    reason = answer or (str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__)
    password = urlsplit(api_url).password
    if password:
        reason = reason.replace(password, "***")
    return SlackUnreachable(
        f"Slack could not be reached at {describe_api_url(api_url)} to check SLACK_BOT_TOKEN: {reason}"
    )


def require_current_schema(engine: Engine) -> None:
    state = schema_state(engine)
    if state.is_refused:
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


def require_free_address(host: str, port: int) -> None:
    """Bind once before anything starts: the scheduler, or gunicorn, which on an address in use logs an error line
    at each retry for 5 s and then exits 1. Here it is one line (exit 2)."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host.strip("[]") or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn binds
            probe.bind(address)
    except OSError as error:
        raise StartupError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None
