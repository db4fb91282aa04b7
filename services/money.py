"""Amounts of money typed by people: `45`, `45.50`, `$45`, `US$45`, `45 €`, `USD 45`, `1,200`, `45,-`."""

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from services.currency_marks import CURRENCIES as CURRENCIES
from services.currency_marks import (
    both_one_currency,
    currencies_of,
    is_a_letter_of_cents,
    is_cents,
    marks_on_both_sides,
    split_mark,
)
from services.currency_marks import is_currency_mark as is_currency_mark
from services.currency_marks import is_currency_word as is_currency_word
from services.errors import InvalidInput
from services.text import echoed

MAX_AMOUNT = Decimal("100000")
SYMBOL = {"USD": "$", "EUR": "€", "GBP": "£", "CAD": "CA$", "AUD": "A$", "JPY": "¥"}
_PLAIN = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?\Z|^\d+(\.\d+)?\Z|^\.\d+\Z")
_MINUS = ("-", "\u2212", "\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\ufe63", "\uff0d")
"""A minus as keyboards type it: a hyphen, the minus sign, the dashes a phone makes of `-` or `--` (`–5`, `—5`), and
a full-width minus (`－5`)."""
_WHOLE_DASH = re.compile(r"(?<=\d)[.,/]-\Z")
"""`45,-`, `45.-`: a whole amount as much of Europe writes it (no cents), read as 45; `500/-` as South Asia writes it
(`Rs.500/-`, no paise), read as 500."""
_DECIMAL_COMMA = re.compile(r"^\d+,\d{1,2}\Z")
_SPACED_THOUSANDS = re.compile(r"^\d{1,3}( \d{3})+([.,]\d{1,2})?\Z")
_POINT_THOUSANDS = re.compile(r"^[1-9]\d{0,2}(\.\d{3})+(,\d{1,2})?\Z")
"""`1.200`, `1.200,50`: a point between thousands, as much of Europe writes them; read as cents, `1.200` would be
logged as 1.20, within any limit, when 1,200 was meant."""
_THOUSANDS_GROUP = re.compile(r"\d{3}([.,]\d{1,2})?")
_THOUSANDS_SO_FAR = re.compile(r"\d{1,3}( \d{3})*")
MINOR_UNITS = {
    **dict.fromkeys(("BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "VND"), 0),
    **dict.fromkeys(("VUV", "XAF", "XOF", "XPF"), 0),
    **dict.fromkeys(("BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"), 3),
}
"""Decimals a currency has (ISO 4217) where it is not 2: no yen cents. A currency with 3 added to CURRENCIES
also needs a Money column (models/policy.py) holding 3 decimals."""


def looks_like_amount(text: str) -> bool:
    return bool(re.match(r"^[-+$€£¥]?\s*[\d.,]", text.strip())) or text.strip().lower() in ("nan", "inf", "-inf")


def names_money(text: str) -> bool:
    """`$5`, `5€`, `5usd`: a word that can only be an amount, unlike `2` in `2 days later`, or `2p` (two people)."""
    number, mark = split_mark(text)
    return mark is not None and not is_a_letter_of_cents(mark) and looks_like_amount(number)


def continues_amount(typed: str, word: str) -> bool:
    """`200` after `1`: the next group of a number written with a space between thousands (`1 200`, `1 200,50`,
    `1 200€`), not a word of what happened; read apart, `1 200` would log 1."""
    raw, _mark = split_mark(typed)
    group, _mark = split_mark(without_trailing_punctuation(word))
    return typed[-1:].isdigit() and bool(_THOUSANDS_GROUP.fullmatch(group) and _THOUSANDS_SO_FAR.fullmatch(raw))


def without_trailing_punctuation(word: str) -> str:
    """`200,` in `1 200, sorry`, `20…` (a phone's one-character ellipsis): the mark is the sentence's, not the
    amount's; a bracket closing one opened in it stays (`20 (USD).`)."""
    ended = word.rstrip(".,;:!?)…")
    return f"{ended})" if "(" in ended and ")" in word[len(ended) :] else ended


def decimals_of(currency: str | None) -> int:
    return MINOR_UNITS.get(currency or "", 2)


def has_minor_units_of(amount: Decimal, currency: str | None) -> bool:
    """No more decimals than the currency has: `45.50` in USD, `45` in JPY (`45.00` is 45)."""
    return amount == amount.quantize(Decimal(1).scaleb(-decimals_of(currency)))


def minor_units_rule(currency: str | None) -> str:
    """`JPY amounts are whole`, `USD amounts have at most 2 decimals`: what `has_minor_units_of` asks."""
    places, which = decimals_of(currency), f"{currency} amounts" if currency else "amounts"
    return f"{which} are whole" if places == 0 else f"{which} have at most {places} decimals"


def parse_amount(text: str, currency: str | None = None) -> Decimal:
    """A non-negative amount with at most the currency's decimals (two without one), at most MAX_AMOUNT, or
    InvalidInput saying why.

    With `currency` (the policy's), an amount marked as another currency (`€25` under USD) is refused. A full stop
    or comma after it is a sentence's (`20.`, `$20,`), not part of the amount. Cents (`20¢`, `20 cents`) are
    hundredths of a policy in dollars, euros or rand (`50 pence` of one in pounds): read whole, `20¢` was
    logged as $20.
    """
    text = without_trailing_punctuation(text.strip()) or text
    if refused := _two_marks(text, currency):
        raise InvalidInput(refused, field="amount")
    raw, mark = split_mark(text)
    raw = _WHOLE_DASH.sub("", raw)
    if currency and mark and currency not in currencies_of(mark):
        raise InvalidInput(_not_the_policys(text, mark, currency), field="amount")
    if raw.startswith(_MINUS):
        raise InvalidInput(
            f"The amount can't be negative (you typed `{echoed(text)}`). Type what you gave the customer, like `45`.",
            field="amount",
        )
    if _DECIMAL_COMMA.match(raw):
        raise InvalidInput(
            f"Write cents after a point: `{raw.replace(',', '.')}`, not `{echoed(raw)}`.", field="amount"
        )
    if _SPACED_THOUSANDS.match(raw):
        plain = raw.replace(" ", "").replace(",", ".")
        raise InvalidInput(
            f"Write the amount without a space: `{plain}` or `{raw.replace(',', '.').replace(' ', ',')}`, "
            f"not `{echoed(raw)}`.",
            field="amount",
        )
    if thousands := _point_thousands(raw, currency):
        raise InvalidInput(thousands, field="amount")
    if not _PLAIN.match(raw):
        raise InvalidInput(not_understood(text, currency), field="amount")
    try:
        amount = Decimal(raw.replace(",", ""))
    except InvalidOperation:
        raise InvalidInput(not_understood(text, currency), field="amount") from None
    amount = amount.scaleb(-2) if mark and is_cents(mark) else amount
    if amount > MAX_AMOUNT:
        raise InvalidInput(
            f"`{echoed(text)}` is far more than any on-the-spot fix. Check the amount (at most {MAX_AMOUNT:,}).",
            field="amount",
        )
    if not has_minor_units_of(amount, currency):
        example = format_money(Decimal(45) if decimals_of(currency) == 0 else Decimal("45.50"), currency or "USD")
        raise InvalidInput(
            f"`{echoed(text)}` has too many decimals: {minor_units_rule(currency)}, like `{example}`.",
            field="amount",
        )
    return amount.quantize(Decimal(1).scaleb(-max(decimals_of(currency), 2)))


def _two_marks(text: str, currency: str | None) -> str | None:
    """Why an amount marked on both sides is refused: with cents (`£2000 pence`, `USD 20 cents`) it could be 20 or
    2,000, and with a currency the first mark is not (`¥20000 USD`, `$20 euros`) it is in neither for sure. None
    when one mark only says which the other is (`$20 AUD`, `20 USD $`)."""
    both = marks_on_both_sides(text)
    if both is None:
        return None
    number, before, after = both
    if is_cents(after) or is_cents(before):  # `£2000 pence`, `¢20 USD`
        cents, other = (after, before) if is_cents(after) else (before, after)
        if currency and currencies_of(other) and currency not in currencies_of(other):  # `£20c` under USD
            return _not_the_policys(text, other, currency)
        whole = f"{other} " if other[-1:].isalpha() else other
        hundredths = f"{number}{cents}" if len(cents) == 1 else f"{number} {cents}"  # `20¢`, `50p`
        if currency and currency not in currencies_of(cents):  # `£20c`: not `20c`, which the policy refuses
            hundredths = whole + number
        marked = f"`{echoed(text)}` is marked both `{echoed(before)}` and `{echoed(after)}`: write"
        if not _whole_hundredths(number, currency):  # `£1.50p`: never £0.015, offered as £0.02
            return (
                f"{marked} `{echoed(whole + number)}`."
                if _whole_amount(number, currency)
                else not_understood(text, currency)
            )
        return f"{marked} `{echoed(whole + _hundredths(number))}` or `{echoed(hundredths)}`, not both."
    if both_one_currency(before, after):
        return None
    limits = f"Your limits are in {currency}, and " if currency else ""
    return (
        f"{limits}`{echoed(text)}` names two currencies, `{echoed(before)}`{_read_as(before)} and "
        f"`{echoed(after)}`{_read_as(after)}: give the amount in {currency or 'one'}, like "
        f"`{format_money(Decimal(45), currency or 'USD')}`."
    )


def _not_the_policys(text: str, mark: str, currency: str) -> str:
    return (
        f"Your limits are in {currency}, and `{echoed(text)}` is not{_read_as(mark)}: "
        f"give the amount in {currency}, like `{format_money(Decimal(45), currency)}`."
    )


def _whole_hundredths(number: str, currency: str | None) -> bool:
    """`2000` pence are £20; `1.50` has no whole hundredths, so `£1.50p` can only be £1.50."""
    return not _PLAIN.match(number) or has_minor_units_of(Decimal(number.replace(",", "")).scaleb(-2), currency)


def _whole_amount(number: str, currency: str | None) -> bool:
    """`1.50` in `£1.50p` is pounds; `1.505` (no amount of pounds) or `0.5` (half a penny, as likely) is neither."""
    amount = Decimal(number.replace(",", ""))
    return amount >= 1 and has_minor_units_of(amount, currency)


def _hundredths(number: str) -> str:
    """`2000` -> `20`, `20` -> `0.20`: the amount of a number of cents, or the number when it is none."""
    if not _PLAIN.match(number):
        return number
    return f"{Decimal(number.replace(',', '')).scaleb(-2):,.2f}".removesuffix(".00")


def _point_thousands(raw: str, currency: str | None) -> str | None:
    """What to write instead of `1.200` or `1.200,50`; None for `4.567`, which has too many decimals either way.
    In a currency without decimals (yen) only the whole amount is offered: `1.200` can only be 1,200 there."""
    if not _POINT_THOUSANDS.match(raw):
        return None
    whole, _, cents = raw.partition(",")
    whole_only = decimals_of(currency) == 0
    number = whole.replace(".", "") + (f".{cents}" if cents and not whole_only else "")
    if whole_only or cents or raw.count(".") > 1:
        return f"Write the amount without a point between thousands: `{number}` or `{Decimal(number):,}`, not `{raw}`."
    if raw[-1] != "0":
        return None
    as_cents = raw[: raw.index(".") + 3]
    return f"`{raw}` could be {as_cents} or {int(number):,}: write `{as_cents}` or `{number}`."


def _read_as(mark: str) -> str:
    """` (`kr` could be SEK, NOK, DKK or ISK)`: what a mark of another currency was read as, so that someone who
    meant the policy's sees why it was not."""
    codes = currencies_of(mark)
    if is_cents(mark):
        listed = f"{', '.join(codes[:-1])} or {codes[-1]}" if len(codes) > 1 else codes[0]
        unit = "pence" if codes == ("GBP",) else "pennies" if mark.lower().startswith("penn") else "cents"
        return f" ({unit} of {listed})"
    if len(codes) > 1:
        return f" (`{echoed(mark)}` could be {', '.join(codes[:-1])} or {codes[-1]})"
    return f" (read as {codes[0]})" if codes else f" (`{echoed(mark)}` is another currency's sign)"


def not_understood(text: str, currency: str | None) -> str:
    example = format_money(Decimal(45), currency or "USD")
    like = "`45`" if decimals_of(currency) == 0 else "`45`, `45.50`"
    return f"`{echoed(text)}` isn't an amount I understand. Use digits, like {like} or `{example}`."


def format_money(amount: Decimal, currency: str) -> str:
    symbol = SYMBOL.get(currency)
    number = f"{amount:,.2f}".removesuffix(".00")
    return f"{symbol}{number}" if symbol else f"{number} {currency}"


Amounts = tuple[tuple[str, Decimal], ...]
"""Money added up apart by currency, `(("JPY", 14000), ("USD", 140))`: after a policy changes its currency, what was
given in the earlier one never adds to the new one."""


def by_currency(amounts: Iterable[tuple[str, Decimal]]) -> Amounts:
    """The non-zero totals of `(currency, amount)` pairs, by currency code."""
    totals: dict[str, Decimal] = {}
    for currency, amount in amounts:
        totals[currency] = totals.get(currency, Decimal(0)) + amount
    return tuple(sorted((currency, total) for currency, total in totals.items() if total))


def format_amounts(amounts: Amounts, currency: str) -> str:
    """`¥14,000 + $140`, `currency` (the policy's) first; no money at all is 0 in it."""
    ordered = sorted(amounts, key=lambda pair: (pair[0] != currency, pair[0]))
    return " + ".join(format_money(amount, code) for code, amount in ordered) or format_money(Decimal(0), currency)
