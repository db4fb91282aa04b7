"""Block Kit for rewards: shared pieces, HR's buttons on a grant, the reason modal, history, leaderboard, App Home."""

import json
from datetime import datetime
from typing import Any

from handlers.blocks.kit import (
    TEXT_MESSAGE,
    Block,
    button,
    context_block,
    inline,
    input_block,
    local_time,
    named,
    one_line,
    plain,
    quote,
    text_block,
    titled,
)
from handlers.blocks.packing import lines_within
from models import Nomination, RewardGrant
from services.directory import GUEST_REFUSED
from services.rewards.fairness import Leaderboard, Tally
from services.rewards.grants import RecognitionSummary, RewardHistory
from services.text import escape_mrkdwn

FULFIL = "reward_fulfil"
REVOKE = "reward_revoke"
REVOKE_MODAL = "reward_revoke_reason"

DECISION_REASON = "why"
REASON_QUOTE = 2000
"""A quoted reason leaves room in its section for the names and the line after it."""
NOT_NOMINATING = (
    "You are no longer active in Latitude's directory, so you can't nominate any more. "
    "If that is a mistake, ask HR to add you back to the org file."
)
LONG_TEXT: Block = {"type": "plain_text_input", "multiline": True, "max_length": 1000}


def value_words(value: Any, unit: str) -> str:
    return "" if value == 0 else f" ({value.normalize():f} {unit})"


def revoke_modal(grant_id: int, channel: str, ts: str) -> dict[str, Any]:
    return reason_modal(REVOKE_MODAL, "Revoke the reward", "Why is it revoked?", grant_id, channel, ts)


def reason_modal(
    callback_id: str, title: str, label: str, subject: int, channel: str, ts: str, about: str | None = None
) -> dict[str, Any]:
    """`about`: what the reason is for, shown above it (a form opened from the App Home covers look-alikes)."""
    shown = [text_block(about)] if about else []
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": plain(title, 24),
        "submit": plain("Confirm", 24),
        "close": plain("Cancel", 24),
        "private_metadata": json.dumps({"id": subject, "channel": channel, "ts": ts}),
        "blocks": [
            *shown,
            input_block(DECISION_REASON, label, {"type": "plain_text_input", "multiline": True, "max_length": 1000}),
        ],
    }


def parse_reason_modal(view: dict[str, Any]) -> tuple[int, str, str, str]:
    """(subject id, channel, ts, reason) of a decline or revoke modal."""
    meta = json.loads(view.get("private_metadata") or "{}")
    reason = view["state"]["values"][DECISION_REASON][DECISION_REASON].get("value") or ""
    return int(meta["id"]), str(meta["channel"]), str(meta["ts"]), reason


# -- HR ------------------------------------------------------------------------------------------
def hr_grant(grant: RewardGrant, outcome: str | None = None) -> dict[str, Any]:
    text = (
        f":receipt: Reward grant #{grant.id}: *{titled(grant.title)}*{value_words(grant.value, grant.unit)} "
        f"for {named(grant.recipient)}, from {named(grant.nominator)}, approved by "
        f"{named(grant.approver) if grant.approver else 'nobody'}."
    )
    tail: Block = (
        context_block(outcome)
        if outcome
        else {
            "type": "actions",
            "block_id": f"reward_grant_{grant.id}",
            "elements": [
                button(
                    FULFIL, "Mark fulfilled", str(grant.id), "primary", label=f"Mark reward grant #{grant.id} fulfilled"
                ),
                button(REVOKE, "Revoke", str(grant.id), "danger", label=f"Revoke reward grant #{grant.id}"),
            ],
        }
    )
    notice = f"Reward grant #{grant.id} to fulfil: {titled(grant.title)} for {named(grant.recipient)}"
    return {"text": notice, "blocks": [text_block(text), tail]}


def revoked_outcome(hr_name: str, reason: str) -> str:
    """The line that ends HR's message once a grant is revoked: the reason on that one line."""
    return f":no_entry: Revoked by {escape_mrkdwn(hr_name)}: {one_line(reason, 1000)}"


def fulfilled_dm(grant: RewardGrant) -> dict[str, Any]:
    reward = f"*{titled(grant.title)}*{value_words(grant.value, grant.unit)}"
    text = f":package: Your {reward} has been fulfilled by HR. Enjoy!"
    notice = f"Your {titled(grant.title)} has been fulfilled by HR"
    return {"channel": grant.recipient.slack_id, "text": notice, "blocks": [text_block(text)]}


def revoked_dms(grant: RewardGrant) -> list[tuple[str, dict[str, Any]]]:
    """(who, message): the recipient and the giver learn a grant was revoked, and why."""
    why = quote(grant.revoke_reason or "", REASON_QUOTE)
    to_recipient = f"Your *{titled(grant.title)}* from {named(grant.nominator)} was revoked by HR:\n{why}"
    to_giver = (
        f"The *{titled(grant.title)}* you gave {named(grant.recipient)} was revoked by HR:"
        f"\n{why}\n"
        "It no longer counts against your monthly allowance."
    )
    notice = f"{titled(grant.title)} for {named(grant.recipient)} was revoked by HR"
    return [
        (person.slack_id, {"channel": person.slack_id, "text": notice, "blocks": [text_block(text)]})
        for person, text in ((grant.recipient, to_recipient), (grant.nominator, to_giver))
    ]


# -- /rewards ------------------------------------------------------------------------------------
def history_text(history: RewardHistory) -> str:
    lines = [f"*Your recognition* — {_allowance_words(history)}", "\n*Received*"]
    lines += [_received_line(grant) for grant in history.received] or ["_Nothing yet._"]
    lines += _earlier(history.received_total - len(history.received))
    lines.append("\n*Given*")
    nothing_given = "_Nothing yet: `/nominate @someone why`._" if history.may_nominate else "_Nothing._"
    lines += [_given_line(nomination) for nomination in history.given] or [nothing_given]
    lines += _earlier(history.given_total - len(history.given))
    return "\n".join(lines)


def _earlier(hidden: int) -> list[str]:
    """The line under a list that shows only the latest: how many came before them."""
    return [f"_…and {hidden} earlier._"] if hidden > 0 else []


def _allowance_words(history: RewardHistory) -> str:
    if history.guest:  # what `/nominate` tells them, not that they left
        return GUEST_REFUSED
    if not history.may_nominate:
        return NOT_NOMINATING
    left = f"{history.allowance_left} of {history.allowance}"
    return f"{left} nominations left this month ({renews_words(history.renews_at)})."


def renews_words(moment: datetime) -> str:
    """When the allowance's month (UTC's) turns over, on each reader's clock: far from UTC it is evening or morning."""
    return f"renews {local_time(moment, '{date_short} at {time}', '%d %B %H:%M')}"


def _received_line(grant: RewardGrant) -> str:
    status = "" if grant.status == "approved" else f" — {grant.status}"
    return (
        f"• {local_time(grant.granted_at)}: *{titled(grant.title)}*"
        f"{value_words(grant.value, grant.unit)} from {named(grant.nominator)}{status}: {inline(grant.reason, 120)}"
    )


def _given_line(nomination: Nomination) -> str:
    status = {"pending": " — waiting for approval", "declined": " — declined", "revoked": " — revoked"}
    return (
        f"• {local_time(nomination.created_at)}: *{titled(nomination.title)}* to "
        f"{named(nomination.nominee)}{status.get(nomination.status, '')}"
    )


def catalog_text(lines: list[str]) -> str:
    """`/rewards catalog`: every reward, as many as one message holds (a catalog of long titles may not fit)."""
    heading = "*The reward catalog*"
    rewards = [f"• {escape_mrkdwn(line)}" for line in lines]
    return "\n".join([heading, *lines_within(rewards, TEXT_MESSAGE - len(heading), CATALOG_ELSEWHERE)])


CATALOG_ELSEWHERE = "the reward menu of the `/nominate` form lists every one"


def leaderboard_text(board: Leaderboard) -> str:
    since = f"since {local_time(board.start, '{date_short} at {time}', '%d %B %H:%M')}"
    lines = [f"*Recognition this {board.period}* ({since})"]
    for title, tallies in (("Gave most", board.givers), ("Received most", board.receivers), ("Teams", board.teams)):
        lines.append(f"\n*{title}*")
        lines += [_tally(number, tally) for number, tally in enumerate(tallies, start=1)] or ["_Nobody yet._"]
    if board.mutual_pairs is not None:
        lines.append("\n*For HR: pairs who mostly nominate each other* (worth a look, never blocked)")
        pairs = [
            f"• {escape_mrkdwn(pair.first)} → {escape_mrkdwn(pair.second)} {pair.first_to_second}, "
            f"back {pair.second_to_first}"
            for pair in board.mutual_pairs
        ]
        lines += lines_within(pairs, TEXT_MESSAGE - len("\n".join(lines))) or ["_None._"]
    return "\n".join(lines)


def _tally(number: int, tally: Tally) -> str:
    return f"{number}. {escape_mrkdwn(tally.name)} — {tally.count}"


# -- App Home ------------------------------------------------------------------------------------
def recognition_home(summary: RecognitionSummary) -> list[Block]:
    facts = f"*Received this month:* {summary.received}   *Given this month:* {summary.given}"
    if summary.waiting:
        facts += f"   *Waiting for approval:* {summary.waiting}"
    if summary.may_nominate:
        left = f"{summary.allowance_left} of {summary.allowance}"
        facts += f"   *Nominations left:* {left} ({renews_words(summary.renews_at)})"
    blocks: list[Block] = [
        {"type": "header", "text": plain("Recognition", 150)},
        text_block(facts),
    ]
    for shoutout in summary.latest:
        blocks.append(
            context_block(
                f":tada: {escape_mrkdwn(shoutout.nominator)} → *{escape_mrkdwn(shoutout.recipient)}*: "
                f"{one_line(shoutout.reason, 200)}"
            )
        )
    if summary.may_nominate:
        blocks.append(context_block("Recognise a colleague with `/nominate`; see your history with `/rewards`."))
    else:
        blocks.append(context_block(f"{NOT_NOMINATING} Your history stays in `/rewards`."))
    return blocks
