"""/boundaries: the caller's empowerment limits and what is left of today's and this month's allowance."""

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from handlers.blocks import boundaries as blocks
from handlers.blocks.kit import text_block
from handlers.commands import Usage, is_help, unknown_argument
from handlers.deps import deps_of
from handlers.errors import reported
from handlers.people import NEW_EMPLOYEE_NOTE, command_caller, learn_if_wanted
from services.errors import DomainError
from services.resolutions import fixes as resolutions

USAGE = Usage(
    command="/boundaries",
    purpose="what you may fix for a customer on the spot, and what is left of today's and this month's allowance.",
    forms=(
        ("/boundaries", "show your limits, category by category"),
        ("/boundaries CATEGORY", "show one category in full, its description too (`/boundaries refund`)"),
        ("/boundaries help", "show this help"),
    ),
)


def show_boundaries(ack: Ack, command: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    text = command.get("text", "")
    if is_help(text):
        ack(text=USAGE.text())
        return
    if len(text.split()) > 1:
        ack(text=unknown_argument(USAGE, text))
        return
    deps = deps_of(context)
    with deps.sessions.begin() as session:
        identity = command_caller(session, context, command)
        try:
            active, lines = resolutions.allowance_to_log(session, identity.employee, deps.now())
            if text.strip():
                lines = [resolutions.allowance_in(lines, text.strip())]
            content = blocks.boundaries(lines, active.policy.currency, active.version.number, identity.employee)
        except DomainError as error:
            content = [text_block(f":warning: {error}")]
    note = [text_block(NEW_EMPLOYEE_NOTE)] if identity.newly_added else []
    ack(text="Your boundaries", blocks=note + content)
    with reported(command):
        learn_if_wanted(client, deps, identity)


def register(app: App) -> None:
    app.command("/boundaries")(show_boundaries)
