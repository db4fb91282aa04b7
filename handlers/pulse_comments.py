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
    named, start, team = payload.parsed(blocks.parse_more_value, str(action.get("value")))
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
    if not _is_round(results, named) or not results.shown:
        respond(text=_not_shown_now(results, named), response_type="ephemeral", replace_original=False)
        return
    respond(**blocks.comments_page(results, start, team), response_type="ephemeral", replace_original=False)


def _is_round(results: TeamResults, named: blocks.RoundNamed) -> bool:
    """Whether the button names the round shown now: by id, never given twice; a button from before buttons carried
    the id names it by number, which after a purge and a new install may be a newer round's."""
    return (results.round_id if named.by_id else results.round_number) == named.value


def _not_shown_now(results: TeamResults, named: blocks.RoundNamed) -> str:
    if not _is_round(results, named):
        return f"These results are no longer the latest: `/pulse results` shows round {results.round_number}."
    label = escape_mrkdwn(results.label)
    return f"Round {results.round_number}'s results for {label} are not shown: `/pulse results` says why."
