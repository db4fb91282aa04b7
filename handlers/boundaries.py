"""/boundaries: the caller's empowerment limits and what is left of today's and this month's allowance."""

import re
from collections.abc import Callable, Mapping
from datetime import datetime
from functools import partial
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from handlers.blocks import boundaries as blocks
from handlers.blocks.kit import Block, text_block
from handlers.commands import Usage, is_help, unknown_argument, without_courtesy
from handlers.deps import deps_of
from handlers.errors import reported
from handlers.late_replies import answer_through
from handlers.people import (
    ADDED_NOTE,
    NEW_EMPLOYEE_NOTE,
    command_caller,
    learn_if_wanted,
    person_labels,
    vet_with_slack,
)
from services import directory, vetting
from services.directory import Identity
from services.errors import DomainError
from services.resolutions import fixes as resolutions
from services.resolutions.typed import category_key
from services.text import as_slack_shows, echoed

USAGE = Usage(
    command="/boundaries",
    purpose="what you may fix for a customer on the spot, and what is left of today's and this month's allowance.",
    forms=(
        ("/boundaries", "show your limits, category by category"),
        ("/boundaries CATEGORY", "show one category in full, its description too (`/boundaries refund`)"),
        ("/boundaries help", "show this help"),
    ),
)

OWN_LIMITS_ONLY = (
    "`/boundaries` shows your own limits, not a colleague's: each person sees theirs with `/boundaries`, "
    "and HR sets them (the profile in the org file)."
)
NOT_A_CHANNEL = "`/boundaries` takes a category, not a channel: your limits are the same wherever you type it."
_PERSON_FIRST = re.compile(r"<@[UW][A-Z0-9]+(?:\|[^<>]*)?>|@\w")
_CHANNEL_FIRST = re.compile(r"<#[CG][A-Z0-9]+(?:\|[^<>]*)?>|#\w")


def show_boundaries(
    ack: Ack, command: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
) -> None:
    text = command.get("text", "")
    if is_help(text):
        ack(text=USAGE.text())
        return
    text = " ".join(without_courtesy(text.split()))  # `refund please` is `refund`
    if names_someone(text):
        ack(text=USAGE.text(OWN_LIMITS_ONLY))
        return
    if _CHANNEL_FIRST.match(text.strip()):
        ack(text=USAGE.text(NOT_A_CHANNEL))
        return
    deps, labels = deps_of(context), person_labels(context)
    answer: Callable[..., object] = ack  # until Slack must be asked about the caller: then after the ack
    with deps.sessions.begin() as session:
        identity = command_caller(session, context, command)
        shown = None if identity.may_be_a_guest else _limits_shown(session, identity, text, labels, deps.now())
    added = identity.newly_added
    if shown is None:  # Slack says whether they are a guest, after the ack; then they are answered
        ack()
        answer = partial(answer_through, respond, response_type="ephemeral")
        with reported(command, respond, client):
            try:
                vet_with_slack(client, deps, identity.employee)  # still unvetted when Slack did not answer: refused
            except DomainError as error:
                answer(text=f":warning: {error}")
                return
            with deps.sessions.begin() as session:
                vetted = command_caller(session, context, command)
                shown = _limits_shown(session, vetted, text, labels, deps.now())
                refused = directory.unlisted_guest(vetted.employee) or directory.unvetted(vetted.employee)
                added = added and not refused  # a guest, or one Slack said nothing of: shown no limits
        if shown is None:  # what failed was told by `reported`
            return
    content, no_admin = shown
    note = [text_block(ADDED_NOTE if no_admin else NEW_EMPLOYEE_NOTE)] if added else []
    with reported(command, respond, client):
        answer(text="Your boundaries", blocks=note + content)
    if answer is ack:  # Slack was not asked about them yet
        with reported(command):
            learn_if_wanted(client, deps, identity)


def _limits_shown(
    session: Session, identity: Identity, text: str, labels: Mapping[str, str], now: datetime
) -> tuple[list[Block], bool]:
    """The caller's limits (one category's when `text` names it), or why none can be shown; and whether they are
    unlisted in a workspace with no admin to decide for them."""
    no_admin = resolutions.unlisted_with_no_admin(session, identity.employee)
    try:
        vetting.require_vetted(identity.employee, what="show you your limits")  # Slack did not answer about them
        active, lines = resolutions.allowance_to_log(session, identity.employee, now)
        if problem := more_than_a_category(text, {line.rule.category for line in lines}, labels):
            return [text_block(problem)], no_admin
        if text.strip():
            lines = [resolutions.allowance_in(lines, typed_category_of(text, lines))]
    except DomainError as error:  # no policy or profile: several words are still named as the mistake
        return [text_block(more_than_a_category(text, set(), labels) or f":warning: {error}")], no_admin
    version = active.version.number
    return blocks.boundaries(lines, active.policy.currency, version, identity.employee, no_admin=no_admin), no_admin


def names_someone(text: str) -> bool:
    """`/boundaries @lee`: a manager asking for a report's limits, which nobody sees but the person (and HR, who
    sets them); named as such, not as an unknown category with the mention's markup in it."""
    return bool(_PERSON_FIRST.match(text.strip()))


def typed_category_of(text: str, lines: list[resolutions.AllowanceLine]) -> str:
    """The category `text` names (`fee waiver`, `fee-waiver`), else the text as typed, for the refusal to name."""
    key = category_key(text.split())
    return key if any(line.rule.category == key for line in lines) else text.strip()


def more_than_a_category(text: str, categories: set[str], labels: Mapping[str, str]) -> str | None:
    """What is wrong with several words: the ones after a category (`refund 45`, a person in them as Slack shows
    them: `@maya`), else the first; None when they name a category written with spaces (`fee waiver`)."""
    words = text.lower().split()
    if len(words) < 2 or category_key(words) in categories:
        return None
    if category_key(words[:1]) not in categories:
        return unknown_argument(USAGE, text, labels)
    extra = echoed(as_slack_shows(" ".join(text.split()[1:]), labels, stranger="someone"))
    return USAGE.text(
        f"I don't know `{extra}` after `{words[0]}`: `/boundaries` shows one category, like `/boundaries {words[0]}`."
    )


def register(app: App) -> None:
    app.command("/boundaries")(show_boundaries)
