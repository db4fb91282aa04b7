"""Block Kit for suggestions: the modal, the owner's card, the channel post, the reason modal, the digest's part."""

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from handlers.blocks.kit import (
    PRIVATE_NOTICE,
    Block,
    button,
    context_block,
    escaped,
    input_block,
    name_of,
    one_line,
    option,
    plain,
    quote,
    text_block,
)
from handlers.suggestion_typed import HeldIdea
from models import Employee, Suggestion
from services.calendar import zone
from services.suggestions.lifecycle import MAX_WHAT, STATUS_WORDS, SuggestionRequest
from services.text import cut_point, escape_mrkdwn, plural, truncate

SUGGEST_MODAL = "suggest_modal"
NOTE_MODAL = "suggestion_note"
BACK = "suggestion_back"
STATUS_ACTIONS = {
    "under_review": "suggestion_under_review",
    "planned": "suggestion_planned",
    "done": "suggestion_done",
    "not_doing": "suggestion_not_doing",
}
WHAT, WHY, CATEGORY, RESOLUTION, ANONYMOUS, NOTE = "what", "why", "category", "resolution", "anonymous", "note"
ANONYMOUS_LABEL = "an anonymous colleague"
THANKED_BY_NAME = 20
"""A popular idea's "you said, we did" names its author and the first backers, then counts the others: a
section holds 3,000 characters, and a name cut in half (or a mention cut open) would show raw."""
THANKED_NAME = 120
"""Each name thanked, at most, once escaped: twenty names the org file allows (200 characters) would fill the
section before the count of the others."""
UNSURE = "Your idea speaks of anonymity, so it was not sent with your name: tick this to leave your name off. "
NOTE_QUESTIONS = {
    "done": ("What changed?", "One line the team will read: what is different now."),
    "not_doing": ("Why not?", "The author (and backers) will read it."),
}


def suggest_modal(
    categories: Sequence[str], fixes: Sequence[tuple[int, str]], *, held: HeldIdea | None = None
) -> dict[str, Any]:
    """The /suggest form, filled in with an idea `held` (`held_for_anonymity`), its box ticked or, `UNSURE`, not. A
    typed idea longer than the box holds is cut where nothing is split, and the box says so."""
    what = held.what if held else ""
    kept = what[: cut_point(what, MAX_WHAT)] if len(what) > MAX_WHAT else what
    cut = f"You typed {len(what):,} characters and the box holds {MAX_WHAT:,}: the end was left out."
    blocks = [
        input_block(
            WHAT,
            "Your idea, or the problem that keeps coming back",
            {
                "type": "plain_text_input",
                "multiline": True,
                "max_length": MAX_WHAT,
                **({"initial_value": kept} if kept else {}),
            },
            hint=cut if kept != what else None,
        ),
        input_block(
            WHY, "Why it matters", {"type": "plain_text_input", "multiline": True, "max_length": 2000}, optional=True
        ),
    ]
    if categories:
        options = [option(name, name.replace("_", " ")) for name in categories[:100]]
        blocks.append(input_block(CATEGORY, "Category", {"type": "static_select", "options": options}, optional=True))
    if fixes:
        options = [option(str(fix_id), truncate(label, 75)) for fix_id, label in fixes[:100]]
        blocks.append(
            input_block(
                RESOLUTION,
                "One of your fixes it comes from",
                {"type": "static_select", "options": options},
                optional=True,
            )
        )
    blocks.append(
        input_block(
            ANONYMOUS,
            "Name",
            {
                "type": "checkboxes",
                "options": [option("yes", "Send it anonymously")],
                **({"initial_options": [option("yes", "Send it anonymously")]} if held and held.ticked else {}),
            },
            optional=True,
            hint=f"{UNSURE if held and not held.ticked else ''}Anonymous: nobody sees your name; you still hear what "
            "happens to it.",
        )
    )
    return {
        "type": "modal",
        "callback_id": SUGGEST_MODAL,
        "title": plain("Suggest"),
        "submit": plain("Send"),
        "close": plain("Cancel"),
        "blocks": blocks,
    }


def parse_suggest_modal(values: dict[str, Any]) -> SuggestionRequest:
    def state(block_id: str) -> dict[str, Any]:
        found: dict[str, Any] = values.get(block_id, {}).get(block_id, {})
        return found

    def selected(block_id: str) -> str | None:
        chosen = state(block_id).get("selected_option")
        return str(chosen["value"]) if chosen else None

    resolution = selected(RESOLUTION)
    return SuggestionRequest(
        what=str(state(WHAT).get("value") or ""),
        why=str(state(WHY).get("value") or ""),
        category=selected(CATEGORY),
        resolution_id=int(resolution) if resolution and resolution.isdigit() else None,
        anonymous=bool(state(ANONYMOUS).get("selected_options")),
    )


def confirmation(suggestion: Suggestion) -> str:
    """What its author is told at once; an anonymous one reaches its owner later (services/suggestions/release.py)."""
    owner = escape_mrkdwn(suggestion.owner.name)
    if suggestion.anonymous:
        sent = (
            f":bulb: Sent anonymously your suggestion: it reaches {owner} within half an hour, at a random moment, so "
            "that its arrival time does not point at you, and gets its number then, in the order ideas are shown."
        )
    else:
        sent = f":bulb: Sent your suggestion #{suggestion.number} to {owner}."
    return f"{sent} I'll tell you here when it moves on; `/suggest list` shows where it stands."


def to_the_author(suggestion: Suggestion, text: str) -> str:
    """A DM to the author's notification text: for an anonymous idea, nothing of it (kit.PRIVATE_NOTICE)."""
    return PRIVATE_NOTICE if suggestion.anonymous else text


def author_label(suggestion: Suggestion) -> str:
    """The author as mrkdwn, as Slack shows them (a newcomer by mention, never by the handle they were added
    under), or the anonymous label."""
    return name_of(suggestion.author) if suggestion.author is not None else escape_mrkdwn(ANONYMOUS_LABEL)


def facts(suggestion: Suggestion) -> str:
    lines = [f"*Suggestion #{suggestion.number}* from {author_label(suggestion)}"]
    if suggestion.category:
        lines[0] += f" · {escape_mrkdwn(suggestion.category.replace('_', ' '))}"
    lines.append(quote(suggestion.what, 1000))
    if suggestion.why:
        lines.append(f"_Why:_\n{quote(suggestion.why, 1000)}")
    return "\n".join(lines)


def backed_words(suggestion: Suggestion) -> str:
    count = len(suggestion.backers)
    return "nobody has backed it yet" if not count else f"{count} colleague{'s' if count != 1 else ''} backed it"


def status_line(suggestion: Suggestion) -> str:
    line = f"Status: *{STATUS_WORDS[suggestion.status]}* · {backed_words(suggestion)}"
    if suggestion.status == "not_doing" and suggestion.reason:
        line += f"\nWhy not: {one_line(suggestion.reason, 1000)}"
    if suggestion.status == "done" and suggestion.change:
        line += f"\nWhat changed: {one_line(suggestion.change, 1000)}"
    return line


def headline(suggestion: Suggestion) -> str:
    """A suggestion's card or post in a notification, and to a screen reader: its number and where it stands. Not its
    words: an anonymous idea's words stay off the lock screens of people it was not sent to."""
    return f"Suggestion #{suggestion.number}: {STATUS_WORDS[suggestion.status]}"


def owner_card(suggestion: Suggestion) -> list[Block]:
    """What the owner sees: the suggestion, its status and backing, and the buttons while it is open."""
    blocks = [text_block(facts(suggestion)), context_block(status_line(suggestion))]
    if not suggestion.is_closed:
        value = str(suggestion.number)
        buttons = [
            button(
                action_id,
                STATUS_WORDS[status],
                value,
                "primary" if status == "done" else None,
                label=f"Mark suggestion #{value} {STATUS_WORDS[status]}",
            )
            for status, action_id in STATUS_ACTIONS.items()
            if status != suggestion.status
        ]
        blocks.append({"type": "actions", "block_id": f"suggestion_{suggestion.number}", "elements": buttons})
    return blocks


def channel_post(suggestion: Suggestion) -> list[Block]:
    """The team channel's post: colleagues back it with one click while it is open."""
    blocks = [
        text_block(":bulb: " + facts(suggestion)),
        context_block(f"With {escape_mrkdwn(suggestion.owner.name)} · {status_line(suggestion)}"),
    ]
    if not suggestion.is_closed:
        blocks.append(
            {
                "type": "actions",
                "elements": [
                    button(
                        BACK, "Me too", str(suggestion.number), label=f"Me too: back suggestion #{suggestion.number}"
                    )
                ],
            }
        )
    return blocks


def status_for_author(suggestion: Suggestion, decider_name: str) -> list[Block]:
    words = {
        "under_review": "is looking at",
        "planned": "plans to do",
        "done": "has done",
        "not_doing": "won't do",
    }
    head = (
        f"{escape_mrkdwn(decider_name)} {words.get(suggestion.status, 'updated')} your suggestion #{suggestion.number}"
    )
    return [
        text_block(f":bulb: {head}.\n{quote(suggestion.what, 500)}"),
        context_block(status_line(suggestion)),
    ]


def note_modal(suggestion: Suggestion, status: str, channel: str, ts: str) -> dict[str, Any]:
    label, hint = NOTE_QUESTIONS[status]
    metadata = json.dumps({"suggestion": suggestion.number, "status": status, "channel": channel, "ts": ts})
    return {
        "type": "modal",
        "callback_id": NOTE_MODAL,
        "title": plain("Done" if status == "done" else "Not doing"),
        "submit": plain("Send"),
        "close": plain("Cancel"),
        "private_metadata": metadata,
        "blocks": [
            text_block(facts(suggestion)),
            input_block(NOTE, label, {"type": "plain_text_input", "max_length": 500}, hint=hint),
        ],
    }


def parse_note_modal(view: dict[str, Any]) -> tuple[int, str, str, str, str]:
    metadata = json.loads(view.get("private_metadata") or "{}")
    note = view["state"]["values"].get(NOTE, {}).get(NOTE, {}).get("value") or ""
    return int(metadata["suggestion"]), str(metadata["status"]), str(metadata["channel"]), str(metadata["ts"]), note


def we_did(suggestion: Suggestion, decider: Employee) -> list[Block]:
    """ "You said, we did": what changed, and thanks: by name, or for an anonymous idea by count, since the
    teammates thanked by name would leave out the one who suggested it."""
    if suggestion.anonymous:
        backed = len(suggestion.backers)
        thanks = (
            f"Thank you to the {plural(backed, 'colleague')} who backed it, and to whoever suggested it!"
            if backed
            else "Thank you to whoever suggested it!"
        ) + " (The idea came from a colleague who chose to stay anonymous.)"
    else:
        people = [suggestion.author] if suggestion.author is not None else []
        people += [row.employee for row in suggestion.backers if row.employee not in people]
        named = [_thanked(person) for person in people[:THANKED_BY_NAME]]
        others = len(people) - len(named)
        thanks = f"Thank you, {_names([*named, plural(others, 'other colleague')] if others else named)}!"
    return [
        text_block(f":white_check_mark: *You said, we did.* {one_line(suggestion.change or '', 500)}"),
        context_block(
            f"It started as suggestion #{suggestion.number}: “{one_line(suggestion.what, 300)}” · "
            f"done by {name_of(decider)}"
        ),
        text_block(thanks),
    ]


def _thanked(person: Employee) -> str:
    return escaped(person.name, THANKED_NAME) if person.in_directory else name_of(person)


def _names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def day_of(moment: datetime, tz: str | None) -> str:
    return f"{moment.astimezone(zone(tz)):%d %b}"
