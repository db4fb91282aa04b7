"""Block Kit for the weekly digest, within Slack's limits, and its plain-text rendering for `--dry-run`."""

import html
from collections.abc import Callable, Mapping, Sequence
from functools import partial

from handlers.blocks.digest_team import bullets, pulse_section, recognition_section, suggestions_section
from handlers.blocks.digest_waiting import waiting_on_someone_else, waiting_section, who
from handlers.blocks.kit import (
    MESSAGE_BLOCKS,
    MESSAGE_TEXT,
    Block,
    context_block,
    dates_as_fallback,
    escaped,
    plain,
    plural,
    quote,
    text_block,
    text_length,
)
from services.calendar import zone_name
from services.digest.resolutions import ResolutionsPart, Theme
from services.digest.weekly import Digest
from services.money import format_amounts, format_money
from services.text import as_slack_shows, escape_mrkdwn, labels_in, truncate

LAST_DIGEST = "Nobody reports to you now: this is your last digest, of the week you still had a team ·"

TEXT_BUDGET = MESSAGE_TEXT
"""Characters of text in the whole digest: it is sent once a week, and must fit whatever the week held."""
WAITING_TEXT = 5_500
"""What waits on the manager's decision is served first: once every part has its head line, this much is kept
for it, and it takes whatever the other parts' lists leave besides."""
PART_TEXT = {"categories": 500, "stories": 700, "recognition": 500, "pulse": 600, "suggestions": 600, "themes": 400}
"""What each part's list may add at most, served in this order from the budget the waiting requests left."""
STORY_TEXT = 300
THEME_TEXT = 40
"""A word that came back is a word of a summary, which may be as long as the summary."""

Part = Callable[[int], list[Block]]


def digest_blocks(digest: Digest, *, to_its_manager: bool = True) -> list[Block]:
    """The whole digest within Slack's 50 blocks and the `TEXT_BUDGET`: the head lines of every part, then the
    waiting requests' `WAITING_TEXT`, then each part's list as far as its share (`PART_TEXT`) and the budget go,
    then the waiting requests again with the rest.

    `to_its_manager=False`: HR or an admin previewing another manager's team, who is told what waits on
    that manager, without the manager's decision buttons.
    """
    someone_else = None if to_its_manager else who(digest.manager)
    team = f"{someone_else}'s team" if someone_else else "your team"
    tz = digest.manager.tz
    parts: dict[str, Part] = {
        "categories": lambda share: resolutions_section(digest, share),
        "stories": lambda share: stories_section(digest.resolutions, team, share),
        "themes": lambda share: themes_section(digest.resolutions, share, compared=digest.week.compared),
        "recognition": lambda share: recognition_section(
            digest.recognition, someone_else, share, since=digest.recognised_since
        ),
        "pulse": lambda share: pulse_section(digest.pulse, share, someone_else),
        "suggestions": lambda share: suggestions_section(digest.suggestions, share, tz=tz, waiting_on=someone_else),
    }
    top, customers, foot = heading(digest), customers_section(digest), footer(digest, to_its_manager)
    fixed = [*top, *customers, foot]
    least = {name: build(0) for name, build in parts.items()}
    left = TEXT_BUDGET - text_length(fixed) - sum(text_length(blocks) for blocks in least.values())
    grown, unused = _grown(parts, least, left - WAITING_TEXT)
    room = MESSAGE_BLOCKS - len(fixed) - len(parts)  # each part is one block at most
    waiting = _waiting(digest, to_its_manager, room, WAITING_TEXT + unused)
    fixes = [*grown["categories"], *grown["stories"], *grown["themes"]]
    team_parts = [*grown["recognition"], *grown["pulse"], *grown["suggestions"]]
    return [*top, *fixes, *customers, *waiting, *team_parts, foot]


def _grown(parts: dict[str, Part], least: dict[str, list[Block]], left: int) -> tuple[dict[str, list[Block]], int]:
    """Each part given its share of what is `left`, in the order of `PART_TEXT`; and what they leave unused."""
    grown = dict(least)
    for name, cap in PART_TEXT.items():
        grown[name] = parts[name](max(0, min(cap, left)))
        left -= text_length(grown[name]) - text_length(least[name])
    return grown, left


def _waiting(digest: Digest, to_its_manager: bool, room: int, budget: int) -> list[Block]:
    if to_its_manager:
        return waiting_section(digest, room, budget)
    return waiting_on_someone_else(digest, room, budget)


def digest_text(digest: Digest, *, to_its_manager: bool = True) -> str:
    """The fallback text of the message (notifications, screen readers)."""
    fixes = plural(digest.resolutions.count, "customer fix", "customer fixes")
    if not to_its_manager:
        name = who(digest.manager)
        return f"{name}'s team's week: {fixes}, {len(digest.waiting)} waiting on {name}"
    return f"Your team's week: {fixes}, {len(digest.waiting)} waiting on you"


def heading(digest: Digest) -> list[Block]:
    week = digest.week
    when = f"{week.since or week.first_day:%a %d %b} – {week.last_day:%a %d %b}"
    title = "This week so far" if week.so_far else "Your team's week"
    since = f" · Latitude's record starts on {week.since:%a %d %b}: this covers what it saw since" if week.since else ""
    size = plural(digest.team_size, "person", "people")
    team = LAST_DIGEST if digest.last else f"{who(digest.manager)}'s team: {size}, direct and indirect ·"
    return [
        {"type": "header", "text": plain(truncate(f"{title}: {when}", 150))},
        context_block(f"{team} {week.label}, Monday to Sunday in {escape_mrkdwn(zone_name(digest.manager.tz))}{since}"),
    ]


def resolutions_section(digest: Digest, share: int) -> list[Block]:
    """The week's fixes in figures, and their categories as far as `share` goes."""
    part = digest.resolutions
    money = partial(format_amounts, currency=digest.currency)  # each amount in its own currency
    versus = partial(_versus, compared=digest.week.compared)
    if not part.count and not part.value:
        return [text_block(f"*Customer fixes:* none logged{versus(part.last_week)}.")]
    categories = [
        f"{escape_mrkdwn(line.category)}: {line.count} · {money(line.value)}{versus(line.last_week)}"
        for line in part.categories
    ]
    logged = part.count or "none logged"  # a request logged earlier and approved this week is given in this one
    lines = [f"*Customer fixes:* {logged}{versus(part.last_week)}, {money(part.value)} given"]
    if part.count:
        lines.append(f"{part.within_share}% handled on the spot within boundaries, {part.escalated} went to a manager")
    return [text_block("\n".join([*lines, *bullets(categories, share)]))]


def stories_section(part: ResolutionsPart, team: str, share: int) -> list[Block]:
    """As many of the week's stories as `share` holds (none when it holds not one).

    `team`: whose team the reader reads about, as mrkdwn ("your team", or "Maya's team" in HR's preview).
    """
    lines = [f"*Happy customers, in {team}'s words:*"]
    for story in part.stories if part.count else ():
        amount = f" {format_money(story.amount, story.currency)}" if story.amount else ""
        author = f"{who(story.employee)}, {escape_mrkdwn(story.category)}{amount}"
        if _fits([*lines, f"{quote(story.summary, STORY_TEXT)}\n— {author}"], share):
            lines.append(f"{quote(story.summary, STORY_TEXT)}\n— {author}")
    return [text_block("\n".join(lines))] if len(lines) > 1 else []


def themes_section(part: ResolutionsPart, share: int, *, compared: bool = True) -> list[Block]:
    """What customers complained about, then the words that came back, as far as `share` goes.

    `compared`: False when last week ended before Latitude started (no "last week" to set against)."""

    def themes(items: Sequence[Theme]) -> str:
        return ", ".join(f"{escaped(t.name, THEME_TEXT)} {t.count}{_versus(t.last_week, compared)}" for t in items)

    lines = ["*What customers complained about:* " + themes(part.category_themes)] if part.count else []
    if part.word_themes:
        lines.append("*Words that came back:* " + themes(part.word_themes))
    while lines and not _fits(lines, share):
        lines.pop()
    return [text_block("\n".join(lines))] if lines else []


def _fits(lines: Sequence[str], share: int) -> bool:
    return len("\n".join(lines)) <= share


def customers_section(digest: Digest) -> list[Block]:
    part = digest.resolutions
    customers = (
        f"*Customers:* {part.happy} of {part.count} fixes ({part.happy_share}%) left the customer happy"
        + (f"; {part.count - part.outcome_known} without a recorded outcome" if part.count > part.outcome_known else "")
        if part.count
        else "*Customers:* no fixes to read yet"
    )
    return [text_block(customers)]


def footer(digest: Digest, to_its_manager: bool = True) -> Block:
    settings = digest.settings
    if not to_its_manager:
        return context_block(
            f"Sent to {who(digest.manager)} on {settings.weekday_name}s at {settings.hour:02d}:00 "
            "their time. Type `/digest team:NAME` any day to see a team's week so far."
        )
    if digest.last:
        return context_block("It comes again once someone reports to you.")
    return context_block(
        f"Sent {settings.weekday_name}s at {settings.hour:02d}:00 your time. "
        "Type `/digest` any day to see this week so far."
    )


def _versus(last_week: int, compared: bool) -> str:
    """(last week N), or nothing against a last week that ended before Latitude started."""
    return f" (last week {last_week})" if compared else ""


def dry_run_text(digest: Digest, names: Mapping[str, str]) -> str:
    """The digest as `python -m bot digest send --dry-run` prints it: people by the directory's `names` (by Slack
    id), else by the name Slack sent when a summary mentioned them (the blocks show a bare mention)."""
    summaries = [story.summary for story in digest.resolutions.stories] + [item.summary for item in digest.waiting]
    return as_text(digest_blocks(digest), {**labels_in(summaries), **names})


def as_text(blocks: Sequence[Block], names: Mapping[str, str] | None = None) -> str:
    """What a reader sees, without buttons, dates by their fallback and people by name (`names`: the directory's,
    by Slack id; else the name Slack sent with a mention, else their id): for `python -m bot digest send
    --dry-run`."""
    lines: list[str] = []
    for block in blocks:
        if block["type"] in ("header", "section"):
            lines.append(block["text"]["text"])
        elif block["type"] == "context":
            lines += [element["text"] for element in block["elements"]]
        elif block["type"] == "actions":
            lines.append("[Approve] [Decline]")
    return html.unescape(as_slack_shows(dates_as_fallback("\n".join(lines)), names or {}))
