"""/boundaries: the caller's empowerment limits and what is left of today's and this month's allowance."""

import re
from collections.abc import Mapping
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from handlers.blocks import boundaries as blocks
from handlers.blocks.kit import text_block
from handlers.commands import Usage, is_help, unknown_argument, without_courtesy
from handlers.deps import deps_of
from handlers.errors import reported
from handlers.people import ADDED_NOTE, NEW_EMPLOYEE_NOTE, command_caller, learn_if_wanted, person_labels
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


def show_boundaries(ack: Ack, command: dict[str, Any], context: BoltContext, client: WebClient) -> None:
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
    with deps.sessions.begin() as session:
        identity = command_caller(session, context, command)
        no_admin = resolutions.unlisted_with_no_admin(session, identity.employee)
        try:
            active, lines = resolutions.allowance_to_log(session, identity.employee, deps.now())
            if problem := more_than_a_category(text, {line.rule.category for line in lines}, labels):
                content = [text_block(problem)]
            else:
                if text.strip():
                    lines = [resolutions.allowance_in(lines, typed_category_of(text, lines))]
                content = blocks.boundaries(
                    lines, active.policy.currency, active.version.number, identity.employee, no_admin=no_admin
                )
        except DomainError as error:  # no policy or profile: several words are still named as the mistake
            content = [text_block(more_than_a_category(text, set(), labels) or f":warning: {error}")]
    note = [text_block(ADDED_NOTE if no_admin else NEW_EMPLOYEE_NOTE)] if identity.newly_added else []
    ack(text="Your boundaries", blocks=note + content)
    with reported(command):
        learn_if_wanted(client, deps, identity)


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
