"""The customer reference a one-line `/resolve` names by a label (`order 1234`) or a bare `#4471`, as
services/resolutions/named_references.py reads it at 0059, from what happened as stored (`read_customer`), with the
questions added by 0059's review (models/migrations/frozen/reference_ends_0059.py); or, `as_of_7_dec`, as the reader of
7 Dec read it."""

import re
import unicodedata

from models.migrations.frozen.customer_keys_0059 import as_key_reads, usable_reference, without_ignorable
from models.migrations.frozen.reference_ends_0059 import LETTERS, names_no_customer, reference_before
from models.migrations.frozen.reference_words_0059 import refuse_spaced_reference

REFERENCE_LABELS = ("order", "ticket", "case", "booking", "account", "invoice")
_ALNUM = rf"[{LETTERS}0-9]"
_ALNUM_DASH = rf"[{LETTERS}0-9-]"
_LETTER = rf"[{LETTERS}]"
_LETTER_DASH = rf"[{LETTERS}-]"
_PARTS = rf"(?:[,./_'’·\u066b\u066c\u2010\u2012–—\u2212]\d{_ALNUM_DASH}*)*"
"""Marks between a number's parts: a comma, a point, a slash, Arabic's decimal and thousands separators, the
hyphens, dashes and minus sign (NFKC leaves U+2010, U+2012 and U+2212 as they are)."""
_BODY = (
    rf"(?:(?={_ALNUM_DASH}*\d){_ALNUM}{_ALNUM_DASH}*{_PARTS}"  # `1234`, `A-12`, `1,234`, `12/34`, `2024/0012`
    rf"|(?={_LETTER}{{2}}){_LETTER}{_LETTER_DASH}*+[/_]\d{{3,}}{_ALNUM_DASH}*{_PARTS})"  # `INV/2024/0012`, `ORD_12345`
)
"""Letters (`LETTERS`: `É-12`, `А1234` with a Cyrillic `А`, which the form keys as `é12` and `a1234`), digits and
hyphens, a digit among them, and a mark between two parts when a digit follows it; or a
code of letters, a slash or underscore and three digits or more. A mark before anything else ends it
(`1234/returned`, `1234(2 items)`, `1234...late`), and a word, a mark and a digit is no reference (`order w/2 items`,
`ticket pt.2`, `room/2 nights`): `the order. 2 days` names none."""
_NAMED_REF = re.compile(  # `order 42`, `Order #42`, `order: 42`, `order no. 42`, `ORDER-42` (not `the order. 2 days`)
    rf"\b({'|'.join(REFERENCE_LABELS)})(?::|\s*(?:no\.?|nr\.?|num\.?|number)(?![a-z]))?[\s#-]*+({_BODY})",
    re.IGNORECASE,
)
_HASH_REF = re.compile(rf"(?<![\w<&])#({_BODY})")
"""`#4471` when nothing is labelled; at least three letters, digits or hyphens, so `#1 priority` is no customer."""


def named_reference(text: str, *, as_of_7_dec: bool = False) -> str | None:
    """The first labelled reference (`order 42`), else a bare `#4471`; digits and signs typed full-width
    (`order １２３４`, `＃４４７１`), or digits of another script (`order ١٢٣٤`), are read as their plain
    forms (`as_read`). A mark between its parts is kept when a digit follows it: `order 1,234`, `order 12/34` and `order
    12–34` are `order 1234` to the limits (`customer_key`). A label before a span of time (`booking 2 nights cancelled`,
    `the order 3 days late`, `ticket 30 minutes wait`) names no customer, nor does any later one: read as `booking 2`,
    every such fix was one customer to the 30-day limit and the history, and a later label may as well be a word of the
    sentence; so does one before a range of them (`order 3-4 days late`) or a time of day (`booking 19:30 cold
    food`). Marked (`order #2`, `order no. 2`, `order: 2`), the number is the label's. Where a mark after its digits
    leaves the end in doubt, `reference_before` reads it or asks (`order 1234,5 items` is order 1234; `order 45:12
    late` is asked about).
    The characters nobody sees are expected gone (`without_ignorable`). `as_of_7_dec`: as the reader of 7 Dec, with
    its label lower-cased as typed (`İNVOİCE 12` was `i̇nvoi̇ce 12`)."""
    text = as_read(text)
    named = _NAMED_REF.search(text)
    if named is None:
        return _hash_reference(text, as_of_7_dec=as_of_7_dec)
    spaced = text[named.end(1) : named.start(2)].isspace()
    if spaced and names_no_customer(text[named.start(2) :], as_of_7_dec=as_of_7_dec):
        return None
    label, after = named.group(1), text[named.end() :]
    number = reference_before(named.group(2), after, written=f"{label} ", as_of_7_dec=as_of_7_dec)
    refuse_spaced_reference(number, after)
    return f"{label.lower() if as_of_7_dec else _plain_label(label)} {number}"


_TURKISH_I = str.maketrans({"\u0130": "i", "\u0131": "i"})


def _plain_label(word: str) -> str:
    """A label as stored: in lower-case ASCII. Read without case, a label also matches Turkish `İ` and `ı`
    (`İNVOİCE 12`), which `.lower()` alone would keep, storing and showing `i̇nvoi̇ce 12` with stray dots; the other
    letters that match an ASCII one (`ſ`, the Kelvin sign) are made plain by `as_read` before."""
    return word.translate(_TURKISH_I).lower()


WORD_APART = "\u2063"
"""What stands for a person or a channel named in the line (`typed`): a word no reader of references takes, which
`as_read` keeps."""
_BLANKS = str.maketrans({"\u2800": " "})
"""Signs drawn as nothing, which no `\\s` matches: Braille's blank pattern typed between digits is a space."""


def as_read(text: str) -> str:
    """The text as the reference is read from it: in its NFKC form, its digits of any script as 0-9 (`order
    ١٢٣٤`), without the marks and the control, private-use or unassigned characters that `customer_key` drops: a
    mark left on a digit (`order 12\u030134`) or a private-use sign in the number ended it, so `order 12` was
    another customer to every limit than the form's `12\u030134`, which is `1234`. Spaces are kept, as is
    `WORD_APART`."""
    normal = unicodedata.normalize("NFKC", text)
    return normal if normal.isascii() else "".join(_read(character) for character in normal.translate(_BLANKS))


def _read(character: str) -> str:
    return character if character.isspace() or character == WORD_APART else as_key_reads(character)


_SHORT_HASH_GROUPS = re.compile(r"(?:\s+\d{2,}(?![^\s.,;:!?)]))+")
"""`34` in `#12 34`: a group of two digits or more after a short hash's two digits or more, which the form reads as
`1234`. One digit on either side is the sentence's (`replacement #2 14 May failed`, `#12 3 items`)."""
_DATE = re.compile(
    r"\s+(?:[12]?\d|3[01])\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b", re.IGNORECASE
)
"""`14 May`, `20 Dec`, `3 January`: a day and a month, the sentence's date, never a reference's next part."""


def _hash_reference(text: str, *, as_of_7_dec: bool) -> str | None:
    """A bare `#4471`; followed by a spaced group (`#1234 56`, the form's `123456`), it is asked about, as is a short
    one of two digits or more followed by one (`#12 34`, the form's `1234`); a date after a short one is the sentence's
    (`attempt #2 12 Jan`, `#12 14 May`)."""
    for bare in _HASH_REF.finditer(text):
        after = text[bare.end() :]
        number = reference_before(bare.group(1), after, written="#", as_of_7_dec=as_of_7_dec)
        if _enough(number):
            refuse_spaced_reference(number, after)
            return f"#{number}"
        if number.isdigit() and len(number) >= 2 and not _DATE.match(after) and not _numbers_a_thing(text, bare):
            refuse_spaced_reference(number, after, _SHORT_HASH_GROUPS)
    return None


def _numbers_a_thing(text: str, bare: re.Match[str]) -> bool:
    """`#12` after a word other than a reference's label (`item #12 20 left`, `seat #14 22 row`): that thing's number,
    the sentence's, as a date after it is."""
    before = text[: bare.start()].split()
    return bool(before) and before[-1].isalpha() and _plain_label(before[-1]) not in REFERENCE_LABELS


def _enough(number: str) -> bool:
    """At least three letters, digits or hyphens: `#1 priority`, `#1.` name no customer."""
    return sum(character.isalnum() or character == "-" for character in number) >= 3


_SLACK_MENTION = re.compile(r"<@[UW][A-Z0-9]+(?:\|[^<>]*)?>|<#[CG][A-Z0-9]+(?:\|[^<>]*)?>")
"""A person or a channel picked from Slack's list (services/text.py's `SLACK_MENTION`)."""


def read_customer(summary: str, *, as_of_7_dec: bool = False) -> str | None:
    """The reference a one-liner whose `ref:`, outcome and amount were read out of it names, as stored: a person or a
    channel named is a word no reader takes, and the characters shown as nothing are dropped first
    (services/resolutions/typed.py's `to_request`, then `usable_reference`). Raises `Asked` where it would ask."""
    typed = _SLACK_MENTION.sub(f" {WORD_APART} ", without_ignorable(summary))
    return usable_reference(named_reference(typed, as_of_7_dec=as_of_7_dec))
