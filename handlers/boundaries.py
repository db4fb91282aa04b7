"""/boundaries: the caller's empowerment limits."""

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from handlers.commands import Usage, is_help, unknown_argument
from handlers.deps import deps_of
from handlers.people import command_caller, learn_from_slack, with_newcomer_note

USAGE = Usage(
    command="/boundaries",
    purpose="what you may fix for a customer on the spot, and what is left of today's and this month's allowance.",
    forms=(
        ("/boundaries", "show your limits, category by category"),
        ("/boundaries help", "show this help"),
    ),
)


def show_boundaries(ack: Ack, command: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    text = command.get("text", "")
    if is_help(text):
        ack(text=USAGE.text())
        return
    if text.strip():
        ack(text=unknown_argument(USAGE, text))
        return
    deps = deps_of(context)
    with deps.sessions.begin() as session:
        identity = command_caller(session, deps, command)
    ack(text=with_newcomer_note("No boundaries are loaded yet. Ask HR to load the policy file.", identity))
    if identity.newly_added:
        learn_from_slack(client, deps, identity.employee)


def register(app: App) -> None:
    app.command("/boundaries")(show_boundaries)
