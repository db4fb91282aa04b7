"""/resolve lines logged smaller than typed once a multiplier before a word was read as the thing's (`2 lakh late
delivery` as 2 rupees), offered a smaller amount (`5 hundred and fifty` $500), or asked about needlessly or in bare
numbers after a spaced point (`100. 00`, `$45. 5`): each is asked about, in money, or logged as typed where it is
right either way."""

from decimal import Decimal

import pytest

from tests.unit.test_typed_amount_spelled import asked, read


@pytest.mark.parametrize(
    ("typed", "number", "word"),
    [
        ("2 lakh late delivery", "2", "lakh"),
        ("2 lakh cash back", "2", "lakh"),
        ("2 lakh paid twice", "2", "lakh"),
        ("5 crore fraud", "5", "crore"),
        ("2 lac late delivery", "2", "lac"),
        ("1 lakh late", "1", "lakh"),
        ("1.5 lakh customer @lee", "1.5", "lakh"),
        ("1.5 lakh 2nd complaint", "1.5", "lakh"),
    ],
)
def test_lakh_or_crore_before_any_word_is_asked_about_with_how_to_keep_the_number(
    typed: str, number: str, word: str
) -> None:
    """Each was logged as 2, 5, 1 or 1.50 rupees: `lakh` and `crore` never name a thing."""
    text = asked(typed, "INR")

    assert text.startswith(f"`{number} {word}` is read as "), text
    assert f"put a word before `{word}`: `/resolve refund {number} for {word} …`. Nothing was logged." in text


@pytest.mark.parametrize(
    ("typed", "currency", "message"),
    [
        ("2 thousand paid twice", "USD", "`2 thousand` is read as $2: if you gave $2,000"),
        ("1.5 thousand late", "USD", "`1.5 thousand` is read as $1.50: if you gave $1,500"),
        ("1.5 grand late", "USD", "`1.5 grand` is read as $1.50: if you gave $1,500"),
        ("1.5 grand opening voucher", "USD", "`1.5 grand` is read as $1.50: if you gave $1,500"),
        ("5 thousand late", "JPY", "`5 thousand` is read as ¥5: if you gave ¥5,000"),
        ("2 grand cash", "USD", "`2 grand` is read as $2: if you gave $2,000"),
        ("2 grand back", "USD", "`2 grand` is read as $2: if you gave $2,000"),
        ("2 grand refund", "USD", "`2 grand` is read as $2: if you gave $2,000"),
        ("2 k late", "USD", "`2 k` is read as $2: if you gave $2,000"),
    ],
)
def test_a_multiplier_after_decimals_or_before_a_word_of_what_was_given_is_asked_about(
    typed: str, currency: str, message: str
) -> None:
    """Each was logged as the number before the multiplier ($2, $1.50, ¥5), as if the word were a thing's name."""
    text = asked(typed, currency)

    assert text.startswith(message), text
    assert "put a word before" in text
    assert text.endswith("Nothing was logged.")


@pytest.mark.parametrize("typed", ["2 grand <@U1> approved", "2 k <@U123> asked"])
def test_a_mention_after_a_multiplier_ends_the_amount_as_an_emoji_does(typed: str) -> None:
    """Each was logged as $2, while `2 grand :tada:` was asked about."""
    word = typed.split()[1]

    assert asked(typed) == (
        f"`2 {word}` is read as $2: if you gave $2,000, write it in digits, `/resolve refund 2000 …`. "
        "Nothing was logged."
    )


@pytest.mark.parametrize(
    ("typed", "phrase"),
    [
        ("5 hundred fifty", "5 hundred fifty"),
        ("5 hundred twenty five", "5 hundred twenty five"),
        ("2 thousand five hundred", "2 thousand five hundred"),
        ("5 hundred and fifty", "5 hundred and fifty"),
        ("2 thousand and 500", "2 thousand and 500"),
        ("2 thousand and fifty dollars", "2 thousand and fifty"),
        ("2 thousand, 500", "2 thousand, 500"),
        ("2 grand, fifty order 5", "2 grand, fifty"),
    ],
)
def test_an_amount_going_on_in_words_is_asked_for_in_digits_only(typed: str, phrase: str) -> None:
    """The first three were logged as $5 or $2; the next three offered $500 or $2,000, `and` read as ending them,
    and the last two $2,000, the comma read as ending them."""
    number = phrase.split()[0]

    assert asked(typed) == f"`{phrase}` is read as ${number}: write the amount you gave in digits. Nothing was logged."


@pytest.mark.parametrize(
    ("typed", "summary"), [("100. 00", "00"), ("100, 00", "00"), ("100. 00 order 5", "00 order 5")]
)
def test_no_cents_after_a_spaced_point_log_the_amount_as_it_is_either_way(typed: str, summary: str) -> None:
    """Each was asked "could be $100 or $100"."""
    assert read(typed) == (Decimal(100), summary)


@pytest.mark.parametrize(
    ("typed", "currency", "message"),
    [
        ("$45. 5", "USD", "`$45. 5` could be $45 or $45.50: write `$45.50` if that is the amount"),
        ("€45. 5", "EUR", "`€45. 5` could be €45 or €45.50: write `€45.50` if that is the amount"),
        ("USD 45. 5", "USD", "`USD 45. 5` could be $45 or $45.50: write `USD 45.50` if that is the amount"),
    ],
)
def test_a_marked_amount_before_spaced_cents_is_asked_about_in_money(typed: str, currency: str, message: str) -> None:
    """Each was asked "could be $45 or $45.5: write `$45.5`"."""
    assert asked(typed, currency).startswith(message)


def test_no_whole_before_spaced_cents_offers_only_the_cents() -> None:
    """It was offered "$0 or $0.99", though $0 is no amount."""
    assert asked("0. 99") == "`0. 99` could be $0.99: write `0.99` if that is the amount. Nothing was logged."


@pytest.mark.parametrize(("typed", "cents"), [("12. 50 <@U123>", "12.50"), ("20. 30 <@U01>", "20.30")])
def test_a_mention_after_spaced_cents_is_asked_about_as_an_emoji_is(typed: str, cents: str) -> None:
    """Each was logged as $12 or $20, while `20. 50 :sob:` was asked about."""
    assert asked(typed).startswith(f"`{typed.split(' <')[0]}` could be ${typed.split('.')[0]} or ${cents}")
