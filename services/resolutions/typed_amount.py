"""The amount at the front of a fix typed after /resolve, with the mark saying its currency however it is typed
(`$ 45`, `45 CAD`, `45 euros`, `45 US dollars`, `45 (in USD)`), and its thousands however they are grouped."""

import re
from decimal import Decimal

from services.currency_marks import (
    currencies_of,
    is_also_a_name,
    is_cents,
    marks_on_both_sides,
    names_someone,
    split_mark,
    words_before_currency,
    words_of_mark,
)
from services.currency_words import QUALIFIERS
from services.errors import InvalidInput
from services.money import (
    continues_amount,
    format_money,
    is_currency_mark,
    is_currency_word,
    not_understood,
    parse_amount,
    without_trailing_punctuation,
)
from services.resolutions.named_references import REFERENCE_LABELS
from services.resolutions.reference_parts import counts, is_linking
from services.text import echoed, escape_mrkdwn


def read_amount(words: list[str], category: str, currency: str) -> Decimal:
    """The amount the words start with, taken from them with its mark when typed apart; a currency word that is also
    a name (`credit 20 Rand said thanks`) is refused as the currency it names, saying how to keep it a name, and
    another currency's after a word of how much (`20 extra euros`) as the currency it is."""
    typed = words.pop(0)
    if words and is_currency_mark(typed):  # `$ 45`, `USD 45`
        typed = f"{typed} {words.pop(0)}"
    for _ in range(2):  # `45 CAD`, `45 euros, sorry`, `45 US dollars`, `45 (in USD)`, and a second mark read with the
        if not (taken := words_of_mark(typed, words)):  # first, `20 dollars USD`: a third is the summary's, as each
            break  # word taken had the whole line read again
        typed = " ".join([typed, *words[:taken]])
        del words[:taken]
    after = list(words)
    try:
        amount = _amount(typed, words, category, currency)
    except InvalidInput as error:
        if (hint := _name_hint(typed, after, category, currency)) is None:
            raise
        raise InvalidInput(f"{error}{hint}", field=error.field) from None
    _refuse_another_currency_after_a_word_of_how_much(typed, amount, words, currency)
    _refuse_a_multiplier(typed, amount, words, category, currency)
    _refuse_a_letter_before_a_noun(typed, amount, words, currency)
    return amount


_NUMBER_AND_LETTER = re.compile(r"\d+(?:\.\d+)?[cp]")


def _refuse_a_letter_before_a_noun(typed: str, amount: Decimal, words: list[str], currency: str) -> None:
    """`3p plug missing`: a letter cents or pence are written with, before a word of what happened, may as well be
    the thing's (a three-pin plug): refused as not understood, as it was before `50p` was read, never logged as £0.03
    with `3p` out of what happened. Ending the line or a sentence, or before a reference or a linking word (`50p`,
    `50p, sorry`, `50p order 5`, `50p for the bus`), it is the amount."""
    ended = without_trailing_punctuation(typed)
    if not _NUMBER_AND_LETTER.fullmatch(ended) or ended != typed or not words:
        return
    if _AMOUNTS_END.match(words[0]) or is_linking(without_trailing_punctuation(words[0])):
        return
    marked = escape_mrkdwn(format_money(amount, currency))
    raise InvalidInput(f"{not_understood(typed, currency)} If you gave {marked}, write `{marked}`.", field="amount")


_MULTIPLIERS = {"hundred": 100, "thousand": 1000, "grand": 1000, "million": 10**6, "lakh": 10**5, "crore": 10**7}
"""Words that multiply the number before them: `2 thousand dollars`, `2 grand`, `2 lakh rupees`."""
_AMOUNTS_END = re.compile(rf"(?:{'|'.join(REFERENCE_LABELS)})(?![^\W\d_])|ref:|#", re.IGNORECASE)
"""What starts after an amount, never a multiplier's noun: a customer's reference (`order 5`, `ref:A1`, `#5`)."""


def _refuse_a_multiplier(typed: str, amount: Decimal, words: list[str], category: str, currency: str) -> None:
    """`refund 2 thousand order 5` was logged as $2, with "thousand" in what happened: asked for in digits. Only a
    multiplier that ends the amount is asked about, ending the line or a sentence or before a currency or a reference:
    before any other word it is what happened (`5 thousand island dressing`, `8 grand slam breakfast`)."""
    word = without_trailing_punctuation(words[0]) if words else ""
    times = _MULTIPLIERS.get(word)
    if times is None or not _ends_the_amount(words[0], words[1:]):
        return
    meant = amount * times
    digits = f"{meant.normalize():f}"
    raise InvalidInput(
        f"`{escape_mrkdwn(f'{typed} {word}')}` is read as {format_money(amount, currency)}: if you gave "
        f"{format_money(meant, currency)}, write it in digits, `/resolve {category} {digits} …`.",
        field="amount",
    )


def _ends_the_amount(word: str, after: list[str]) -> bool:
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


def _name_hint(typed: str, after: list[str], category: str, currency: str) -> str | None:
    """How to keep a currency's word a name: marked (`¥20 Rand said thanks`) when words follow it, else with a word
    before it (`¥20,000 for Rand …`), as `¥20000 Rand` ending the line is still asked about."""
    ended = without_trailing_punctuation(typed)
    number, mark = split_mark(ended)
    if both := marks_on_both_sides(ended):  # `¥20000 Rand`
        number, mark = both[0], both[2]
    if mark is None or not is_also_a_name(mark) or not number.replace(".", "", 1).isdecimal():
        return None
    marked, name = escape_mrkdwn(format_money(Decimal(number), currency)), escape_mrkdwn(mark)
    if both is None and names_someone(mark, typed.split()[-1], after):
        return f" If `{name}` is someone's name, mark the amount: `/resolve {category} {marked} {name} …`."
    return f" If `{name}` is someone's name, put a word before it: `/resolve {category} {marked} for {name} …`."


def _refuse_another_currency_after_a_word_of_how_much(
    typed: str, amount: Decimal, words: list[str], currency: str
) -> None:
    """A currency's word after words that say how much (`20 extra euros`) is refused as the other currency it names,
    and cents so (`20 extra cents`) could be either amount; the policy's own (`20 extra dollars`) is the policy's. After
    any other word (`20 Cdn dollars`, `10 quarter pound burger`, `20 Amazon dollars`) the words are what happened, as
    ever: a country's that is another currency's (`20 Trinidad dollars`) was read with the amount's mark."""
    if (found := words_before_currency(words)) is None:
        return
    before, count = words[: found[0]], " ".join(words[found[0] : sum(found)])
    mark = split_mark(without_trailing_punctuation(f"1 {count}"))[1]
    if mark is None or not all(word.lower() in QUALIFIERS for word in before):
        return
    named, after = words[sum(found) - 1], words[sum(found) :]
    if not named.lower().endswith("s") and not _ends_the_amount(named, after):
        return  # a kind of thing (`10 free pound cake`, `5 extra dollar menu item`), not a currency
    shown = " ".join([typed, *before, without_trailing_punctuation(count)])
    if currency not in currencies_of(mark):
        read = f"{typed} {without_trailing_punctuation(count)}"
        try:
            parse_amount(read, currency)
        except InvalidInput as error:  # refused as the other currency, naming it as typed: `20 extra euros`
            raise InvalidInput(
                str(error).replace(f"`{echoed(read)}`", f"`{echoed(shown)}`", 1), field="amount"
            ) from None
    elif is_cents(mark):  # `20 extra cents`
        shown = escape_mrkdwn(shown)
        whole, cents = format_money(amount, currency), format_money(amount.scaleb(-2), currency)
        raise InvalidInput(f"`{shown}` could be {whole} or {cents}: write `{whole}` or `{cents}`.", field="amount")


def _amount(typed: str, words: list[str], category: str, currency: str) -> Decimal:
    """The amount typed first, taking from `words` the groups of one written `1 200` (refused whole, never logged
    as 1); the refusal then also says how to write a number after the amount that is not part of it. A mark of the
    sentence after it (`20,`, `$20.`, `20:`) ends the amount: `credit 20, sorry for the wait` is 20."""
    ended = without_trailing_punctuation(typed)
    if group := _group_after_a_mark(typed, ended, words):
        if typed[len(ended) :].startswith("."):
            raise InvalidInput(_point_before_a_group(ended, group, category), field="amount")
        typed = f"{ended} {group}"  # `1, 200`, `1 ,200`: refused as `1 200` is, never logged as 1
    elif ended != typed and ended[-1:].isdigit():
        return parse_amount(ended, currency)
    first = ended if group else typed
    while words and continues_amount(typed, words[0]):
        typed = f"{typed} {without_trailing_punctuation(words.pop(0))}"
    try:
        return parse_amount(typed, currency)
    except InvalidInput as error:
        if typed == first:
            raise
        after = escape_mrkdwn(typed.removeprefix(first).split()[0])
        example = f"/resolve {category} {escape_mrkdwn(first)} for {after} …"
        hint = f" If `{after}` is not part of the amount, put a word before it: `{example}`."
        raise InvalidInput(f"{error}{hint}", field=error.field) from None


def _point_before_a_group(ended: str, group: str, category: str) -> str:
    """`1. 200`: a full stop, then a space, may end the sentence or be a point between thousands (`1.200`), typed
    so by a phone's keyboard; read as the sentence's, 1 was logged where 1,200 may have been given."""
    shown, number, grouped = escape_mrkdwn(ended), escape_mrkdwn(f"{ended}{group}"), escape_mrkdwn(f"{ended},{group}")
    return (
        f"`{shown}. {escape_mrkdwn(group)}` could be {shown} or {grouped}: write `{number}` if that is the amount, "
        f"or put a word before `{escape_mrkdwn(group)}`: `/resolve {category} {shown} for {escape_mrkdwn(group)} …`."
    )


def _counts_something(group: str, after: list[str]) -> bool:
    """`20, 150 minutes wait`, `25. 100 percent our fault`: the group is a quantity of what follows it (a unit, a
    span of time, things counted: as a reference's digits are told apart), not thousands of the amount; before a
    currency (`1, 200 dollars`) it is the amount's."""
    if not after or is_currency_word(without_trailing_punctuation(after[0])) or is_currency_mark(after[0]):
        return False
    return counts(group, " ".join(after[:2]))


_THOUSANDS_MARKS = ","


def _group_after_a_mark(typed: str, ended: str, words: list[str]) -> str | None:
    """The group of three digits after a comma or a full stop set apart by a space (`1, 200`, `1 ,200`, `1 , 200`,
    `1. 200`), taken from `words`: typed as thousands, or the sentence's mark before a number, it may not be read as
    the amount 1 and a summary starting `200`, unless it counts what follows it (`20, 150 minutes wait`). After a
    full stop the group is thousands only ending the line or before a currency (`1. 200`, `1. 200 dollars`): with
    words after it, it starts the next sentence (`20. 404 error at checkout`)."""
    marks = typed[len(ended) :]
    if words and not words[0].strip(_THOUSANDS_MARKS):
        marks += words[0]
        taken = 2
    else:
        taken = 1
    if len(words) < taken:
        return None
    following = words[taken - 1]
    if len(following) > 2 and following[0] == following[-1] == ":":  # `5 :100:`: Slack's emoji, not a number
        return None
    group = following.lstrip(_THOUSANDS_MARKS)
    marks += following[: len(following) - len(group)]
    if not marks or (set(marks) - set(_THOUSANDS_MARKS) and marks != ".") or not continues_amount(ended, group):
        return None
    if _counts_something(without_trailing_punctuation(group), words[taken:]):
        return None
    if marks == "." and words[taken:] and not words_of_mark(group, words[taken:]):
        return None  # `20. 404 error at checkout`: the full stop ended the amount's sentence
    del words[:taken]
    return without_trailing_punctuation(group)
