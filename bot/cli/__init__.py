"""The command line: `python -m bot <command>`. Each command group lives in its own module."""

import argparse
import os
import sys
from collections.abc import Sequence

from bot.cli import db, demo, digest, export, org, policy, pulse, run, workspace
from bot.logs import configure_logging
from bot.settings import SettingsError
from bot.startup import StartupError
from services.errors import DomainError

GROUPS = (run, db, org, policy, export, pulse, digest, workspace, demo)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="Latitude: empowerment, recognition and pulse polls for frontline service teams, in Slack.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for group in GROUPS:
        group.add_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    configure_logging("WARNING")
    try:
        status = int(args.handler(args) or 0)
        sys.stdout.flush()  # here rather than at exit, where a closed pipe could no longer be told apart
        return status
    except (SettingsError, StartupError, DomainError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return reader_went_away()


def reader_went_away() -> int:
    """`python -m bot org show | head -1`: what we printed has no reader any more. Python's own recipe: stop
    quietly, with the rest of standard output going nowhere so that the exit's flush cannot fail again."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 1
