"""Amounts typed so that the number first read is smaller than the one given: a word that multiplies it (`2 thousand
for order 1234`), a point or a comma set apart from its digits (`1 .200`, `12. 50`), pence before a reference
(`3p order 55`). Each is asked about, never logged as the smaller number; lines that were right stay so."""

import re
from decimal import Decimal

import pytest

from services.errors import InvalidInput
from services.money import parse_amount
from services.policy.versions import BoundaryRule
from services.resolutions.typed import OneLiner, to_request

REFUND = BoundaryRule(category="refund", description="money back", per_incident=Decimal(150))


def read(typed: str, currency: str = "USD") -> tuple[Decimal, str]:
    request = to_request(OneLiner(category="refund", words=typed.split()), REFUND, currency)
    return request.amount, request.summary


def asked(typed: str, currency: str = "USD") -> str:
    with pytest.raises(InvalidInput) as refused:
        read(typed, currency)
    return str(refused.value)


@pytest.mark.parametrize(
    ("typed", "currency", "digits"),
    [
        ("2 thousand for order 1234", "USD", "2000"),
        ("2 grand to Lee", "USD", "2000"),
        ("2 Thousand", "USD", "2000"),
        ("2 GRAND, sorry", "USD", "2000"),
        ("2 grand :tada:", "USD", "2000"),
        ("2 thousand yen refund", "JPY", "2000"),
        ("3 hundred for the wait", "USD", "300"),
        ("1 hundred", "USD", "100"),
        ("1 lakh order 5", "INR", "100000"),
        ("1 lac", "INR", "100000"),
        ("2 k order 5", "USD", "2000"),
        ("2 thousands dollars", "USD", "2000"),
        ("$2 thousand", "USD", "2000"),
        ("2 thousand order 5", "USD", "2000"),
    ],
)
def test_a_number_then_a_word_that_multiplies_it_is_asked_for_in_digits(typed: str, currency: str, digits: str) -> None:
    """Each was logged as 2 (3, 1), the multiplying word put in what happened, when it did not end the amount or was
    written in capitals."""
    assert f"write it in digits, `/resolve refund {digits} …`." in asked(typed, currency)


def test_a_multiplier_ending_the_amount_is_asked_for_in_digits_only() -> None:
    assert asked("2 grand :tada:") == (
        "`2 grand` is read as $2: if you gave $2,000, write it in digits, `/resolve refund 2000 …`. Nothing was logged."
    )


@pytest.mark.parametrize(
    ("typed", "currency", "message"),
    [
        ("10 million dollars", "USD", "`10 million` is read as $10: write the amount you gave in digits."),
        ("1 crore", "INR", "`1 crore` is read as 1 INR: write the amount you gave in digits."),
        ("2 lakhs order 5", "INR", "`2 lakhs` is read as 2 INR: write the amount you gave in digits."),
        ("2 hundred thousand", "USD", "`2 hundred thousand` is read as $2: write the amount you gave in digits."),
        ("2 thousand 500", "USD", "`2 thousand 500` is read as $2: write the amount you gave in digits."),
    ],
)
def test_an_amount_in_words_no_fix_can_be_or_going_on_is_asked_for_in_digits_only(
    typed: str, currency: str, message: str
) -> None:
    """`10 million dollars` was offered $10,000,000, then refused as more than any fix; `2 hundred thousand` was
    offered $200, `2 thousand 500` $2,000."""
    assert asked(typed, currency) == f"{message} Nothing was logged."


@pytest.mark.parametrize(
    "typed", ["20 thousands of apologies", "4 hundreds and thousands missing", "20 grandchildren waiting", "20 kg bag"]
)
def test_a_plural_counting_things_or_a_longer_word_is_what_happened(typed: str) -> None:
    amount, summary = read(typed)

    assert (amount, summary) == (Decimal(typed.split()[0]), typed.split(maxsplit=1)[1])


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1 .200", "`1 .200` could be $1 or $1,200: write `1200` if that is the amount"),
        ("1 . 200 order 5", "`1 . 200` could be $1 or $1,200: write `1200` if that is the amount"),
        ("1 .200 for the wait", "`1 .200` could be $1 or $1,200"),
        ("12. 50", "`12. 50` could be $12 or $12.50: write `12.50` if that is the amount"),
        ("12. 50 for the wait", "`12. 50` could be $12 or $12.50"),
        ("12. 50 order 5", "`12. 50` could be $12 or $12.50"),
        ("12, 50 :pray:", "`12, 50` could be $12 or $12.50"),
        ("20, 1", "`20, 1` could be $20 or $20.10: write `20.10`"),
        ("20. 1.", "`20. 1` could be $20 or $20.10: write `20.10`"),
        ("20. 1 dollars", "`20. 1` could be $20 or $20.10"),
        ("12. 50$ order 5", "`12. 50$` could be $12 or $12.50"),
        ("12 .50", "`12 .50` could be $12 or $12.50"),
        ("12 . 5", "`12 . 5` could be $12 or $12.50: write `12.50` if that is the amount"),
        ("12 . 50 sorry", "`12 . 50` could be $12 or $12.50"),
        ("1 .200.", "`1 .200` could be $1 or $1,200"),
        ("12, 50", "`12, 50` could be $12 or $12.50"),
        ("12 ,50 order 5", "`12 ,50` could be $12 or $12.50"),
        ("$12. 50", "`$12. 50` could be $12 or $12.50: write `$12.50` if that is the amount"),
    ],
)
def test_a_point_or_comma_set_apart_from_the_digits_after_the_amount_is_asked_about(typed: str, message: str) -> None:
    """Each was logged as the number before the space: $1 for $1,200, $12 for $12.50."""
    text = asked(typed)

    assert text.startswith(message), text
    assert "or put a word before" in text
    assert text.endswith("Nothing was logged.")


def test_the_way_offered_to_keep_the_number_before_the_space_logs_it() -> None:
    assert "put a word before `50`: `/resolve refund 12 for 50 …`." in asked("12. 50")
    assert read("12 for 50 minutes") == (Decimal(12), "for 50 minutes")


@pytest.mark.parametrize(
    ("typed", "currency", "summary"),
    [
        ("20. 3 items missing", "USD", "3 items missing"),
        ("20, 15 minutes wait", "USD", "15 minutes wait"),
        ("20. 404 error at checkout", "USD", "404 error at checkout"),
        ("20, 150 minutes wait", "USD", "150 minutes wait"),
        ("20, sorry", "USD", "sorry"),
        ("20. 5 stars anyway", "USD", "5 stars anyway"),
        ("12. 50", "JPY", "50"),
        ("12. 50 sorry for the wait", "USD", "50 sorry for the wait"),
    ],
)
def test_a_count_after_the_amounts_mark_or_digits_a_currency_cannot_hold_stay_what_happened(
    typed: str, currency: str, summary: str
) -> None:
    assert read(typed, currency) == (Decimal(typed.split()[0].rstrip(".,")), summary)


@pytest.mark.parametrize("typed", ["3p order 55", "50p order 5", "20c #12"])
def test_a_letter_of_cents_before_a_reference_is_asked_about(typed: str) -> None:
    """`replacement 3p order 55` (three parts) was logged as £0.03, with only `order 55` for what happened."""
    number = typed.split()[0]
    hundredths = f"0.{int(number[:-1]):02d}"

    text = asked(typed, "GBP" if number.endswith("p") else "EUR")

    assert f"`{number}` before `{typed.split(maxsplit=1)[1]}` could be " in text
    assert re.search(rf"if you gave .{re.escape(hundredths)}, write `.{re.escape(hundredths)}`\.", text)


@pytest.mark.parametrize(
    ("typed", "amount"), [("50p", "0.50"), ("50p, sorry", "0.50"), ("50p for the bus", "0.50"), ("£20", "20")]
)
def test_pence_ending_the_amount_are_still_read(typed: str, amount: str) -> None:
    assert read(typed, "GBP")[0] == Decimal(amount)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("£1.50p", "`£1.50p` is marked both `£` and `p`: write `£1.50`."),
        ("£1.5p", "`£1.5p` is marked both `£` and `p`: write `£1.5`."),
        ("£2000 pence", "`£2000 pence` is marked both `£` and `pence`: write `£20` or `2000 pence`, not both."),
        ("£50p", "`£50p` is marked both `£` and `p`: write `£0.50` or `50p`, not both."),
    ],
)
def test_pounds_with_pence_are_offered_only_amounts_they_can_be(typed: str, message: str) -> None:
    """`£1.50p` was offered `£0.02` (1.50 pence, rounded), a fiftieth of what was given."""
    with pytest.raises(InvalidInput, match=re.escape(message)):
        parse_amount(typed, "GBP")
