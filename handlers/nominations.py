"""/nominate, one line or a modal: recognise colleagues (approvals are in handlers/reward_decisions.py)."""

import logging
from collections.abc import Mapping
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from handlers import payload, unknown_deciders
from handlers.blocks import nominations as blocks
from handlers.blocks.kit import field_errors, name_of
from handlers.blocks.rewards import renews_words
from handlers.commands import is_help
from handlers.delivery import Outgoing, queue, send_now
from handlers.deps import Deps, deps_of
from handlers.errors import reported
from handlers.late_replies import answer_through
from handlers.nomination_typed import OneLiner, parse_one_liner
from handlers.people import (
    action_caller,
    command_caller,
    labelled,
    learn_if_wanted,
    person_labels,
    refused_before_a_form,
    request_workspace,
    vet_with_slack,
    with_newcomer_note,
)
from handlers.reward_messages import nomination_messages, shoutout_channel
from handlers.slack_people import slack_people
from models import Employee, Workspace
from services import directory
from services.directory import Identity, SlackPerson
from services.errors import DomainError
from services.outbox import Claimed
from services.rewards import grants as rewards
from services.rewards import nominations, typed
from services.rewards.nominations import NominationOutcome, NominationRequest, Story
from services.rewards.nominees import NomineeRefused
from services.text import escape_mrkdwn, plural

log = logging.getLogger(__name__)

USAGE = blocks.usage()
RECORDED = "Your nomination was recorded"


def nominate_command(
    ack: Ack, command: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
) -> None:
    text = command.get("text", "")
    if is_help(text):
        ack(text=help_text(context))
        return
    if not text.strip():
        open_nominate_modal(ack, client, context, command, respond)
        return
    form = parse_one_liner(text)
    if isinstance(form, str):
        ack(text=USAGE.text(form))
        return
    nominate_one_liner(ack, command, context, client, respond, form)


def help_text(context: BoltContext) -> str:
    """The usage, naming where a shout-out goes (or that no channel is set)."""
    deps = deps_of(context)
    with deps.sessions.begin() as session:
        channel = shoutout_channel(session, deps, request_workspace(session, context))
    return blocks.usage(channel, known=True).text()


def nominate_one_liner(
    ack: Ack, command: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond, form: OneLiner
) -> None:
    """Known colleagues get the answer in the ack, in one transaction; anyone Slack must be asked about
    (outside any transaction) gets it right after, in a second one."""
    deps = deps_of(context)
    skip = {command["user_id"], context.bot_user_id}
    unknown: list[str] = []
    vet = False

    def reply(text: str) -> None:
        if unknown or vet:
            answer_through(respond, text=text, response_type="ephemeral")
        else:
            ack(text=text)

    try:
        with deps.sessions.begin() as session:
            identity = command_caller(session, context, command)
            known = directory.vetted_names_of(session, identity.workspace, form.nominees)
            unknown = strangers(form.nominees, known, skip=skip)
            vet = identity.may_be_a_guest  # Slack says whether the caller is a guest before they nominate
            mine = identity.workspace, identity.employee
            done = None if unknown or vet else _nominate(session, deps, context, *mine, form, {})
        if done is None:
            ack()
            if vet:  # still unvetted when Slack did not answer: refused
                vet_with_slack(client, deps, identity.employee)
            people = slack_people(client, context, unknown, person_labels(context))
            with deps.sessions.begin() as session:
                again = command_caller(session, context, command)
                done = _nominate(session, deps, context, again.workspace, again.employee, form, people)
    except DomainError as error:
        reply(f":warning: {error}")
        return
    outcome, messages = done
    with reported(command, respond, client, done=RECORDED, context=context):  # lost, it is not to be asked again
        reply(with_newcomer_note(confirmation(outcome), identity))
    with reported(command, respond, client, done=RECORDED, context=context):
        unknown_deciders.send_requests(deps, client, respond, messages)
        if not vet:
            learn_if_wanted(client, deps, identity)


def _nominate(
    session: Session,
    deps: Deps,
    context: BoltContext,
    workspace: Workspace,
    nominator: Employee,
    form: OneLiner,
    people: dict[str, SlackPerson],
) -> tuple[NominationOutcome, list[Claimed]]:
    text = labelled(session, context, workspace, form.rest)
    key, reason = typed.split_reward(rewards.reward_policy(session, workspace), text)
    outcome = nominations.nominate(
        session,
        workspace=workspace,
        nominator=nominator,
        request=NominationRequest(form.nominees, key, reason),
        slack_people=people,
        bot_user_id=context.bot_user_id,
        now=deps.now(),
    )
    messages = queue(
        session, workspace_id=workspace.id, messages=nomination_messages(session, deps, outcome), now=deps.now()
    )
    return outcome, messages


def strangers(slack_ids: tuple[str, ...], known: Mapping[str, str], *, skip: set[str | None]) -> list[str]:
    """Named people the directory does not know, or not well enough (`known`: `vetted_names_of`): Slack must say
    whether they are bots, strangers, guests or newcomers."""
    return [slack_id for slack_id in slack_ids if slack_id not in skip and slack_id not in known]


def confirmation(outcome: NominationOutcome) -> str:
    names = ", ".join(name_of(nomination.nominee) for nomination in outcome.nominations)
    renews = renews_words(outcome.renews_at)
    left = f" You have {plural(outcome.allowance_left, 'nomination')} left this month ({renews})."
    if outcome.waiting:
        approvers = ", ".join(sorted({name_of(n.approver) for n in outcome.waiting if n.approver}))
        title = escape_mrkdwn(outcome.item.title)
        return f":hourglass: {title} for {names} is waiting for approval by {approvers}.{left}"
    return f":tada: You recognised {names}. They've been told.{left}"


# -- the modal -----------------------------------------------------------------------------------
def open_nominate_modal(
    ack: Ack, client: WebClient, context: BoltContext, command: dict[str, Any], respond: Respond
) -> None:
    deps = deps_of(context)
    try:
        with deps.sessions.begin() as session:
            caller = command_caller(session, context, command)
            nominator, workspace = caller.employee, caller.workspace
            directory.require_member(nominator)
            items = list(rewards.reward_policy(session, workspace).catalog.values())
            stories = _stories_for(session, deps, caller)
            public = shoutout_channel(session, deps, workspace) is not None
    except DomainError as error:
        ack(text=f":warning: {error}")
        return
    ack()
    with reported(command, respond):
        refused = refused_before_a_form(client, deps, caller)
        if refused is not None:
            respond(text=f":warning: {refused}", response_type="ephemeral")
            return
        view = blocks.nominate_modal(items, stories, channel=public)
        client.views_open(trigger_id=command["trigger_id"], view=view)
        if not caller.may_be_a_guest:  # else Slack was just asked
            learn_if_wanted(client, deps, caller)


def _stories_for(session: Session, deps: Deps, caller: Identity) -> list[Story]:
    """Colleagues' customer stories for the form; none for someone Slack has not said is no guest yet (it is asked
    once the form is open: the form cannot wait for it), since a guest reads no colleague's story."""
    if caller.may_be_a_guest:
        return []
    return nominations.recent_stories(session, workspace=caller.workspace, nominator=caller.employee, now=deps.now())


def submit_nomination(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """Colleagues the directory knows are checked inside the ack (errors show on the form); anyone Slack must be
    asked about (a colleague picked, or the caller: whether they are a guest) is looked up after the ack, and a
    refusal then comes as a DM: no Slack call delays the ack."""
    deps = deps_of(context)
    form = payload.parsed(blocks.parse_nominate_modal, view)
    request = NominationRequest(form.nominees, form.item_key, form.reason, form.public, form.resolution_id)
    with deps.sessions.begin() as session:
        caller = action_caller(session, context, body)
        names = directory.vetted_names_of(session, caller.workspace, form.nominees)
        unsound = _unsound(session, caller.workspace, request)
    if unsound is not None:
        ack(**_on_the_form(unsound, names))
        return
    unknown = strangers(form.nominees, names, skip={body["user"]["id"], context.bot_user_id})
    if unknown or caller.may_be_a_guest:
        ack()
        with reported(body, client=client, context=context):
            nominate_after_asking_slack(context, client, body, request, unknown, caller)
        return
    try:
        claimed = record_nomination(context, body, request, {}, context.bot_user_id)
    except DomainError as error:
        ack(**_on_the_form(error, names))
        return
    ack()
    with reported(body, client=client, done=RECORDED, context=context):
        send_now(deps, client, claimed)


def _unsound(session: Session, workspace: Workspace, request: NominationRequest) -> DomainError | None:
    """What is wrong with the fields: told inside the ack, also when Slack is asked after it (nothing typed is lost)."""
    try:
        nominations.checked(session, workspace, request)
    except DomainError as error:
        return error
    return None


def _on_the_form(error: DomainError, names: Mapping[str, str]) -> dict[str, Any]:
    if isinstance(error, NomineeRefused):
        return field_errors(blocks.PEOPLE, str(error), names)
    return field_errors(blocks.STORY if error.field == "story" else blocks.REASON, str(error), names)


def nominate_after_asking_slack(
    context: BoltContext,
    client: WebClient,
    body: dict[str, Any],
    request: NominationRequest,
    unknown: list[str],
    caller: Identity,
) -> None:
    """After the ack: Slack says who `unknown` are, and whether the caller is a guest when the org file does not
    list them; a refusal comes as a DM. Once the nomination is recorded, no failure asks for it again."""
    deps = deps_of(context)
    try:
        if caller.may_be_a_guest:  # Slack says whether the caller is a guest before they nominate
            vet_with_slack(client, deps, caller.employee, caller.slack_person)
        people = slack_people(client, context, unknown, {})
        claimed = record_nomination(context, body, request, people, context.bot_user_id)
    except DomainError as error:
        client.chat_postMessage(channel=body["user"]["id"], text=f":warning: Your nomination was not sent: {error}")
        return
    with reported(body, client=client, done=RECORDED, context=context):
        send_now(deps, client, claimed)


def record_nomination(
    context: BoltContext,
    body: dict[str, Any],
    request: NominationRequest,
    people: dict[str, SlackPerson],
    bot_user_id: str | None,
) -> list[Claimed]:
    """Nominate and queue what it causes, with a receipt DM to the nominator, in one transaction."""
    deps = deps_of(context)
    with deps.sessions.begin() as session:
        identity = action_caller(session, context, body)
        outcome = nominations.nominate(
            session,
            workspace=identity.workspace,
            nominator=identity.employee,
            request=request,
            slack_people=people,
            bot_user_id=bot_user_id,
            now=deps.now(),
        )
        receipt = Outgoing(
            f"reward-receipt:{outcome.nominations[0].id}",
            "chat.postMessage",
            {"channel": identity.employee.slack_id, "text": confirmation(outcome)},
        )
        messages = [*nomination_messages(session, deps, outcome), receipt]
        return queue(session, workspace_id=identity.workspace.id, messages=messages, now=deps.now())


def register(app: App) -> None:
    app.command("/nominate")(nominate_command)
    app.view(blocks.NOMINATE_MODAL)(submit_nomination)
