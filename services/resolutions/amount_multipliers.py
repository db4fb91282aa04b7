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
_NEVER_A_THING = frozenset({"lakh", "lakhs", "lac", "lacs", "crore", "crores"})
"""Multipliers that name no thing (`2 lakh late delivery` is 200,000 rupees): always asked about, with how to keep the
number as typed."""
_SPELLED = frozenset(
    {
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
        "twenty",
        "thirty",
        "forty",
        "fifty",
        "sixty",
        "seventy",
        "eighty",
        "ninety",
    }
)
"""Numbers in words, which go on an amount in words (`5 hundred fifty`, `2 thousand five hundred`)."""
_SAYS_WHAT_WAS_GIVEN = frozenset(
    {"refund", "refunds", "refunded", "credit", "credits", "credited", "cash", "back", "paid", "late", "because"}
)
"""Words after a multiplier that say what was given or why (`2 thousand paid twice`, `2 grand cash`, `5 thousand
late`), never a thing's name: the multiplier is the amount's."""
MENTION = re.compile(r"<[@#!][^>]*>")
"""A Slack mention (`<@U123>`, `<!here>`), which names no thing, as an emoji does not."""


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
    going_on = _words_going_on(after) if word == words[0] else _going_on_after_a_comma(words[0], after)
    ends = _ends_after_a_multiplier(words[0], after, plural=singular is None)
    if not (going_on or ends or _asked_before_any_word(word, amount, after, plural=singular is None)):
        return
    read, meant = format_money(amount, currency), amount * times
    phrase = " ".join([typed, words[0] if going_on else word, *after[:going_on]])
    shown = f"`{escape_mrkdwn(without_trailing_punctuation(phrase))}` is read as {read}"
    kept = "" if ends or going_on else _how_to_keep(typed, word, read, category)
    if going_on or meant > MAX_AMOUNT:
        raise InvalidInput(f"{shown}: write the amount you gave in digits.{kept} Nothing was logged.", field="amount")
    raise InvalidInput(
        f"{shown}: if you gave {format_money(meant, currency)}, write it in digits, "
        f"`/resolve {category} {meant.normalize():f} …`.{kept} Nothing was logged.",
        field="amount",
    )


def _how_to_keep(typed: str, word: str, read: str, category: str) -> str:
    """`2 lakh late delivery`: how to log the number as typed, the multiplier a word of what happened."""
    shown = escape_mrkdwn(word)
    return (
        f" If you gave {read}, put a word before `{shown}`: `/resolve {category} {escape_mrkdwn(typed)} for {shown} …`."
    )


def _asked_before_any_word(word: str, amount: Decimal, after: list[str], *, plural: bool) -> bool:
    """Where the multiplier cannot be the thing's word: `lakh` or `crore`, after a number with decimals (`1.5
    thousand late`), or before a word saying what was given or why (`2 thousand paid twice`); a plural before
    another word counts things (`20 thousands of apologies`)."""
    if plural:
        return False
    following = without_trailing_punctuation(after[0]).lower()
    return word.lower() in _NEVER_A_THING or amount != amount.to_integral_value() or following in _SAYS_WHAT_WAS_GIVEN


def _words_going_on(after: list[str]) -> int:
    """How many words go on the amount in words: `500` in `2 thousand 500`, `thousand` in `2 hundred thousand`,
    `five hundred` in `2 thousand five hundred`, `and fifty` in `5 hundred and fifty`; none where they stop."""
    taken = 0
    while taken < len(after):
        if _multiplies_on(after[taken]):
            taken += 1
        elif after[taken].lower() == "and" and taken + 1 < len(after) and _is_a_number(after[taken + 1]):
            taken += 2
        else:
            break
        if without_trailing_punctuation(after[taken - 1]) != after[taken - 1]:
            break
    return taken


def _going_on_after_a_comma(typed_word: str, after: list[str]) -> int:
    """`2 thousand, 500`: after a comma, a number may go on the amount (1 word), or count something; either way the
    multiplied amount alone is not offered."""
    return 1 if typed_word.endswith(",") and after and _is_a_number(after[0]) else 0


def _multiplies_on(word: str) -> bool:
    """`500` in `2 thousand 500`, `thousand` in `2 hundred thousand`, `fifty`: the amount goes on."""
    following = without_trailing_punctuation(word).lower()
    return _is_a_number(word) or following in _MULTIPLIERS or following in _PLURAL_MULTIPLIERS


def _is_a_number(word: str) -> bool:
    """`500`, `fifty`, `twenty-five`: a number, in digits or words (`and fifty`, where `hundreds and thousands` is
    no amount)."""
    following = without_trailing_punctuation(word).lower()
    return following.isdigit() or all(part in _SPELLED for part in following.split("-"))


def _ends_after_a_multiplier(word: str, after: list[str], *, plural: bool) -> bool:
    """`2 grand :tada:`, `2 grand <@U1>`, `2 thousand for order 1234`, `2 grand to Lee`, `2 thousand yen refund`: an
    emoji or a mention, a linking
    word (not after a plural, which counts: `thousands of apologies`) or a currency the same in the plural end the
    amount, as `ends_the_amount` says the rest."""
    if ends_the_amount(word, after):
        return True
    following = without_trailing_punctuation(after[0])
    if following.lower() in _SAME_IN_THE_PLURAL:
        return True
    return is_emoji(after[0]) or bool(MENTION.match(after[0])) or (not plural and is_linking(following))


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
