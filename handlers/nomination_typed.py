"""A one-line /nominate: the people named first, then why (a reward's key first, if any); a thanks typed before them,
as many say it (`thanks @lee for…`), is left out: never the reason, which is asked for when nothing follows."""

import re
from dataclasses import dataclass

from services.sentence_words import is_sentence_mark
from services.text import echoed

_LEADING_MENTION = re.compile(
    r"\s*<@([UW][A-Z0-9]+)(?:\|[^>]*)?>(?:\s*(?:,\s*(?:and\b)?|&|\+|\band\b)(?=\s*<@))?", re.IGNORECASE
)
_THANKS_FIRST = re.compile(
    r"\s*(?P<thanks>thanks|thank\s+you|thx|kudos|shout[\s-]?out)(?:\s+to)?\s*[,!:]?\s*(?=<@|@\w)", re.IGNORECASE
)
"""`Thanks @lee for…`, `Kudos to @lee`, `Shout-out to @lee:`: the way many say it, with the people after the thanks
(or a user group or `@here`, typed where people go, to be told apart: `_NOT_A_PERSON`)."""

_NOT_A_PERSON = re.compile(r"@\w")
"""`@support-team`, `@here`, `@ines` typed by hand: what a user group or a broadcast reads as once it arrives
(`handlers.middleware.as_typed`), or a name Slack did not turn into a person; among the people named, never a
reason's first word."""


@dataclass(frozen=True)
class OneLiner:
    nominees: tuple[str, ...]
    rest: str


def parse_one_liner(text: str) -> OneLiner | str:
    """Leading mentions (`@lee @ines`, `@lee, @ines`, `@lee and @ines`), maybe after a thanks, then the rest; a
    problem sentence when nobody is named."""
    thanks = _THANKS_FIRST.match(text)
    nominees, position = [], thanks.end() if thanks else 0
    while mention := _LEADING_MENTION.match(text, position):
        nominees.append(mention.group(1))
        position = mention.end()
    words = text[position:].split()
    first = words[0] if words else ""
    if _NOT_A_PERSON.match(first):
        return (
            f"`{echoed(first, 30)}` is not a person picked from Slack's list (a user group, `@here` or a name "
            "typed by hand): name each colleague, picking them from the list, like `/nominate @lee @ines why...`."
        )
    if not nominees:
        return (
            "Start with the people you recognise, picked from Slack's list, like `/nominate @lee why...` "
            f"(got `{echoed(first, 30)}`)."
        )
    # `@lee, great job`, `@lee. Great job`, `@lee ! Great job`: the mark is the sentence's, never the first word of
    # the reason, which the channel would show starting with it
    rest = text[position:].strip()
    if words[:1] and is_sentence_mark(words[0]):
        rest = rest[len(words[0]) :]
    return OneLiner(tuple(nominees), lines_kept(rest))


def lines_kept(text: str) -> str:
    """The reason as typed over one or more lines (Shift+Enter), each line's spaces closed up, as the form keeps
    its lines: the channel post, the DMs and the export show them as the form's."""
    return "\n".join(" ".join(line.split()) for line in text.strip().splitlines())
