"""Where a reference named in a one-line `/resolve` ends, when a mark right after its digits could be its own or the
sentence's: a count after a comma or a slash (`order 1234,5 items`, `order 1234/5 items`), a time of day (`order
19:30`), a range of days (`order 3-4 days`), a sign between two digits (`order 12〿34`). The form keys every one of
them as one number (`45:12` is `4512`), so a reading the one-liner cannot be sure of is asked about rather than filed
under another customer; a time of day, or a range of days, names none, as the one-liner has always read them."""

import re

from services.errors import InvalidInput
from services.resolutions.reference_parts import counts, spans_time
from services.text import escape_mrkdwn

LETTERS = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0386\u0388-\u03ff\u0400-\u0481\u048a-\u04ff\u1e00-\u1eff"
"""The letters a reference is read with: Latin with its accents (`É-12`), Greek and Cyrillic (`А1234`), the
alphabets whose words a space ends. Not those of scripts written without spaces: `order 1234已退款` is order 1234."""
_DASHES = "\\-\u2010\u2011\u2012\u2013\u2014\u2212"
_RANGE = re.compile(rf"(\d{{1,2}})(?:[{_DASHES}/]|\s+(?:to|or)\s+)(\d{{1,2}})(?![\d{_DASHES}/])", re.IGNORECASE)
"""`3-4`, `3–4`, `24/48`, `3 to 4`, `2 or 3`: a range, which a span of time after it makes no reference (`3-4 days
late`, `24/48 hours late`), when it goes up (`_goes_up`). A dash with spaces around it is the sentence's pause: `ticket
45 - 2 days no reply` is ticket 45. A date goes on (`12/05/2024`)."""
_CLOCK_SHAPE = re.compile(r"\d{1,2}:[0-5]\d(?!\d)")
_CLOCK = re.compile(r"(?:[01]?\d|2[0-3]):[0-5]\d(?!\d)")
"""A time of day, `19:30`, `8:15`, `00:00`: after a label it is when something happened (`booking 19:30 cold
food`, `order 12:30-14:00 slot missed`), as the one-liner has always read it, not a customer."""
_AM_PM = re.compile(r"\s*(?:[ap]\.?m\b|o'clock\b|h\b|hrs?\b|hours?\b|mins?\b|minutes?\b)", re.IGNORECASE)
"""`45:30 hours`, `1:30 minutes`: a word of the clock after it makes a time of any hour a span."""
_LEAD = re.compile(rf"[{LETTERS}0-9-]*")
"""The reference's first letters and digits: `3` in `order 3.5 days`, which a span of time may follow."""
_LAST_PART = re.compile(r"([,.\u2014])(\d+)$")
"""A comma, a point or an em dash before the reference's last digits, which may be a pause of the sentence:
`order 1234—2 items missing` (an en dash is a range's or a part's, `order 12–34`)."""
_PAUSES = {",": "comma", "\u2014": "em dash"}
"""Marks people type as a pause of the sentence, so another number and a word after them (`order 1234,5 late`, `order
1234—5 late`) are asked about. A point stays: between digits it is a code's part as often as a version's or a
decimal's (`order 1234.5 late` is order `1234.5`)."""
_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+|\d{1,3}(?:\.\d{3})+")
"""`1,234`, `12,345,678`, `1.234`: groups of three digits after one to three, a number written with thousands. Three
digits after a longer one are not (`1234,150 minutes`: order 1234, not customer `1234150`)."""
_JOINED_COUNT = re.compile(
    rf"((?:[0-9-]*[{LETTERS}](?:[{LETTERS}0-9-]*[{LETTERS}-])?)?)(\d+)([-\u2010\u2012\u2013\u2212/])(\d{{1,3}})"
)
"""`5521-3`, `45-2`, `1234/5`, `AB12/5`, `INV-2024-3`: a hyphen, an en dash or a slash between digits before a
reference's last one to three digits, which may count something (`order 5521-3 boxes missing`, `ticket 45-2 days no
reply`, `order AB12/5 items missing`) or be its own part (`order 5521-3 arrived`, `order AB12/5 arrived`): the form
keys it `55213` or `ab125` either way. Letters first are the reference's (`AB12`), a first group with no letter is
not (`12-34-5` reads as digits do); letters alone before the mark are a code's part (`order AB-3 days late`)."""
_YEAR = re.compile(r"(?:19|20)\d\d")
"""`2024` in `invoice 2024/123`: a year, which a reference's serial follows."""
_ENDING = " \t\n.,;!?()[]{}<>\"'“”‘’«»„‚+&"
"""What may follow a reference's last digit and end it: a space, a mark of the sentence, a bracket or a quote. Any
other sign before a digit (`12〿34`, `12|34`, `45:12`) leaves the one-liner unsure where the reference ends."""


def names_no_customer(number_and_after: str) -> bool:
    """A label's one or two digits before a span of time (`order 3 days late`, `order 3-4 days late`, `order 24/48
    hours late`, `order 3 to 4 days late`), or a time of day (`booking 19:30 cold food`, `order 10:30 am`). What
    cannot be a time of day (`order 45:12 late`) is asked about by `reference_before` instead, unless a word of the
    clock follows (`45:12 hours`)."""
    ranged = _RANGE.match(number_and_after)
    if ranged and _goes_up(ranged[1], ranged[2]) and spans_time(ranged[2], number_and_after[ranged.end() :]):
        return True
    if _CLOCK.match(number_and_after):
        return True
    if clock := _CLOCK_SHAPE.match(number_and_after):
        return bool(_AM_PM.match(number_and_after, clock.end()))
    lead = _LEAD.match(number_and_after).group()  # type: ignore[union-attr]  # `*` always matches
    return spans_time(lead, number_and_after[len(lead) :])


def reference_before(number: str, after: str, *, written: str) -> str:
    """The reference read, without a last part after a comma, a point or an em dash that counts something or spans
    time (`order 1234,5 items`, `order 1234,150 minutes`: order 1234, not 12345); a number written with thousands
    stays whole (`order 1,234 items`). A comma or an em dash before another number followed by a word (`order 1234,5
    late`, `order 1234—5 late`: `_PAUSES`), or a sign before a digit (`order 12〿34`, `order 45:12 late`), is asked
    about, not a time of day typed onto it (`#12:30 delivery`), nor a count after a dash or a slash (`order 5521-3
    boxes missing`, `order 1234/5 items missing`: `_refuse_joined_count`). `written` is what comes
    before it (`order `, `#`)."""
    _refuse_joined_count(number, after, written=written)
    part = _LAST_PART.search(number)
    if part and not _THOUSANDS.fullmatch(number) and after[:1].isspace():
        short = number[: part.start()]
        if counts(part[2], after) or spans_time(part[2], after):
            return short
        if part[1] in _PAUSES and after.split()[:1] and after.split()[0][:1].isalpha():
            _ask(short, number, apart=f"{written}{short}, {part[2]} …", mark=_PAUSES[part[1]])
    if after[:1] not in _ENDING and after[1:2].isdigit():
        long = number + after[0] + _LEAD.match(after, 1).group()  # type: ignore[union-attr]  # `*` always matches
        if not _CLOCK.fullmatch(long):
            _ask(number, long)
    return number


def _refuse_joined_count(number: str, after: str, *, written: str) -> None:
    """`order 5521-3 boxes missing` was customer `55213`, and `order 1234/5 items missing` customer `12345`, without a
    word: a hyphen or a slash may join a reference's parts as well as end it before a count, so either reading could
    file the fix under another customer, and it is asked about, with letters first too (`order AB12/5 items missing`,
    `order A5521-3 boxes missing`). Unless it reads whole (`_reads_whole`, `_code_reads_whole`)."""
    joined = _JOINED_COUNT.fullmatch(number)
    if not joined or not after[:1].isspace():
        return
    letters, digits, mark, last = joined.groups()
    if _code_reads_whole(digits, mark, last) if letters else _reads_whole(digits, mark, last):
        return
    if counts(last, after) or spans_time(last, after):
        first = letters + digits
        _ask(first, number, apart=f"{written}{first}, {last} …", mark="slash" if mark == "/" else "dash")


def _reads_whole(first: str, mark: str, last: str) -> bool:
    """Groups as references and dates are written, which a count after them does not cut: three digits after fewer
    than four (`123-456`, `12/150`), a range going up after a dash (`order 2-3 days late`: `_goes_up`), a day and a
    month after a slash (`order 12/5 items missing`), a year and a serial after a slash or three digits after a dash
    (`invoice 2024/123`, `invoice 2024-123`, as `2024/0012` is). A year and one or two digits after a dash stay asked
    about, as they were before a slash was (`order 2024-3 boxes missing`)."""
    if _code_reads_whole(first, mark, last):
        return True
    return _like_a_date(first, last) if mark == "/" else _goes_up(first, last)


def _code_reads_whole(digits: str, mark: str, last: str) -> bool:
    """After letters, the parts of a code as `_reads_whole` keeps them (`SKU-12-345`, `INV-2024/123`, `INV-2024-123`),
    though never a date or a range: `order AB12/5 items missing` and `order AB2-3 days late` are asked about."""
    return (len(last) == 3 and len(digits) < 4) or bool(_YEAR.fullmatch(digits) and (mark == "/" or len(last) == 3))


def _like_a_date(first: str, last: str) -> bool:
    """`12/5`, `5/12`, `31/12`: a day and a month, either way round."""
    if len(first) > 2 or len(last) > 2:
        return False
    day, month = int(first), int(last)
    return (1 <= day <= 31 and 1 <= month <= 12) or (1 <= day <= 12 and 1 <= month <= 31)


def _goes_up(first: str, last: str) -> bool:
    """`2-3`, `24-48`: one or two digits to a greater number, a range of days or hours. Going down (`45-2 days no
    reply`, `48-24 hours`) they are a reference and a count after it, or one reference: the form keys `452`."""
    return len(first) <= 2 and int(first) < int(last)


def _ask(short: str, long: str, *, apart: str | None = None, mark: str = "") -> None:
    """Both readings, and how to write either: the number after a comma, a dash or a slash apart from it."""
    spaced = f", or `{escape_mrkdwn(apart)}` if the number after the {mark} is not part of it" if apart else ""
    raise InvalidInput(
        f"Is the customer reference `{escape_mrkdwn(short)}` or `{escape_mrkdwn(long)}`? Write the one you mean "
        f"after `ref:`, like `ref:{escape_mrkdwn(long)}` or `ref:{escape_mrkdwn(short)}`{spaced}. Nothing was logged.",
        field="customer_ref",
    )
