"""/digest: a private preview of this week's digest so far (the weekly DMs are handlers/jobs/send_weekly_digests.py)."""

import re
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from handlers.blocks import digest as blocks
from handlers.commands import Usage, is_help, unknown_argument
from handlers.deps import deps_of
from handlers.people import command_caller, learn_if_wanted
from services.digest import access as digest_access
from services.errors import DomainError
from services.text import SLACK_MENTION, echoed, meant_word

USAGE = Usage(
    command="/digest",
    purpose="your team's weekly digest so far, only for you (managers; HR and admins for any team).",
    forms=(
        ("/digest", "this week so far for your team: fixes, customers, what waits on you"),
        ("/digest team:Support East", "HR and admins: that team's digest"),
        ("/digest help", "show this help"),
    ),
)
_TEAM = re.compile(r"^team:\s*(.*)$", re.IGNORECASE | re.DOTALL)


def show_digest(ack: Ack, command: dict[str, Any], context: BoltContext, respond: Respond, client: WebClient) -> None:
    text = command.get("text", "").strip()
    if is_help(text):
        ack(text=USAGE.text())
        return
    team = _TEAM.match(text)
    if text and team is None:
        ack(text=not_a_team(text))
        return
    ack()
    deps = deps_of(context)
    try:
        with deps.sessions.begin() as session:
            identity = command_caller(session, context, command)
            caller = identity.employee
            team_name = team.group(1).strip() if team else None
            preview = digest_access.preview_for(session, caller=caller, team_name=team_name, now=deps.now())
    except DomainError as error:
        respond(text=f":warning: {error}", response_type="ephemeral")
        return
    mine = preview.manager.id == caller.id
    respond(
        text=blocks.digest_text(preview, to_its_manager=mine),
        blocks=blocks.digest_blocks(preview, to_its_manager=mine),
        response_type="ephemeral",
    )
    learn_if_wanted(client, deps, identity)


def not_a_team(text: str) -> str:
    """What to type instead of `/digest Support East` (a team named without `team:`) or `/digest @sam` (a person:
    the digest is a team's); a word close to `help` is answered as a command word."""
    first = text.split()[0]
    if SLACK_MENTION.match(first):
        return USAGE.text(
            "The digest is a team's week, not one person's or a channel's: `/digest` shows your team's, and HR and "
            "admins name a team, like `/digest team:Support East`."
        )
    if first.lower() in USAGE.words() or meant_word(first, USAGE.words()):
        return unknown_argument(USAGE, text)
    return USAGE.text(
        f"I don't know `{echoed(text)}` here. For a team's digest, write `team:` before its name: "
        f"`/digest team:{echoed(text)}`."
    )


def register(app: App) -> None:
    app.command("/digest")(show_digest)
