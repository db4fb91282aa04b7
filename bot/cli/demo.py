"""`demo`: play a scripted week against a local Slack stand-in; no tokens, no network."""

import argparse
import tempfile
from pathlib import Path


def add_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser(
        "demo", help="try Latitude without a Slack workspace: a scripted week, with a transcript"
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="folder for the transcript, digests, export and pulse results (default: a new temp folder)",
    )
    parser.set_defaults(handler=run_demo)


def run_demo(args: argparse.Namespace) -> int:
    from bot.demo.script import run

    return run(args.out or Path(tempfile.mkdtemp(prefix="latitude-demo-")))
