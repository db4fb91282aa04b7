"""/resolve, the decider's Approve / Decline buttons and the decline-reason modal."""

import re
import unicodedata
from collections.abc import Callable
from decimal import Decimal
from functools import partial
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from handlers import payload
from handlers.blocks import resolutions as blocks
from handlers.blocks.kit import Block, field_errors, name_of, text_block
from handlers.commands import Usage, is_help
from handlers.delivery import Outgoing, queue, send_now
from handlers.deps import deps_of
from handlers.errors import reported
from handlers.people import (
    NEW_EMPLOYEE_NOTE,
    action_caller,
    command_caller,
    labelled,
    learn_from_slack,
    learn_if_wanted,
)
from models.resolution import CUSTOMER_OUTCOMES
from services.directory import Identity
from services.errors import DomainError, InvalidInput
from services.money import (
    continues_amount,
    is_currency_mark,
    is_currency_word,
    names_money,
    parse_amount,
    without_trailing_punctuation,
)
from services.outbox import Claimed
from services.policy.versions import BoundaryRule
from services.resolutions import fixes as resolutions
from services.resolutions.fixes import Logged, ResolutionRequest
from services.resolutions.typed import CategoryNotFirst, NamedFirst, OneLiner, read_one_liner
from services.text import escape_mrkdwn, without_mentions

USAGE = Usage(
    command="/resolve",
    purpose="log something you did on the spot to fix a customer's problem.",
    forms=(
        ("/resolve", "open a form"),
        ("/resolve refund 45 order 1234 arrived late", "log a fix in one line: category, amount, what happened"),
        ("/resolve reschedule moved the delivery to Friday", "no amount when no money is involved"),
        ("ref:ABC123 · outcome:happy", "optional, anywhere in the line: the customer reference and how they left"),
        ("/boundaries", "see your categories and limits"),
        ("/resolve help", "show this help"),
    ),
)
MODAL_FIELDS = {
    "amount": blocks.AMOUNT,
    "summary": blocks.SUMMARY,
    "customer_ref": blocks.CUSTOMER_REF,
    "category": blocks.CATEGORY,
    "customer_outcome": blocks.OUTCOME,
}
"""Which modal input shows an error about each field (anything else shows under the summary)."""
LOGGED = "Your fix was logged"
SHOWN_WITH_USAGE = (resolutions.UnknownCategory, CategoryNotFirst, NamedFirst)
"""Refusals of how the line is laid out, answered with the ways to type it."""
# Each opening quote and what closes it, as English, German, Polish, French, Danish, Swedish and Finnish keyboards type
_QUOTE_PAIRS = {'"': '"', "“": "”", "'": "'", "‘": "’", "„": "“”", "‚": "‘’", "«": "»", "»": "«»", "”": "”", "’": "’"}
_QUOTED = "|".join(rf"\s*{re.escape(o)}([^{re.escape(c)}]+)[{re.escape(c)}]" for o, c in _QUOTE_PAIRS.items())
_REF = re.compile(  # attached (`ref:A1`, `ref:"A 1"`), or after a space when it has a digit (`ref: 42`, not `ref: see`)
    rf"\bref:(?:{_QUOTED}|(\S+)|\s+((?=\S*\d)\S+))", re.IGNORECASE
)
_QUOTES = "".join(_QUOTE_PAIRS)
_OUTCOME = re.compile(r"\boutcome:(\S*)", re.IGNORECASE)
_NAMED_REF = re.compile(  # `order 42`, `Order #42`, `order: 42`, `order no. 42`, `ORDER-42` (not `the order. 2 days`)
    r"\b(order|ticket|case|booking|account|invoice)(?::|\s*(?:no\.?|nr\.?|num\.?|number)(?![a-z]))?[\s#-]*"
    r"((?=[A-Za-z0-9-]*\d)[A-Za-z0-9][A-Za-z0-9-]*)",
    re.IGNORECASE,
)
_HASH_REF = re.compile(r"(?<![\w<&])#((?=[A-Za-z0-9-]*\d)[A-Za-z0-9][A-Za-z0-9-]{2,})")
"""`#4471` when nothing is labelled; at least three characters, so `#1 priority` is no customer."""


def _amount(typed: str, words: list[str], category: str, currency: str) -> Decimal:
    """The amount typed first, taking from `words` the groups of one written `1 200` (refused whole, never logged
    as 1); the refusal then also says how to write a number after the amount that is not part of it."""
    first = typed
    while words and continues_amount(typed, words[0]):
        typed = f"{typed} {without_trailing_punctuation(words.pop(0))}"
    try:
        return parse_amount(typed, currency)
    except InvalidInput as error:
        if typed == first:
            raise
        after = escape_mrkdwn(typed.removeprefix(first).split()[0])
        example = f"/resolve {category} {escape_mrkdwn(first)} for {after} …"
        hint = f" If `{after}` is not part of the amount, put a word before it: `{example}`."
        raise InvalidInput(f"{error}{hint}", field=error.field) from None


def to_request(line: OneLiner, rule: BoundaryRule, currency: str) -> ResolutionRequest:
    """Read the amount (when the category involves money, or a word names one), the reference, the outcome and the
    summary. Without money a leading number is the summary's: `reschedule 2 days later`."""
    words = list(line.words)
    amount = Decimal(0)
    if rule.involves_money or (words and (names_money(words[0]) or is_currency_mark(words[0]))):
        if not words:
            raise InvalidInput(f"Give the amount after the category, like `/resolve {rule.category} 45 what happened`.")
        typed = words.pop(0)  # with its mark when apart: `$ 45`, `45 CAD`, `45 euros`
        if words and (is_currency_mark(typed) or is_currency_mark(words[0])):
            typed = f"{typed} {words.pop(0)}"
        elif words and is_currency_word(without_trailing_punctuation(words[0])):  # `45 euros, sorry`
            typed = f"{typed} {without_trailing_punctuation(words.pop(0))}"
        amount = _amount(typed, words, rule.category, currency)
    rest = " ".join(words)
    outcome = typed_outcome(rest)
    words_typed = without_mentions(rest)
    ref_match = _REF.search(words_typed)
    customer_ref = next(part for part in ref_match.groups() if part) if ref_match else named_reference(words_typed)
    unquoted = (ref_match.groups()[-2] or ref_match.groups()[-1]) if ref_match else None
    if unquoted and unquoted[0] in _QUOTES:
        raise InvalidInput('Close the quote around the reference, like `ref:"ABC 123"`.', field="customer_ref")
    summary = " ".join(_OUTCOME.sub("", _REF.sub("", rest)).split())
    return ResolutionRequest(
        category=rule.category, amount=amount, summary=summary, customer_ref=customer_ref, customer_outcome=outcome
    )


def typed_outcome(text: str) -> str | None:
    """`outcome:happy` (a full stop after it is the sentence's); an empty or unknown one is refused by name."""
    found = _OUTCOME.search(text)
    if found is None:
        return None
    outcome = found.group(1).lower().rstrip(".,;!?")
    if outcome not in CUSTOMER_OUTCOMES:
        *some, last = [f"`outcome:{name}`" for name in CUSTOMER_OUTCOMES]
        typed = (
            f"`{escape_mrkdwn(found.group(1)[:20])}` is not a customer outcome"
            if outcome
            else "`outcome:` needs the word right after the colon"
        )
        raise InvalidInput(f"{typed}: write {', '.join(some)} or {last}, or leave it out.", field="customer_outcome")
    return outcome


def named_reference(text: str) -> str | None:
    """The first labelled reference (`order 42`), else a bare `#4471`; digits and signs typed full-width
    (`order １２３４`, `＃４４７１`) are read as their plain forms."""
    text = unicodedata.normalize("NFKC", text)
    if named := _NAMED_REF.search(text):
        return f"{named.group(1).lower()} {named.group(2)}"
    bare = _HASH_REF.search(text)
    return f"#{bare.group(1)}" if bare else None


def resolve_command(
    ack: Ack, command: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
) -> None:
    text = command.get("text", "").strip()
    if is_help(text):
        ack(text=USAGE.text())
        return
    deps = deps_of(context)
    if not text:
        open_resolve_modal(ack, command, context, client, respond)
        return
    answer: Callable[..., object] = ack  # until Slack must be asked about the caller: then after the ack
    try:
        with deps.sessions.begin() as session:
            identity = command_caller(session, context, command)
            done = None if identity.may_be_a_guest else _log_one_liner(session, context, identity, text)
        if done is None:  # Slack says whether they are a guest, after the ack; then they are answered
            ack()
            answer = partial(respond, response_type="ephemeral")
            learn_from_slack(client, deps, identity.employee)
            with deps.sessions.begin() as session:
                done = _log_one_liner(session, context, command_caller(session, context, command), text)
    except DomainError as error:
        answer(text=USAGE.text(str(error)) if isinstance(error, SHOWN_WITH_USAGE) else f":warning: {error}")
        return
    logged, requests = done
    answer(text=blocks.confirmation_text(logged), blocks=_with_note(blocks.confirmation(logged), identity.newly_added))
    with reported(command, respond, done=LOGGED):
        send_now(deps, client, requests)
        if answer is ack:  # Slack was not asked about them yet
            learn_if_wanted(client, deps, identity)


def _log_one_liner(
    session: Session, context: BoltContext, identity: Identity, text: str
) -> tuple[Logged, list[Claimed]]:
    """Log a fix typed in one line, and queue the requests it causes."""
    now = deps_of(context).now()
    policy = resolutions.categories_to_log(session, identity.employee)
    line = read_one_liner(labelled(session, context, identity.workspace, text), policy[1])
    logged = resolutions.log_resolution(
        session,
        employee=identity.employee,
        request=to_request(line, policy[1][line.category], policy[0].policy.currency),
        now=now,
        policy=policy,
    )
    requests = queue(session, workspace_id=logged.resolution.workspace_id, messages=approval_requests(logged), now=now)
    return logged, requests


def _with_note(content: list[Block], newly_added: bool) -> list[Block]:
    return [text_block(NEW_EMPLOYEE_NOTE), *content] if newly_added else content


def open_resolve_modal(
    ack: Ack, command: dict[str, Any], context: BoltContext, client: WebClient, respond: Respond
) -> None:
    deps = deps_of(context)
    try:
        with deps.sessions.begin() as session:
            identity = command_caller(session, context, command)
            active, rules = resolutions.categories_to_log(session, identity.employee)
    except DomainError as error:
        ack(text=f":warning: {error}")
        return
    if not rules:
        ack(text=":warning: Your profile has no categories in the policy yet. Ask HR to add some.")
        return
    ack()
    with reported(command, respond):
        client.views_open(trigger_id=command["trigger_id"], view=blocks.resolve_modal(rules, active.policy.currency))
        learn_if_wanted(client, deps, identity)  # whether a newcomer is a guest is known by the time they submit


def submit_resolve_modal(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    form = blocks.parse_resolve_modal(payload.state_values(view))
    deps = deps_of(context)
    try:
        with deps.sessions.begin() as session:
            identity = action_caller(session, context, body)
            policy = resolutions.categories_to_log(session, identity.employee)
            request = ResolutionRequest(
                category=form.category,
                amount=parse_amount(form.amount, policy[0].policy.currency) if form.amount else Decimal(0),
                summary=form.summary,
                customer_ref=form.customer_ref,
                customer_outcome=form.outcome,
            )
            logged = resolutions.log_resolution(
                session, employee=identity.employee, request=request, now=deps.now(), policy=policy
            )
            messages = [*approval_requests(logged), confirmation_dm(logged)]
            claimed = queue(session, workspace_id=logged.resolution.workspace_id, messages=messages, now=deps.now())
    except DomainError as error:
        ack(**field_errors(MODAL_FIELDS.get(error.field or "", blocks.SUMMARY), str(error)))
        return
    ack()
    with reported(body, client=client, done=LOGGED, context=context):
        send_now(deps, client, claimed)
        learn_if_wanted(client, deps, identity)


def confirmation_dm(logged: Logged) -> Outgoing:
    """The form's answer, a DM to the employee: queued with the fix, after the deciders' requests, so a DM Slack
    refuses holds up nobody's request and is sent again by the background sender."""
    resolution = logged.resolution
    return Outgoing(
        key=f"resolution-logged:{resolution.id}",
        method="chat.postMessage",
        payload={
            "channel": resolution.employee.slack_id,
            "text": blocks.confirmation_text(logged),
            "blocks": blocks.confirmation(logged),
        },
    )


def approval_requests(logged: Logged) -> list[Outgoing]:
    """The messages that ask the deciders about a request outside the boundaries (none when within)."""
    resolution = logged.resolution
    heading = f"*{name_of(resolution.employee)} needs your decision* on a fix outside their boundaries:"
    return [
        Outgoing(
            key=f"resolution:{resolution.id}:request:{decider.slack_id}",
            method="chat.postMessage",
            payload={
                "channel": decider.slack_id,
                "text": blocks.decision_needed_text(resolution),
                "blocks": blocks.approval_request(resolution, logged.history, heading=heading),
            },
        )
        for decider in logged.deciders
    ]


def register(app: App) -> None:
    app.command("/resolve")(resolve_command)
    app.view(blocks.RESOLVE_MODAL)(submit_resolve_modal)
