"""Everyday /resolve lines whose amount is followed by a comma or a full stop and a count, a date or a word of what
happened, or by a number and a word that also multiplies (`5 grand total wrong`): each logs the amount typed, as it
always did; only lines really ambiguous about the amount are asked about (tests/unit/test_typed_amount_spelled.py)."""

from decimal import Decimal

import pytest

from services.errors import InvalidInput
from tests.unit.test_typed_amount_spelled import asked, read


@pytest.mark.parametrize(
    "typed",
    [
        "20, 1 item missing",
        "20. 1 item missing",
        "5. 1 coffee spilled",
        "45. 1 pizza cold",
        "20. 3 missing",
        "20. 2 cold",
        "30. 12 June order lost",
        "20. 12 noon slot",
        "10. 5 star customer",
        "5, 1 star review threat",
        "25. 2 of 3 boxes damaged",
        "20, 10 of them broken",
        "15, 2 for 1 deal",
        "30, 15 each",
        "5, 1 for each day",
        "10, 1 more time",
        "20. 6 pack broken",
        "20. 12 pack of water missing",
        "20. 40 error at checkout",
    ],
)
def test_a_comma_or_full_stop_then_a_number_before_what_happened_is_the_sentences(typed: str) -> None:
    """Each was asked "`20, 1` could be 20 or 20.1", though the comma or the full stop ends the amount's sentence."""
    number, summary = typed.split(maxsplit=1)

    assert read(typed) == (Decimal(number.rstrip(".,")), summary)


@pytest.mark.parametrize(
    "typed",
    [
        "50 grand opening voucher",
        "5 grand total wrong",
        "10 grand prix tickets",
        "5 Grand Central parking",
        "20 Thousand Oaks store",
        "3 Hundred Acre Wood book",
        "1 hundred piece puzzle",
        "2 thousand piece jigsaw",
        "3 hundred year egg",
        "1 million apologies",
        "5 thousand island dressing missing",
        "8 grand slam breakfast cold",
        "10 million dollar shake",
        "10 million dollar shake cold",
        "5 Million Dollar Baby dvd",
        "5 k cup pods",
        "3 k cups missing",
        "4 k tv remote",
    ],
)
def test_a_multiplier_before_a_word_of_what_happened_logs_the_number(typed: str) -> None:
    """Each was asked for in digits ($50,000 for a grand opening voucher), though the word is the thing's."""
    number, summary = typed.split(maxsplit=1)

    assert read(typed) == (Decimal(number), summary)


@pytest.mark.parametrize("typed", ["1 .200,50", "1 . 200,50", "1. 200,50"])
def test_a_point_set_apart_before_a_group_with_decimals_is_asked_as_a_space(typed: str) -> None:
    """Each was told "could be 1 or 1,200,50: write `120050`", a hundred times the amount given."""
    assert asked(typed).startswith("Write the amount without a space: `1200.50` or `1,200.50`, not `1 200,50`.")


@pytest.mark.parametrize(("typed", "currency", "sign"), [("12. 50$ order 5", "USD", "$"), ("12, 50€", "EUR", "€")])
def test_cents_set_apart_with_a_sign_on_them_are_asked_about(typed: str, currency: str, sign: str) -> None:
    """Each was logged as 12, `50$` put in what happened."""
    with pytest.raises(InvalidInput) as refused:
        read(typed, currency)

    assert f"could be {sign}12 or {sign}12.50: write `12.50`" in str(refused.value)


def test_pence_before_a_reference_say_what_else_they_could_be() -> None:
    assert asked("50p order 1234", "GBP") == (
        "`50p` before `order 1234` could be pence or a count: if you gave £0.50, write `£0.50`. Nothing was logged."
    )


@pytest.mark.parametrize("typed", ["£1.505p", "£0.5p"])
def test_pounds_with_pence_no_amount_can_be_are_not_understood(typed: str) -> None:
    """`£1.505p` was offered `£1.505`, `£0.5p` `£0.5`."""
    assert asked(typed, "GBP") == f"`{typed}` isn't an amount I understand. Use digits, like `45`, `45.50` or `£45`."
