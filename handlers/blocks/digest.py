"""Block Kit for the weekly digest, within Slack's limits, and its plain-text rendering for `--dry-run`."""

import html
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal

from handlers.blocks.kit import (
    Block,
    and_more,
    context_block,
    dates_as_fallback,
    local_time,
    name_of,
    plain,
    plural,
    quote,
    text_block,
)
from handlers.blocks.resolutions import HOME_WAITING, decision_buttons
from handlers.blocks.suggestions import suggestions_section
from services.digest.resolutions import ResolutionsPart, Theme
from services.digest.weekly import Digest, Person, PulsePart, RecognitionPart, Waiting
from services.money import format_money
from services.text import as_slack_shows, escape_mrkdwn, labels_in, truncate

MESSAGE_BLOCKS = 50
SECTION_CHARS = 3000
MAX_WAITING = 10
MAX_LINES = 10

DIGEST_DECIDE_PREFIX = "digest_decide_"


def digest_blocks(digest: Digest, *, to_its_manager: bool = True) -> list[Block]:
    """The whole digest: a fixed head, the sections, then as many waiting requests as the 50 blocks allow.

    `to_its_manager=False`: HR or an admin previewing another manager's team, who is told what waits on
    that manager, without the manager's decision buttons.
    """
    someone_else = None if to_its_manager else name_of(digest.manager)
    team = f"{someone_else}'s team" if someone_else else "your team"
    head = [*heading(digest), *resolutions_section(digest, team), *customers_section(digest)]
    tail = [
        *recognition_section(digest.recognition, someone_else),
        *pulse_section(digest.pulse),
        *suggestions_section(digest.suggestions, tz=digest.manager.tz, waiting_on=someone_else),
        footer(digest, to_its_manager),
    ]
    room = MESSAGE_BLOCKS - len(head) - len(tail)
    waiting = waiting_section(digest, room) if to_its_manager else waiting_on_someone_else(digest, room)
    return [*head, *waiting, *tail]


def digest_text(digest: Digest, *, to_its_manager: bool = True) -> str:
    """The fallback text of the message (notifications, screen readers)."""
    part = digest.resolutions
    if not to_its_manager:
        name = name_of(digest.manager)
        return f"{name}'s team's week: {part.count} customer fixes, {len(digest.waiting)} waiting on {name}"
    return f"Your team's week: {part.count} customer fixes, {len(digest.waiting)} waiting on you"


def heading(digest: Digest) -> list[Block]:
    week = digest.week
    when = f"{week.first_day:%a %d %b} – {week.last_day:%a %d %b}"
    title = "This week so far" if week.so_far else "Your team's week"
    return [
        {"type": "header", "text": plain(truncate(f"{title}: {when}", 150))},
        context_block(
            f"{name_of(digest.manager)}'s team: {plural(digest.team_size, 'person', 'people')}, "
            "direct and indirect · "
            f"{week.label}, Monday to Sunday in {escape_mrkdwn(digest.manager.tz or 'UTC')}"
        ),
    ]


def resolutions_section(digest: Digest, team: str) -> list[Block]:
    """`team`: whose team the reader reads about, as mrkdwn ("your team", or "Maya's team" in HR's preview)."""
    part, money = digest.resolutions, _money(digest.currency)
    if not part.count:
        return [text_block(f"*Customer fixes:* none logged ({_versus(part.last_week)}).")]
    lines = [
        f"*Customer fixes:* {part.count} ({_versus(part.last_week)}), {money(part.value)} given",
        f"{part.within_share}% handled on the spot within boundaries, {part.escalated} went to a manager",
        *bullets(
            [
                f"{escape_mrkdwn(line.category)}: {line.count} · {money(line.value)} ({_versus(line.last_week)})"
                for line in part.categories
            ]
        ),
    ]
    return [text_block("\n".join(lines)), *stories_section(part, money, team), *themes_section(part)]


def stories_section(part: ResolutionsPart, money: Callable[[Decimal], str], team: str) -> list[Block]:
    if not part.stories:
        return []
    lines = [f"*Happy customers, in {team}'s words:*"]
    for story in part.stories:
        amount = f" {money(story.amount)}" if story.amount else ""
        lines.append(f"{quote(story.summary, 600)}\n— {who(story.employee)}, {escape_mrkdwn(story.category)}{amount}")
    return [text_block("\n".join(lines))]


def themes_section(part: ResolutionsPart) -> list[Block]:
    def themes(items: Sequence[Theme]) -> str:
        return ", ".join(f"{escape_mrkdwn(t.name)} {t.count} (last week {t.last_week})" for t in items)

    lines = ["*What customers complained about:* " + themes(part.category_themes)]
    if part.word_themes:
        lines.append("*Words that came back:* " + themes(part.word_themes))
    return [text_block("\n".join(lines))]


def customers_section(digest: Digest) -> list[Block]:
    part = digest.resolutions
    customers = (
        f"*Customers:* {part.happy} of {part.count} fixes ({part.happy_share}%) left the customer happy"
        + (f"; {part.count - part.outcome_known} without a recorded outcome" if part.count > part.outcome_known else "")
        if part.count
        else "*Customers:* no fixes to read yet"
    )
    return [text_block(customers)]


def waiting_section(digest: Digest, room: int) -> list[Block]:
    """Oldest first, two blocks each, ending with "and N more" when the list or the room runs out."""
    waiting = digest.waiting
    if not waiting:
        return [text_block("*Waiting on you:* nothing. 🎉")]
    shown = list(waiting[: max(0, min(MAX_WAITING, (room - 2) // 2))])
    blocks = [text_block(f"*Waiting on you ({len(waiting)}), oldest first:*")]
    for item in shown:
        blocks += [
            text_block(_waiting_line(item, digest)),
            decision_buttons(item.resolution_id, block_id_prefix=DIGEST_DECIDE_PREFIX),
        ]
    if len(waiting) > len(shown):
        home = f"your App Home shows the oldest {HOME_WAITING}; decide those and the next ones appear there."
        blocks.append(context_block(and_more(len(waiting) - len(shown), home)))
    return blocks


def waiting_on_someone_else(digest: Digest, room: int) -> list[Block]:
    """What waits on the team's manager, as HR or an admin previewing the team sees it: one block each."""
    name = name_of(digest.manager)
    if not digest.waiting:
        return [text_block(f"*Waiting on {name}:* nothing.")]
    shown = list(digest.waiting[: max(0, min(MAX_WAITING, room - 2))])
    lines = [text_block(f"*Waiting on {name} ({len(digest.waiting)}), oldest first:*")]
    lines += [text_block(_waiting_line(item, digest)) for item in shown]
    if len(digest.waiting) > len(shown):
        lines.append(context_block(f"and {len(digest.waiting) - len(shown)} more."))
    return lines


def _waiting_line(item: Waiting, digest: Digest) -> str:
    amount = f" of {format_money(item.amount, item.currency or digest.currency)}" if item.amount else ""
    since = local_time(item.created_at, "{date_short_pretty} at {time}", "%a %d %b %H:%M")
    return (
        f"*{who(item.employee)}* — {escape_mrkdwn(item.category)}{amount}, "
        f"waiting since {since}\n{quote(item.summary, 500)}"
    )


def who(person: Person | None) -> str:
    """Someone in the digest as mrkdwn, as Slack shows them (`name_of`): a newcomer by mention, not by the handle
    they were added under."""
    return name_of(person) if person is not None else "someone"


def recognition_section(part: RecognitionPart | None, manager: str | None) -> list[Block]:
    """`manager`: the team's manager as mrkdwn when someone else (HR, an admin) reads it; the nudge then names
    them."""
    if part is None:
        return []
    lines = [f"*Recognition:* {part.received} received by the team, {part.given} given by it"]
    if part.rewards_received or part.rewards_given:
        lines[0] += (
            f" (rewards among them: {part.rewards_received} received, {part.rewards_given} given; the rest shout-outs)"
        )
    if part.unrecognised:
        lines.append(_nudge(manager))
        lines += bullets([name_of(person) for person in part.unrecognised])
    return [text_block("\n".join(lines))]


def _nudge(manager: str | None) -> str:
    if manager is None:
        return "Nobody has recognised these people in 30 days — a word from you would count:"
    return f"Nobody has recognised these people in {manager}'s team in 30 days — a word from {manager} would count:"


def pulse_section(part: PulsePart | None) -> list[Block]:
    """The team's pulse, once: how many scores reach their target, each score, the trend; or why not shown."""
    if part is None:
        return [text_block("*Team pulse:* no round has closed yet")]
    head = f"*Team pulse, {escape_mrkdwn(part.round_label)}:*"
    if part.hidden is not None:
        return [text_block(f"{head} {escape_mrkdwn(part.hidden)}.")]
    targets = [(score, target) for _, score, target in part.scores if target is not None]
    if targets:
        head += f" {sum(score >= target for score, target in targets)} of {len(targets)} scores at or above target"
    lines = [head] if part.scores else [f"{head} no question had enough answers to show."]
    lines += bullets([_score_line(question, score, target) for question, score, target in part.scores])
    if len(part.trend) > 1:
        trend = " → ".join(f"{escape_mrkdwn(label)} {score:.1f}" for label, score in part.trend)
        lines.append(f"Trend (mean of the 1–5 questions): {trend}")
    return [text_block("\n".join(lines))]


def _score_line(question: str, score: float, target: float | None) -> str:
    gap = f" (target {target:.1f}, gap {score - target:+.1f})" if target is not None else ""
    return f"{escape_mrkdwn(question)} — {score:.1f}{gap}"


def footer(digest: Digest, to_its_manager: bool = True) -> Block:
    settings = digest.settings
    if not to_its_manager:
        return context_block(
            f"Sent to {name_of(digest.manager)} on {settings.weekday_name}s at {settings.hour:02d}:00 "
            "their time. Type `/digest team:NAME` any day to see a team's week so far."
        )
    return context_block(
        f"Sent {settings.weekday_name}s at {settings.hour:02d}:00 your time. "
        "Type `/digest` any day to see this week so far."
    )


def bullets(lines: Sequence[str], *, limit: int = MAX_LINES, budget: int = 2000) -> list[str]:
    """At most `limit` lines within `budget` characters; the rest summed up as "and N more"."""
    shown: list[str] = []
    used = 0
    for line in lines[:limit]:
        if used + len(line) + 3 > budget:
            break
        shown.append(f"• {line}")
        used += len(line) + 3
    if len(lines) > len(shown):
        shown.append(f"and {len(lines) - len(shown)} more")
    return shown


def _versus(last_week: int) -> str:
    return f"last week {last_week}"


def _money(currency: str) -> Callable[[Decimal], str]:
    return lambda amount: format_money(amount, currency)


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
