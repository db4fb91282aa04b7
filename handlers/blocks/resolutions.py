"""Block Kit for resolutions: the /resolve modal, confirmations, approval requests and their outcomes."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from handlers.blocks.allowance import allowance_words
from handlers.blocks.kit import (
    Block,
    button,
    context_block,
    escaped,
    input_block,
    local_time,
    name_of,
    named,
    one_line,
    plain,
    plural,
    quote,
    text_block,
)
from handlers.blocks.long_text import sections
from handlers.blocks.packing import packed_sections
from models import Employee, Resolution
from services.directory import Named
from services.money import decimals_of, format_money
from services.policy.versions import BoundaryRule
from services.resolutions.fixes import Logged
from services.resolutions.recent import RecentFix
from services.text import directions_closed, escape_mrkdwn, truncate

RESOLVE_MODAL = "resolve_modal"
APPROVE = "resolution_approve"
DECLINE = "resolution_decline"
DECLINE_MODAL = "resolution_decline_reason"
DECIDE_BLOCK_PREFIX = "decide_"
CATEGORY, AMOUNT, CUSTOMER_REF, SUMMARY, OUTCOME, REASON = (
    "category",
    "amount",
    "customer_ref",
    "summary",
    "outcome",
    "reason",
)
OUTCOME_WORDS = {"happy": "😊 happy", "neutral": "😐 neutral", "unhappy": "😟 still unhappy"}
STATUS_WORDS = {
    "within": "✅ within your boundaries",
    "pending": "⏳ waiting for a decision",
    "approved": "👍 approved",
    "declined": "✋ declined",
}


# -- the /resolve modal ------------------------------------------------------------------------
def resolve_modal(rules: dict[str, BoundaryRule], currency: str) -> dict[str, Any]:
    options = [
        {"text": plain(truncate(f"{name} — {rule.description}" if rule.description else name, 75)), "value": name}
        for name, rule in list(rules.items())[:100]
    ]
    return {
        "type": "modal",
        "callback_id": RESOLVE_MODAL,
        "title": plain("Log a fix"),
        "submit": plain("Log it"),
        "close": plain("Cancel"),
        "blocks": [
            input_block(
                CATEGORY,
                "What did you do?",
                {"type": "static_select", "options": options, "placeholder": plain("Choose a category")},
            ),
            input_block(
                AMOUNT,
                f"Amount ({currency})",
                {"type": "plain_text_input", "placeholder": plain("45" if decimals_of(currency) == 0 else "45.50")},
                optional=True,
                hint="Leave empty when no money is involved.",
            ),
            input_block(
                CUSTOMER_REF,
                "Customer reference",
                {"type": "plain_text_input", "max_length": 100, "placeholder": plain("Order, ticket or case number")},
                optional=True,
            ),
            input_block(
                SUMMARY,
                "What happened, and what you did",
                {"type": "plain_text_input", "multiline": True, "max_length": 2000},
            ),
            input_block(
                OUTCOME,
                "How did the customer leave?",
                {
                    "type": "radio_buttons",
                    "options": [{"text": plain(word), "value": key} for key, word in OUTCOME_WORDS.items()],
                },
                optional=True,
            ),
        ],
    }


@dataclass(frozen=True)
class ResolveForm:
    category: str
    amount: str
    customer_ref: str | None
    summary: str
    outcome: str | None


def parse_resolve_modal(values: dict[str, Any]) -> ResolveForm:
    def value(block_id: str) -> str:
        """What was typed or chosen; "" for an optional input left empty (Slack sends `selected_option: null`)."""
        state = values.get(block_id, {}).get(block_id, {})
        chosen = (state.get("selected_option") or {}).get("value") if "selected_option" in state else state.get("value")
        return str(chosen or "").strip()

    return ResolveForm(
        category=value(CATEGORY),
        amount=value(AMOUNT),
        customer_ref=value(CUSTOMER_REF) or None,
        summary=value(SUMMARY),
        outcome=value(OUTCOME) or None,
    )


# -- what the employee sees --------------------------------------------------------------------
def confirmation(logged: Logged) -> list[Block]:
    resolution, currency = logged.resolution, logged.currency
    what = f"*{escape_mrkdwn(resolution.category)}*" + (
        f" of {format_money(resolution.amount, currency)}" if resolution.amount else ""
    )
    if logged.within:
        blocks = [
            text_block(f"✅ Logged your {what}. Thank you for fixing it on the spot!"),
            context_block(f"{escape_mrkdwn(resolution.category)}: {allowance_words(logged.allowance, currency)}."),
        ]
    else:
        names = deciders_words(logged.deciders)
        blocks = [
            text_block(
                f"⏳ Your {what} is over your boundary, so I've sent it to {names} to decide. "
                f"I'll tell you the outcome here.\n*Over:* {escape_mrkdwn(logged.resolution.exceeded or '')}"
            )
        ]
    return blocks + history_blocks(logged.history)


def _day(moment: datetime) -> str:
    return local_time(moment, "{date_num}", "%Y-%m-%d")


HISTORY_TEXT = 4_500
"""The most an approval request gives the fixes made earlier for the customer, in at most `HISTORY_ROOM` sections:
with the request itself (a section) and what it was over, the message stays within kit.MESSAGE_TEXT."""
HISTORY_ROOM = 3


def history_blocks(history: list[Resolution]) -> list[Block]:
    """Each earlier fix in the currency it was given in (the policy's may have changed since)."""
    if not history:
        return []
    lines = [
        f"• {_day(r.created_at)}: {named(r.employee)} — {escape_mrkdwn(r.category)}"
        f"{' ' + format_money(r.amount, r.currency) if r.amount else ''} ({r.status}): "
        f"{one_line(r.summary, 120)}"
        for r in history
    ]
    return packed_sections(["*Earlier for this customer:*", *lines], HISTORY_ROOM, budget=HISTORY_TEXT)


def confirmation_text(logged: Logged) -> str:
    """The notification (and what screen readers read) of a fix logged: which fix, and where it went."""
    what = fix_words(logged.resolution)
    deciders = deciders_words(logged.deciders)
    return f"Logged your {what}." if logged.within else f"Sent your {what} to {deciders} to decide."


DECIDERS_NAMED = 3
"""The admins (who decide for someone without a manager) a confirmation names; the others are counted."""


def deciders_words(deciders: list[Employee]) -> str:
    """ "Ada or Ben", or for many admins "Ada, Ben, Cy or one of 37 other admins": a long list would fill the
    confirmation (and its notification) and push out what was over the boundary."""
    if len(deciders) <= DECIDERS_NAMED + 1:
        return " or ".join(named(person) for person in deciders)
    names = ", ".join(named(person) for person in deciders[:DECIDERS_NAMED])
    return f"{names} or one of {plural(len(deciders) - DECIDERS_NAMED, 'other admin')}"


def fix_words(r: Resolution) -> str:
    """ "refund of $120" in mrkdwn: the notification text, all screen readers read, says which request."""
    return escape_mrkdwn(r.category) + (f" of {format_money(r.amount, r.currency)}" if r.amount else "")


# -- the decider's request ---------------------------------------------------------------------
def facts(resolution: Resolution) -> str:
    """The request in one section's text: its name, category, reference and summary each cut to fit one."""
    lines = [
        f"*{named(resolution.employee)}* — *{escape_mrkdwn(resolution.category)}*"
        + (f" of *{format_money(resolution.amount, resolution.currency)}*" if resolution.amount else ""),
        f"*Customer:* {one_line(resolution.customer_ref or 'not given', 200)}"
        + (f"   *Outcome:* {OUTCOME_WORDS[resolution.customer_outcome]}" if resolution.customer_outcome else ""),
        quote(resolution.summary, 1500),
    ]
    return "\n".join(lines)


def decision_needed_text(resolution: Resolution) -> str:
    """The notification text of a request sent to its decider (mrkdwn, so the name is escaped)."""
    return f"{name_of(resolution.employee)} needs your decision: {fix_words(resolution)}"


def decided_text(resolution: Resolution) -> str:
    return f"{name_of(resolution.employee)}'s {fix_words(resolution)}: {outcome_line(resolution, name_within=80)}"


def outcome_text(resolution: Resolution) -> str:
    """The employee's notification of the decision: who decided which request, and why a decline."""
    who = escaped(resolution.decided_by.name if resolution.decided_by else "Your manager", 80)
    ref = f" (customer {one_line(resolution.customer_ref, 200)})" if resolution.customer_ref else ""
    told = f"{who} {resolution.status} your {fix_words(resolution)}{ref}."
    return told + (f" Why: {one_line(resolution.decline_reason, 2500)}" if resolution.decline_reason else "")


def approval_request(resolution: Resolution, history: list[Resolution], *, heading: str) -> list[Block]:
    return [
        *sections(f"{heading}\n{facts(resolution)}", 2),
        context_block(
            f"Over the {escape_mrkdwn(resolution.exceeded or 'boundary')}. Logged "
            f"{local_time(resolution.created_at, '{date_num} at {time}', '%Y-%m-%d %H:%M')}."
        ),
        *history_blocks(history),
        decision_buttons(resolution.id, words_for(resolution)),
    ]


def decision_buttons(resolution_id: int, request: str, *, block_id_prefix: str = DECIDE_BLOCK_PREFIX) -> Block:
    """Approve / Decline, read "Approve Cat Chen's refund of $120" (the Home and the digest show several); the
    prefix tells the listener whether the whole message is the request."""
    value = str(resolution_id)
    return {
        "type": "actions",
        "block_id": f"{block_id_prefix}{resolution_id}",
        "elements": [
            button(APPROVE, "Approve", value, "primary", label=f"Approve {request}"),
            button(DECLINE, "Decline", value, "danger", label=f"Decline {request}"),
        ],
    }


def request_words(person: Named | None, category: str, amount: Decimal, currency: str) -> str:
    """ "Cat Chen's refund of $120", plain (a label cannot mention a newcomer, and their handle is no name)."""
    name = "someone" if person is None else directions_closed(person.name) if person.in_directory else "a newcomer"
    return f"{name}'s {category}" + (f" of {format_money(amount, currency)}" if amount else "")


def words_for(r: Resolution) -> str:
    return request_words(r.employee, r.category, r.amount, r.currency)


def decided(resolution: Resolution) -> list[Block]:
    return [text_block(facts(resolution)), context_block(outcome_line(resolution))]


def outcome_line(resolution: Resolution, *, name_within: int = 400, reason_within: int = 2500) -> str:
    """ "Declined by Maya Manager: the reason", the name and the reason each cut to fit once escaped."""
    who = escaped(resolution.decided_by.name if resolution.decided_by else "someone", name_within)
    reason = f": {one_line(resolution.decline_reason, reason_within)}" if resolution.decline_reason else ""
    return f"{STATUS_WORDS[resolution.status]} by {who}{reason}"


def outcome_for_employee(resolution: Resolution) -> list[Block]:
    who = escape_mrkdwn(resolution.decided_by.name if resolution.decided_by else "Your manager")
    what = f"your {escape_mrkdwn(resolution.category)}" + (
        f" of {format_money(resolution.amount, resolution.currency)}" if resolution.amount else ""
    )
    if resolution.status == "approved":
        text = f"👍 {who} approved {what}. Thank you for looking after the customer."
    else:
        text = f"✋ {who} declined {what}.\n*Why:*\n{quote(resolution.decline_reason or '', 2000)}"
    ref = f" (customer {one_line(resolution.customer_ref, 200)})" if resolution.customer_ref else ""
    return [*sections(text, 2), context_block(f"Logged {_day(resolution.created_at)}{ref}.")]


# -- App Home ----------------------------------------------------------------------------------
def recent_section(recent: list[RecentFix]) -> list[Block]:
    if not recent:
        return [text_block("*My recent resolutions*\nNothing yet. Log a fix with `/resolve`.")]
    lines = [
        f"• {local_time(r.created_at)} — {escape_mrkdwn(r.category)}"
        f"{' ' + format_money(r.amount, r.currency) if r.amount else ''}: {STATUS_WORDS[r.status]}"
        for r in recent
    ]
    return [text_block("*My recent resolutions*\n" + "\n".join(lines))]
