"""/rewards: your history, the catalog, the leaderboard and HR's CSV export."""

import logging
from datetime import datetime
from functools import partial
from typing import Any
from urllib.error import URLError

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from handlers.blocks import rewards as blocks
from handlers.commands import Usage, is_help, unknown_argument, without_courtesy
from handlers.deps import deps_of
from handlers.errors import reported
from handlers.failure_replies import FailureReply
from handlers.file_uploads import share_file, spooled_text, timed_out
from handlers.late_replies import reply_or_dm
from handlers.people import command_caller, learn_if_wanted, person_labels, with_newcomer_note
from models import Employee, Workspace
from models.engine import reading
from services import teams
from services.calendar import local_date
from services.errors import DomainError
from services.rewards import export as reward_export
from services.rewards import fairness as reward_fairness
from services.rewards import grants as rewards
from services.sentence_words import as_written, plain_word
from services.text import escape_mrkdwn, plural

USAGE = Usage(
    command="/rewards",
    purpose="your recognition: what you received and gave, and what is left of your monthly allowance.",
    forms=(
        ("/rewards", "your reward history and allowance"),
        ("/rewards catalog", "the rewards you can give with /nominate"),
        (
            "/rewards top [month|quarter]",
            "who gave and received most recognition (default: this month; HR also sees mutual pairs)",
        ),
        (
            "/rewards export [FROM] [TO] [team:NAME] [semicolons]",
            "HR: a CSV of reward grants in a DM; dates like 2026-03-01, 1 March 2026 or Q1 2026 (a month or quarter "
            "alone, or `last month`: all of it; without its year, `Mar 3` or `Q4`, the latest, as the reply says), "
            "whole days in UTC (default: this month so far); a team as `team:Support East` (`/rewards export team` "
            "lists them); "
            "`semicolons` for Excel in a language whose decimal mark is a comma",
        ),
        ("/rewards help", "show this help"),
    ),
)

log = logging.getLogger(__name__)


def rewards_command(
    ack: Ack, command: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
) -> None:
    text = command.get("text", "").strip()
    words = without_courtesy(text.split())
    asked = plain_word(words[0]) if words else ""  # `catalog.`, `“catalog”`
    if is_help(text):
        ack(text=USAGE.text())
    elif not words:
        show_history(ack, command, context, client)
    elif asked in ("catalog", "catalogue") and len(words) == 1:
        show_catalog(ack, command, context)
    elif asked == "top" and len(words) <= 2:
        show_top(ack, command, context, as_written(words[1]) if len(words) == 2 else "month")
    elif asked == "export":
        export(ack, command, context, client, respond, words[1:])
    else:
        ack(text=unknown_argument(USAGE, " ".join(words), person_labels(context)))  # `please reslts`


def show_history(ack: Ack, command: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    deps = deps_of(context)
    with deps.sessions.begin() as session:
        identity = command_caller(session, context, command)
        workspace = identity.workspace
        history = rewards.history(session, workspace=workspace, employee=identity.employee, now=deps.now())
        text = blocks.history_text(history)
    ack(text=with_newcomer_note(text, identity))
    with reported(command):
        learn_if_wanted(client, deps, identity)


def show_catalog(ack: Ack, command: dict[str, Any], context: BoltContext) -> None:
    deps = deps_of(context)
    with deps.sessions.begin() as session:
        workspace = command_caller(session, context, command).workspace
        lines = rewards.catalog_lines(rewards.reward_policy(session, workspace))
    ack(text=blocks.catalog_text(lines))


def show_top(ack: Ack, command: dict[str, Any], context: BoltContext, period: str) -> None:
    deps = deps_of(context)
    try:
        with deps.sessions.begin() as session:
            caller = command_caller(session, context, command)
            viewer, workspace = caller.employee, caller.workspace
            board = reward_fairness.leaderboard(
                session, workspace=workspace, viewer=viewer, period=period, now=deps.now()
            )
    except DomainError as error:
        ack(text=f":warning: {error}")
        return
    ack(text=blocks.leaderboard_text(board))


def recognition_section(session: Session, employee: Employee, now: datetime) -> list[dict[str, Any]]:
    """App Home: this month's recognition and the latest shout-outs."""
    workspace = session.get_one(Workspace, employee.workspace_id)
    return blocks.recognition_home(rewards.summary(session, workspace=workspace, employee=employee, now=now))


def export(
    ack: Ack, command: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond, words: list[str]
) -> None:
    """Check who asks and the range before the ack; build and upload the file after it, or say it failed."""
    deps = deps_of(context)
    words, layout = _layout(words)
    try:
        with deps.sessions.begin() as session:
            caller = command_caller(session, context, command)
            requester, workspace = caller.employee, caller.workspace
            reward_export.require_exporter(requester)
            named = teams.names_a_team(session, workspace)  # `team:Nesting March 2026` names a team, no month
            said_on = local_date(deps.now(), requester.tz)  # `last month` is the one before the requester's own
            known = partial(teams.team_names, session, workspace)  # `Support Eest last month`: one nearly named
            period = reward_export.parse_period_words(
                words, now=deps.now(), is_a_team=named, said_on=said_on, known_teams=known
            )
            period = reward_export.check_export(session, workspace=workspace, requester=requester, period=period)
    except DomainError as error:
        ack(text=f":warning: {escape_mrkdwn(str(error))}")  # the export's messages are the command line's too
        return
    separated = ", cells separated by semicolons" if layout == reward_export.SEMICOLONS else ""
    ack(text=f"Preparing the reward export for {_range_words(period)}{separated}: it will arrive in a DM.")
    no_file = f"The reward export for {escape_mrkdwn(period.describe())} failed: no file is coming. "
    with reported(command, FailureReply(respond, no_file), client):
        try:
            upload_export(client, context, command, period, requester.id, layout)
        except (TimeoutError, URLError) as error:
            if not timed_out(error):
                raise
            log.warning("the reward export's upload got no answer in time: the file may have arrived")
            told = MAY_HAVE_ARRIVED.format(period=escape_mrkdwn(period.describe()))
            reply_or_dm(respond, client, command["user_id"], told)


SEMICOLON_WORDS = ("semicolon", "semicolons")


def _layout(words: list[str]) -> tuple[list[str], reward_export.Layout]:
    """`semicolons` typed with the dates or last (a team's name may hold any word): the file for Excel in a
    language whose decimal mark is a comma, which splits a comma-separated file at semicolons only."""
    team_at = next((at for at, word in enumerate(words) if word.casefold().startswith("team:")), len(words))
    kept = [
        word
        for at, word in enumerate(words)
        if plain_word(word) not in SEMICOLON_WORDS or team_at < at < len(words) - 1
    ]
    return kept, reward_export.SEMICOLONS if len(kept) < len(words) else reward_export.COMMAS


def _range_words(period: reward_export.ExportPeriod) -> str:
    """The range on the clock it is read on: HR in Sydney or Los Angeles would take `2026-03-31` for their own day."""
    read_as = f"{escape_mrkdwn(period.read_as)}; " if period.read_as else ""  # `Mar 3` has no year: read as...
    utc = "whole days in UTC, the clock of the file's times"
    return f"{escape_mrkdwn(period.describe())} ({read_as}{utc}){period.so_far()}"


MAY_HAVE_ARRIVED = (
    "Slack did not confirm the reward export for {period} in time: the file may still have arrived. "
    "Check our DM before you export again."
)


def upload_export(
    client: WebClient,
    context: BoltContext,
    command: dict[str, Any],
    period: reward_export.ExportPeriod,
    requester_id: int,
    layout: reward_export.Layout,
) -> None:
    """The export reads one snapshot (a grant made meanwhile goes into the next), holding up no other request; the
    audit line is written before the file is handed over (as on the command line), so no export ever leaves
    unrecorded. The file is spooled to disk past `SPOOL_BYTES` and streamed to Slack from there: memory stays flat
    however many grants there are."""
    deps = deps_of(context)
    user_id = command["user_id"]
    with spooled_text(SPOOL_BYTES) as out:
        with reading(deps.sessions) as session:
            requester = session.get_one(Employee, requester_id)
            workspace = session.get_one(Workspace, requester.workspace_id)
            count = reward_export.export_grants(
                session,
                workspace=workspace,
                requester=requester,
                period=period,
                out=out,
                byte_order_mark=True,
                layout=layout,
            )
        out.flush()
        length = out.buffer.tell()
        out.buffer.seek(0)
        with deps.sessions.begin() as session:
            reward_export.record_export(
                session, workspace=workspace, actor=user_id, period=period, rows=count, now=deps.now()
            )
        channel = client.conversations_open(users=user_id)["channel"]["id"]
        share_file(
            client,
            channel=channel,
            file=out.buffer,
            length=length,
            filename=f"rewards_{period.first.isoformat()}_{period.covered().last.isoformat()}.csv",
            title=f"Reward grants {period.covered().describe()}{' (so far)' if period.unfinished else ''}",
            initial_comment=f"{plural(count, 'reward grant')}, {_range_words(period)}. {COLUMNS_NOTE}",
        )


SPOOL_BYTES = 1 << 20
"""How much of an export `/rewards export` keeps in memory before it goes to a temporary file."""


COLUMNS_NOTE = (
    "Key columns: `recipient_name`, `title`, `value` and `currency`, `status`; `team` and `manager` are the "
    "recipient's when it was granted; `granted_at` and `fulfilled_at` are UTC times "
    f"({len(reward_export.EXPORT_COLUMNS)} columns in all)."
)
"""What HR reads the file by, said where they get it: they have the file in Slack, not the README's column list."""


def register(app: App) -> None:
    app.command("/rewards")(rewards_command)
