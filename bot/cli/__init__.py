"""The command line: `python -m bot <command>`. Each command group lives in its own module."""

import argparse
import difflib
import importlib
import logging
import os
import re
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from types import FrameType
from typing import Any, NoReturn

from bot.cli.early_logging import configure_command_logging
from bot.cli.examples import add_examples
from bot.settings import SettingsError
from bot.startup import StartupError
from services.errors import DomainError

GROUPS = ("run", "db", "org", "policy", "export", "rewards", "pulse", "digest", "workspace", "demo")
"""The modules of `bot.cli` that add commands, in the order `--help` lists them."""
COMMAND_GROUPS: dict[str, str] = {}
"""Commands added by a module of another name."""
TERMINATED = 128 + signal.SIGTERM
"""The exit status of a command ended by SIGTERM, as a shell reports it (143)."""
CRASHED = 1
INTERRUPTED = 128 + signal.SIGINT
"""The exit status of a command stopped by Ctrl-C, as a shell reports it (130)."""
log = logging.getLogger("latitude.cli")


class CommandParser(argparse.ArgumentParser):
    """A parser that never takes an abbreviation for an option (`--form` is not `--format`). Sub-commands
    are made with the class of the parser they belong to, so every level gets the same rule."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["allow_abbrev"] = False
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        super().error(message + did_you_mean(message))


def did_you_mean(message: str) -> str:
    """The choice closest to a mistyped one (`exprot`: export), for argparse's "invalid choice" message."""
    invalid = re.search(r"invalid choice: '(?P<typed>.*)' \(choose from (?P<choices>.*)\)$", message)
    if invalid is None:
        return ""
    choices = [choice.strip("'\" ") for choice in invalid["choices"].split(",")]
    typed = invalid["typed"].casefold()
    begun = [choice for choice in choices if choice.startswith(typed)]  # `stat`: status, though start is as close
    close = begun if len(begun) == 1 else difflib.get_close_matches(typed, choices, n=1, cutoff=0.6)
    if not close or OPPOSITES.get(typed) == close[0]:  # `org export` is no mistyped import, which writes
        return ""
    return f": did you mean {close[0]}?"


OPPOSITES = {"export": "import", "import": "export"}
"""A choice typed that is the opposite of the one it resembles: none is offered."""


class Terminated(BaseException):
    """SIGTERM (`timeout`, systemd, an orchestrator's deadline), raised like Ctrl-C so that clean-ups run."""


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """Every command's parser; only `command`'s when it is one of ours, so that a command starts without loading
    what the others need (an export, timed against the database's own dump, pays for every import)."""
    parser = CommandParser(
        prog="python -m bot",
        description="Latitude: empowerment, recognition and pulse polls for frontline service teams, in Slack.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    group = COMMAND_GROUPS.get(command or "", command)
    for name in [group] if group in GROUPS else GROUPS:
        importlib.import_module(f"bot.cli.{name}").add_parser(commands)
    add_examples(parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    typed = sys.argv[1:] if argv is None else list(argv)
    try:  # the command's modules load here: Ctrl-C pressed meanwhile stops it before anything ran
        parser = build_parser(typed[0] if typed else None)
        args = parser.parse_args(argv)
        configure_command_logging()
    except KeyboardInterrupt:
        return INTERRUPTED
    try:
        with sigterm_raised(args.command != "run"):  # `run` stops gracefully on its own
            status = int(args.handler(args) or 0)
        sys.stdout.flush()  # here rather than at exit, where a closed pipe could no longer be told apart
        return status
    except (SettingsError, StartupError, DomainError) as error:
        for problem in problems_of(error):
            print(f"error: {problem}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return INTERRUPTED
    except Terminated:
        return TERMINATED
    except BrokenPipeError:
        return reader_went_away()
    except Exception as error:  # the command line's one catch-all, as `handlers.errors` is the app's
        return crashed(command_named(parser, typed), error)


def problems_of(error: Exception) -> list[str]:
    """Each problem on an `error:` line of its own: a file with three mistakes (an org CSV, a policy TOML) names
    each one's line, and a script or `grep error:` finds every one."""
    problems = getattr(error, "problems", None)
    return [str(problem) for problem in problems] if problems else [str(error)]


def crashed(command: str, error: Exception) -> int:
    """An error no command foresaw (a bug, a database refusing a write): its traceback is logged once through the
    app's logging, as JSON with LOG_FORMAT=json and without the row values PostgreSQL quotes in its DETAIL line,
    never printed raw by Python; the operator gets one line saying so."""
    log.critical("`%s` stopped on an unexpected %s", command, type(error).__name__, exc_info=error)
    print(
        f"error: `python -m bot {command}` stopped on an unexpected error ({type(error).__name__}); "
        "the log above has its traceback",
        file=sys.stderr,
    )
    return CRASHED


def command_named(parser: argparse.ArgumentParser, argv: Sequence[str]) -> str:
    """The command and sub-commands typed (`org import`), without its arguments."""
    words: list[str] = []
    for word in argv:
        choices = next((a.choices for a in parser._actions if isinstance(a, argparse._SubParsersAction)), {})
        if word not in choices:
            break
        words.append(word)
        parser = choices[word]
    return " ".join(words)


@contextmanager
def sigterm_raised(wanted: bool) -> Iterator[None]:
    """While the command runs, SIGTERM raises `Terminated` instead of ending the process where it stands: an
    export then removes its unfinished file and a transaction rolls back. Only the main thread can set it."""
    if not wanted or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def raise_terminated(_signal: int, _frame: FrameType | None) -> None:
    raise Terminated()


def reader_went_away() -> int:
    """`python -m bot org show | head -1`: what we printed has no reader any more. Python's own recipe: stop
    quietly, with the rest of standard output going nowhere so that the exit's flush cannot fail again."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 1
