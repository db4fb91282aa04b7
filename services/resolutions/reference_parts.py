"""Whether the words right after a customer reference are more of it (`ref:ABC 123`, pasted with its spaces) or the
start of what happened (`ref:ABC 12 vouchers given`), and the question asked when either could be meant."""

import re

from services.emoji import codes_ending
from services.errors import InvalidInput
from services.money import is_currency_mark, is_currency_word
from services.text import escape_mrkdwn

_ENDS = r"(?![^\s.,;:!?)])"
"""A group ends at a space or at a mark of the sentence: `12` in `12, late`, not in `12B` or `1st`."""
DIGIT_GROUPS = re.compile(rf"(?:\s+\d+{_ENDS})+")
"""`123` in `ref:ABC 123 late`, `7946 0018` in `ref:020 7946 0018`, `2 34` in `order 1 2 34`: digits right after a
reference, apart. One digit alone is the sentence's (`order 1234 5 May`, `ref:Q77 2 of 3 missing`, `1 cup broken`),
though in `ref:ABC 1 late` it may have been the reference's (`_asked`)."""
_ACRONYM_WORDS = (
    "OK VIP ASAP FYI ETA TBC TBD DOA NB PS BTW AM PM TV PC IT HR CEO ID PIN SIM SMS QR USB HDMI LCD LED OLED HD UHD "
    "SSD GPS AC DC UK US EU PDF URL API XS XL XXL 4K 5G 4G 3G 3D MP3 MP4 PS4 PS5 A4 A3"
)
_ACRONYMS = frozenset(_ACRONYM_WORDS.split())
"""Capitals of everyday words, never a reference's next part: `ref:12345 VIP customer`, `ref:4471 PS5 broken`."""
_OTHER_PART = r"(?!(?:{}){})".format("|".join(sorted(_ACRONYMS, key=len, reverse=True)), _ENDS)
PART_GROUPS = re.compile(
    rf"(?:\s+{_OTHER_PART}(?:\d{{2,}}|\d(?!\s+[A-Z])|(?=[A-Z]*\d)[A-Z0-9]{{2,}}|[A-Z]{{2,}}){_ENDS})+"
)
"""After `ref:` also a group of capitals, with or without digits: `DEF` in `ref:ABC DEF late`, `12B`, `X7`, though not
a common one (`_ACRONYMS`); one digit before capitals is the sentence's (`ref:ABC123 2 DAYS LATE`, `ref:4471 1 TB
drive`). After `order 1234` capitals are more often the sentence's (`order 1234 VIP customer`), so
only digits are asked about. After a reference in small letters, a short word in small letters is the sentence's
as any other (`ref:smith cc manager`, `ref:müller ist sauer`)."""
_NUMBER_GOES_ON = re.compile(r"(?:[.,]\d{1,2}|:[0-5]\d)(?!\d|[.,:]\d)")
"""`12.50`, `10:30`: the last group begins an amount or a time of day (not `2024.0012`, a reference's next part)."""
_YEAR = re.compile(r"(?:19|20)\d\d")
_UNIT_WORDS = (
    "s sec secs second seconds min mins minute minutes h hr hrs hour hours day days night nights wk wks week weeks "
    "mo month months yr yrs year years am pm a.m p.m o'clock x times items pcs pieces units packs boxes kg g lb lbs "
    "oz l ml km mi % percent pct pc eggs bags parcels packages bottles cans orders calls tickets emails attempts "
    "visits deliveries replacements customers guests people seats meals plates pizzas cupcakes shirts tires tyres "
    "cartons cases rolls licenses licences devices phones accounts users"
)
_UNITS = frozenset(_UNIT_WORDS.split())
"""Words that make any number before them a quantity: `30 minutes`, `10 am`, `123 customers`, `15 %`."""
_NOT_COUNTED_WORDS = (
    "is was has does goes gets needs wants keeps looks seems says shows arrives remains stays works fails crashes "
    "stops starts comes takes makes lacks misses requires asks claims expects includes contains belongs refers "
    "applies owes pays uses sends ships opens closes runs turns gives tries lets puts sits leaves loses hangs "
    "freezes wins happens appears disappears becomes matters costs lasts waits rings beeps flashes blinks overheats "
    "refuses this thus plus minus yes its his hers ours yours theirs always sometimes perhaps afterwards "
    "besides towards nowadays unless across regardless whereas"
)
_NOT_COUNTED = frozenset(_NOT_COUNTED_WORDS.split())
"""Words ending in `s` that count nothing: a verb the reference does (`AB 12 needs a callback`, `56 arrives`), or a
word of the sentence (`12 sometimes late`). After such a word the digits may as well be the reference's."""
_LINKING_WORDS = "of in on at to by for from with into and or but the a an than as per via"
_LINKING = frozenset(_LINKING_WORDS.split())


def is_linking(word: str) -> bool:
    """`of`, `for`, `per`: a word that joins what is before it to what follows, never itself a thing counted."""
    return word.lower() in _LINKING


_YEAR_WORDS = frozenset({"model", "models", "edition", "season", "version", "collection", "range"})
"""A year before one of these (`2024 model`) dates a product; before any other word it may be a reference's."""


_SENTENCE_MARKS = ".,;:!?…)”’\"'»“"
_POSSESSIVE = ("'s", "’s")


def without_the_sentences_end(typed: str) -> tuple[str, bool]:
    """`ABC123,`, `ABC123.`, `ABC123:tada:`, `(ref:ABC123)`, `“ref:ABC123”`, `ref:ABC123’s`: the reference without
    the mark of the sentence, the quote, the possessive or the emoji typed onto it, and whether one ended it (the words
    after it are then the sentence's, never its next part). Kept, `ABC123:tada:` was another customer to every limit
    than `ABC123`."""
    marks = _SENTENCE_MARKS.replace(")", "") if "(" in typed else _SENTENCE_MARKS
    reference = _without_marks(typed, marks)
    if reference.endswith(_POSSESSIVE):
        reference = _without_marks(reference[:-2], marks)
    reference = reference or typed
    return reference, reference != typed


def _without_marks(typed: str, marks: str) -> str:
    """`typed` without the marks and emoji codes at its end, taken off from the end in one pass."""
    end = len(typed)
    while end:
        if (start := codes_ending(typed, end)) < end:
            end = start
        elif typed[end - 1] in marks:
            end -= 1
        else:
            break
    return typed[:end]


def refuse_spaced_reference(reference: str, after: str, *, written: str, parts: re.Pattern[str] = DIGIT_GROUPS) -> None:
    """A reference followed by a group of digits (`ref:ABC 123`, `order 020 7946 0018`, pasted with its spaces) is
    asked about, not read as `ABC` and a summary starting `123`: that would be another customer to every limit and
    to the customer's history. Quotes or a word in between say which was meant. A last group that counts something
    (`order 1234 30 minutes late`, `ref:Q77 12 scratches on screen`: `counts`) is the summary's, not the
    reference's."""
    run = parts.match(after)
    if run is None:
        return
    rest = _asked(run.group().split(), after[run.end() :])
    if not rest:
        return
    whole = " ".join([reference, *rest])
    raise InvalidInput(
        f"Is the customer reference `{escape_mrkdwn(reference)}` or `{escape_mrkdwn(whole)}`? Write it without "
        f'spaces, `ref:{escape_mrkdwn("".join([reference, *rest]))}`, or in quotes, `ref:"{escape_mrkdwn(whole)}"`. '
        f"If `{escape_mrkdwn(rest[0])}` is not part of it, put a word before it: "
        f"`{escape_mrkdwn(written)} for {escape_mrkdwn(rest[0])} …`. Nothing was logged.",
        field="customer_ref",
    )


def _asked(groups: list[str], after: str) -> list[str]:
    """The groups that may be the reference's: not a last one that counts something (`counts`), nor one digit left
    alone (`order 1234 5 May`). A digit between others is asked about: `order 1 2 34` read as `order 1` was another
    customer to every limit than the form's `1 2 34`, which is `1234`."""
    rest = groups[:-1] if counts(groups[-1], after) else groups
    return [] if len(rest) == 1 and len(rest[0]) == 1 and rest[0].isdigit() else rest


def counts(number: str, after: str) -> bool:
    """The number reads as a quantity, a time or a year by what follows it: a unit (`30 minutes`, `10 am`, `12 pcs`),
    a currency (`20 dollars`), its decimals or minutes (`12.50`, `10:30`), for a year a product's word
    (`2024 model`), or, below 100, things counted (`12 scratches`, `12 broken cups`: `_counted_by`). A number
    starting with 0 counts nothing; after any other word (`56 arrived`, `123 vouchers`, `12 needs`) the digits are as
    likely the reference's, so they are asked about."""
    if number.startswith("0") or not number.isdigit():
        return False
    if _NUMBER_GOES_ON.match(after):
        return True
    following = after.split()[:2]
    if not following or following[0][0] in ".,;:!?)":
        return False
    word = _plain(following[0])
    if word in _UNITS or is_currency_word(word) or is_currency_mark(word):
        return True
    if bool(_YEAR.fullmatch(number)) and word in _YEAR_WORDS:
        return True
    return len(number) <= 2 and _counted_by(word, [_plain(next_word) for next_word in following[1:]])


_TIME_WORD_LIST = (
    "sec secs second seconds min mins minute minutes h hr hrs hour hours day days night nights wk wks week weeks "
    "mo month months yr yrs year years am pm a.m p.m o'clock"
)
_TIME_WORDS = frozenset(_TIME_WORD_LIST.split())
"""Words of a span or a time of day: after a label, a handful before them is no reference (`booking 2 nights`)."""


def spans_time(number: str, after: str) -> bool:
    """A number of two digits or fewer that is a span or a time of day by what follows it: `2 nights`, `3 days`,
    `30 minutes`, `3 business days`, `10 am`, `10:30` (or an amount, `12.50`). Any other word, even a plural (`42
    items missing`), leaves it a label's reference."""
    if len(number) > 2 or not number.isdigit():
        return False
    if _NUMBER_GOES_ON.match(after):
        return True
    following = [_plain(word) for word in after.split()[:2]]
    if following and following[0] in _TIME_WORDS:
        return True
    describing = len(following) == 2 and following[0].isalpha() and following[0] not in _NOT_COUNTED | _LINKING
    return describing and following[1] in _TIME_WORDS


def _plain(word: str) -> str:
    return word.lower().rstrip(".,;:!?)")


def _counted_by(word: str, then: list[str]) -> bool:
    """`scratches`, or a word describing them first (`broken cups`, `late deliveries`): a plural, which no verb the
    reference does (`needs`, `arrives`: `_NOT_COUNTED`) nor a word like `less` is."""
    if _plural(word):
        return True
    describing = word.isalpha() and word not in _NOT_COUNTED and word not in _LINKING
    return describing and bool(then) and (then[0] in _UNITS or _plural(then[0]))


def _plural(word: str) -> bool:
    ends_like_one = word.endswith("s") and not word.endswith(("ss", "us", "is"))
    return len(word) >= 3 and word.isalpha() and ends_like_one and word not in _NOT_COUNTED
