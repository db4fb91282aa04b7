"""Words that multiply the amount typed before them (`2 thousand`, `2 grand`, `2 lakh`): read apart, `refund 2 thousand
order 5` was logged as $2 with "thousand" in what happened, so the amount is asked for in digits instead."""

import re
from decimal import Decimal

from services.emoji import is_emoji
from services.errors import InvalidInput
from services.money import MAX_AMOUNT, format_money, is_currency_mark, is_currency_word, without_trailing_punctuation
from services.resolutions.named_references import REFERENCE_LABELS
from services.resolutions.reference_parts import is_linking
from services.text import escape_mrkdwn

_MULTIPLIERS = {
    "hundred": 100,
    "thousand": 1000,
    "grand": 1000,
    "k": 1000,
    "million": 10**6,
    "lakh": 10**5,
    "lakhs": 10**5,
    "lac": 10**5,
    "lacs": 10**5,
    "crore": 10**7,
    "crores": 10**7,
}
"""Words that multiply the number before them in any case (`2 thousand dollars`, `2 Grand`, `2 lakhs rupees`), where
they end the amount: before a word of what happened they are its (`5 thousand island dressing`, `5 Grand Central
parking`, `3 k cups`), and the number is logged as typed, as it always was."""
_PLURAL_MULTIPLIERS = {"hundreds": 100, "thousands": 1000, "millions": 10**6}
"""Plurals that multiply where they end the amount (`2 thousands dollars`), though not before a linking word: they
count things (`20 thousands of apologies`, `4 hundreds and thousands missing`)."""
AMOUNTS_END = re.compile(rf"(?:{'|'.join(REFERENCE_LABELS)})(?![^\W\d_])|ref:|#", re.IGNORECASE)
"""What starts after an amount, never a multiplier's noun: a customer's reference (`order 5`, `ref:A1`, `#5`)."""
_SAME_IN_THE_PLURAL = frozenset({"yen", "yuan", "baht", "rand"})
"""Currencies' words that are their own plural (`2 thousand yen refund`): they name the amount's currency, as
`dollars` does, never a kind of thing as `dollar` in `10 million dollar shake`."""


def refuse_a_multiplier(typed: str, amount: Decimal, words: list[str], category: str, currency: str) -> None:
    """A number then a word that multiplies it, ending the amount, is asked for in digits, never logged as the
    number alone; the multiplied amount is offered only where it is one (`2 hundred thousand`, `10 million dollars`:
    the amount in digits is asked for)."""
    if not words:
        return
    word = without_trailing_punctuation(words[0])
    singular = _MULTIPLIERS.get(word.lower())
    times = singular or _PLURAL_MULTIPLIERS.get(word.lower())
    if times is None:
        return
    after = words[1:]
    compound = word == words[0] and bool(after) and _multiplies_on(after[0])
    if not (compound or _ends_after_a_multiplier(words[0], after, plural=singular is None)):
        return
    read, meant = format_money(amount, currency), amount * times
    phrase = " ".join([typed, word, *after[:1]]) if compound else f"{typed} {word}"
    shown = f"`{escape_mrkdwn(without_trailing_punctuation(phrase))}` is read as {read}"
    if compound or meant > MAX_AMOUNT:
        raise InvalidInput(f"{shown}: write the amount you gave in digits. Nothing was logged.", field="amount")
    raise InvalidInput(
        f"{shown}: if you gave {format_money(meant, currency)}, write it in digits, "
        f"`/resolve {category} {meant.normalize():f} …`. Nothing was logged.",
        field="amount",
    )


def _multiplies_on(word: str) -> bool:
    """`500` in `2 thousand 500`, `thousand` in `2 hundred thousand`: the amount goes on in words."""
    following = without_trailing_punctuation(word).lower()
    return following.isdigit() or following in _MULTIPLIERS or following in _PLURAL_MULTIPLIERS


def _ends_after_a_multiplier(word: str, after: list[str], *, plural: bool) -> bool:
    """`2 grand :tada:`, `2 thousand for order 1234`, `2 grand to Lee`, `2 thousand yen refund`: an emoji, a linking
    word (not after a plural, which counts: `thousands of apologies`) or a currency the same in the plural end the
    amount, as `ends_the_amount` says the rest."""
    if ends_the_amount(word, after):
        return True
    following = without_trailing_punctuation(after[0])
    if following.lower() in _SAME_IN_THE_PLURAL:
        return True
    return is_emoji(after[0]) or (not plural and is_linking(following))


def ends_the_amount(word: str, after: list[str]) -> bool:
    """`grand` in `2 grand`, `2 grand, order 5`, `2 grand dollars`, `2 grand order 5`: nothing after it but a
    currency or a reference; a currency's word in the singular before another word says what kind of thing
    (`10 million dollar shake`)."""
    if not after or without_trailing_punctuation(word) != word or AMOUNTS_END.match(after[0]):
        return True
    following = without_trailing_punctuation(after[0])
    if is_currency_mark(after[0]):
        return True
    if not is_currency_word(following):
        return False
    return following != after[0] or len(after) == 1 or following.lower().endswith("s")
