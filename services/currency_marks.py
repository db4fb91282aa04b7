"""Which currency a mark typed beside an amount names: `$45`, `US$45`, `45 $US`, `45 €uro`, `USD 45`, `45 kr`,
`45 euros`, `45ドル`, `45円`. Marks are read after NFKC, so the full-width `＄`, `ＵＳＤ`, `￥`, `￡` and the half-width
`ﾄﾞﾙ` are the marks they look like: unread, `20 ＵＳＤ` on a yen policy was logged as ¥20."""

import re
import unicodedata
from collections.abc import Iterable

CURRENCIES = ("USD", "EUR", "GBP", "CAD", "AUD", "NZD", "CHF", "JPY", "SEK", "NOK", "DKK", "INR", "BRL", "MXN", "ZAR")
"""What a policy's `currency` may be."""
_OTHER_CODES = ("CNY", "RMB", "HKD", "TWD", "KRW", "SGD", "ISK", "PLN", "CZK", "HUF", "RUB", "ILS", "AED", "THB")
"""Codes of currencies no policy is in, read only in capitals (`20 CNY`), so that no word of the sentence is one."""
_DOLLARS = ("USD", "CAD", "AUD", "NZD", "MXN")
_KRONOR = ("SEK", "NOK", "DKK", "ISK")
_CURRENCIES_OF_SIGN = {
    "$": _DOLLARS,
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
    **{"₩": ("KRW",), "₽": ("RUB",), "₺": ("TRY",), "₪": ("ILS",), "₱": ("PHP",), "฿": ("THB",), "₫": ("VND",)},
}
"""A mark that may be more than one currency (`$`, `kr`, `元`) is read as the policy's when it is one of them, and
refused otherwise: `$45` is 45 of a CAD policy, never of a JPY one."""
_OTHER_SIGNS = "".join(
    sign for sign in map(chr, range(0x10000)) if unicodedata.category(sign) == "Sc" and sign not in "¢¤"
)
"""Every other currency sign (`₴`, `₦`): another currency than any policy's, though which one is not said."""
_CURRENCIES_OF_WORD = {
    **dict.fromkeys(("dollar", "buck", "ドル"), _DOLLARS),
    **dict.fromkeys(("euro", "ユーロ", "欧元"), ("EUR",)),
    **dict.fromkeys(("pound", "quid", "sterling", "ポンド", "英镑"), ("GBP",)),
    **dict.fromkeys(("yen", "日元"), ("JPY",)),
    **dict.fromkeys(("米ドル", "美元"), ("USD",)),
    **{"加元": ("CAD",), "澳元": ("AUD",), "港元": ("HKD",), "ウォン": ("KRW",)},
    **dict.fromkeys(("yuan", "renminbi", "人民元"), ("CNY",)),
    **dict.fromkeys(("krona", "kronor"), ("SEK",)),
    **dict.fromkeys(("krone", "kroner"), ("NOK", "DKK")),
    **{"franc": ("CHF",), "rupee": ("INR",), "peso": ("MXN",), "reais": ("BRL",), "rand": ("ZAR",)},
}
"""`45 euros`: a currency named in a word after the amount, which must not be counted as 45 of the policy's."""


def _either(marks: Iterable[str]) -> str:
    return "|".join(re.escape(mark) for mark in sorted(marks, key=len, reverse=True))


_SIGNS = f"{_either(_CURRENCIES_OF_SIGN)}|[{re.escape(_OTHER_SIGNS)}]"
_CODES = f"{_either(CURRENCIES)}|(?-i:{_either(_OTHER_CODES)})"
_MARK = rf"(?P<mark>{_SIGNS}|{_CODES})(?![a-z])"
_LEADING_MARK = re.compile(rf"^{_MARK}(?:(?<=rs|kr)\.)?\s*", re.IGNORECASE)
"""A mark before the amount, with the full stop of an abbreviation written so (`Rs.500`, `kr.45`): read as a decimal
point, `Rs.500` was 0.50. A code's is a point (`USD.50` is 0.50)."""
_TRAILING_MARK = re.compile(rf"\s*(?<![a-z]){_MARK}\Z", re.IGNORECASE)
_TRAILING_WORD = re.compile(rf"\s*(?<![a-z])(?P<mark>(?:{_either(_CURRENCIES_OF_WORD)})s?)\Z", re.IGNORECASE)


def is_currency_mark(word: str) -> bool:
    """`$`, `CA$`, `€`, `USD`, `sek`, `ＵＳＤ`: a word that only says which currency the amount beside it is in."""
    return bool(_LEADING_MARK.fullmatch(_read(word))) if word.strip() else False


def is_currency_word(word: str) -> bool:
    """`euros`, `dollars`, `yen`, `ドル`: a word after an amount that says which currency it is in."""
    return bool(_TRAILING_WORD.fullmatch(_read(word)))


def split_mark(text: str) -> tuple[str, str | None]:
    """`$45`, `45 €`, `USD 45`, `45usd`, `４５ドル` -> ("45", the mark as read); (the text, None) when unmarked."""
    raw = text.strip()
    read = _read(raw)
    for pattern in (_LEADING_MARK, _TRAILING_WORD, _TRAILING_MARK):  # `人民元` before its `元`
        found = pattern.search(read)
        if found:
            return (read[: found.start()] + read[found.end() :]).strip(), found.group("mark")
    return raw, None


def currencies_of(mark: str) -> tuple[str, ...]:
    """The currencies a mark read by `split_mark` may be: none for a sign of one Latitude does not know."""
    word = mark.lower()
    named = _CURRENCIES_OF_WORD.get(word) or _CURRENCIES_OF_WORD.get(word.removesuffix("s"))
    if named or mark.upper() in _CURRENCIES_OF_SIGN:
        return named or _CURRENCIES_OF_SIGN[mark.upper()]
    return () if mark in _OTHER_SIGNS else (mark.upper(),)


def _read(text: str) -> str:
    return unicodedata.normalize("NFKC", text.strip())
