"""The pulse questions message after a click: it ends showing the answers stored, however two clicks' updates land."""

from collections.abc import Callable
from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient

from handlers.blocks import pulse as blocks
from handlers.deps import deps_of
from handlers.people import action_caller
from models import Employee
from services.errors import DomainError
from services.pulse import answers as pulse
from services.pulse.answers import MyRound

ROUNDS_TO_CATCH_UP = 3
"""Updates one click makes at most: each one more needs another answer committed in between."""


def show_until_current(
    client: WebClient,
    container: dict[str, Any],
    shown: MyRound,
    newer: Callable[[MyRound], MyRound | None],
    tz: str | None,
) -> None:
    """Update the questions message, then look again at what is stored: another click on it may have committed
    since this one was rendered, and its own update landed first. Shown again until what Slack shows is what is
    stored, so the last update to land, whoever made it, was rendered after the last answer."""
    channel, ts = container["channel_id"], container["message_ts"]
    for _ in range(ROUNDS_TO_CATCH_UP):
        client.chat_update(channel=channel, ts=ts, **blocks.questions_message(shown, tz=tz))
        latest = newer(shown)
        if latest is None:
            return
        shown = latest


def newer_answers(
    context: BoltContext, body: dict[str, Any], employee: Employee, question_id: int
) -> Callable[[MyRound], MyRound | None]:
    """The caller's round as stored now, if their answers differ from those `shown` (None: the same, or the round
    has closed). Every click asks once, so the usual answer costs one read; only a change renders again."""
    deps = deps_of(context)

    def newer(shown: MyRound) -> MyRound | None:
        with deps.sessions.begin() as session:
            if pulse.answers_stored(session, shown.round, employee) == shown.answers:
                return None
            try:
                identity = action_caller(session, context, body)
                return pulse.my_round_asking(
                    session,
                    workspace=identity.workspace,
                    employee=identity.employee,
                    question_id=question_id,
                    now=deps.now(),
                )
            except DomainError:
                return None

    return newer
