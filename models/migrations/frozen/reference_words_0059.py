"""Whether the words after a customer reference are more of it or a count, a span of time or a currency, as
services/resolutions/reference_parts.py reads them at 0059 (with services/currency_marks.py's words for a currency
written out: a single word after a number, as `counts` reads one)."""

import re
import unicodedata


class Asked(Exception):
    """Today's reader would ask which reference was meant and log nothing: a stored row it reads so is left alone."""


_ENDS = r"(?![^\s.,;:!?)])"
DIGIT_GROUPS = re.compile(rf"(?:\s+\d+{_ENDS})+")
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
_YEAR_WORDS = frozenset({"model", "models", "edition", "season", "version", "collection", "range"})


_CURRENCY_WORD_LIST = (
    "baht birr boliviano bolivianos buck cedi cent denar dinar dirham dollar euro forint franc hryvna hryvni "
    "hryvnia hryvnias hryvnya korun koruna koruny krona krone kroner kronor kwacha leu leva lira lire manat naira "
    "pence pennies penny peso pound quetzal quetzales quid rand reais renminbi rial ringgit riyal rouble ruble "
    "rupee rupiah shekalim shekel sheqel shilling sterling taka tenge yen yuan zlote zloty zlotych złote złoty "
    "złotych ウォン ドル ポンド ユーロ 人民元 加元 日元 欧元 港元 澳元 米ドル 美元 英镑"
)
_CURRENCY_WORDS = frozenset(_CURRENCY_WORD_LIST.split())
_CURRENCY_MARK_LIST = (
    "$ $us a$ au$ c$ ca$ can$ hk$ kr mx$ nt$ nz$ r$ rs s$ us$ ¢ £ ¥ ฿ ₩ ₪ ₫ € €uro €uros ₱ ₹ ₺ ₽ 元 円 "
    "usd eur gbp cad aud nzd chf jpy sek nok dkk inr brl mxn zar cny rmb hkd twd krw sgd isk pln czk huf ils aed "
    "thb"
)
_CURRENCY_MARKS = frozenset(_CURRENCY_MARK_LIST.split())


def _is_currency(word: str) -> bool:
    """A word in small letters that names a currency: a mark (`$`, `usd`, `kr`), a sign, or a word (`euros`)."""
    read = unicodedata.normalize("NFKC", word.strip())
    if read in _CURRENCY_MARKS or read.removesuffix(".") in ("rs", "kr"):
        return True
    if len(read) == 1 and unicodedata.category(read) == "Sc" and read != "¤" and ord(read) < 0x10000:
        return True
    return read in _CURRENCY_WORDS or read.removesuffix("s") in _CURRENCY_WORDS


def refuse_spaced_reference(reference: str, after: str, parts: re.Pattern[str] = DIGIT_GROUPS) -> None:
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
    raise Asked(whole)


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
    if word in _UNITS or _is_currency(word):
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
