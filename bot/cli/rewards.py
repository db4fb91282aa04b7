"""`rewards fulfil|revoke ID`: HR's actions on a reward grant. Doing again what was done already is no error."""

import argparse
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.cli.common import actor, add_workspace_option, resolve_workspace, transaction
from bot.clock import SystemClock
from models import RewardGrant, Workspace
from services.errors import AlreadyDone
from services.text import escape_mrkdwn

MAX_GRANT_ID = 2**31 - 1
"""The largest id an INTEGER column holds on PostgreSQL."""
GRANT_ID_HELP = (
    "the grant's number: #12 in its Slack messages (12, or '#12' in quotes), the grant_id column of `export rewards`"
)
CONFLICTS = {
    "fulfilled": "a revoked reward is not paid or delivered",
    "revoked": "a reward already paid or delivered cannot be taken back",
}
"""Why a grant settled the other way cannot be settled as asked, by what was asked."""


def add_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser("rewards", help="HR's actions on reward grants")
    actions = parser.add_subparsers(dest="rewards_command", metavar="ACTION", required=True)
    fulfil = actions.add_parser("fulfil", aliases=["fulfill"], help="mark a grant paid or delivered")
    fulfil.add_argument("grant_id", type=grant_id, help=GRANT_ID_HELP)
    add_workspace_option(fulfil)
    fulfil.set_defaults(handler=run_fulfil)
    revoke = actions.add_parser("revoke", help="revoke a grant (the giver gets the nomination back)")
    revoke.add_argument("grant_id", type=grant_id, help=GRANT_ID_HELP)
    revoke.add_argument("--reason", required=True, help="why, for the audit log and the people concerned")
    add_workspace_option(revoke)
    revoke.set_defaults(handler=run_revoke)


def grant_id(text: str) -> int:
    """A grant id as the database can hold it: a digit too many is no grant, said in one line rather than
    an overflow from the driver. `#12`, as Slack's messages write it, is grant 12."""
    digits = text.strip().removeprefix("#")
    try:
        number = int(digits)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a grant id (a whole number)") from None
    if not 1 <= number <= MAX_GRANT_ID:
        raise argparse.ArgumentTypeError(f"there is no reward grant #{digits} (ids go from 1 to {MAX_GRANT_ID})")
    return number


def run_fulfil(args: argparse.Namespace) -> int:
    from handlers.blocks import rewards as blocks
    from services.rewards import grants as rewards

    now = SystemClock().now()
    try:
        with transaction() as session:
            workspace = resolve_workspace(session, args.workspace, create=False)
            grant = rewards.fulfil_grant(
                session, workspace=workspace, grant_id=args.grant_id, hr=None, actor=actor(), now=now
            )
            tell(session, workspace, f"reward-fulfilled:{grant.id}", blocks.fulfilled_dm(grant), now)
            update_hr_copies(session, workspace, grant, ":white_check_mark: Fulfilled from the command line", now)
            print(f"reward grant #{grant.id} ({grant.title} for {grant.recipient.name}) is fulfilled")
    except rewards.GrantSettled as settled:
        return settled_before(args.grant_id, settled.status, settled.settled_at, asked="fulfilled")
    return 0


def run_revoke(args: argparse.Namespace) -> int:
    from handlers.blocks import rewards as blocks
    from services.rewards import grants as rewards

    now = SystemClock().now()
    try:
        with transaction() as session:
            workspace = resolve_workspace(session, args.workspace, create=False)
            grant = rewards.revoke_grant(
                session,
                workspace=workspace,
                grant_id=args.grant_id,
                hr=None,
                actor=actor(),
                reason=args.reason,
                now=now,
            )
            for slack_id, payload in blocks.revoked_dms(grant):
                tell(session, workspace, f"reward-revoked:{grant.id}:{slack_id}", payload, now)
            revoked = f":no_entry: Revoked from the command line: {escape_mrkdwn(args.reason)}"
            update_hr_copies(session, workspace, grant, revoked, now)
            print(f"reward grant #{grant.id} ({grant.title} for {grant.recipient.name}) is revoked")
    except rewards.GrantSettled as settled:
        return settled_before(args.grant_id, settled.status, settled.settled_at, asked="revoked")
    return 0


def settled_before(number: int, status: str, at: datetime | None, *, asked: str) -> int:
    """A grant settled before the command: as asked, what was asked already holds (a script or HR repeating
    it goes on, exit 0); the other way, a real conflict (exit 2). Nothing was written either way."""
    when = f" on {at:%Y-%m-%d %H:%M} UTC" if at is not None else ""
    if status == asked:
        print(f"reward grant #{number} was already {status}{when}; nothing changed")
        return 0
    raise AlreadyDone(f"reward grant #{number} was {status}{when}: {CONFLICTS[asked]}; nothing changed")


def tell(session: Session, workspace: Workspace, key: str, payload: dict[str, Any], now: datetime) -> None:
    """Queue a DM in the outbox (same key as the Slack buttons use); the running bot sends it within seconds."""
    from services import outbox

    outbox.enqueue(session, workspace=workspace, key=key, method="chat.postMessage", payload=payload, now=now)


def update_hr_copies(session: Session, workspace: Workspace, grant: RewardGrant, outcome: str, now: datetime) -> None:
    """Every HR person's copy of the grant loses its buttons, as when it is settled from Slack; one not sent yet
    never will be."""
    from handlers.blocks import rewards as blocks
    from handlers.reward_messages import hr_copies
    from services import outbox

    settled = blocks.hr_grant(grant, outcome)
    for channel, ts in hr_copies(session, grant.id, settled, now):
        key = f"reward-hr-settled:{grant.id}:{channel}:{ts}"
        payload = {"channel": channel, "ts": ts, **settled}
        outbox.enqueue(session, workspace=workspace, key=key, method="chat.update", payload=payload, now=now)
