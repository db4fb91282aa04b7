"""`export rewards`: HR's reward history for payroll, streamed as CSV or JSON lines."""

import argparse
import io
import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TextIO

from bot.cli.common import actor, add_workspace_option, database, resolve_workspace
from bot.clock import SystemClock
from bot.startup import StartupError
from models.engine import make_session_factory, reading
from services.errors import DomainError, InvalidInput
from services.rewards.export import (
    FORMATS,
    LAYOUTS,
    ExportPeriod,
    check_export,
    export_grants,
    parse_period,
    parse_period_words,
    record_export,
    typed_range,
)
from services.text import plural


def add_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser("export", help="export data for HR and payroll")
    kinds = parser.add_subparsers(dest="export_kind", metavar="WHAT", required=True)
    grants = kinds.add_parser("rewards", help="reward grants in a date range (columns documented in the README)")
    grants.add_argument(
        "--from",
        dest="first",
        metavar="DATE",
        help="first day, UTC (default: 1st of this month), written as /rewards export takes it: 2026-03-01, "
        "'1 March 2026', 'March 2026', 'Q1 2026' or 'last month' (their first day); 'last month', 'yesterday'... "
        "count from UTC's date, not the server's zone's; without --to the range runs to today whatever --from names "
        "('--from yesterday' is yesterday and today: add '--to yesterday' for that day alone)",
    )
    grants.add_argument(
        "--to",
        dest="last",
        metavar="DATE",
        help="last day included, UTC (default: today); a month or a quarter is its last day",
    )
    grants.add_argument(
        "--team", help="only grants made while the recipient was in this team, wherever they work now (default: all)"
    )
    grants.add_argument(
        "--format", choices=FORMATS, default="csv", help="csv (RFC 4180, UTF-8; the default) or jsonl (JSON lines)"
    )
    grants.add_argument(
        "--excel",
        nargs="?",
        const="commas",
        choices=LAYOUTS,
        metavar="semicolons",
        help="start the CSV with a UTF-8 byte order mark, without which Excel on Windows garbles names like "
        "José Núñez; `--excel semicolons` also separates cells with semicolons and writes values as 25,00, for "
        "Excel in a language whose decimal mark is a comma (default: neither, for scripts)",
    )
    grants.add_argument("--out", default="-", help="file to write, or - for standard output (default)")
    add_workspace_option(grants)
    grants.set_defaults(handler=run_export)


def run_export(args: argparse.Namespace) -> int:
    """Every check comes before the first byte; the audit line, in its own short write, before the file appears."""
    now = SystemClock().now()
    if args.team is not None and not args.team.strip():
        raise StartupError("--team is empty: name a team, or leave --team out to export every team")
    if args.excel is not None and args.format != "csv":
        raise StartupError("--excel is for a CSV opened in Excel: JSON lines have no byte order mark, leave it out")
    period = read_period(args, now)
    refuse_a_workbook_name(args.out, args.format)
    target = checked_target(args.out)
    sessions = make_session_factory(database())
    with reading(sessions) as session:
        workspace = resolve_workspace(session, args.workspace, create=False)
        period = check_export(session, workspace=workspace, requester=None, period=period)
    with output(target) as out:
        with reading(sessions) as session:
            count = export_grants(
                session,
                workspace=workspace,
                requester=None,
                period=period,
                out=out,
                fmt=args.format,
                byte_order_mark=args.excel is not None,
                layout=LAYOUTS[args.excel or "commas"],
            )
        with sessions.begin() as session:
            record_export(session, workspace=workspace, actor=actor(), period=period, rows=count, now=now)
    read_as = f" ({period.read_as})" if period.read_as else ""
    print(f"{plural(count, 'reward grant')}, {period.describe()}{read_as}{period.so_far()}", file=sys.stderr)
    return 0


def read_period(args: argparse.Namespace, now: datetime) -> ExportPeriod:
    """`--from` and `--to` as `/rewards export` reads them; a whole range given to one of them is told how to split,
    a team how to be given, and a date opened with `since` to be given alone."""
    try:
        return parse_period(args.first, args.last, args.team, now=now, names=("--from", "--to"))
    except InvalidInput:
        for option, typed in (("--from", args.first), ("--to", args.last)):
            if (advice := split_advice(option, typed, now)) is not None:
                raise StartupError(advice) from None
        raise


def split_advice(option: str, typed: str | None, now: datetime) -> str | None:
    """How to give what `typed` holds when it is no date alone: a range of two dates (`5-31 January 2026`) as --from
    and --to, a team as --team, one date opened with `since` or `onwards` as --from with --to left out. None when it
    is none of them (its own error is told)."""
    if typed is None or not typed.strip():  # empty: refused as such, not read as this month's range
        return None
    try:
        parse_period(typed, None, None, now=now)
        return None
    except InvalidInput:
        pass
    try:
        read = typed_range(typed.split())
        if read.team is not None:
            return (
                f'{option} `{typed}` names a team: give it to --team (--team "{read.team.strip()}"), and only dates '
                "to --from and --to"
            )
        whole = parse_period_words(typed.split(), now=now)
    except DomainError:
        return None
    if len(read.dates) == 2:
        return (
            f"{option} `{typed}` is a range, {whole.describe()}: give its first day to --from and its last to --to "
            f"(--from {whole.first.isoformat()} --to {whole.last.isoformat()})"
        )
    if read.opened and len(read.dates) == 1:
        return (
            f"{option} `{typed}` runs to today: give its first day to --from and leave --to out "
            f"(--from {whole.first.isoformat()})"
        )
    return None


WORKBOOKS = (".xlsx", ".xlsm", ".xls", ".ods", ".numbers")


def refuse_a_workbook_name(out: str, fmt: str) -> None:
    """A CSV named like a workbook is one Excel refuses to open ("the file format or file extension is not valid"):
    HR would find out only then, the file already handed on."""
    target = Path(out)
    if target.suffix.casefold() not in WORKBOOKS:
        return
    advice = "add --excel to open it in Excel" if fmt == "csv" else "JSON lines are for scripts"
    raise StartupError(
        f"--out {out}: the export is {fmt.upper() if fmt == 'csv' else 'JSON lines'} text, not a workbook, and "
        f"a spreadsheet refuses it under that name, or warns: name it {target.with_suffix('.' + fmt)} ({advice})"
    )


def checked_target(out: str) -> Path | None:
    """The file `--out` names (None: standard output), refused at once if it cannot be written there."""
    if out == "-":
        return None
    target = Path(out)
    if target.is_dir():
        raise StartupError(f"--out {out} is a folder: name a file in it, like {target / 'rewards.csv'}")
    folder = target.parent.absolute()
    if not folder.is_dir():
        problem = "is not a folder" if folder.exists() else "does not exist"
        raise StartupError(f"--out {out}: {folder} {problem}")
    return target


@contextmanager
def output(target: Path | None) -> Iterator[TextIO]:
    """Standard output, a FIFO or a device written in place, or a file replaced only when the block succeeds."""
    if target is None:
        if isinstance(sys.stdout, io.TextIOWrapper):  # UTF-8 whatever the locale says: the file's encoding is fixed
            sys.stdout.reconfigure(encoding="utf-8")
        yield sys.stdout
        return
    replaced = file_to_replace(target)
    if replaced is None:
        with written_in_place(target) as file:
            yield file
        return
    with replaced_when_complete(replaced) as file:
        yield file


def file_to_replace(target: Path) -> Path | None:
    """The regular file `--out` names (existing or not), following a link to one: the link stays and the file
    it points to is replaced. None for anything else (a FIFO, a device such as /dev/stdout or a link to one):
    putting a regular file in its place would turn /dev/null into a file of names and emails."""
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:  # nothing there yet, or a link to nothing yet: a new file
        mode = stat.S_IFREG
    except OSError as error:
        raise StartupError(f"cannot write --out {target}: {error.strerror}") from None
    if not stat.S_ISREG(mode) or names_an_open_file(target):
        return None
    return Path(os.path.realpath(target)) if target.is_symlink() else target


def names_an_open_file(target: Path) -> bool:
    """Whether `target` reaches /proc's links to open files (/dev/stdout, /dev/fd/N, /proc/self/fd/N): one
    that is a regular file (`--out /dev/stdout >> exports.log`) is written in place, not replaced."""
    path = target
    for _hop in range(40):  # the kernel's own limit on links followed
        if os.path.realpath(path.parent).startswith("/proc/"):
            return True
        if not path.is_symlink():
            return False
        path = path.parent / os.readlink(path)
    return False


@contextmanager
def written_in_place(target: Path) -> Iterator[TextIO]:
    """A FIFO, a device or an open file, written as it is: nothing takes its place, and nothing already in it is
    cut (`--out /dev/stdout >> exports.log` adds to the log, as the shell was asked to)."""
    try:
        file = open(target, "a", encoding="utf-8", newline="")  # noqa: SIM115 (closed below, its errors told apart)
    except OSError as error:
        raise StartupError(f"cannot write --out {target}: {error.strerror}") from None
    try:
        with file:
            yield file
    except OSError as error:
        raise StartupError(f"could not write {target}: {error.strerror}") from None


@contextmanager
def replaced_when_complete(target: Path) -> Iterator[TextIO]:
    """A temporary file beside `target` that takes its place only when the block succeeds.

    An export that fails or is stopped leaves an existing file as it was and no partial file behind; one that
    succeeds keeps the replaced file's permissions.
    """
    try:
        descriptor, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    except OSError as error:
        raise StartupError(f"cannot write in folder {target.parent.absolute()}: {error.strerror}") from None
    try:
        with open(descriptor, "w", encoding="utf-8", newline="") as file:
            yield file
        if target.exists():  # a new file stays readable by its owner only: it holds names and emails
            os.chmod(name, stat.S_IMODE(target.stat().st_mode))
        os.replace(name, target)
    except OSError as error:  # the disk filled up, the file could not take the target's name...
        raise StartupError(f"could not write {target}: {error.strerror} (an existing file is left as it was)") from None
    finally:
        Path(name).unlink(missing_ok=True)
