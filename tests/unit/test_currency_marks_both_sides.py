"""An amount marked on both sides (`¥20000 USD`, `£2000 pence`), and amounts typed in ways that were slow or crashed."""

import re
import time
from decimal import Decimal

import pytest

from services.currency_marks import words_of_mark
from services.errors import InvalidInput
from services.money import parse_amount
from services.resolutions.typed_amount import read_amount


@pytest.mark.parametrize(
    ("typed", "currency", "before", "after"),
    [
        ("¥20000 USD", "JPY", "(read as JPY)", "(read as USD)"),
        ("₹500 USD", "INR", "(read as INR)", "(read as USD)"),
        ("Rs500 USD", "INR", "(`Rs` could be INR, PKR, LKR or NPR)", "(read as USD)"),
        ("kr200 EUR", "SEK", "(`kr` could be SEK, NOK, DKK or ISK)", "(read as EUR)"),
        ("€20 USD", "EUR", "(read as EUR)", "(read as USD)"),
        ("£20 USD", "GBP", "(read as GBP)", "(read as USD)"),
        ("$20 EUR", "USD", "(`$` could be USD, CAD, AUD, NZD or MXN)", "(read as EUR)"),
        ("$20 euros", "USD", "(`$` could be USD, CAD, AUD, NZD or MXN)", "(read as EUR)"),
        ("$20 ZAR", "USD", "(`$` could be USD, CAD, AUD, NZD or MXN)", "(read as ZAR)"),
        ("$20 HKD", "USD", "(`$` could be USD, CAD, AUD, NZD or MXN)", "(read as HKD)"),
        ("$2000 yen", "CAD", "(`$` could be USD, CAD, AUD, NZD or MXN)", "(read as JPY)"),
    ],
)
def test_a_sign_and_another_currency_after_it_are_refused_naming_both(
    typed: str, currency: str, before: str, after: str
) -> None:
    """Either may be the one given: logged in the policy's, `¥20000 USD` was ¥20,000."""
    sign, mark = typed.split()[0].rstrip("0123456789"), typed.split()[1]
    message = (
        f"Your limits are in {currency}, and `{typed}` names two currencies, `{sign}` {before} and `{mark}` {after}"
    )
    with pytest.raises(InvalidInput, match=re.escape(message)):
        parse_amount(typed, currency)


@pytest.mark.parametrize(
    ("amount", "words", "taken"),
    [
        ("¥20000", ["USD", "sorry"], 1),
        ("$20", ["euros", "sorry"], 1),
        ("$20", ["in", "EUR", "sorry"], 2),
        ("$2000", ["yen"], 1),
        ("$20", ["rand", "said", "thanks"], 1),
        ("$20", ["Rand", "said", "thanks"], 0),
        ("$20", ["Yen", "said", "thanks"], 0),
        ("$20", ["Yuan", "said", "thanks"], 0),
        ("£2000", ["pence"], 1),
    ],
)
def test_another_currency_after_a_sign_is_taken_to_be_refused_unless_a_name(
    amount: str, words: list[str], taken: int
) -> None:
    assert words_of_mark(amount, words) == taken


@pytest.mark.parametrize(
    ("typed", "currency", "whole", "cents"),
    [
        ("£2000 pence", "GBP", "£20", "2000 pence"),
        ("£ 2000 pence", "GBP", "£20", "2000 pence"),
        ("GBP2000 pence", "GBP", "GBP 20", "2000 pence"),
        ("£20 pence", "GBP", "£0.20", "20 pence"),
        ("$2000 cents", "USD", "$20", "2000 cents"),
        ("$20 cents", "USD", "$0.20", "20 cents"),
        ("USD 20 cents", "USD", "USD 0.20", "20 cents"),
        ("¢20 USD", "USD", "USD 0.20", "20¢"),
    ],
)
def test_a_sign_or_code_with_cents_is_refused_as_either(typed: str, currency: str, whole: str, cents: str) -> None:
    """`£2000 pence` was logged as £20, `£ 2000 pence` as £2,000: which was meant is not known."""
    with pytest.raises(
        InvalidInput,
        match=re.escape(f"`{typed}` is marked both") + ".*" + re.escape(f"write `{whole}` or `{cents}`, not both"),
    ):
        parse_amount(typed, currency)


@pytest.mark.parametrize("words", [["£", "2000", "pence", "stamps"], ["£2000", "pence", "stamps"]])
def test_a_sign_typed_apart_with_pence_is_refused_too(words: list[str]) -> None:
    with pytest.raises(InvalidInput, match=re.escape("write `£20` or `2000 pence`, not both")):
        read_amount(words, "refund", "GBP")


def test_a_long_run_of_spaces_after_an_amount_reads_quickly() -> None:
    """The trailing marks' leading spaces were tried again at each space: 3,000 of them took seconds."""
    started = time.perf_counter()
    with pytest.raises(InvalidInput):
        parse_amount("20" + " " * 3997 + "x", "USD")
    assert time.perf_counter() - started < 1


def test_a_long_line_of_groups_of_thousands_reads_quickly() -> None:
    words = ("1 " + "200 " * 1000)[:4000].split()
    started = time.perf_counter()
    with pytest.raises(InvalidInput):
        read_amount(words, "refund", "USD")
    assert time.perf_counter() - started < 1


@pytest.mark.parametrize("words", [["፩", "Rand"], ["2፩", "Rand"], ["𐩀", "Yen"]])
def test_digits_of_other_scripts_before_a_name_are_refused_not_a_crash(words: list[str]) -> None:
    with pytest.raises(
        InvalidInput, match=re.escape(f"Your limits are in USD, and `{' '.join(words)}` is not (read as")
    ):
        read_amount([*words, "said", "thanks"], "refund", "USD")


@pytest.mark.parametrize(("currency", "amount"), [("GBP", "0.20"), ("USD", "0.20")])
def test_pennies_are_hundredths(currency: str, amount: str) -> None:
    """Read whole (`pennies` is no `pennie`), `20 pennies` was 20."""
    assert parse_amount("20 pennies", currency) == Decimal(amount)
    words = ["20", "pennies", "stamp"]
    assert read_amount(words, "refund", currency) == Decimal(amount)
    assert words == ["stamp"]


def test_pennies_on_a_policy_in_another_currency_are_refused() -> None:
    message = "Your limits are in JPY, and `20 pennies` is not (pennies of GBP or USD)"
    with pytest.raises(InvalidInput, match=re.escape(message)):
        parse_amount("20 pennies", "JPY")


@pytest.mark.parametrize(
    ("typed", "currency", "read_as"),
    [
        ("20 dollars USD sorry", "CAD", "USD"),
        ("20 $ USD", "MXN", "USD"),
        ("20000 yen, USD", "JPY", "USD"),
        ("500 Rs USD", "INR", "USD"),
        ("200 kr EUR", "SEK", "EUR"),
        ("20 dollars in EUR", "USD", "EUR"),
    ],
)
def test_a_second_currency_after_the_amounts_mark_is_read_with_it_and_refused(
    typed: str, currency: str, read_as: str
) -> None:
    """Left in the summary, `20 dollars USD` was logged as CA$20 under a Canadian dollar policy."""
    with pytest.raises(InvalidInput, match=f"read as {read_as}"):
        read_amount(typed.split(), "refund", currency)


def test_a_word_after_the_amounts_mark_that_names_no_currency_stays_in_the_summary() -> None:
    words = ["20", "dollars", "all", "good"]
    assert read_amount(words, "refund", "USD") == Decimal(20)
    assert words == ["all", "good"]


@pytest.mark.parametrize(("typed", "currency"), [("$20 in (EUR)", "USD"), ("¥2000 in (USD)", "JPY")])
def test_a_currency_in_brackets_after_in_is_read_after_a_sign_and_refused(typed: str, currency: str) -> None:
    """`(in EUR)` was read, `in (EUR)` was not: `$20 in (EUR)` was logged as $20."""
    other = typed.split("(")[1].rstrip(")")
    words = [*typed.split(), "sorry"]
    assert words_of_mark(words[0], words[1:]) == 2
    with pytest.raises(InvalidInput, match=re.escape(f"names two currencies, `{typed[0]}`")) as refused:
        read_amount(words, "refund", currency)
    assert f"and `{other}` (read as {other})" in str(refused.value)


def test_a_currency_in_brackets_after_in_is_read_without_a_sign_too() -> None:
    with pytest.raises(InvalidInput, match=re.escape("Your limits are in USD, and `20 in (EUR)` is not (read as EUR)")):
        read_amount(["20", "in", "(EUR),", "sorry"], "refund", "USD")
