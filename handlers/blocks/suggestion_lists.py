"""Block Kit for `/suggest list`: the person's suggestions, those waiting on them, their team's open ones and, for HR
and admins, those waiting on others, each with a button that brings its card (handlers/suggestion_answers.py)."""

from handlers.blocks.kit import (
    CONTEXT_TEXT,
    MESSAGE_BLOCKS,
    MESSAGE_TEXT,
    SECTION_TEXT,
    Block,
    and_more,
    button,
    context_block,
    name_of,
    one_line,
    text_block,
)
from handlers.blocks.packing import within_budget
from handlers.blocks.suggestions import author_label, backed_words, day_of
from models import Suggestion
from services.suggestions import listing
from services.suggestions.lifecycle import STATUS_WORDS
from services.suggestions.listing import Listed
from services.text import truncate_mrkdwn

ANSWER = "suggestion_answer"


def list_blocks(
    mine: Listed, waiting: Listed | None, team: Listed | None = None, others: Listed | None = None, *, tz: str | None
) -> list[Block]:
    """Each part gets an equal share of a message's 50 blocks and of its text, and ends with "and N more" when it
    holds more.

    Items are dated by the day on the reader's clock (`tz`), never by a Slack date token: a token carries the
    exact second, which an anonymous suggestion must not.
    """
    team = team if team is not None and team.total else None
    parts = 1 + (waiting is not None) + (team is not None) + (others is not None)
    room, share = _items_per_part(parts), MESSAGE_TEXT // parts - HEADING
    blocks = [text_block("*Your suggestions*")]
    blocks += _part(mine, room, share, tz, mine=True, empty="None yet. `/suggest your idea` sends one.")
    if waiting is not None:
        blocks.append(text_block(f"*Waiting on you* ({waiting.total}, oldest first)"))
        blocks += _part(waiting, room, share, tz, mine=False, empty="Nothing waiting.")
    if team is not None:
        blocks.append(text_block(f"*Your team's open suggestions with their owners* ({team.total}, oldest first)"))
        blocks += _part(team, room, share, tz, mine=False, empty="")
    if others is not None:
        blocks.append(text_block(f"*Waiting on others, which HR and admins may answer* ({others.total}, oldest first)"))
        blocks += _answerable(others, room, share, tz)
    return blocks


def _answerable(listed: Listed, room: int, share: int, tz: str | None) -> list[Block]:
    """Each with its owner and an *Answer* button, which sends its card with the owner's buttons in a DM."""
    if not listed.items:
        return [context_block("Nothing open waits on anyone else.")]
    shown = listed.items[:room]
    lines = [
        truncate_mrkdwn(f"{_line(item, tz, mine=False)}\n_With {name_of(item.owner)}_", SECTION_TEXT) for item in shown
    ]
    blocks = [
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": line},
            "accessory": button(ANSWER, "Answer", str(item.number), label=f"Answer suggestion #{item.number}"),
        }
        for item, line in zip(shown, within_budget(lines, share) or lines[:1], strict=False)
    ]
    if listed.total > len(blocks):
        blocks.append(context_block(and_more(listed.total - len(blocks), _numbers_beyond(listed, len(blocks)))))
    return blocks


def _numbers_beyond(listed: Listed, shown: int) -> str:
    """Where the ideas not shown are: their numbers (the first of them), for `/suggest answer #N`."""
    beyond = [f"#{number}" for number in listed.numbers[shown:]]
    unnamed = listed.total - shown - len(beyond)
    named = ", ".join(beyond) + (f" and {unnamed} more" if beyond and unnamed > 0 else "")
    ask = "`/suggest answer #N` brings any of them to answer"
    return f"{named}. {ask}" if beyond else ask


def _items_per_part(parts: int) -> int:
    """A part costs its heading, its items and its "and N more" line."""
    return min(listing.SHOWN, MESSAGE_BLOCKS // parts - 2)


HEADING = 100
"""Room for a part's heading and its "and N more" line."""


def _part(listed: Listed, room: int, share: int, tz: str | None, *, mine: bool, empty: str) -> list[Block]:
    """At most `room` items in about `share` characters of text."""
    if not listed.items:
        return [context_block(empty)]
    lines = [truncate_mrkdwn(_line(item, tz, mine=mine), CONTEXT_TEXT) for item in listed.items[:room]]
    blocks = [context_block(line) for line in within_budget(lines, share) or lines[:1]]
    if listed.total > len(blocks):
        blocks.append(context_block(and_more(listed.total - len(blocks))))
    return blocks


def _line(item: Suggestion, tz: str | None, *, mine: bool) -> str:
    who = "" if mine else f" — {author_label(item)}"
    return (
        f"{_number(item)} *{STATUS_WORDS[item.status]}*{who} · {day_of(item.created_at, tz)} · {backed_words(item)}\n"
        f"{one_line(item.what, 200)}"
    )


def _number(item: Suggestion) -> str:
    """#N, or for the author's own anonymous idea still held back the word that it has none yet (release.py)."""
    return f"#{item.number}" if item.number is not None else "_(on its way: numbered when it arrives)_"
