"""The readers of a labelled customer reference that stored fixes before 0059, frozen from the history of
services/resolutions (typed.py, then named_references.py), each as it read the reference it returned. A refusal of
theirs logged nothing, so none is copied: a stored row was one they did not refuse.

- `read_two_characters` (the first release, 23 Nov, until 3 Dec 21:58, a6946cf9): a label, maybe `#`, and two characters
  or more with a digit, up to the first other mark: `order 12,345` was `order 12`, `order 3-4 days late`
  `order 3-4`, `order 12٣٤` `order 12٣`; one digit named no customer, and the next label was read instead (`the
  order 3 days late, order 1234` was `order 1234`).
- `read_first_part` (4 Dec, ef56a91d, until 5 Dec, 9b9b084a): the label's letters, digits and hyphens up to the first
  other mark: `order 1,234` was customer `order 1`, `order 3-4 days late` `order 3-4`, `booking 2 nights` `booking 2`.
- `read_first_part_spans` (5 Dec, 4fdf14b0, until 6 Dec, 4274fb63): the same, but one or two unmarked digits before
  a span of time named no customer (`booking 2 nights`); `order 1,234` and `order 3-4 days late` as before.
- `read_across_marks` (6 Dec, 4274fb63, as it stood before 7 Dec, 9371dd40): read across a mark between digits, and
  every part after it: `order 1234,5 items missing` was `order 1234,5` (customer `12345`), `order 3-4 days late`
  still `order 3-4`.
- `read_lower_label` (7 Dec, 46de2fc5, until e1dbb2a8): today's reader as of 7 Dec (`as_of_7_dec`: no question about
  a slash before a count) but for the label, lower-cased as typed
  (`İNVOİCE 12` stored `i̇nvoi̇ce 12`, with combining dots).

Not copied: a6946cf9's reader (3 to 4 Dec: one character or more, `ORDER-1234` stored `order -1234`), whose
misreadings `read_first_part` gives back too, and whose `order -1234` keys as `1234` anyway.
"""

import re
import unicodedata

from models.migrations.frozen.customer_keys_0059 import as_key_reads, usable_reference, without_ignorable
from models.migrations.frozen.reference_words_0059 import Asked, spans_time
from models.migrations.frozen.references_0059 import read_customer

_LABELS = "order|ticket|case|booking|account|invoice"
_LABEL_MARKS = r"(?::|\s*(?:no\.?|nr\.?|num\.?|number)(?![a-z]))?"
_MENTION = re.compile(r"<@[UW][A-Z0-9]+(?:\|[^<>]*)?>|<#[CG][A-Z0-9]+(?:\|[^<>]*)?>")
_WORD_APART = "\u2063"
_TWO_CHARACTERS = re.compile(rf"\b({_LABELS})\s*#?\s*([A-Za-z0-9][A-Za-z0-9-]*\d[A-Za-z0-9-]*)", re.IGNORECASE)
_FIRST_PART = re.compile(
    rf"\b({_LABELS}){_LABEL_MARKS}[\s#-]*((?=[A-Za-z0-9-]*\d)[A-Za-z0-9][A-Za-z0-9-]*)", re.IGNORECASE
)
_FIRST_PART_HASH = re.compile(r"(?<![\w<&])#((?=[A-Za-z0-9-]*\d)[A-Za-z0-9][A-Za-z0-9-]{2,})")
_PARTS = r"(?:[,./_'’·\u066b\u066c\u2010\u2012–—\u2212]\d[A-Za-z0-9-]*)*"
_BODY = (
    rf"(?:(?=[A-Za-z0-9-]*\d)[A-Za-z0-9][A-Za-z0-9-]*{_PARTS}"
    rf"|(?=[A-Za-z]{{2}})[A-Za-z][A-Za-z-]*+[/_]\d{{3,}}[A-Za-z0-9-]*{_PARTS})"
)
_ACROSS_MARKS = re.compile(rf"\b({_LABELS}){_LABEL_MARKS}[\s#-]*+({_BODY})", re.IGNORECASE)
_ACROSS_MARKS_HASH = re.compile(rf"(?<![\w<&])#({_BODY})")
_LEAD = re.compile(r"[A-Za-z0-9-]*")
_BLANKS = str.maketrans({"\u2800": " "})


def _without_mentions(summary: str) -> str:
    """What happened as these readers were given it: a person or channel named is a word none of them takes."""
    return _MENTION.sub(f" {_WORD_APART} ", summary)


def read_two_characters(summary: str) -> str | None:
    """Read in the line as typed, its spaces as one, and the characters shown as nothing too (`_first_part`)."""
    named = _TWO_CHARACTERS.search(" ".join(summary.split()))
    return usable_reference(f"{named.group(1).lower()} {named.group(2)}") if named else None


def _first_part(summary: str, *, spans: bool) -> str | None:
    """The characters shown as nothing were still read, and ended the reference (`order 12` for `order 12\u200d34`);
    migration 0054 took them out of the references stored (`usable_reference`)."""
    text = unicodedata.normalize("NFKC", _without_mentions(summary))
    named = _FIRST_PART.search(text)
    if named is None:
        bare = _FIRST_PART_HASH.search(text)
        return f"#{bare.group(1)}" if bare else None
    number, after = named.group(2), text[named.end() :]
    if spans and text[named.end(1) : named.start(2)].isspace() and spans_time(number, after):
        return None
    return f"{named.group(1).lower()} {number}"


def read_first_part(summary: str) -> str | None:
    return usable_reference(_first_part(summary, spans=False))


def read_first_part_spans(summary: str) -> str | None:
    return usable_reference(_first_part(summary, spans=True))


def _as_read(text: str) -> str:
    normal = unicodedata.normalize("NFKC", text)
    if normal.isascii():
        return normal
    kept = (c if c.isspace() or c == _WORD_APART else as_key_reads(c) for c in normal.translate(_BLANKS))
    return "".join(kept)


def read_across_marks(summary: str) -> str | None:
    text = _as_read(_without_mentions(without_ignorable(summary)))
    named = _ACROSS_MARKS.search(text)
    if named is None:
        bare = next((found for found in _ACROSS_MARKS_HASH.finditer(text) if _enough(found.group(1))), None)
        return usable_reference(f"#{bare.group(1)}") if bare else None
    number = named.group(2)
    lead = _LEAD.match(number).group()  # type: ignore[union-attr]  # `*` always matches
    if text[named.end(1) : named.start(2)].isspace() and spans_time(lead, text[named.start(2) + len(lead) :]):
        return None
    return usable_reference(f"{named.group(1).lower()} {number}")


def _enough(number: str) -> bool:
    return sum(character.isalnum() or character == "-" for character in number) >= 3


def read_lower_label(summary: str) -> str | None:
    """None where it asked, and logged nothing: no stored customer is its reading then."""
    try:
        return read_customer(summary, as_of_7_dec=True)
    except Asked:
        return None


OLDER_READERS = (read_two_characters, read_first_part, read_first_part_spans, read_across_marks, read_lower_label)
"""Oldest first."""
