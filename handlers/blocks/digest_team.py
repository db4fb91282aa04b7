"""The digest's parts about the team beyond its fixes: recognition, pulse and suggestions, each within a share.

Each part always shows its head line (the figures); `share` is what its list may add, in characters of text.
Lists end with "and N more" when the share runs out.
"""

from collections.abc import Sequence
from datetime import date

from handlers.blocks.digest_unrecognised import ALL_OF_THEM
from handlers.blocks.digest_waiting import who
from handlers.blocks.kit import Block, escaped, one_line, text_block
from handlers.blocks.suggestions import day_of
from services.digest.pulse import NO_TEAM_THEN
from services.digest.weekly import PulsePart, RecognitionPart
from services.pulse.anonymity import HIDDEN_REASON
from services.pulse.targets import gap_to_target, reaches_target, score_words
from services.suggestions.digest import SuggestionsPart
from services.suggestions.lifecycle import STATUS_WORDS
from services.text import escape_mrkdwn

MAX_LINES = 10
QUESTION_TEXT = 150
SUGGESTION_TEXT = 100
TREND_POINTS = 6


def bullets(
    lines: Sequence[str], share: int, *, limit: int = MAX_LINES, total: int | None = None, where: str = ""
) -> list[str]:
    """At most `limit` lines, as many as `share` characters hold; the rest (of `total`, when the lines are the
    first few of more) summed up as "and N more" (and `where` they are, when somewhere shows them).

    The lines shown add at most `share` characters (`used`) to the "and N more" that would stand alone, so a
    part's head line and that ending are all it takes when its share is 0.
    """
    shown: list[str] = []
    for line in lines[:limit]:
        if used(shown) + len(line) + 3 > share:
            break
        shown.append(f"• {line}")
    hidden = (len(lines) if total is None else total) - len(shown)
    return [*shown, f"and {hidden} more{': ' + where if where else ''}"] if hidden > 0 else shown


def used(lines: Sequence[str]) -> int:
    """The characters bulleted lines take in a section, each with its line break."""
    return sum(len(line) + 1 for line in lines if line.startswith("• "))


def recognition_section(
    part: RecognitionPart | None, manager: str | None, share: int, *, since: date | None = None
) -> list[Block]:
    """`manager`: the team's manager as mrkdwn when someone else (HR, an admin) reads it; the nudge then names
    them. `since`: the day Latitude started, when within the 30 days the nudge looks back (it saw only those)."""
    if part is None:
        return []
    lines = [f"*Recognition:* {part.received} received by the team, {part.given} given by it"]
    if part.rewards_received or part.rewards_given:
        lines[0] += (
            f" (rewards among them: {part.rewards_received} received, {part.rewards_given} given; the rest shout-outs)"
        )
    if part.unrecognised:
        lines.append(_nudge(manager, since))
        where = ALL_OF_THEM if manager is None else ""
        lines += bullets([who(person) for person in part.unrecognised], share, where=where)
    return [text_block("\n".join(lines))]


def _nudge(manager: str | None, since: date | None = None) -> str:
    when = f"since {since:%a %d %b}, when Latitude's record of this team starts" if since else "in 30 days"
    if manager is None:
        return f"Nobody has recognised these people {when} — a word from you would count:"
    return f"Nobody has recognised these people in {manager}'s team {when} — a word from {manager} would count:"


def pulse_section(part: PulsePart | None, share: int, manager: str | None = None) -> list[Block]:
    """The team's pulse, once: how many scores reach their target, each score, the trend; or why not shown.

    `manager`: the team's manager as mrkdwn when someone else (HR, an admin) reads it; the reason then names them.
    """
    if part is None:
        return [text_block("*Team pulse:* no round has closed yet")]
    head = f"*Team pulse, {escape_mrkdwn(part.round_label)}:*"
    if part.hidden is not None:
        return [text_block(f"{head} {_why_hidden(part, manager)}.")]
    targets = [(score, target) for _, score, target in part.scores if target is not None]
    if targets:
        reached = sum(reaches_target(score, target) for score, target in targets)
        head += f" {reached} of {len(targets)} scores at or above target"
    lines = [head] if part.scores else [f"{head} no question had enough answers to show."]
    lines += bullets([_score_line(question, score, target) for question, score, target in part.scores], share)
    if len(part.trend) > 1:
        trend = " → ".join(
            f"{escape_mrkdwn(label)} {score_words(score)}" for label, score in part.trend[-TREND_POINTS:]
        )
        lines.append(f"Trend (mean of the 1–5 questions): {trend}")
    return [text_block("\n".join(lines))]


def _why_hidden(part: PulsePart, manager: str | None) -> str:
    """In words that give away no count."""
    if part.hidden == NO_TEAM_THEN:
        who_then = "you" if manager is None else manager
        return f"not shown: {who_then} had no team of {'your' if manager is None else 'their'} own when it closed"
    team = "your team" if manager is None else f"{manager}'s team"
    return (
        f"{HIDDEN_REASON}: too few of {team} answered, or their figures next to other teams' "
        f"would narrow answers down to fewer than {part.threshold} people"
    )


def _score_line(question: str, score: float, target: float | None) -> str:
    gap = f" (target {target:.1f}, gap {gap_to_target(score, target):+.1f})" if target is not None else ""
    return f"{escaped(question, QUESTION_TEXT)} — {score_words(score)}{gap}"


def suggestions_section(
    part: SuggestionsPart | None, share: int, *, tz: str | None, waiting_on: str | None = None
) -> list[Block]:
    """Suggestions waiting on the manager (oldest first) and "you said, we did" this week: the waiting ones
    first in the share.

    `tz`: the manager's time zone, for the days items have waited since.

    `waiting_on`: the manager as mrkdwn, for HR or an admin previewing their team (None: the manager reads it).
    """
    if part is None:
        return []
    lines = []
    waiting = [
        f"#{item.number} {STATUS_WORDS[item.status]}, since {day_of(item.at, tz)} · {item.backers} backing: "
        f"{one_line(item.what, SUGGESTION_TEXT)}"
        for item in part.waiting
    ]
    if part.waiting_count:
        whom = "you" if waiting_on is None else waiting_on
        lines.append(f"*Suggestions waiting on {whom}:* {part.waiting_count} (oldest first)")
        lines += bullets(waiting, share, total=part.waiting_count)
        share -= used(lines)
    if part.done:
        done = [one_line(item.change or item.what, SUGGESTION_TEXT) for item in part.done]
        lines.append("*You said, we did this week:*")
        lines += bullets(done, max(0, share), limit=5)
    return [text_block("\n".join(lines))]
