"""Mrkdwn too long for one section, in several: a section holds 3,000 characters, and `kit.text_block` would cut
the rest off. The text is cut at its line breaks, and a line longer than a section where the cut splits no entity,
mention, link or character; what still does not fit the blocks or the text a message holds is counted, in words."""

from handlers.blocks.kit import MESSAGE_BLOCKS, MESSAGE_TEXT, SECTION_TEXT, Block
from handlers.blocks.packing import packed_sections
from services.text import mrkdwn_cut_point

QUOTED = "> "


def sections(text: str, room: int = MESSAGE_BLOCKS, *, where: str = "", budget: int = MESSAGE_TEXT) -> list[Block]:
    """`text` in as few sections as hold it whole, at most `room` blocks and about `budget` characters; past them,
    the last block says how many lines were left out (and `where` they are) rather than losing them unsaid."""
    numbered = [(at, part) for at, line in enumerate(text.split("\n")) for part in line_parts(line)]
    parts = [part for _, part in numbered]
    return packed_sections(parts, room, where=where, budget=budget, line_of=[at for at, _ in numbered])


def line_parts(line: str, limit: int = SECTION_TEXT) -> list[str]:
    """A line in parts of at most `limit` characters, each cut where mrkdwn reads it whole (`mrkdwn_cut_point`);
    the parts of a quoted line are each quoted, as the line was."""
    mark = QUOTED if line.startswith(QUOTED) else ""
    parts = []
    while len(line) > limit:
        end = mrkdwn_cut_point(line, limit)
        end = end if end > len(mark) else limit  # nothing whole fits: a cut is better than a line lost
        parts.append(line[:end])
        line = mark + line[end:]
    return [*parts, line]
