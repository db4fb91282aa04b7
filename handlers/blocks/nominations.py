"""Block Kit for /nominate: the modal, shout-outs, DMs, and the approver's request with its buttons."""

from dataclasses import dataclass
from typing import Any

from handlers.blocks.channel_refusals import channel_ref
from handlers.blocks.kit import (
    PLAIN_TEXT,
    Block,
    button,
    closed_within,
    context_block,
    input_block,
    named,
    one_line,
    option,
    plain,
    quote,
    text_block,
    titled,
)
from handlers.blocks.rewards import reason_modal, value_words
from handlers.commands import Usage
from models import Employee, Nomination
from services.policy.rewards import RewardItem
from services.rewards.nominations import STORIES_LISTED, Story
from services.text import cut_point, escape_mrkdwn

NOMINATE_MODAL = "reward_nominate"
APPROVE = "reward_approve"
DECLINE = "reward_decline"
DECLINE_MODAL = "reward_decline_reason"

PEOPLE, REWARD, REASON, STORY, PUBLIC = "nominees", "reward", "reason", "story", "public"
NO_CHANNEL = (
    "no recognition channel is set, so a shout-out is a DM to them and a line on colleagues' App Home "
    "(HR can name a channel under `[rewards] channel` in the policy file)"
)


def usage(channel: str | None = None, *, known: bool = False) -> Usage:
    """/nominate's usage; `known`: `channel` is where shout-outs go now (None: nowhere, only DMs and the Home), named
    in `help`. An answer to a mistake does not look it up, and says "the recognition channel"."""
    where = "the recognition channel" if not known else channel_ref(channel) if channel else None
    return Usage(
        command="/nominate",
        purpose="recognise colleagues for great service; tangible rewards go to their manager for approval.",
        forms=(
            ("/nominate", "open a form: people, reward, reason, customer story, public or not"),
            ("/nominate @someone why...", f"a shout-out in {where} and a DM to them" if where else NO_CHANNEL),
            ("/nominate @someone @other REWARD why...", "a reward from the catalog (`/rewards catalog` lists it)"),
            ("/nominate help", "show this help"),
        ),
    )


# -- the /nominate modal -------------------------------------------------------------------------
STORIES_CUT = (
    f"Only the {STORIES_LISTED} latest customer stories of the last 30 days are listed. Not there? Tell the story in "
    "the reason."
)


def nominate_modal(items: list[RewardItem], stories: list[Story], *, channel: bool) -> dict[str, Any]:
    """`channel`: whether a public nomination is also posted in a recognition channel (else only colleagues'
    App Home shows it)."""
    # A static menu holds 100 options at most; the policy keeps the catalog within it.
    options = [reward_option(item) for item in items[:100]]
    blocks: list[Block] = [
        input_block(PEOPLE, "Who do you want to recognise?", {"type": "multi_users_select", "max_selected_items": 10}),
        input_block(REWARD, "Reward", {"type": "static_select", "options": options, "initial_option": options[0]}),
        input_block(REASON, "What did they do?", {"type": "plain_text_input", "multiline": True, "max_length": 2000}),
    ]
    if stories:
        story_options = [option(str(story.id), story_choice(story)) for story in stories[:STORIES_LISTED]]
        story = {"type": "static_select", "options": story_options}
        hint = STORIES_CUT if len(stories) > STORIES_LISTED else None
        blocks.append(input_block(STORY, "Customer story (optional)", story, optional=True, hint=hint))
    public = option("yes", "Post a shout-out in the recognition channel" if channel else "Show it on colleagues' home")
    visibility = {"type": "checkboxes", "options": [public], "initial_options": [public]}
    blocks.append(input_block(PUBLIC, "Visibility", visibility, optional=True))
    return {
        "type": "modal",
        "callback_id": NOMINATE_MODAL,
        "title": plain("Recognise a colleague", 24),
        "submit": plain("Nominate", 24),
        "close": plain("Cancel", 24),
        "blocks": blocks,
    }


TELLER_SHOWN = 30
"""A story's teller in its menu option, at most: the option shows 75 characters, and the summary is what tells two
stories of one colleague apart."""


def story_choice(story: Story) -> str:
    return f"{closed_within(story.teller, TELLER_SHOWN)}: {story.summary}"


def reward_option(item: RewardItem) -> dict[str, Any]:
    """A reward as a menu shows it: a title too long for the option is cut before its value, which stays in sight,
    and its end is the option's description (two long titles alike up to the cut would otherwise be two options
    alike, whatever each is worth)."""
    value = value_words(item.value, item.unit)
    title = closed_within(item.title, PLAIN_TEXT - len(value))
    shown = option(item.key, title + value)
    if len(item.title) + len(value) <= PLAIN_TEXT:
        return shown
    return {**shown, "description": plain("…" + rest_of(item.title, title))}


def rest_of(title: str, shown: str) -> str:
    """What the option's cut of `title` (`shown`) left out, when a description holds it; else the title's end."""
    kept = next((n for n, (ours, cut) in enumerate(zip(title, shown, strict=False)) if ours != cut), len(shown))
    rest = title[kept:].lstrip()
    return rest if len(rest) < PLAIN_TEXT else end_of(title, PLAIN_TEXT - 1)


def end_of(text: str, limit: int) -> str:
    """The last characters of `text` that fit `limit`, starting where the cut splits nothing a reader sees as one."""
    start = max(0, len(text) - limit)
    while cut_point(text, start) != start:
        start += 1
    return text[start:].lstrip()


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
def story_block(story: str) -> Block:
    """Quoted under the reason, its label on its first line; a block of its own, where nothing typed in the reason
    (a code block's "```" opened and left open) can reach it."""
    return text_block(f"> _Customer story:_ {quote(story, 400).removeprefix('> ')}")


def shoutout(channel: str, nominations: list[Nomination], story: str | None) -> dict[str, Any]:
    first = nominations[0]
    names = ", ".join(f"<@{nomination.nominee.slack_id}>" for nomination in nominations)
    reward = "" if first.item_key == "shoutout" else f" with *{titled(first.title)}*"
    text = f":tada: <@{first.nominator.slack_id}> recognised {names}{reward}\n{quote(first.reason, 2000)}"
    shown = [text_block(text), *([story_block(story)] if story else [])]
    return {"channel": channel, "text": f"Shout-out for {_plain_names(nominations)}", "blocks": shown}


def _plain_names(nominations: list[Nomination]) -> str:
    return ", ".join(named(nomination.nominee) for nomination in nominations)


def recipient_dm(nomination: Nomination) -> dict[str, Any]:
    reward = (
        "a shout-out"
        if nomination.item_key == "shoutout"
        else f"*{titled(nomination.title)}*{value_words(nomination.value, nomination.unit)}"
    )
    text = f":star2: {named(nomination.nominator)} recognised you with {reward}:\n{quote(nomination.reason, 2000)}"
    return {
        "channel": nomination.nominee.slack_id,
        "text": f"{named(nomination.nominator)} recognised you with {_plain_reward(nomination)}",
        "blocks": [text_block(text)],
    }


def _plain_reward(nomination: Nomination) -> str:
    """The reward in a notification's words (no bold: phones and screen readers show the text as it is)."""
    if nomination.item_key == "shoutout":
        return "a shout-out"
    return titled(nomination.title) + value_words(nomination.value, nomination.unit)


def _reward_words(nomination: Nomination) -> str:
    """ "Coffee & cake voucher for Fin Ford", plain: what a screen reader says the approver's buttons decide."""
    return f"{nomination.title} for {nomination.nominee.name}"


def approval_request(nomination: Nomination) -> dict[str, Any]:
    blocks = [
        text_block(nominated_line(nomination)),
        text_block(quote(nomination.reason, 2000)),
        decision_buttons(nomination),
    ]
    return {
        "channel": nomination.approver.slack_id if nomination.approver else "",
        "text": _ask(nomination),
        "blocks": blocks,
    }


def nominated_line(nomination: Nomination) -> str:
    return (
        f":gift: {named(nomination.nominator)} nominated *{named(nomination.nominee)}* "
        f"for *{titled(nomination.title)}*{value_words(nomination.value, nomination.unit)}."
    )


def decision_buttons(nomination: Nomination) -> Block:
    """Approve and Decline, in the approver's DM or on their App Home."""
    return {
        "type": "actions",
        "block_id": f"reward_decision_{nomination.id}",
        "elements": [
            button(APPROVE, "Approve", str(nomination.id), "primary", label=f"Approve {_reward_words(nomination)}"),
            button(DECLINE, "Decline", str(nomination.id), "danger", label=f"Decline {_reward_words(nomination)}"),
        ],
    }


def _ask(nomination: Nomination) -> str:
    return f"Approve {titled(nomination.title)} for {named(nomination.nominee)}?"


def decided_request(nomination: Nomination, decider: str) -> dict[str, Any]:
    """The approver's DM after the decision: the same request, no buttons, the outcome."""
    outcome = ":white_check_mark: Approved" if nomination.status == "approved" else ":no_entry: Declined"
    reason = f": {one_line(nomination.decline_reason, 1000)}" if nomination.decline_reason else ""
    request = approval_request(nomination)
    blocks = [*request["blocks"][:2], context_block(f"{outcome} by {escape_mrkdwn(decider)}{reason}")]
    what = f"{titled(nomination.title)} for {named(nomination.nominee)}"
    return {"text": f"{outcome.split()[-1]} by {escape_mrkdwn(decider)}: {what}", "blocks": blocks}


def approved_dm(nomination: Nomination) -> dict[str, Any]:
    text = (
        f":white_check_mark: {named(nomination.nominee)}'s *{titled(nomination.title)}* "
        "was approved. Thank you for recognising great service."
    )
    return {
        "channel": nomination.nominator.slack_id,
        "text": f"Your nomination of {named(nomination.nominee)} for {titled(nomination.title)} was approved",
        "blocks": [text_block(text)],
    }


def declined_dm(nomination: Nomination, decider: Employee) -> dict[str, Any]:
    text = (
        f"Your nomination of {named(nomination.nominee)} for *{titled(nomination.title)}* "
        f"was declined by {named(decider)}:\n{quote(nomination.decline_reason or '', 1000)}\n"
        "It no longer counts against your monthly allowance. A shout-out is always possible."
    )
    return {
        "channel": nomination.nominator.slack_id,
        "text": f"Your nomination of {named(nomination.nominee)} for {titled(nomination.title)} was declined",
        "blocks": [text_block(text)],
    }


def decline_modal(nomination: Nomination, channel: str, ts: str) -> dict[str, Any]:
    label = "Why? The nominator will read it."
    return reason_modal(
        DECLINE_MODAL, "Decline the reward", label, nomination.id, channel, ts, about=nominated_line(nomination)
    )
