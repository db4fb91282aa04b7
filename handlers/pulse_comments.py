"""The results' "Show more" button: the anonymous comments one results message had no room for."""

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond

from handlers import payload
from handlers.blocks import pulse_results as blocks
from handlers.deps import deps_of
from handlers.people import action_caller
from services.errors import DomainError
from services.pulse.results import TeamResults, team_results
from services.text import escape_mrkdwn


def register(app: App) -> None:
    app.action(blocks.MORE_COMMENTS_ACTION)(show_more_comments)


def show_more_comments(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, respond: Respond
) -> None:
    """Read again under today's rule (access and anonymity are judged at each click, as for `/pulse results`)."""
    round_id, start, team = payload.parsed(blocks.parse_more_value, str(action.get("value")))
    ack()
    deps = deps_of(context)
    try:
        with deps.sessions.begin() as session:
            identity = action_caller(session, context, body)
            results = team_results(
                session, workspace=identity.workspace, viewer=identity.employee, team=team, now=deps.now()
            )
    except DomainError as error:
        respond(text=str(error), response_type="ephemeral", replace_original=False)
        return
    if results.round_id != round_id or not results.shown:
        respond(text=_not_shown_now(results, round_id), response_type="ephemeral", replace_original=False)
        return
    respond(**blocks.comments_page(results, start, team), response_type="ephemeral", replace_original=False)


def _not_shown_now(results: TeamResults, round_id: int | None) -> str:
    """The round the button was for is not named: after a purge its number may be that of a newer round."""
    if results.round_id != round_id:
        return f"These results are no longer the latest: `/pulse results` shows round {results.round_number}."
    label = escape_mrkdwn(results.label)
    return f"Round {results.round_number}'s results for {label} are not shown: `/pulse results` says why."
