"""Amounts of money typed by people: `45`, `45.50`, `$45`, `1,200`."""

import re
from decimal import Decimal, InvalidOperation

from services.errors import InvalidInput
from services.text import escape_mrkdwn

MAX_AMOUNT = Decimal("100000")
_SYMBOLS = re.compile(r"^[$€£¥]|^(usd|eur|gbp|cad|aud)\s*|\s*(usd|eur|gbp|cad|aud)\Z", re.IGNORECASE)
_PLAIN = re.compile(r"^\d{1,3}(,\d{3})+(\.\d{1,2})?\Z|^\d+(\.\d{1,2})?\Z|^\.\d{1,2}\Z")
SYMBOL = {"USD": "$", "EUR": "€", "GBP": "£", "CAD": "CA$", "AUD": "A$", "JPY": "¥"}


def looks_like_amount(text: str) -> bool:
    return bool(re.match(r"^[-+$€£¥]?\s*[\d.,]", text.strip())) or text.strip().lower() in ("nan", "inf", "-inf")


def parse_amount(text: str) -> Decimal:
    """A non-negative amount with at most two decimals and below MAX_AMOUNT, or InvalidInput saying why."""
    raw = _SYMBOLS.sub("", text.strip())
    if raw.startswith("-"):
        raise InvalidInput(
            f"The amount can't be negative (you typed `{escape_mrkdwn(text)}`). "
            "Type what you gave the customer, like `45`.",
            field="amount",
        )
    if not _PLAIN.match(raw):
        raise InvalidInput(
            f"`{escape_mrkdwn(text)}` isn't an amount I understand. Use digits, like `45`, `45.50` or `$45`.",
            field="amount",
        )
    try:
        amount = Decimal(raw.replace(",", ""))
    except InvalidOperation:
        raise InvalidInput(
            f"`{escape_mrkdwn(text)}` isn't an amount I understand. Use digits, like `45` or `45.50`.",
            field="amount",
        ) from None
    if amount >= MAX_AMOUNT:
        raise InvalidInput(
            f"`{escape_mrkdwn(text)}` is far more than any on-the-spot fix. Check the amount (at most {MAX_AMOUNT:,}).",
            field="amount",
        )
    return amount.quantize(Decimal("0.01"))


def format_money(amount: Decimal, currency: str) -> str:
    symbol = SYMBOL.get(currency)
    number = f"{amount:,.2f}".removesuffix(".00")
    return f"{symbol}{number}" if symbol else f"{number} {currency}"
