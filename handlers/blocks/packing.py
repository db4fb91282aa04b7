"""Lines gathered into sections and messages within Slack's limits: what does not fit is counted, not lost."""

from collections.abc import Sequence

from handlers.blocks.kit import MESSAGE_TEXT, SECTION_TEXT, Block, and_more, context_block, text_block
from services.text import truncate_mrkdwn


def packed_sections(
    lines: Sequence[str],
    room: int,
    *,
    gap: str = "\n",
    where: str = "",
    budget: int = MESSAGE_TEXT,
    line_of: Sequence[int] = (),
) -> list[Block]:
    """Lines gathered into as few sections as Slack's 3,000 characters allow, at most `room` blocks and about
    `budget` characters in all.

    When they need more, the last block says how many lines were left out (and `where` they are), so a long
    list is cut where the reader sees it rather than where Slack or the next builder would. `line_of`: for parts
    of longer lines, the line each part is of, so that the lines left out are counted, not their parts.
    """
    fitting = within_budget([truncate_mrkdwn(line, SECTION_TEXT) for line in lines], budget - CUT_LINE, gap)
    packs = _packs(fitting, gap)
    if len(packs) <= room and len(fitting) == len(lines):
        return [text_block(_joined(pack, gap)) for pack in packs]
    kept = [text_block(_joined(pack, gap)) for pack in packs[: room - 1]]
    left_out = range(sum(len(pack) for pack in packs[: room - 1]), len(lines))
    hidden = len({line_of[at] if line_of else at for at in left_out if lines[at].strip()})
    return [*kept, context_block(and_more(hidden, where))] if hidden else kept


CUT_LINE = 200
"""Room kept for the line saying what was left out."""


def lines_within(lines: list[str], budget: int, where: str = "") -> list[str]:
    """The first lines that fit `budget` (with a line break between them), and when some do not, a last line saying
    how many were left out (and `where` they are)."""
    shown = within_budget(lines, budget - CUT_LINE, "\n")
    return shown if len(shown) == len(lines) else [*shown, and_more(len(lines) - len(shown), where)]


def within_budget(lines: list[str], budget: int, gap: str = "") -> list[str]:
    """The first lines whose text (with the gaps between them) fits `budget`."""
    used = 0
    for count, line in enumerate(lines):
        used += len(line) + (len(gap) if count else 0)
        if used > budget:
            return lines[:count]
    return lines


def _packs(lines: list[str], gap: str) -> list[list[str]]:
    """A blank line that does not fit ends the section before it (`_joined` drops it) rather than starting one:
    Slack refuses a section with no text."""
    packs: list[list[str]] = []
    size = 0
    for line in lines:
        if packs and size + len(gap) + len(line) <= SECTION_TEXT:
            packs[-1].append(line)
            size += len(gap) + len(line)
        elif packs and not line.strip():
            packs[-1].append(line)
            size = SECTION_TEXT + 1
        else:
            packs.append([line])
            size = len(line)
    return packs


def _joined(pack: list[str], gap: str) -> str:
    while len(pack) > 1 and not pack[-1].strip():
        pack = pack[:-1]
    return gap.join(pack)
