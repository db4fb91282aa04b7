"""/nominate (one line or a modal) and the approver's Approve / Decline buttons for tangible rewards."""

import logging
import re
from dataclasses import dataclass
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from handlers import payload
from handlers.blocks import nominations as blocks
from handlers.blocks import rewards as reward_blocks
from handlers.commands import Usage, is_help
from handlers.delivery import Outgoing, deliver, queue, send_now
from handlers.deps import Deps, deps_of
from handlers.errors import reported
from handlers.people import action_caller, command_caller, learn_from_slack, with_newcomer_note
from models import Nomination, Resolution, RewardGrant, Workspace
from services import directory
from services.errors import DomainError
from services.rewards import approvals as reward_approvals
from services.rewards import grants as rewards
from services.rewards import nominations
from services.rewards.nominations import NominationOutcome, NominationRequest, NomineeRefused, SlackPerson
from services.text import escape_mrkdwn

log = logging.getLogger(__name__)

USAGE = Usage(
    command="/nominate",
    purpose="recognise colleagues for great service; tangible rewards go to their manager for approval.",
    forms=(
        ("/nominate", "open a form: people, reward, reason, customer story, public or not"),
        ("/nominate @someone why...", "a shout-out in the recognition channel and a DM to them"),
        ("/nominate @someone @other REWARD why...", "a reward from the catalog (`/rewards catalog` lists it)"),
        ("/nominate help", "show this help"),
    ),
)
_MENTION = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$")


@dataclass(frozen=True)
class OneLiner:
    nominees: tuple[str, ...]
    rest: str


def parse_one_liner(text: str) -> OneLiner | str:
    """Leading mentions, then the rest; a problem sentence when nobody is named."""
    words = text.split()
    nominees = []
    while words and (mention := _MENTION.match(words[0])):
        nominees.append(mention.group(1))
        words.pop(0)
    if not nominees:
        first = words[0] if words else ""
        return (
            "Start with the people you recognise, picked from Slack's list, like `/nominate @lee why...` "
            f"(got `{escape_mrkdwn(first[:30])}`)."
        )
    return OneLiner(tuple(nominees), " ".join(words))


def nominate_command(
    ack: Ack, command: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
) -> None:
    text = command.get("text", "")
    if is_help(text):
        ack(text=USAGE.text())
        return
    if not text.strip():
        ack()
        with reported(command, respond):
            open_nominate_modal(client, deps_of(context), command)
        return
    form = parse_one_liner(text)
    if isinstance(form, str):
        ack(text=USAGE.text(form))
        return
    nominate_one_liner(ack, command, context, client, respond, form)


def nominate_one_liner(
    ack: Ack, command: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond, form: OneLiner
) -> None:
    """Known colleagues get the answer in the ack; anyone Slack must be asked about gets it right after."""
    deps = deps_of(context)
    unknown = strangers(deps, command["team_id"], form.nominees, skip={command["user_id"], context.bot_user_id})
    if unknown:
        ack()

    def reply(text: str) -> None:
        if unknown:
            respond(text=text, response_type="ephemeral")
        else:
            ack(text=text)

    people = ask_slack(client, unknown)
    try:
        with deps.sessions.begin() as session:
            identity = command_caller(session, deps, command)
            workspace = session.get_one(Workspace, identity.employee.workspace_id)
            key, reason = nominations.split_reward(rewards.reward_policy(session, workspace), form.rest)
            outcome = nominations.nominate(
                session,
                workspace=workspace,
                nominator=identity.employee,
                request=NominationRequest(form.nominees, key, reason),
                slack_people=people,
                bot_user_id=context.bot_user_id,
                now=deps.now(),
            )
            messages = queue(
                session, workspace_id=workspace.id, messages=nomination_messages(session, deps, outcome), now=deps.now()
            )
    except DomainError as error:
        reply(f":warning: {error}")
        return
    reply(with_newcomer_note(confirmation(outcome), identity))
    with reported(command, respond):
        send_now(deps, client, messages)
        if identity.newly_added:
            learn_from_slack(client, deps, identity.employee)


def strangers(deps: Deps, team_id: str, slack_ids: tuple[str, ...], *, skip: set[str | None]) -> list[str]:
    """Named people the directory does not know: Slack must say whether they are bots, strangers or newcomers."""
    with deps.sessions.begin() as session:
        workspace = directory.ensure_workspace(session, slack_team_id=team_id, now=deps.now())
        return [
            slack_id
            for slack_id in slack_ids
            if slack_id not in skip and directory.find_employee(session, workspace, slack_id) is None
        ]


def ask_slack(client: WebClient, slack_ids: list[str]) -> dict[str, SlackPerson]:
    return {slack_id: _ask_slack(client, slack_id) for slack_id in slack_ids}


def _ask_slack(client: WebClient, slack_id: str) -> SlackPerson:
    try:
        user: dict[str, Any] = client.users_info(user=slack_id)["user"]
    except SlackApiError as error:
        log.info("users.info for %s: %s", slack_id, error.response.get("error"))
        return SlackPerson(slack_id, exists=False)
    profile = user.get("profile") or {}
    return SlackPerson(
        slack_id,
        exists=not user.get("deleted"),
        is_bot=bool(user.get("is_bot")) or slack_id == "USLACKBOT",
        name=profile.get("real_name") or user.get("real_name") or user.get("name") or slack_id,
        email=profile.get("email") or None,
        tz=user.get("tz"),
    )


def confirmation(outcome: NominationOutcome) -> str:
    names = escape_mrkdwn(", ".join(nomination.nominee.name for nomination in outcome.nominations))
    left = f" You have {outcome.allowance_left} nomination(s) left this month."
    if outcome.waiting:
        approvers = escape_mrkdwn(", ".join(sorted({n.approver.name for n in outcome.waiting if n.approver})))
        title = escape_mrkdwn(outcome.item.title)
        return f":hourglass: {title} for {names} is waiting for approval by {approvers}.{left}"
    return f":tada: You recognised {names}. They've been told.{left}"


def story_of(session: Session, nomination: Nomination) -> str | None:
    if nomination.resolution_id is None:
        return None
    return session.get_one(Resolution, nomination.resolution_id).summary


def granted_messages(session: Session, deps: Deps, granted: list[Nomination]) -> list[Outgoing]:
    """The shout-out in the channel (when public) and a DM to each recipient."""
    messages = []
    if granted and granted[0].public and deps.recognition_channel:
        shoutout = blocks.shoutout(deps.recognition_channel, granted, story_of(session, granted[0]))
        messages.append(Outgoing(f"reward-shoutout:{granted[0].id}", "chat.postMessage", shoutout))
    return messages + [
        Outgoing(f"reward-dm:{nomination.id}", "chat.postMessage", blocks.recipient_dm(nomination))
        for nomination in granted
    ]


def nomination_messages(session: Session, deps: Deps, outcome: NominationOutcome) -> list[Outgoing]:
    granted = [grant.nomination for grant in outcome.grants]
    return granted_messages(session, deps, granted) + [
        Outgoing(f"reward-approval:{nomination.id}", "chat.postMessage", blocks.approval_request(nomination))
        for nomination in outcome.waiting
    ]


def hr_messages(session: Session, grant: RewardGrant) -> list[Outgoing]:
    """A tangible grant goes to HR to fulfil, with buttons."""
    hr_people = [
        person for person in reward_approvals.hr_people(session, grant.workspace_id) if person.id != grant.recipient_id
    ]
    return [
        Outgoing(
            f"reward-hr:{grant.id}:{person.slack_id}",
            "chat.postMessage",
            {"channel": person.slack_id, **reward_blocks.hr_grant(grant)},
        )
        for person in hr_people
    ]


# -- the modal -----------------------------------------------------------------------------------
def open_nominate_modal(client: WebClient, deps: Deps, command: dict[str, Any]) -> None:
    with deps.sessions.begin() as session:
        nominator = command_caller(session, deps, command).employee
        workspace = session.get_one(Workspace, nominator.workspace_id)
        items = list(rewards.reward_policy(session, workspace).catalog.values())
        stories = nominations.recent_stories(session, workspace=workspace, nominator=nominator, now=deps.now())
    client.views_open(trigger_id=command["trigger_id"], view=blocks.nominate_modal(items, stories))


def submit_nomination(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    deps = deps_of(context)
    form = payload.parsed(blocks.parse_nominate_modal, view)
    unknown = strangers(deps, body["team"]["id"], form.nominees, skip={body["user"]["id"], context.bot_user_id})
    people = ask_slack(client, unknown)
    request = NominationRequest(form.nominees, form.item_key, form.reason, form.public, form.resolution_id)
    try:
        with deps.sessions.begin() as session:
            identity = action_caller(session, deps, body)
            workspace = session.get_one(Workspace, identity.employee.workspace_id)
            outcome = nominations.nominate(
                session,
                workspace=workspace,
                nominator=identity.employee,
                request=request,
                slack_people=people,
                bot_user_id=context.bot_user_id,
                now=deps.now(),
            )
            messages = nomination_messages(session, deps, outcome)
    except NomineeRefused as error:
        ack(response_action="errors", errors={blocks.PEOPLE: str(error)})
        return
    except DomainError as error:
        ack(response_action="errors", errors={blocks.REASON: str(error)})
        return
    ack()
    receipt = {"channel": identity.employee.slack_id, "text": confirmation(outcome)}
    key = f"reward-receipt:{outcome.nominations[0].id}"
    with reported(body):
        deliver(deps, client, workspace.id, [*messages, Outgoing(key, "chat.postMessage", receipt)])


# -- approvals -----------------------------------------------------------------------------------
def approve_reward(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond) -> None:
    nomination_id = payload.id_value(payload.first_action(body))
    ack()
    deps = deps_of(context)
    try:
        with deps.sessions.begin() as session:
            approver = action_caller(session, deps, body).employee
            workspace = session.get_one(Workspace, approver.workspace_id)
            grant = reward_approvals.approve(
                session, workspace=workspace, nomination_id=nomination_id, approver=approver, now=deps.now()
            )
            update = blocks.decided_request(grant.nomination, approver.name)
            messages = [
                *granted_messages(session, deps, [grant.nomination]),
                Outgoing(f"reward-approved:{nomination_id}", "chat.postMessage", blocks.approved_dm(grant.nomination)),
                *hr_messages(session, grant),
            ]
    except DomainError as error:
        respond(text=f":warning: {error}", response_type="ephemeral", replace_original=False)
        return
    container = body["container"]
    with reported(body, respond):
        client.chat_update(channel=container["channel_id"], ts=container["message_ts"], **update)
        deliver(deps, client, workspace.id, messages)


def ask_decline_reason(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    with payload.reading("decline button"):
        container = body["container"]
        nomination_id = payload.id_value(payload.first_action(body))
        modal = blocks.decline_modal(nomination_id, container["channel_id"], container["message_ts"])
    ack()
    with reported(body):
        client.views_open(trigger_id=body["trigger_id"], view=modal)


def submit_decline(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    deps = deps_of(context)
    nomination_id, channel, ts, reason = payload.parsed(reward_blocks.parse_reason_modal, view)
    try:
        with deps.sessions.begin() as session:
            approver = action_caller(session, deps, body).employee
            workspace = session.get_one(Workspace, approver.workspace_id)
            nomination = reward_approvals.decline(
                session,
                workspace=workspace,
                nomination_id=nomination_id,
                approver=approver,
                reason=reason,
                now=deps.now(),
            )
            update = blocks.decided_request(nomination, approver.name)
            dm = blocks.declined_dm(nomination, approver.name)
    except DomainError as error:
        ack(response_action="errors", errors={reward_blocks.DECISION_REASON: str(error)})
        return
    ack()
    with reported(body):
        client.chat_update(channel=channel, ts=ts, **update)
        deliver(deps, client, workspace.id, [Outgoing(f"reward-declined:{nomination_id}", "chat.postMessage", dm)])


def register(app: App) -> None:
    app.command("/nominate")(nominate_command)
    app.view(blocks.NOMINATE_MODAL)(submit_nomination)
    app.action(blocks.APPROVE)(approve_reward)
    app.action(blocks.DECLINE)(ask_decline_reason)
    app.view(blocks.DECLINE_MODAL)(submit_decline)
