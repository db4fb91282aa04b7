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
    not_understood,
    parse_amount,
    without_trailing_punctuation,
)
from services.resolutions.amount_multipliers import AMOUNTS_END, ends_the_amount, refuse_a_multiplier
from services.resolutions.reference_parts import is_linking
from services.resolutions.spaced_amounts import group_of_thousands, refuse_spaced_cents
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
    refuse_a_multiplier(typed, amount, words, category, currency)
    _refuse_a_letter_before_a_noun(typed, amount, words, currency)
    return amount


_NUMBER_AND_LETTER = re.compile(r"\d+(?:\.\d+)?[cp]")


def _refuse_a_letter_before_a_noun(typed: str, amount: Decimal, words: list[str], currency: str) -> None:
    """`3p plug missing`, `replacement 3p order 55`: a letter cents or pence are written with, before a word of what
    happened or a reference, may as well be the thing's (a three-pin plug, three parts): refused as not understood, as
    it was before `50p` was read, never logged as £0.03 with `3p` out of what happened. Ending the line or a sentence,
    or before a linking word (`50p`, `50p, sorry`, `50p for the bus`), it is the amount."""
    ended = without_trailing_punctuation(typed)
    if not _NUMBER_AND_LETTER.fullmatch(ended) or ended != typed or not words:
        return
    if is_linking(without_trailing_punctuation(words[0])):
        return
    marked = escape_mrkdwn(format_money(amount, currency))
    if AMOUNTS_END.match(words[0]):  # `50p order 1234`: fifty parts, or 50 pence
        named = words[0] if any(c.isdigit() for c in words[0]) else " ".join(words[:2])
        hundredths = "pence" if ended.endswith("p") else "cents"
        raise InvalidInput(
            f"`{escape_mrkdwn(typed)}` before `{escape_mrkdwn(without_trailing_punctuation(named))}` could be "
            f"{hundredths} or a count: if you gave {marked}, write `{marked}`. Nothing was logged.",
            field="amount",
        )
    raise InvalidInput(f"{not_understood(typed, currency)} If you gave {marked}, write `{marked}`.", field="amount")


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
    if not named.lower().endswith("s") and not ends_the_amount(named, after):
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
    refuse_spaced_cents(typed, ended, words, category, currency)
    if group := group_of_thousands(typed, ended, words, category, currency):
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
