"""Typed settings from the environment (and `.env`); a bad value stops start-up with one clear line."""

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.quoted_settings import refuse_quoted
from models.engine import DEFAULT_DATABASE_URL

DEFAULT_SLACK_API_URL = "https://slack.com/api/"
DEFAULT_MAX_REQUEST_BYTES = 1024 * 1024  # Slack's payloads are far smaller: a full modal state is tens of KiB
LOG_FORMATS = ("text", "json")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
DEFAULT_RETENTION_DAYS = 30
DEFAULT_LOCK_TIMEOUT = 60
DEFAULT_STATEMENT_TIMEOUT = 120


SECRET_SETTINGS = frozenset(
    {"slack_bot_token", "slack_signing_secret", "slack_app_token", "relay_secret", "relay_secret_previous"}
    | {"slack_client_secret"}
)


class SettingsError(Exception):
    """A setting is missing or malformed; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    slack_bot_token: str
    slack_signing_secret: str
    slack_app_token: str | None = None
    slack_api_url: str = DEFAULT_SLACK_API_URL
    database_url: str = DEFAULT_DATABASE_URL
    recognition_channel: str | None = None
    slack_team_id: str | None = None
    listener_threads: int = 32
    http_threads: int = 16
    log_level: str = "INFO"
    slack_messages_per_second: int = 5
    """The background sender's pace for `chat.postMessage` in one workspace (other methods follow Slack's tiers)."""
    sender_threads: int = 4
    answer_within: float = 2.0
    """Seconds a command may take before it is acked with a holding note and answered later
    (`handlers.timely`; Slack gives 3); not read from the environment."""
    log_format: str = "text"
    max_request_bytes: int = DEFAULT_MAX_REQUEST_BYTES
    relay_secret: str | None = None
    relay_secret_previous: str | None = None
    """The relays' secret before the current one, while it is rotated: it still opens what was sealed under it."""
    slack_client_id: str | None = None
    slack_client_secret: str | None = None
    token_rotation: bool = False
    """The app has token rotation on: installs get expiring tokens with a refresh token, renewed before they expire."""
    database_lock_timeout: int = DEFAULT_LOCK_TIMEOUT
    """Seconds a request's statement may wait for a lock on PostgreSQL before it fails and the person is told to try
    again (models/engine.py); `database_statement_timeout` likewise for any statement running that long, 0: never."""
    database_statement_timeout: int = DEFAULT_STATEMENT_TIMEOUT
    workspace_retention_days: int = DEFAULT_RETENTION_DAYS
    """How long a workspace's data is kept after an uninstall, before `workspace purge` may delete it."""

    def __repr__(self) -> str:
        """Secrets as `***`, the database URL without its password (nor `?password=`): tracebacks show settings."""
        shown = ", ".join(f"{field.name}={self._shown(field.name)}" for field in fields(self))
        return f"Settings({shown})"

    def _shown(self, name: str) -> str:
        value = getattr(self, name)
        if name in SECRET_SETTINGS and value:
            return "'***'"
        if name == "database_url":
            return repr(make_url(value).difference_update_query(["password"]).render_as_string(hide_password=True))
        return repr(value)

    @property
    def relays_secret(self) -> str:
        """One secret behind both no-names relays (pulse comment replies, anonymous suggestions)."""
        return self.relay_secret or self.slack_signing_secret

    @property
    def socket_mode(self) -> bool:
        return self.slack_app_token is not None

    @property
    def oauth(self) -> bool:
        """Many workspaces: each one installs the app through Slack's OAuth flow and has its own token."""
        return self.slack_client_id is not None


def load_settings(environ: Mapping[str, str] | None = None, *, dotenv_path: Path | None = None) -> Settings:
    """Read settings from `environ` (default: the process environment after loading `.env`)."""
    env = _stripped(environ, dotenv_path)
    oauth = _oauth_credentials(env)
    return Settings(
        slack_bot_token=_bot_token(env, required=oauth is None),
        slack_signing_secret=_required(env, "SLACK_SIGNING_SECRET"),
        slack_app_token=_token(env, "SLACK_APP_TOKEN", "xapp-", required=False),
        slack_api_url=_api_url(env),
        database_url=_database_url(env),
        recognition_channel=env.get("RECOGNITION_CHANNEL") or None,
        slack_team_id=env.get("SLACK_TEAM_ID") or None,
        listener_threads=_positive_int(env, "LISTENER_THREADS", 32),
        http_threads=_positive_int(env, "HTTP_THREADS", 16),
        log_level=_log_level(env),
        slack_messages_per_second=_positive_int(env, "SLACK_MESSAGES_PER_SECOND", 5),
        sender_threads=_positive_int(env, "SENDER_THREADS", 4),
        log_format=_log_format(env),
        max_request_bytes=_positive_int(env, "MAX_REQUEST_BYTES", DEFAULT_MAX_REQUEST_BYTES),
        relay_secret=env.get("RELAY_SECRET") or None,
        relay_secret_previous=env.get("RELAY_SECRET_PREVIOUS") or None,
        slack_client_id=oauth[0] if oauth else None,
        slack_client_secret=oauth[1] if oauth else None,
        token_rotation=_token_rotation(env, oauth=oauth is not None),
        workspace_retention_days=_positive_int(env, "WORKSPACE_RETENTION_DAYS", DEFAULT_RETENTION_DAYS),
        database_lock_timeout=_positive_int(env, "DATABASE_LOCK_TIMEOUT", DEFAULT_LOCK_TIMEOUT),
        database_statement_timeout=_positive_int(env, "DATABASE_STATEMENT_TIMEOUT", DEFAULT_STATEMENT_TIMEOUT, least=0),
    )


def database_url_from(environ: Mapping[str, str] | None = None) -> str:
    """Only the database URL: for CLI commands that do not talk to Slack."""
    return _database_url(_stripped(environ))


def retention_days_from(environ: Mapping[str, str] | None = None) -> int:
    """Only WORKSPACE_RETENTION_DAYS: for the workspace commands, which do not talk to Slack."""
    return _positive_int(_stripped(environ), "WORKSPACE_RETENTION_DAYS", DEFAULT_RETENTION_DAYS)


def _stripped(environ: Mapping[str, str] | None, dotenv_path: Path | None = None) -> dict[str, str]:
    """The variables without surrounding blanks (default: the process environment after loading `.env`)."""
    if environ is None:
        environ = _process_environment(dotenv_path or Path.cwd() / ".env")
    return refuse_quoted({key: value.strip() for key, value in environ.items()})


BOLT_OAUTH_VARIABLES = ("SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET")
"""Bolt reads these from the process environment itself, and turns to OAuth installs when they are set at all."""


def _process_environment(dotenv_path: Path) -> Mapping[str, str]:
    """The process environment after loading `.env` (real variables win), without the blank OAuth variables a
    copied `.env.example` leaves: Bolt would take `SLACK_CLIENT_ID=` as set, and refuse every request for want of
    an installation, while Latitude reads blank as unset."""
    from dotenv import load_dotenv

    try:
        _refuse_unreadable_lines(dotenv_path)
        load_dotenv(dotenv_path, override=False, encoding="utf-8")
    except UnicodeDecodeError:  # the file is decoded whole before any variable is set: none was
        raise SettingsError(f"{dotenv_path.name} is not UTF-8: save it as UTF-8") from None
    for name in BOLT_OAUTH_VARIABLES:
        if not os.environ.get(name, "set").strip():
            del os.environ[name]
    return os.environ


def _refuse_unreadable_lines(dotenv_path: Path) -> None:
    """python-dotenv skips a line it cannot read with a warning, and the variable on it is then "not set" (or
    silently its default): name the line instead, and the variable it seems to set, never its value."""
    from dotenv.parser import parse_stream

    if not dotenv_path.is_file():
        return
    with dotenv_path.open(encoding="utf-8") as stream:
        bad = next((binding.original for binding in parse_stream(stream) if binding.error), None)
    if bad is not None:
        name = re.match(r"\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)", bad.string)
        named = f" ({name.group(1)})" if name else ""
        raise SettingsError(
            f"{dotenv_path.name} line {bad.line}{named} is not NAME=value: write each setting as NAME=value "
            "(a quoted value needs its closing quote)"
        )


def _oauth_credentials(env: Mapping[str, str]) -> tuple[str, str] | None:
    """(client id, secret) for many workspaces installing through OAuth; None for one workspace with its bot token.

    Bolt switches to OAuth mode when it sees either variable, so a half-set pair or a bot token beside
    them is refused rather than guessed at.
    """
    client_id, secret = env.get("SLACK_CLIENT_ID") or None, env.get("SLACK_CLIENT_SECRET") or None
    if client_id is None and secret is None:
        return None
    if client_id is None or secret is None:
        missing = "SLACK_CLIENT_ID" if client_id is None else "SLACK_CLIENT_SECRET"
        given = "SLACK_CLIENT_SECRET" if client_id is None else "SLACK_CLIENT_ID"
        raise SettingsError(f"{missing} is not set but {given} is: set both for OAuth installs, or neither")
    if env.get("SLACK_BOT_TOKEN"):
        raise SettingsError(
            "SLACK_BOT_TOKEN is set beside SLACK_CLIENT_ID: with OAuth each workspace's token comes from its install; "
            "unset SLACK_BOT_TOKEN (or unset SLACK_CLIENT_ID and SLACK_CLIENT_SECRET for one workspace)"
        )
    if env.get("SLACK_APP_TOKEN"):
        raise SettingsError(
            "SLACK_APP_TOKEN is set beside SLACK_CLIENT_ID: OAuth installs need HTTP mode (`run --http`); unset it"
        )
    return client_id, secret


ROTATING_TOKEN_PREFIX = "xoxe."
"""How a rotating token starts (`xoxe.xoxb-...`): it expires within hours and only an OAuth install renews it."""


def _bot_token(env: Mapping[str, str], *, required: bool) -> str:
    if (env.get("SLACK_BOT_TOKEN") or "").startswith(ROTATING_TOKEN_PREFIX):
        raise SettingsError(
            "SLACK_BOT_TOKEN is a rotating token (xoxe.), which expires within 12 hours and only an OAuth install "
            "renews: rotating tokens need OAuth installs (leave SLACK_BOT_TOKEN empty, set SLACK_CLIENT_ID, "
            "SLACK_CLIENT_SECRET and SLACK_TOKEN_ROTATION=true)"
        )
    return _token(env, "SLACK_BOT_TOKEN", "xoxb-", required=required) or ""


def _token_rotation(env: Mapping[str, str], *, oauth: bool) -> bool:
    """Renewal works on OAuth installs' refresh tokens: beside one SLACK_BOT_TOKEN it would be silently ignored."""
    rotation = _flag(env, "SLACK_TOKEN_ROTATION")
    if rotation and not oauth:
        raise SettingsError(
            "SLACK_TOKEN_ROTATION=true renews OAuth installs' tokens only, and SLACK_BOT_TOKEN is one token nothing "
            "renews: unset SLACK_TOKEN_ROTATION, or leave SLACK_BOT_TOKEN empty for OAuth installs "
            "(SLACK_CLIENT_ID and SLACK_CLIENT_SECRET)"
        )
    return rotation


def _flag(env: Mapping[str, str], name: str) -> bool:
    raw = (env.get(name) or "false").lower()
    if raw not in ("true", "false", "1", "0", "yes", "no"):
        raise SettingsError(f"{name} must be true or false (got {raw!r})")
    return raw in ("true", "1", "yes")


def _required(env: Mapping[str, str], name: str) -> str:
    value = env.get(name, "")
    if not value:
        raise SettingsError(f"{name} is not set: copy .env.example to .env and fill it in")
    return value


def _token(env: Mapping[str, str], name: str, prefix: str, *, required: bool) -> str | None:
    value = _required(env, name) if required else env.get(name) or None
    if value is not None and not value.startswith(prefix):
        raise SettingsError(f"{name} must start with {prefix!r} (got {value[:5]!r}...)")
    return value


def _api_url(env: Mapping[str, str]) -> str:
    value = env.get("SLACK_API_URL") or DEFAULT_SLACK_API_URL
    if not value.startswith(("http://", "https://")):
        raise SettingsError(f"SLACK_API_URL must be an http(s) URL, like {DEFAULT_SLACK_API_URL}")
    return value if value.endswith("/") else value + "/"


def _database_url(env: Mapping[str, str]) -> str:
    value = env.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    try:
        url = make_url(value)
    except (ArgumentError, ValueError):  # ValueError: a port that is not a number, an IPv6 host left open
        raise SettingsError("DATABASE_URL is not a database URL (like postgresql+psycopg://user:pw@host/db)") from None
    if url.get_backend_name() != "sqlite" and value.partition("://")[2].partition("?")[0].count("@") > 1:
        raise SettingsError(
            "DATABASE_URL has an '@' in its user name or password: write '@' as %40 there (p%40ss for p@ss)"
        )
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise SettingsError(f"DATABASE_URL names {url.get_backend_name()!r}; use sqlite or postgresql+psycopg")
    if url.get_backend_name() == "postgresql" and url.get_driver_name() != "psycopg":
        raise SettingsError(
            f"DATABASE_URL names the driver {url.get_driver_name()!r}; Latitude uses psycopg 3: postgresql+psycopg://..."
        )
    return value


def _positive_int(env: Mapping[str, str], name: str, default: int, *, least: int = 1) -> int:
    raw = env.get(name)
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < least:
        raise SettingsError(f"{name} must be a whole number {'above 0' if least else 'of 0 or more'} (got {raw!r})")
    return int(raw)


def _log_level(env: Mapping[str, str]) -> str:
    value = (env.get("LOG_LEVEL") or "INFO").upper()
    if value not in LOG_LEVELS:
        raise SettingsError(f"LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR (got {value!r})")
    return value


def _log_format(env: Mapping[str, str]) -> str:
    value = (env.get("LOG_FORMAT") or "text").lower()
    if value not in LOG_FORMATS:
        raise SettingsError(f"LOG_FORMAT must be text or json (got {value!r})")
    return value
