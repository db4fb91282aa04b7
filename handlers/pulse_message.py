"""The pulse questions message after a click: it ends showing the answers stored, however two clicks' updates land."""

from collections.abc import Callable
from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient

from handlers.blocks import pulse as blocks
from handlers.deps import deps_of
from handlers.people import action_caller
from services.errors import DomainError
from services.pulse import answers as pulse

ROUNDS_TO_CATCH_UP = 3
"""Updates one click makes at most: each one more needs another answer committed in between."""


def show_until_current(
    client: WebClient, container: dict[str, Any], shown: dict[str, Any], now: Callable[[], dict[str, Any] | None]
) -> None:
    """Update the questions message, then read again what is stored: another click on it may have committed since this
    one was rendered, and its own update landed first. Shown again until what Slack shows is what is stored, so the
    last update to land, whoever made it, was rendered after the last answer."""
    for _ in range(ROUNDS_TO_CATCH_UP):
        client.chat_update(channel=container["channel_id"], ts=container["message_ts"], **shown)
        latest = now()
        if latest is None or latest == shown:
            return
        shown = latest


def questions_now(context: BoltContext, body: dict[str, Any], question_id: int) -> Callable[[], dict[str, Any] | None]:
    """The questions message as the caller's stored answers make it now; None once the round has closed."""
    deps = deps_of(context)

    def render() -> dict[str, Any] | None:
        try:
            with deps.sessions.begin() as session:
                identity = action_caller(session, context, body)
                mine = pulse.my_round_asking(
                    session,
                    workspace=identity.workspace,
                    employee=identity.employee,
                    question_id=question_id,
                    now=deps.now(),
                )
        except DomainError:
            return None
        return blocks.questions_message(mine)

    return render
