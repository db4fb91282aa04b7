"""An amount with a space on either side of its comma or point (`1, 200`, `1 .200`, `1 . 200`, `12. 50`), as a
phone's keyboard types it: read apart, the number before the space was logged alone ($1 for $1,200, $12 for $12.50)."""

import re
from dataclasses import dataclass
from decimal import Decimal

from services.currency_marks import currencies_of, split_mark, words_of_mark
from services.emoji import is_emoji
from services.errors import InvalidInput
from services.money import (
    continues_amount,
    decimals_of,
    format_money,
    is_currency_mark,
    is_currency_word,
    without_trailing_punctuation,
)
from services.resolutions.amount_multipliers import AMOUNTS_END, MENTION
from services.resolutions.reference_parts import counts, is_linking
from services.text import escape_mrkdwn

_MARKS = ".,"
_CENTS = re.compile(r"\d{1,2}")
_WHOLE = re.compile(r"\d+")


@dataclass(frozen=True)
class _Spaced:
    """The marks between the amount and the digits after it, the digits, and how many words hold them."""

    marks: str
    digits: str
    taken: int

    def as_typed(self, typed: str, words: list[str]) -> str:
        """The amount as typed with its spaced mark and digits, to quote back, without the sentence's last mark."""
        return without_trailing_punctuation(" ".join([typed, *words[: self.taken]]))


def _spaced(typed: str, ended: str, words: list[str]) -> _Spaced | None:
    """A comma or a point set apart from the digits that follow the amount (`1, 200`, `1 ,200`, `1 . 200`): one kind
    of mark only, a lone full stop or any commas. A Slack emoji (`5 :100:`) is no number."""
    marks, taken = typed[len(ended) :], 1
    if words and not words[0].strip(_MARKS):
        marks, taken = marks + words[0], 2
    if len(words) < taken:
        return None
    following = words[taken - 1]
    if len(following) > 2 and following[0] == following[-1] == ":":
        return None
    digits = following.lstrip(_MARKS)
    marks += following[: len(following) - len(digits)]
    if not marks or (set(marks) - {","} and marks != "."):
        return None
    return _Spaced(marks, without_trailing_punctuation(digits), taken)


def _counts_something(group: str, after: list[str]) -> bool:
    """`20, 150 minutes wait`, `25. 100 percent our fault`: the group is a quantity of what follows it (a unit, a
    span of time, things counted: as a reference's digits are told apart), not part of the amount; before a
    currency (`1, 200 dollars`) it is the amount's."""
    if not after or is_currency_word(without_trailing_punctuation(after[0])) or is_currency_mark(after[0]):
        return False
    return counts(group, " ".join(after[:2]))


def group_of_thousands(typed: str, ended: str, words: list[str], category: str, currency: str) -> str | None:
    """The group of three digits after a comma set apart by a space (`1, 200`, `1 ,200`, `1 , 200`), taken from
    `words`, to be refused whole as `1 200` is, unless it counts what follows it (`20, 150 minutes wait`). After a
    point it could be 1 or 1,200, and is asked about; a full stop ending the amount before the group and more words
    starts the next sentence (`20. 404 error at checkout`)."""
    spaced = _spaced(typed, ended, words)
    if spaced is None or not continues_amount(ended, spaced.digits):
        return None
    after = words[spaced.taken :]
    if _counts_something(spaced.digits, after):
        return None
    if typed[len(ended) :] == "." and after and not words_of_mark(spaced.digits, after):
        return None
    if spaced.marks == "." and "," not in spaced.digits:  # `1 .200,50` is `1 200,50`, its comma the decimals'
        asked = _could_be(spaced.as_typed(typed, words), ended, spaced.digits, ",", category, currency)
        raise InvalidInput(asked, field="amount")
    del words[: spaced.taken]
    return spaced.digits


def refuse_spaced_cents(typed: str, ended: str, words: list[str], category: str, currency: str) -> None:
    """`12. 50`, `12 .50`, `12 , 50`: one or two digits after a point or a comma set apart may be the cents of the
    amount, asked about, never logged as 12, where nothing says otherwise (`_may_be_cents`); unless they count what
    follows (`20. 3 items missing`), or the currency has no cents."""
    spaced = _spaced(typed, ended, words)
    whole = split_mark(ended)[0]
    if spaced is None or not (_WHOLE.fullmatch(whole) and ended[-1].isdigit()):
        return
    digits, sign = split_mark(spaced.digits)
    if not _CENTS.fullmatch(digits) or not digits.strip("0") or decimals_of(currency) == 0:
        return  # `100. 00` is 100 either way
    after = [sign, *words[spaced.taken :]] if sign else words[spaced.taken :]
    if _counts_something(digits, after) or not _may_be_cents(digits, after, apart=typed == ended):
        return
    raise InvalidInput(_could_be(spaced.as_typed(typed, words), ended, digits, ".", category, currency), field="amount")


def _may_be_cents(digits: str, after: list[str], *, apart: bool) -> bool:
    """`12 .50 order 5`, `12 . 50 sorry`: a mark set apart from the amount is the digits' point. A full stop or a
    comma typed onto the amount then a space is the sentence's mark before a word of what happened (`20. 1 item
    missing`, `30. 12 June order lost`, `20, 10 of them broken`); only where the line ends, before a currency
    (`12. 50$`), or for two digits before a reference, a linking word or an emoji (`12. 50 order 5`, `12. 50 for
    the wait`, `12. 50 <@U1>`) could they be the cents."""
    if apart or not after or is_currency_mark(after[0]) or is_currency_word(without_trailing_punctuation(after[0])):
        return True
    if len(digits) == 1:
        return False
    following = without_trailing_punctuation(after[0])
    linking = is_linking(following) and following.lower() != "of"
    return bool(AMOUNTS_END.match(after[0])) or linking or is_emoji(after[0]) or bool(MENTION.match(after[0]))


def _could_be(as_typed: str, ended: str, digits: str, joint: str, category: str, currency: str) -> str:
    """`1. 200` could be $1 or $1,200 (`joint` a comma), `12. 50`, `$12. 50` $12 or $12.50 (a point): as money in
    the currency its mark names, the number to write for the second, and how to keep the first; `0. 99` only $0.99,
    as $0 is no amount."""
    whole, mark = split_mark(ended)
    written = f"{whole}{joint}{digits}".replace(",", "")
    first, second = ended, f"{ended}{joint}{digits}"
    money = _currency_marked(mark, currency)
    if money is not None and whole.isdigit():  # `20, 1`, `$45. 5`: as money, as every other answer shows an amount
        amount = Decimal(written)
        first, second = format_money(Decimal(whole), money), format_money(amount, money)
        written = f"{amount:.{decimals_of(money)}f}" if joint == "." else written
    written = escape_mrkdwn(ended.replace(whole, written, 1))
    shown, group, number = escape_mrkdwn(as_typed), escape_mrkdwn(digits), escape_mrkdwn(ended)
    if whole.isdigit() and int(whole) == 0:
        return (
            f"`{shown}` could be {escape_mrkdwn(second)}: write `{written}` if that is the amount. Nothing was logged."
        )
    return (
        f"`{shown}` could be {escape_mrkdwn(first)} or {escape_mrkdwn(second)}: write `{written}` if that is the "
        f"amount, or put a word before `{group}`: `/resolve {category} {number} for {group} …`. Nothing was logged."
    )


def _currency_marked(mark: str | None, currency: str) -> str | None:
    """The currency of an amount: the policy's, unmarked or marked as it; else the one its mark names, if one."""
    if mark is None:
        return currency
    named = currencies_of(mark)
    if currency in named:
        return currency
    return named[0] if len(named) == 1 else None
