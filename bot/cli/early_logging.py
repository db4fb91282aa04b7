"""A command's logging, set up before the command reads its settings: with LOG_LEVEL and LOG_FORMAT from the
environment and `.env`, as `run` reads them, so that `db upgrade` or `org import` stopped by an error nobody foresaw
logs it as JSON too with LOG_FORMAT=json."""

import os
from collections.abc import Mapping
from pathlib import Path

from bot.logs import configure_logging
from bot.settings import LOG_FORMATS, LOG_LEVELS

LOGGING_VARIABLES = ("LOG_LEVEL", "LOG_FORMAT")


def configure_command_logging(dotenv_path: Path | None = None) -> None:
    configure_logging(*logging_settings(logging_variables(dotenv_path or Path.cwd() / ".env")))


def logging_settings(env: Mapping[str, str]) -> tuple[str, str]:
    """(level, format): WARNING unless LOG_LEVEL says otherwise, since a command prints what it did. A bad value
    gives WARNING or text here, and is left for the settings the command reads to report (`run` reads them all)."""
    level = env.get("LOG_LEVEL", "").strip().upper()
    log_format = env.get("LOG_FORMAT", "").strip().lower()
    return (level if level in LOG_LEVELS else "WARNING", log_format if log_format in LOG_FORMATS else "text")


def logging_variables(dotenv_path: Path) -> dict[str, str]:
    """LOG_LEVEL and LOG_FORMAT from the process environment, else from `.env`: read here, not loaded, and skipped
    when it cannot be read, as loading it is the settings' work, and so is saying what is wrong with it."""
    from dotenv.parser import parse_stream

    found: dict[str, str] = {}
    try:
        with dotenv_path.open(encoding="utf-8") as stream:
            for binding in parse_stream(stream):
                if binding.key in LOGGING_VARIABLES and not binding.error:
                    found[binding.key] = binding.value or ""
    except (OSError, UnicodeDecodeError):
        pass
    return {**found, **{name: os.environ[name] for name in LOGGING_VARIABLES if name in os.environ}}
