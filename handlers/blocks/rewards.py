"""Block Kit for recognition: the nomination modal, shout-outs, approval requests, HR's buttons, history."""

import json
from dataclasses import dataclass
from typing import Any

from models import Nomination, RewardGrant
from services.reward_fairness import Leaderboard, Tally
from services.reward_policy import RewardItem
from services.rewards import RecognitionSummary, RewardHistory
from services.text import escape_mrkdwn, truncate

Block = dict[str, Any]

NOMINATE_MODAL = "reward_nominate"
APPROVE = "reward_approve"
DECLINE = "reward_decline"
DECLINE_MODAL = "reward_decline_reason"
FULFIL = "reward_fulfil"
REVOKE = "reward_revoke"
REVOKE_MODAL = "reward_revoke_reason"

PEOPLE, REWARD, REASON, STORY, PUBLIC = "nominees", "reward", "reason", "story", "public"
DECISION_REASON = "why"


def section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": truncate(text, 3000)}}


def context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": truncate(text, 2000)}]}


def plain(text: str, limit: int = 75) -> dict[str, Any]:
    return {"type": "plain_text", "text": truncate(text, limit)}


def button(action_id: str, text: str, value: str, style: str | None = None) -> Block:
    element: Block = {"type": "button", "action_id": action_id, "text": plain(text), "value": value}
    if style:
        element["style"] = style
    return element


def value_words(value: Any, unit: str) -> str:
    return "" if value == 0 else f" ({value.normalize():f} {unit})"


# -- the /nominate modal -------------------------------------------------------------------------
def nominate_modal(items: list[RewardItem], stories: list[tuple[int, str]]) -> dict[str, Any]:
    options = [_option(item.key, f"{item.title}{value_words(item.value, item.unit)}") for item in items]
    blocks: list[Block] = [
        _input(PEOPLE, "Who do you want to recognise?", {"type": "multi_users_select", "max_selected_items": 10}),
        _input(REWARD, "Reward", {"type": "static_select", "options": options, "initial_option": options[0]}),
        _input(REASON, "What did they do?", {"type": "plain_text_input", "multiline": True, "max_length": 2000}),
    ]
    if stories:
        story_options = [_option(str(story_id), summary) for story_id, summary in stories[:100]]
        blocks.append(_input(STORY, "Customer story (optional)", {"type": "static_select", "options": story_options}))
        blocks[-1]["optional"] = True
    public = _option("yes", "Post a shout-out in the recognition channel")
    blocks.append(
        {
            **_input(PUBLIC, "Visibility", {"type": "checkboxes", "options": [public], "initial_options": [public]}),
            "optional": True,
        }
    )
    return {
        "type": "modal",
        "callback_id": NOMINATE_MODAL,
        "title": plain("Recognise a colleague", 24),
        "submit": plain("Nominate", 24),
        "close": plain("Cancel", 24),
        "blocks": blocks,
    }


def _input(block_id: str, label: str, element: Block) -> Block:
    return {
        "type": "input",
        "block_id": block_id,
        "label": plain(label, 2000),
        "element": {**element, "action_id": block_id},
    }


def _option(value: str, text: str) -> dict[str, Any]:
    return {"text": plain(text), "value": value}


@dataclass(frozen=True)
class NominateForm:
    nominees: tuple[str, ...]
    item_key: str
    reason: str
    public: bool
    resolution_id: int | None


def parse_nominate_modal(view: dict[str, Any]) -> NominateForm:
    values = view["state"]["values"]

    def state(block_id: str) -> dict[str, Any]:
        found: dict[str, Any] = values.get(block_id, {}).get(block_id, {})
        return found

    story = (state(STORY).get("selected_option") or {}).get("value")
    return NominateForm(
        nominees=tuple(state(PEOPLE).get("selected_users") or ()),
        item_key=(state(REWARD).get("selected_option") or {}).get("value", ""),
        reason=state(REASON).get("value") or "",
        public=bool(state(PUBLIC).get("selected_options")),
        resolution_id=int(story) if story else None,
    )


# -- shout-outs and DMs --------------------------------------------------------------------------
def story_line(story: str | None) -> str:
    return f"\n>_Customer story:_ {escape_mrkdwn(truncate(story, 300))}" if story else ""


def shoutout(channel: str, nominations: list[Nomination], story: str | None) -> dict[str, Any]:
    first = nominations[0]
    names = ", ".join(f"<@{nomination.nominee.slack_id}>" for nomination in nominations)
    reward = "" if first.item_key == "shoutout" else f" with *{escape_mrkdwn(first.title)}*"
    text = (
        f":tada: <@{first.nominator.slack_id}> recognised {names}{reward}\n"
        f">{escape_mrkdwn(first.reason)}{story_line(story)}"
    )
    return {"channel": channel, "text": f"Shout-out for {_plain_names(nominations)}", "blocks": [section(text)]}


def _plain_names(nominations: list[Nomination]) -> str:
    return ", ".join(nomination.nominee.name for nomination in nominations)


def recipient_dm(nomination: Nomination) -> dict[str, Any]:
    reward = (
        "a shout-out"
        if nomination.item_key == "shoutout"
        else f"*{escape_mrkdwn(nomination.title)}*{value_words(nomination.value, nomination.unit)}"
    )
    text = (
        f":star2: {escape_mrkdwn(nomination.nominator.name)} recognised you with {reward}:\n"
        f">{escape_mrkdwn(nomination.reason)}"
    )
    return {
        "channel": nomination.nominee.slack_id,
        "text": "You were recognised by a colleague",
        "blocks": [section(text)],
    }


def approval_request(nomination: Nomination) -> dict[str, Any]:
    text = (
        f":gift: {escape_mrkdwn(nomination.nominator.name)} nominated *{escape_mrkdwn(nomination.nominee.name)}* "
        f"for *{escape_mrkdwn(nomination.title)}*{value_words(nomination.value, nomination.unit)}.\n"
        f">{escape_mrkdwn(nomination.reason)}"
    )
    blocks = [
        section(text),
        {
            "type": "actions",
            "block_id": f"reward_decision_{nomination.id}",
            "elements": [
                button(APPROVE, "Approve", str(nomination.id), "primary"),
                button(DECLINE, "Decline", str(nomination.id), "danger"),
            ],
        },
    ]
    return {
        "channel": nomination.approver.slack_id if nomination.approver else "",
        "text": _ask(nomination),
        "blocks": blocks,
    }


def _ask(nomination: Nomination) -> str:
    return f"Approve {nomination.title} for {nomination.nominee.name}?"


def decided_request(nomination: Nomination, decider: str) -> dict[str, Any]:
    """The approver's DM after the decision: the same request, no buttons, the outcome."""
    outcome = ":white_check_mark: Approved" if nomination.status == "approved" else ":no_entry: Declined"
    reason = f": {escape_mrkdwn(nomination.decline_reason)}" if nomination.decline_reason else ""
    request = approval_request(nomination)
    blocks = [request["blocks"][0], context(f"{outcome} by {escape_mrkdwn(decider)}{reason}")]
    return {"text": f"{outcome.split()[-1]}: {_ask(nomination)}", "blocks": blocks}


def approved_dm(nomination: Nomination) -> dict[str, Any]:
    text = (
        f":white_check_mark: {escape_mrkdwn(nomination.nominee.name)}'s *{escape_mrkdwn(nomination.title)}* "
        "was approved. Thank you for recognising great service."
    )
    return {"channel": nomination.nominator.slack_id, "text": "Your nomination was approved", "blocks": [section(text)]}


def declined_dm(nomination: Nomination, decider: str) -> dict[str, Any]:
    text = (
        f"Your nomination of {escape_mrkdwn(nomination.nominee.name)} for *{escape_mrkdwn(nomination.title)}* "
        f"was declined by {escape_mrkdwn(decider)}:\n>{escape_mrkdwn(nomination.decline_reason or '')}\n"
        "It no longer counts against your monthly allowance. A shout-out is always possible."
    )
    return {"channel": nomination.nominator.slack_id, "text": "Your nomination was declined", "blocks": [section(text)]}


def decline_modal(nomination_id: int, channel: str, ts: str) -> dict[str, Any]:
    return _reason_modal(
        DECLINE_MODAL, "Decline the reward", "Why? The nominator will read it.", nomination_id, channel, ts
    )


def revoke_modal(grant_id: int, channel: str, ts: str) -> dict[str, Any]:
    return _reason_modal(REVOKE_MODAL, "Revoke the reward", "Why is it revoked?", grant_id, channel, ts)


def _reason_modal(callback_id: str, title: str, label: str, subject: int, channel: str, ts: str) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": plain(title, 24),
        "submit": plain("Confirm", 24),
        "close": plain("Cancel", 24),
        "private_metadata": json.dumps({"id": subject, "channel": channel, "ts": ts}),
        "blocks": [_input(DECISION_REASON, label, {"type": "plain_text_input", "multiline": True, "max_length": 1000})],
    }


def parse_reason_modal(view: dict[str, Any]) -> tuple[int, str, str, str]:
    """(subject id, channel, ts, reason) of a decline or revoke modal."""
    meta = json.loads(view.get("private_metadata") or "{}")
    reason = view["state"]["values"][DECISION_REASON][DECISION_REASON].get("value") or ""
    return int(meta["id"]), str(meta["channel"]), str(meta["ts"]), reason


# -- HR ------------------------------------------------------------------------------------------
def hr_grant(grant: RewardGrant, outcome: str | None = None) -> dict[str, Any]:
    text = (
        f":receipt: Reward grant #{grant.id}: *{escape_mrkdwn(grant.title)}*{value_words(grant.value, grant.unit)} "
        f"for {escape_mrkdwn(grant.recipient.name)}, from {escape_mrkdwn(grant.nominator.name)}, approved by "
        f"{escape_mrkdwn(grant.approver.name if grant.approver else 'nobody')}."
    )
    tail: Block = (
        context(outcome)
        if outcome
        else {
            "type": "actions",
            "block_id": f"reward_grant_{grant.id}",
            "elements": [
                button(FULFIL, "Mark fulfilled", str(grant.id), "primary"),
                button(REVOKE, "Revoke", str(grant.id), "danger"),
            ],
        }
    )
    return {"text": f"Reward grant #{grant.id} to fulfil", "blocks": [section(text), tail]}


def fulfilled_dm(grant: RewardGrant) -> dict[str, Any]:
    reward = f"*{escape_mrkdwn(grant.title)}*{value_words(grant.value, grant.unit)}"
    text = f":package: Your {reward} has been fulfilled by HR. Enjoy!"
    return {"channel": grant.recipient.slack_id, "text": "Your reward was fulfilled", "blocks": [section(text)]}


def revoked_dms(grant: RewardGrant) -> list[tuple[str, dict[str, Any]]]:
    """(who, message): the recipient and the giver learn a grant was revoked, and why."""
    why = escape_mrkdwn(grant.revoke_reason or "")
    to_recipient = (
        f"Your *{escape_mrkdwn(grant.title)}* from {escape_mrkdwn(grant.nominator.name)} was revoked by HR:\n>{why}"
    )
    to_giver = (
        f"The *{escape_mrkdwn(grant.title)}* you gave {escape_mrkdwn(grant.recipient.name)} was revoked by HR:"
        f"\n>{why}\n"
        "It no longer counts against your monthly allowance."
    )
    return [
        (person.slack_id, {"channel": person.slack_id, "text": "A reward was revoked", "blocks": [section(text)]})
        for person, text in ((grant.recipient, to_recipient), (grant.nominator, to_giver))
    ]


# -- /rewards ------------------------------------------------------------------------------------
def history_text(history: RewardHistory) -> str:
    lines = [
        f"*Your recognition* — {history.allowance_left} of {history.allowance} nominations left this month "
        f"(renews {history.renews_on:%d %B}).",
        "\n*Received*",
    ]
    lines += [_received_line(grant) for grant in history.received] or ["_Nothing yet._"]
    lines.append("\n*Given*")
    lines += [_given_line(nomination) for nomination in history.given] or ["_Nothing yet: `/nominate @someone why`._"]
    return "\n".join(lines)


def _received_line(grant: RewardGrant) -> str:
    status = "" if grant.status == "approved" else f" — {grant.status}"
    return (
        f"• {grant.granted_at:%d %b}: *{escape_mrkdwn(grant.title)}*{value_words(grant.value, grant.unit)} "
        f"from {escape_mrkdwn(grant.nominator.name)}{status}: _{escape_mrkdwn(truncate(grant.reason, 120))}_"
    )


def _given_line(nomination: Nomination) -> str:
    status = {"pending": " — waiting for approval", "declined": " — declined", "revoked": " — revoked"}
    return (
        f"• {nomination.created_at:%d %b}: *{escape_mrkdwn(nomination.title)}* to "
        f"{escape_mrkdwn(nomination.nominee.name)}{status.get(nomination.status, '')}"
    )


def leaderboard_text(board: Leaderboard) -> str:
    since = f"since {board.start:%d %B}"
    lines = [f"*Recognition this {board.period}* ({since})"]
    for title, tallies in (("Gave most", board.givers), ("Received most", board.receivers), ("Teams", board.teams)):
        lines.append(f"\n*{title}*")
        lines += [_tally(number, tally) for number, tally in enumerate(tallies, start=1)] or ["_Nobody yet._"]
    if board.mutual_pairs is not None:
        lines.append("\n*For HR: pairs who mostly nominate each other* (worth a look, never blocked)")
        lines += [
            f"• {escape_mrkdwn(pair.first)} → {escape_mrkdwn(pair.second)} {pair.first_to_second}, "
            f"back {pair.second_to_first}"
            for pair in board.mutual_pairs
        ] or ["_None._"]
    return "\n".join(lines)


def _tally(number: int, tally: Tally) -> str:
    return f"{number}. {escape_mrkdwn(tally.name)} — {tally.count}"


# -- App Home ------------------------------------------------------------------------------------
def recognition_home(summary: RecognitionSummary) -> list[Block]:
    facts = (
        f"*Received this month:* {summary.received}   *Given this month:* {summary.given}   "
        f"*Nominations left:* {summary.allowance_left} of {summary.allowance}"
    )
    blocks: list[Block] = [
        {"type": "header", "text": plain("Recognition", 150)},
        section(facts),
    ]
    for grant in summary.latest:
        blocks.append(
            context(
                f":tada: {escape_mrkdwn(grant.nominator.name)} → *{escape_mrkdwn(grant.recipient.name)}*: "
                f"{escape_mrkdwn(truncate(grant.reason, 200))}"
            )
        )
    blocks.append(context("Recognise a colleague with `/nominate`; see your history with `/rewards`."))
    return blocks
