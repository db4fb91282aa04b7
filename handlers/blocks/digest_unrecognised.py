"""`/digest recognition`: everyone in the team nobody has recognised in 30 days, the list the digest cuts short."""

from typing import Any

from handlers.blocks.digest_waiting import who
from handlers.blocks.kit import MESSAGE_BLOCKS, text_block
from handlers.blocks.packing import packed_sections
from services.digest.weekly import Digest

ALL_OF_THEM = "`/digest recognition` lists them"
"""Where the digest's "and N more" of the people nobody recognised sends its manager."""


NARROWER = (
    "name one team for a shorter list, `/digest recognition team:NAME`, or its leader, `/digest recognition @name`"
)
"""Where the people a message cannot hold are, for HR and admins: a team lower in the reporting line lists fewer."""


def unrecognised_blocks(digest: Digest, *, to_its_manager: bool = True, narrower: bool = False) -> dict[str, Any]:
    """The message: a head line, then every name, packed into as few sections as Slack's limits allow; when they
    do not all fit, the head line says how many it shows, and the last line how many more (and, when the reader
    may name a team lower down, `narrower`, where they are)."""
    part = digest.recognition
    people = part.unrecognised if part is not None else ()
    team = "your team" if to_its_manager else f"{who(digest.manager)}'s team"
    if not people:
        head = f"*Recognition:* everyone in {team} has been recognised lately (30 days). 🎉"
        return {"text": head, "blocks": [text_block(head)]}
    since = digest.recognised_since
    when = f"since {since:%a %d %b}, when Latitude's record of this team starts" if since else "in 30 days"
    nudge = "a word from you would count" if to_its_manager else f"a word from {who(digest.manager)} would count"
    names = [f"• {who(person)}" for person in people]
    listed = packed_sections(names, MESSAGE_BLOCKS - 1, where=NARROWER if narrower else "")
    shown = sum(block["text"]["text"].count("\n") + 1 for block in listed if block["type"] == "section")
    showing = f" (showing the first {shown} by name)" if shown < len(people) else ""
    count = f"these {len(people)} people" if len(people) > 1 else "this person"
    head = f"*Nobody has recognised {count} in {team} {when}*{showing} — {nudge}:"
    return {"text": head, "blocks": [text_block(head), *listed]}
