"""`/digest recognition`: everyone in the team nobody has recognised in 30 days, the list the digest cuts short."""

from typing import Any

from handlers.blocks.digest_waiting import who
from handlers.blocks.kit import MESSAGE_BLOCKS, packed_sections, text_block
from services.digest.weekly import Digest
from services.text import plural

ALL_OF_THEM = "`/digest recognition` lists them"
"""Where the digest's "and N more" of the people nobody recognised sends its manager."""


def unrecognised_blocks(digest: Digest) -> dict[str, Any]:
    """The message: a head line, then every name, packed into as few sections as Slack's limits allow."""
    part = digest.recognition
    people = part.unrecognised if part is not None else ()
    if not people:
        head = "*Recognition:* everyone in your team has been recognised lately (30 days). 🎉"
        return {"text": head, "blocks": [text_block(head)]}
    since = digest.recognised_since
    when = f"since {since:%a %d %b}, when Latitude's record of this team starts" if since else "in 30 days"
    head = (
        f"*Nobody has recognised these {plural(len(people), 'person', 'people')} in your team {when}* "
        "— a word from you would count:"
    )
    names = [f"• {who(person)}" for person in people]
    return {"text": head, "blocks": [text_block(head), *packed_sections(names, MESSAGE_BLOCKS - 1)]}
