"""Words that multiply the amount typed before them (`2 thousand`, `2 grand`, `2 lakh`): read apart, `refund 2 thousand
order 5` was logged as $2 with "thousand" in what happened, so the amount is asked for in digits instead."""

import re
from decimal import Decimal

from services.emoji import is_emoji
from services.errors import InvalidInput
from services.money import format_money, is_currency_mark, is_currency_word, without_trailing_punctuation
from services.resolutions.named_references import REFERENCE_LABELS
from services.text import escape_mrkdwn

_MULTIPLIERS = {
    "hundred": 100,
    "thousand": 1000,
    "grand": 1000,
    "k": 1000,
    "million": 10**6,
    "lakh": 10**5,
    "lakhs": 10**5,
    "crore": 10**7,
    "crores": 10**7,
}
"""Words that multiply the number before them in any case (`2 thousand dollars`, `2 Grand`, `2 lakhs rupees`): the
number before one is never logged alone, whatever follows (`5 thousand island dressing` is asked about too: asking
costs a line typed again, logging $5 for $5,000 lets a fix pass its limits unseen)."""
_PLURAL_MULTIPLIERS = {"hundreds": 100, "thousands": 1000, "millions": 10**6}
"""Plurals that multiply only where they end the amount (`2 thousands dollars`): before other words they count
things (`20 thousands of apologies`, `4 hundreds and thousands missing`)."""
_AMOUNTS_END = re.compile(rf"(?:{'|'.join(REFERENCE_LABELS)})(?![^\W\d_])|ref:|#", re.IGNORECASE)
"""What starts after an amount, never a multiplier's noun: a customer's reference (`order 5`, `ref:A1`, `#5`)."""


def refuse_a_multiplier(typed: str, amount: Decimal, words: list[str], category: str, currency: str) -> None:
    """A number then a word that multiplies it is asked for in digits; before words of what happened the answer also
    says how to keep the number as typed (`/resolve credit 5 for thousand …`)."""
    if not words:
        return
    word = without_trailing_punctuation(words[0])
    ends = ends_the_amount(words[0], words[1:]) or _names_no_thing(words[1])
    times = _MULTIPLIERS.get(word.lower()) or (_PLURAL_MULTIPLIERS.get(word.lower()) if ends else None)
    if times is None:
        return
    read, meant = format_money(amount, currency), amount * times
    message = (
        f"`{escape_mrkdwn(f'{typed} {word}')}` is read as {read}: if you gave {format_money(meant, currency)}, "
        f"write it in digits, `/resolve {category} {meant.normalize():f} …`."
    )
    if not ends:
        shown = escape_mrkdwn(word)
        kept = f"/resolve {category} {escape_mrkdwn(typed)} for {shown} …"
        message += f" If you gave {read}, put a word before `{shown}`: `{kept}`."
    raise InvalidInput(message, field="amount")


def _names_no_thing(word: str) -> bool:
    """`2 grand :tada:`, `2 thousand yen refund`: an emoji, or a currency after a multiplier, says nothing happened."""
    return is_emoji(word) or is_currency_word(without_trailing_punctuation(word))


def ends_the_amount(word: str, after: list[str]) -> bool:
    """`grand` in `2 grand`, `2 grand, order 5`, `2 grand dollars`, `2 grand order 5`: nothing after it but a
    currency or a reference; a currency's word in the singular before another word says what kind of thing
    (`10 million dollar shake`)."""
    if not after or without_trailing_punctuation(word) != word or _AMOUNTS_END.match(after[0]):
        return True
    following = without_trailing_punctuation(after[0])
    if is_currency_mark(after[0]):
        return True
    if not is_currency_word(following):
        return False
    return following != after[0] or len(after) == 1 or following.lower().endswith("s")
