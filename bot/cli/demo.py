"""`demo`: play a scripted week against a local Slack stand-in; no tokens, no network."""

import argparse
import os
import tempfile
from pathlib import Path

from bot.startup import StartupError


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

    return run(demo_folder(args.out))


def demo_folder(out: Path | None) -> Path:
    """The folder `--out` names, made if need be (a new temporary one without it), refused before the demo starts
    if it cannot be."""
    if out is None:
        return Path(tempfile.mkdtemp(prefix="latitude-demo-"))
    if out.exists() and not out.is_dir():
        raise StartupError(f"--out {out} is a file: name a folder (it is made if it does not exist)")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StartupError(f"--out {out}: cannot create the folder: {error.strerror}") from None
    if not os.access(out, os.W_OK | os.X_OK):
        raise StartupError(f"--out {out}: cannot write in this folder")
    return out
