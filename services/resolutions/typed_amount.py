"""The amount at the front of a fix typed after /resolve, with the mark saying its currency however it is typed
(`$ 45`, `45 CAD`, `45 euros`, `45 US dollars`, `45 (in USD)`), and its thousands however they are grouped."""

from decimal import Decimal

from services.currency_marks import is_also_a_name, split_mark, words_of_mark
from services.errors import InvalidInput
from services.money import (
    continues_amount,
    format_money,
    is_currency_mark,
    parse_amount,
    without_trailing_punctuation,
)
from services.text import escape_mrkdwn


def read_amount(words: list[str], category: str, currency: str) -> Decimal:
    """The amount the words start with, taken from them with its mark when typed apart; a currency word that is also
    a name (`credit 20 Rand said thanks`) is refused as the currency it names, saying how to keep it a name."""
    typed = words.pop(0)
    if words and is_currency_mark(typed):  # `$ 45`, `USD 45`
        typed = f"{typed} {words.pop(0)}"
    for _ in range(2):  # `45 CAD`, `45 euros, sorry`, `45 US dollars`, `45 (in USD)`, and a second mark read with the
        if not (taken := words_of_mark(typed, words)):  # first, `20 dollars USD`: a third is the summary's, as each
            break  # word taken had the whole line read again
        typed = " ".join([typed, *words[:taken]])
        del words[:taken]
    try:
        return _amount(typed, words, category, currency)
    except InvalidInput as error:
        number, mark = split_mark(without_trailing_punctuation(typed))
        if mark is None or not is_also_a_name(mark) or not number.replace(".", "", 1).isdecimal():
            raise
        marked = escape_mrkdwn(f"{format_money(Decimal(number), currency)} {mark}")
        hint = f" If `{escape_mrkdwn(mark)}` is someone's name, mark the amount: `/resolve {category} {marked} …`."
        raise InvalidInput(f"{error}{hint}", field=error.field) from None


def _amount(typed: str, words: list[str], category: str, currency: str) -> Decimal:
    """The amount typed first, taking from `words` the groups of one written `1 200` (refused whole, never logged
    as 1); the refusal then also says how to write a number after the amount that is not part of it. A mark of the
    sentence after it (`20,`, `$20.`, `20:`) ends the amount: `credit 20, sorry for the wait` is 20."""
    ended = without_trailing_punctuation(typed)
    if group := _group_after_a_mark(typed, ended, words):
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


_THOUSANDS_MARKS = ","


def _group_after_a_mark(typed: str, ended: str, words: list[str]) -> str | None:
    """The group of three digits after a comma set apart by a space (`1, 200`, `1 ,200`, `1 , 200`), taken from
    `words`: typed as thousands, or the sentence's comma before a number, it may not be read as
    the amount 1 and a summary starting `200`."""
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
    if not marks or set(marks) - set(_THOUSANDS_MARKS) or not continues_amount(ended, group):
        return None
    del words[:taken]
    return without_trailing_punctuation(group)
