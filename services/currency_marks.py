"""Which currency a mark typed beside an amount names: `$45`, `US$45`, `45 $US`, `45 €uro`, `USD 45`, `45 kr`,
`45 euros`, `45ドル`, `45円`. Marks are read after NFKC, so the full-width `＄`, `ＵＳＤ`, `￥`, `￡` and the half-width
`ﾄﾞﾙ` are the marks they look like: unread, `20 ＵＳＤ` on a yen policy was logged as ¥20."""

import re
import unicodedata
from collections.abc import Iterable, Sequence

from services.currency_words import ALSO_NAMES, CENT_WORDS, CENTS, CURRENCIES_OF_WORD, DOLLARS

CURRENCIES = ("USD", "EUR", "GBP", "CAD", "AUD", "NZD", "CHF", "JPY", "SEK", "NOK", "DKK", "INR", "BRL", "MXN", "ZAR")
"""What a policy's `currency` may be."""
_OTHER_CODES = ("CNY", "RMB", "HKD", "TWD", "KRW", "SGD", "ISK", "PLN", "CZK", "HUF", "ILS", "AED", "THB")
"""Codes of currencies no policy is in, read in any case (`20 CNY`, `20 cny`): none of them is an English word."""
_CODES_IN_CAPITALS = (
    *("RUB", "KWD", "BHD", "OMR", "JOD", "QAR", "SAR", "IDR", "MYR", "PKR", "LKR", "BDT", "VND", "NGN", "KES", "EGP"),
    *("TND", "ARS", "CLP", "UAH", "BGN", "KZT"),
)
"""Codes read only in capitals (`20 RUB`, `20 KWD`): `rub` is an English word, and the rest are less often typed than
an acronym of three letters may be. Codes that are English words or acronyms (`ALL`, `TOP`, `CUP`, `TRY`, `PEN`, `COP`,
`MAD`, `BOB`…) are left unread, in any case: `refund 20 TOP customer` is no currency."""
_KRONOR = ("SEK", "NOK", "DKK", "ISK")
_CURRENCIES_OF_SIGN = {
    "$": DOLLARS,
    **dict.fromkeys(("US$", "$US"), ("USD",)),
    **dict.fromkeys(("CA$", "C$", "CAN$"), ("CAD",)),
    **dict.fromkeys(("A$", "AU$"), ("AUD",)),
    "NZ$": ("NZD",),
    "MX$": ("MXN",),
    "R$": ("BRL",),
    "HK$": ("HKD",),
    "S$": ("SGD",),
    "NT$": ("TWD",),
    **dict.fromkeys(("€", "€URO", "€UROS"), ("EUR",)),
    "£": ("GBP",),
    **dict.fromkeys(("¥", "円"), ("JPY",)),
    "元": ("CNY", "HKD", "TWD"),
    "₹": ("INR",),
    "RS": ("INR", "PKR", "LKR", "NPR"),
    "KR": _KRONOR,
    "¢": CENTS,
    **{"₩": ("KRW",), "₽": ("RUB",), "₺": ("TRY",), "₪": ("ILS",), "₱": ("PHP",), "฿": ("THB",), "₫": ("VND",)},
}
"""A mark that may be more than one currency (`$`, `kr`, `元`) is read as the policy's when it is one of them, and
refused otherwise: `$45` is 45 of a CAD policy, never of a JPY one."""
_OTHER_SIGNS = "".join(
    sign for sign in map(chr, range(0x10000)) if unicodedata.category(sign) == "Sc" and sign not in "¢¤"
)
"""Every other currency sign (`₴`, `₦`): another currency than any policy's, though which one is not said."""
_Tree = dict[str, "_Tree"]


def _either(marks: Iterable[str]) -> str:
    """Any of the marks, the longest first; a space in one is any run of spaces (`US  dollars`). Written as a tree of
    their characters: the hundreds of currency words, tried one after another at each character of a long text, made
    reading it several times slower."""
    tree: _Tree = {}
    for mark in marks:
        node = tree
        for char in mark:
            node = node.setdefault(char, {})
        node[""] = {}
    return _branches(tree)


def _branches(tree: _Tree) -> str:
    """The characters that may follow, each with what may follow it; ending here is tried last (the longest first)."""
    options = [(r"\s+" if char == " " else re.escape(char)) + _branches(tree[char]) for char in sorted(tree) if char]
    either = options[0] if len(options) == 1 else f"(?:{'|'.join(options)})" if options else ""
    return f"(?:{either})?" if "" in tree and options else either


_SIGNS = f"{_either(_CURRENCIES_OF_SIGN)}|[{re.escape(_OTHER_SIGNS)}]"
_CODES = f"{_either(CURRENCIES + _OTHER_CODES)}|(?-i:{_either(_CODES_IN_CAPITALS)})"
_MARK = rf"(?P<mark>{_SIGNS}|{_CODES})(?![a-z])"
_LEADING_MARK = re.compile(rf"^{_MARK}(?:(?<=rs|kr)\.)?\s*", re.IGNORECASE)
"""A mark before the amount, with the full stop of an abbreviation written so (`Rs.500`, `kr.45`): read as a decimal
point, `Rs.500` was 0.50. A code's is a point (`USD.50` is 0.50)."""
_IN = r"(?:\(?in(?:\s*\(|\s+)|\()?"
"""`20 in USD`, `20 (USD)`, `20 (in USD)`, `20 in (USD)`: a mark after the amount, said so. The bracket closing it
is optional, as the sentence's marks after an amount are taken off with it (`20 (USD),`)."""
_AFTER = r"(?<!\s)\s*(?<![a-z])"
"""Where a mark after the amount starts: where no space is before it. Searched, a leading `\\s*` was tried again at
each space of a long run of them, and `20` then thousands of spaces took seconds to read."""
_TRAILING_MARK = re.compile(rf"{_AFTER}{_IN}{_MARK}\)?\Z", re.IGNORECASE)
_TRAILING_WORD = re.compile(rf"{_AFTER}{_IN}(?P<mark>(?:{_either(CURRENCIES_OF_WORD)})s?)\)?\Z", re.IGNORECASE)
_SENTENCE_MARKS = ".,;:!?)…"
_CENT_LETTERS = {"c": CENTS, "p": ("GBP",)}
_ATTACHED_CENTS = re.compile(r"(?<=\d)(?P<mark>[cp])\Z")
"""`20c`, `50p`: cents and pence as a letter right after the digits, in small letters only (`20C` may be degrees),
read as `20 cents` and `50 pence` are rather than refused as not understood."""


def is_currency_mark(word: str) -> bool:
    """`$`, `CA$`, `€`, `USD`, `sek`, `ＵＳＤ`: a word that only says which currency the amount beside it is in."""
    return bool(_LEADING_MARK.fullmatch(_read(word))) if word.strip() else False


def is_currency_word(word: str) -> bool:
    """`euros`, `dollars`, `yen`, `ドル`: a word after an amount that says which currency it is in."""
    return bool(_TRAILING_WORD.fullmatch(_read(word)))


def words_of_mark(amount: str, words: Sequence[str]) -> int:
    """How many of the words after an amount say which currency it is in (`45 USD`, `45 euros,`, `45 US dollars`,
    `45 in USD`, `45 (USD)`, `$45 EUR`): none when they name none, or when a name is also a currency the amount's own
    mark is not (in `$20 Rand said thanks`, Rand is someone). Any other currency than the own mark's is taken, to be
    refused: left in the summary, `¥20000 USD` was logged as ¥20,000."""
    own = split_mark(amount)[1]
    for count in range(min(len(words), 5), 0, -1):  # `in West African CFA francs`
        typed = _read(" ".join(words[:count])).rstrip(_SENTENCE_MARKS)
        found = _TRAILING_WORD.fullmatch(typed) or _TRAILING_MARK.fullmatch(typed)
        if found:
            mark = found.group("mark")
            named = own is not None and not narrows(mark, own) and names_someone(mark, words[count - 1], words[count:])
            return 0 if named else count
    return 0


def words_before_currency(words: Sequence[str]) -> tuple[int, int] | None:
    """`Trinidad dollars`, `extra euros`, `Falkland Islands pounds`: one or two words, then a currency's word, right
    after the amount: how many words are before the currency's, and how many it takes. None when a word before it
    ends the sentence or holds a digit, or the currency's word is a name (`20 Lee Rand`)."""
    for before in (1, 2):
        if len(words) <= before or not all(_PLAIN_WORD.fullmatch(word) for word in words[:before]):
            return None
        for count in range(min(len(words) - before, 4), 0, -1):
            typed = _read(" ".join(words[before : before + count])).rstrip(_SENTENCE_MARKS)
            if (found := _TRAILING_WORD.fullmatch(typed)) and not is_also_a_name(found.group("mark")):
                return before, count
    return None


_PLAIN_WORD = re.compile(r"[^\W\d_][\w'’-]*")
"""A word of letters, with no mark of the sentence after it: `Trinidad`, `hard-earned`, not `sorry,` nor `A1`."""


def names_someone(mark: str, typed: str, after: Sequence[str]) -> bool:
    """A currency's word written as a name (`Naira`, `Rand`), typed as `typed`, names someone unless it ends the line:
    `$20 Rand sorry for the wait`, `$20 Yen Nguyen order 5`, `$20 Naira.` are $20 and a name, as people write after
    an amount. Last and bare (`¥20000 Rand`), nothing says it is no currency: taken with the amount, it is refused as
    a second one, never left to the summary while another currency than the amount's was given."""
    return is_also_a_name(mark) and (bool(after) or typed[-1:] in _SENTENCE_MARKS)


def split_mark(text: str) -> tuple[str, str | None]:
    """`$45`, `45 €`, `USD 45`, `45usd`, `４５ドル`, `45 in USD` -> ("45", the mark as read); (the text, None) when
    unmarked. Two marks (`$20 AUD`, `20 dollars USD`) are read as the one that says which the other is."""
    raw = text.strip()
    read = _read(raw)
    for pattern in (_LEADING_MARK, *_trailing_patterns(read)):  # `人民元` before its `元`
        found = pattern.search(read)
        if found:
            number, mark = (read[: found.start()] + read[found.end() :]).strip(), found.group("mark")
            other = _trailing(number)
            if other and (narrower := _narrower(mark, other[1])):  # `$20 AUD`, `20 dollars USD`, `20 USD $`
                return other[0], narrower
            return number, mark
    return raw, None


def marks_on_both_sides(text: str) -> tuple[str, str, str] | None:
    """`$20 EUR`, `£2000 pence` -> ("20", "$", "EUR"): the number with the marks before and after it, or the two after
    it (`2000 $ cents` -> ("2000", "$", "cents")); None unless marked twice."""
    read = _read(text)
    if found := _LEADING_MARK.search(read):
        after = _trailing(read[found.end() :].strip())
        return (after[0], found.group("mark"), after[1]) if after else None
    last = _trailing(read)
    first = _trailing(last[0]) if last else None
    return (first[0], first[1], last[1]) if last and first else None


def _trailing_patterns(text: str) -> tuple[re.Pattern[str], ...]:
    """None for a text ending in a digit, which no mark does: searched for one, each group of `1 200 200 …`
    read so far had its every position tried."""
    return () if text[-1:].isdecimal() else (_TRAILING_WORD, _TRAILING_MARK, _ATTACHED_CENTS)


def _trailing(number: str) -> tuple[str, str] | None:
    for pattern in _trailing_patterns(number):
        if found := pattern.search(number):
            return number[: found.start()].strip(), found.group("mark")
    return None


def _narrower(mark: str, other: str) -> str | None:
    """Of two marks of one amount, the one that says which the other is: `AUD` of `$` and `AUD`."""
    return other if narrows(other, mark) else mark if narrows(mark, other) else None


def both_one_currency(mark: str, other: str) -> bool:
    """`$` and `AUD`, `USD` and `dollars`: two marks of one amount that agree, one saying which the other is."""
    return _narrower(mark, other) is not None


def narrows(mark: str, other: str) -> bool:
    """`AUD` after `$`, `euros` after `€`: a mark of no currency the other is not."""
    currencies = currencies_of(mark)
    return bool(currencies) and set(currencies) <= set(currencies_of(other))


def is_a_letter_of_cents(mark: str) -> bool:
    """`c` of `20c`, `p` of `50p`: a mark that is also a letter people attach to numbers (`2p` two people, `3p` a
    three-pin plug), an amount's only where one is asked for."""
    return mark in _CENT_LETTERS


def is_cents(mark: str) -> bool:
    """`¢`, `cents`, `pence`: the amount is in hundredths."""
    return mark == "¢" or mark in _CENT_LETTERS or _word_of(mark) in CENT_WORDS


def is_also_a_name(mark: str) -> bool:
    """`Rand`, `Yuan`: a currency word written as a name is, with a capital."""
    return mark[:1].isupper() and mark.lower() in ALSO_NAMES


def currencies_of(mark: str) -> tuple[str, ...]:
    """The currencies a mark read by `split_mark` may be: none for a sign of one Latitude does not know."""
    if mark in _CENT_LETTERS:
        return _CENT_LETTERS[mark]
    word = _word_of(mark)
    if word is not None:
        return CURRENCIES_OF_WORD[word]
    if mark.upper() in _CURRENCIES_OF_SIGN:
        return _CURRENCIES_OF_SIGN[mark.upper()]
    return () if mark in _OTHER_SIGNS else (mark.upper(),)


def _word_of(mark: str) -> str | None:
    """The word of CURRENCIES_OF_WORD a mark is, or its plural (`Euros` -> `euro`): None for a sign or code."""
    word = " ".join(mark.translate(_TURKISH_I).lower().split())
    return next((each for each in (word, word.removesuffix("s")) if each in CURRENCIES_OF_WORD), None)


_TURKISH_I = str.maketrans("İı", "Ii")
"""`LİRA`, `lıra`: Turkish capitals and small letters of `i`, which the regex's ignore-case already reads as `i`."""


def _read(text: str) -> str:
    return unicodedata.normalize("NFKC", text.strip())
