"""The digest's part that matters most: the requests waiting on the manager's decision, within a text budget.

Each request shown to its manager keeps room for the line a decision puts in place of its buttons
(`decided_line`), so the digest refreshed after decisions (handlers/decisions.py) holds no more text than
the digest as sent.
"""

from handlers.blocks.kit import (
    Block,
    and_more,
    context_block,
    escaped,
    local_time,
    name_of,
    quote,
    text_block,
    text_length,
)
from handlers.blocks.resolutions import decision_buttons, outcome_line, request_words
from handlers.blocks.resolutions_waiting import HOME_WAITING
from models import Resolution
from services.digest.weekly import Digest, Waiting
from services.directory import Named
from services.money import format_money

MAX_WAITING = 10
NAME_TEXT = 80
"""A person's name in the digest, escaped: every name is cut there, so no long name eats the budget."""
SUMMARY_TEXT = 300
DECIDED_TEXT = 160
"""The longest `decided_line`: what each request shown with buttons keeps in reserve."""
DIGEST_DECIDE_PREFIX = "digest_decide_"


def who(person: Named | None) -> str:
    """Someone in the digest as mrkdwn, as every message names them (`directory.name_of`): a directory name (cut
    at NAME_TEXT), or a mention for a newcomer, whom Slack shows by their current name, not the handle they were
    added under."""
    if person is None:
        return "someone"
    return escaped(person.name, NAME_TEXT) if person.in_directory else name_of(person)


def waiting_section(digest: Digest, room: int, budget: int) -> list[Block]:
    """Oldest first, two blocks each, while the `room` (blocks) and the `budget` (characters) last; the rest
    summed up as "and N more"."""
    waiting = digest.waiting
    if not waiting:
        return [text_block("*Waiting on you:* nothing. 🎉")]
    home = f"your App Home shows the oldest {HOME_WAITING}; decide those and the next ones appear there."
    blocks = [text_block(f"*Waiting on you ({len(waiting)}), oldest first:*")]
    left = budget - text_length([*blocks, context_block(and_more(len(waiting), home))])
    for item in waiting[: max(0, min(MAX_WAITING, (room - 2) // 2))]:
        line = text_block(_waiting_line(item, digest))
        left -= text_length([line]) + DECIDED_TEXT
        if left < 0:
            break
        request = _request_words(item, digest)
        blocks += [line, decision_buttons(item.resolution_id, request, block_id_prefix=DIGEST_DECIDE_PREFIX)]
    shown = (len(blocks) - 1) // 2
    if len(waiting) > shown:
        blocks.append(context_block(and_more(len(waiting) - shown, home)))
    return blocks


def _request_words(item: Waiting, digest: Digest) -> str:
    return request_words(item.employee, item.category, item.amount, item.currency or digest.currency)


def waiting_on_someone_else(digest: Digest, room: int, budget: int) -> list[Block]:
    """What waits on the team's manager, as HR or an admin previewing the team sees it: one block each."""
    name = who(digest.manager)
    if not digest.waiting:
        return [text_block(f"*Waiting on {name}:* nothing.")]
    blocks = [text_block(f"*Waiting on {name} ({len(digest.waiting)}), oldest first:*")]
    left = budget - text_length([*blocks, context_block(and_more(len(digest.waiting)))])
    for item in digest.waiting[: max(0, min(MAX_WAITING, room - 2))]:
        line = text_block(_waiting_line(item, digest))
        left -= text_length([line])
        if left < 0:
            break
        blocks.append(line)
    if len(digest.waiting) > len(blocks) - 1:
        blocks.append(context_block(and_more(len(digest.waiting) - len(blocks) + 1)))
    return blocks


def _waiting_line(item: Waiting, digest: Digest) -> str:
    amount = f" of {format_money(item.amount, item.currency or digest.currency)}" if item.amount else ""
    since = local_time(item.created_at, "{date_short_pretty} at {time}", "%a %d %b %H:%M")
    return (
        f"*{who(item.employee)}* — {escaped(item.category, NAME_TEXT)}{amount}, "
        f"waiting since {since}\n{quote(item.summary, SUMMARY_TEXT)}"
    )


def decided_line(request: Resolution) -> Block:
    """What replaces a request's buttons in the digest once it is decided: the outcome, the reason cut short."""
    return context_block(outcome_line(request, name_within=40, reason_within=100))


NOT_YOURS = "No longer yours to decide."


def not_yours_line() -> Block:
    """What replaces a request's buttons in the digest of someone who may no longer decide it: nothing of how it
    stands."""
    return context_block(NOT_YOURS)
