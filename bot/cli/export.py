"""`export rewards`: HR's reward history for payroll, streamed as CSV or JSON lines; `rewards fulfil|revoke`."""

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy.orm import Session

from bot.cli.common import actor, add_workspace_option, database, resolve_workspace, transaction
from bot.clock import SystemClock
from models import Workspace
from models.engine import make_session_factory, reading
from services import outbox
from services.rewards.export import FORMATS, export_grants, parse_period, record_export


def add_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser("export", help="export data for HR and payroll")
    kinds = parser.add_subparsers(dest="export_kind", metavar="WHAT", required=True)
    grants = kinds.add_parser("rewards", help="reward grants in a date range (columns documented in the README)")
    grants.add_argument(
        "--from", dest="first", metavar="YYYY-MM-DD", help="first day, UTC (default: 1st of this month)"
    )
    grants.add_argument("--to", dest="last", metavar="YYYY-MM-DD", help="last day included, UTC (default: today)")
    grants.add_argument("--team", help="only recipients in this team")
    grants.add_argument("--format", choices=FORMATS, default="csv", help="csv (RFC 4180, UTF-8) or jsonl")
    grants.add_argument("--out", default="-", help="file to write, or - for standard output (default)")
    add_workspace_option(grants)
    grants.set_defaults(handler=run_export)
    _add_grant_actions(commands)


def _add_grant_actions(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser("rewards", help="HR's actions on reward grants")
    actions = parser.add_subparsers(dest="rewards_command", metavar="ACTION", required=True)
    fulfil = actions.add_parser("fulfil", help="mark a grant paid or delivered")
    fulfil.add_argument("grant_id", type=int)
    add_workspace_option(fulfil)
    fulfil.set_defaults(handler=run_fulfil)
    revoke = actions.add_parser("revoke", help="revoke a grant (the giver gets the nomination back)")
    revoke.add_argument("grant_id", type=int)
    revoke.add_argument("--reason", required=True, help="why, for the audit log and the people concerned")
    add_workspace_option(revoke)
    revoke.set_defaults(handler=run_revoke)


@contextmanager
def output(target: str) -> Iterator[TextIO]:
    if target == "-":
        yield sys.stdout
        return
    with Path(target).open("w", encoding="utf-8", newline="") as file:
        yield file


def run_export(args: argparse.Namespace) -> int:
    """The export reads a snapshot, holding up no request meanwhile; the audit line is written after it."""
    now = SystemClock().now()
    period = parse_period(args.first, args.last, args.team, now=now)
    sessions = make_session_factory(database())
    with reading(sessions) as session, output(args.out) as out:
        workspace = resolve_workspace(session, args.workspace, create=False)
        count = export_grants(session, workspace=workspace, requester=None, period=period, out=out, fmt=args.format)
    with sessions.begin() as session:
        record_export(session, workspace=workspace, actor=actor(), period=period, rows=count, now=now)
    print(f"{count} reward grant(s), {period.describe()}", file=sys.stderr)
    return 0


def run_fulfil(args: argparse.Namespace) -> int:
    from handlers.blocks import rewards as blocks
    from services.rewards import grants as rewards

    now = SystemClock().now()
    with transaction() as session:
        workspace = resolve_workspace(session, args.workspace, create=False)
        grant = rewards.fulfil_grant(
            session, workspace=workspace, grant_id=args.grant_id, hr=None, actor=actor(), now=now
        )
        tell(session, workspace, f"reward-fulfilled:{grant.id}", blocks.fulfilled_dm(grant), now)
        print(f"reward grant #{grant.id} ({grant.title} for {grant.recipient.name}) is fulfilled")
    return 0


def run_revoke(args: argparse.Namespace) -> int:
    from handlers.blocks import rewards as blocks
    from services.rewards import grants as rewards

    now = SystemClock().now()
    with transaction() as session:
        workspace = resolve_workspace(session, args.workspace, create=False)
        grant = rewards.revoke_grant(
            session, workspace=workspace, grant_id=args.grant_id, hr=None, actor=actor(), reason=args.reason, now=now
        )
        for slack_id, payload in blocks.revoked_dms(grant):
            tell(session, workspace, f"reward-revoked:{grant.id}:{slack_id}", payload, now)
        print(f"reward grant #{grant.id} ({grant.title} for {grant.recipient.name}) is revoked")
    return 0


def tell(session: Session, workspace: Workspace, key: str, payload: dict[str, Any], now: datetime) -> None:
    """Queue a DM in the outbox (same key as the Slack buttons use); the running bot sends it within seconds."""
    outbox.enqueue(session, workspace=workspace, key=key, method="chat.postMessage", payload=payload, now=now)
