"""/pulse results: a team's (or the organisation's) pulse results, and their trend as a chart in a DM."""

import re
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from handlers.blocks import pulse_results as result_blocks
from handlers.commands import Usage
from handlers.deps import deps_of
from handlers.errors import reported
from handlers.failure_replies import FailureReply
from handlers.people import command_caller
from handlers.pulse_chart import trend_alt_text, trend_png
from services.errors import DomainError
from services.pulse.results import team_results
from services.pulse.trees import ORG
from services.sentence_words import as_written, plain_word
from services.text import SLACK_MENTION, echoed, mention_in_words

_MENTION = re.compile(r"^<@([UW][A-Z0-9]+)(\|[^>]*)?>\Z|^([UW][A-Z0-9]{2,})\Z")


NO_CHART = "Your results were shown where you typed the command, but the trend chart may not have reached our DM. "
"""Said above the results or in a DM, after a refusal or a timeout (when it may have arrived after all)."""


def show_results(
    ack: Ack,
    command: dict[str, Any],
    context: BoltContext,
    client: WebClient,
    respond: Respond,
    target: str | None,
    usage: Usage,
) -> None:
    """`/pulse results [@manager|org]`: the results as a message, the trend as a chart in a DM (`usage`: /pulse's)."""
    team = _team_argument(target)
    if target is not None and team is None:
        ack(text=usage.text(not_a_manager(target)))
        return
    deps = deps_of(context)
    try:
        with deps.sessions.begin() as session:
            identity = command_caller(session, context, command)
            results = team_results(
                session, workspace=identity.workspace, viewer=identity.employee, team=team, now=deps.now()
            )
    except DomainError as error:
        ack(text=str(error))
        return
    ack(**result_blocks.results_message(results, team))
    title = f"Pulse trend — {results.label}"
    chart = trend_png(results.trend, title) if results.shown else None
    if chart is not None:
        with reported(command, FailureReply(respond, NO_CHART), client):
            _upload_chart(client, command["user_id"], chart, title, trend_alt_text(results.trend, title))


def not_a_manager(target: str) -> str:
    """What to type instead of what follows `results`: a team's name or a channel (`Support East`, `#support`), or
    several people (each team is asked for on its own)."""
    if any(found["person"] for found in SLACK_MENTION.finditer(target)):
        return (
            "Name one manager and nothing else after `results`, like `/pulse results @maya`: ask for each other team "
            "on its own."
        )
    what = mention_in_words(target) or f"`{echoed(target)}`"
    return f"{what} is not a person: mention the team's manager, picked from Slack's list, like `/pulse results @maya`."


def _upload_chart(client: WebClient, user_id: str, chart: bytes, title: str, alt: str) -> None:
    channel = client.conversations_open(users=user_id)["channel"]["id"]
    client.files_upload_v2(channel=channel, content=chart, filename="pulse-trend.png", title=title, alt_txt=alt)


def _team_argument(target: str | None) -> str | None:
    if target is None:
        return None
    if plain_word(target) == ORG:
        return ORG
    found = _MENTION.match(as_written(target))  # `@maya.`: the sentence's full stop is no second name
    return (found.group(1) or found.group(3)) if found else None
