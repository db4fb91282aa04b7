"""`pulse start` / `pulse status` / `pulse close`: open a pulse round now; see the round in progress; close it early."""

import argparse
from datetime import datetime
from typing import TYPE_CHECKING

from bot.cli.common import actor, add_workspace_option, resolve_workspace, transaction
from bot.clock import SystemClock
from bot.startup import StartupError
from services.errors import AlreadyDone, NotFound

if TYPE_CHECKING:
    from services.pulse.rounds import RoundOpen


def add_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser("pulse", help="pulse polls: open a round now, see the round in progress, close it")
    actions = parser.add_subparsers(dest="pulse_command", metavar="ACTION", required=True)
    start = actions.add_parser("start", help="open a round for everyone now (the running bot sends the DMs)")
    add_workspace_option(start)
    start.set_defaults(handler=run_start)
    status = actions.add_parser(
        "status", help="the round in progress: how many were asked, answered and reminded, and when it closes"
    )
    add_workspace_option(status)
    status.set_defaults(handler=run_status)
    close = actions.add_parser("close", help="close the open round now, so its results show at once")
    add_workspace_option(close)
    close.set_defaults(handler=run_close)


def run_start(args: argparse.Namespace) -> int:
    from services.pulse import rounds as pulse_rounds  # the pulse's statements load only for a pulse command

    now = SystemClock().now()
    try:
        with transaction() as session:
            workspace = resolve_workspace(session, args.workspace, create=False)
            started = pulse_rounds.start_round(session, workspace=workspace, by=None, actor=actor(), now=now)
            number, closes_at, questions = started.number, started.closes_at, [q.text for q in started.questions]
    except pulse_rounds.RoundOpen as open_already:
        return round_already_open(open_already, now)
    print(f"opened pulse round {number}, open until {closes_at:%Y-%m-%d %H:%M} UTC; the running bot DMs everyone")
    print("\n".join(f"  {position}. {text}" for position, text in enumerate(questions, start=1)))
    return 0


def round_already_open(open_already: "RoundOpen", now: datetime) -> int:
    """A round still running is what was asked (a script starting one on a set day goes on: 0); one past its end
    that the tick has not closed is not (the bot is not running, or its tick is due): it says what to do (2)."""
    if now < open_already.closes_at:
        print(open_already)
        return 0
    raise StartupError(
        f"pulse round {open_already.number} was due to close at {open_already.closes_at:%Y-%m-%d %H:%M} UTC and is not "
        "closed yet (is the bot running?): `python -m bot pulse close`, then `python -m bot pulse start`"
    )


def run_status(args: argparse.Namespace) -> int:
    from services.pulse import rounds as pulse_rounds

    with transaction() as session:
        workspace = resolve_workspace(session, args.workspace, create=False)
        progress = pulse_rounds.round_progress(session, workspace=workspace)
    if progress is None:
        print("no pulse round is open")
        return 0
    print(
        f"round {progress.number}: {progress.invited} asked, {progress.answered} answered, "
        f"{progress.reminded} reminded; closes {progress.closes_at:%Y-%m-%d %H:%M} UTC"
    )
    if progress.late_from is not None:
        print(f"it opened late: it was due on {progress.late_from:%Y-%m-%d}, when the bot was not running")
    return 0


def run_close(args: argparse.Namespace) -> int:
    from services.pulse import closing as pulse_closing
    from services.pulse import rounds as pulse_rounds

    now = SystemClock().now()
    try:
        with transaction() as session:
            workspace = resolve_workspace(session, args.workspace, create=False)
            progress = pulse_rounds.round_progress(session, workspace=workspace)
            closed = pulse_closing.close_round(session, workspace=workspace, by=None, actor=actor(), now=now)
            number, threshold = closed.number, closed.anonymity_threshold
    except (NotFound, AlreadyDone) as none_open:  # what was asked already holds: a script closing on a day goes on
        print(none_open)
        return 0
    answered = f"{progress.answered} of {progress.invited} asked answered" if progress else "nobody answered"
    if progress is None or progress.answered < threshold:
        print(f"closed pulse round {number}: {answered}, fewer than the {threshold} a result needs, so it shows none")
    else:
        print(f"closed pulse round {number}: {answered}; its results are ready (`/pulse results` in Slack)")
    return 0
