"""Amounts once logged wrong or refused though plain: a country's word before a currency's, a currency's name after
another's sign, cents as a letter, two marks after the number, a full stop set apart, and `/-`."""

import re
from decimal import Decimal

import pytest

from services.errors import InvalidInput
from services.money import names_money, parse_amount
from services.resolutions.typed_amount import read_amount


@pytest.mark.parametrize(
    ("typed", "currency", "read_as"),
    [
        ("20 Trinidad dollars sorry", "USD", "TTD"),
        ("20 Trinidadian dollars sorry", "USD", "TTD"),
        ("20 trinidad and tobago dollars sorry", "USD", "TTD"),
        ("20 Barbadian dollars sorry", "CAD", "BBD"),
        ("20 Bahamian dollars sorry", "USD", "BSD"),
        ("20 Bermudian dollars sorry", "USD", "BMD"),
        ("20 Solomon Islands dollars sorry", "AUD", "SBD"),
        ("20 Surinamese dollars sorry", "USD", "SRD"),
        ("20 Zimbabwe dollars sorry", "USD", "ZWL"),
        ("20 East Caribbean dollars sorry", "USD", "XCD"),
        ("20 Falkland pounds sorry", "GBP", "FKP"),
    ],
)
def test_dollars_or_pounds_of_a_country_of_the_table_are_refused_as_its_currency(
    typed: str, currency: str, read_as: str
) -> None:
    """`20 Trinidad dollars` was logged as $20: the country's word was unknown, and `dollars` read as the policy's."""
    with pytest.raises(InvalidInput, match=re.escape(f"is not (read as {read_as})")):
        read_amount(typed.split(), "refund", currency)


@pytest.mark.parametrize(
    ("sentence", "currency"),
    [
        ("20 Canadian bucks sorry", "CAD"),
        ("20 Cdn dollars", "CAD"),
        ("20 Canadian Tire dollars", "CAD"),
        ("20 AU dollars", "AUD"),
        ("20 USA dollars", "USD"),
        ("20 United States dollars", "USD"),
        ("20 US bucks", "USD"),
        ("20 Welsh pounds", "GBP"),
        ("20 Irish euros", "EUR"),
        ("20 St Kitts dollars sorry", "USD"),
        ("$20 Amazon dollars", "USD"),
        ("10 quarter pound burger", "USD"),
        ("20 ten pound bag", "USD"),
        ("12 silver dollar pancakes", "USD"),
        ("20 reward dollars", "USD"),
    ],
)
def test_a_word_the_table_does_not_know_before_a_currency_is_what_happened(sentence: str, currency: str) -> None:
    """Each was asked about as `X` is no country I know, though it named the policy's currency or none at all."""
    words = sentence.split()
    assert read_amount(words, "refund", currency) == Decimal(sentence.split()[0].lstrip("$"))
    assert words == sentence.split()[1:]


@pytest.mark.parametrize(
    "sentence", ["20 extra dollars sorry", "20 more dollars", "20 whole dollars", "20 per pound", "20 to Dollar Tree"]
)
def test_a_word_of_how_much_or_a_linking_word_before_a_currency_leaves_the_amount_the_policys(sentence: str) -> None:
    words = sentence.split()
    assert read_amount(words, "refund", "USD") == 20
    assert words == sentence.split()[1:]


def test_another_currency_after_a_word_of_how_much_is_refused_and_cents_asked_about() -> None:
    with pytest.raises(
        InvalidInput, match=re.escape("Your limits are in USD, and `20 extra euros` is not (read as EUR)")
    ):
        read_amount(["20", "extra", "euros", "sorry"], "refund", "USD")
    with pytest.raises(InvalidInput, match=re.escape("`20 extra cents` could be $20 or $0.20")):
        read_amount(["20", "extra", "cents"], "refund", "USD")


def test_a_currencys_name_ending_the_line_after_another_currencys_sign_is_refused() -> None:
    """`¥20000 Rand` was logged as ¥20,000, `Rand` kept as someone's name: rand may have been given."""
    hint = "If `Rand` is someone's name, put a word before it: `/resolve credit ¥20,000 for Rand …`."
    with pytest.raises(InvalidInput, match=re.escape("`¥20000 Rand` names two currencies") + ".*" + re.escape(hint)):
        read_amount(["¥20000", "Rand"], "credit", "JPY")


@pytest.mark.parametrize(
    "after", [["sorry"], ["for", "the", "wait"], ["upset"], ["from", "billing"], ["(VIP)"], ["-", "late"], ["Nguyen"]]
)
def test_a_currencys_name_after_another_currencys_sign_with_words_after_it_is_someone(after: list[str]) -> None:
    """Only before one of a few verbs (`was`, `said`) was the name read as one: `$20 Rand sorry` was refused."""
    words = ["¥20000", "Rand", *after]
    assert read_amount(words, "credit", "JPY") == 20000
    assert words == ["Rand", *after]
    named = ["$20", "Naira."]
    assert read_amount(named, "credit", "USD") == 20
    assert named == ["Naira."]


def test_an_unmarked_name_is_told_to_mark_the_amount_or_put_a_word_before_it() -> None:
    with pytest.raises(InvalidInput, match=re.escape("mark the amount: `/resolve credit ¥20 Rand …`")):
        read_amount(["20", "Rand", "sorry"], "credit", "JPY")
    assert read_amount(["¥20", "Rand", "sorry"], "credit", "JPY") == 20
    with pytest.raises(InvalidInput, match=re.escape("put a word before it: `/resolve credit ¥20 for Rand …`")):
        read_amount(["20", "Rand"], "credit", "JPY")


@pytest.mark.parametrize(
    ("typed", "currency", "amount"),
    [("50p", "GBP", "0.50"), ("20c", "USD", "0.20"), ("20c", "EUR", "0.20"), ("5c", "ZAR", "0.05")],
)
def test_cents_and_pence_as_a_letter_are_hundredths_as_their_words_are(typed: str, currency: str, amount: str) -> None:
    assert parse_amount(typed, currency) == Decimal(amount)
    assert parse_amount(typed.replace("c", " cents").replace("p", " pence"), currency) == Decimal(amount)


@pytest.mark.parametrize(
    ("typed", "currency", "message"),
    [
        ("50p", "USD", "Your limits are in USD, and `50p` is not (pence of GBP)"),
        ("20c", "GBP", "Your limits are in GBP, and `20c` is not (cents of USD, EUR, CAD, AUD, NZD or ZAR)"),
        ("20C", "USD", "`20C` isn't an amount I understand"),
        ("£50p", "GBP", "`£50p` is marked both `£` and `p`: write `£0.50` or `50p`, not both."),
        (
            "2000 $ cents",
            "USD",
            "`2000 $ cents` is marked both `$` and `cents`: write `$20` or `2000 cents`, not both.",
        ),
        ("2000 £ pence", "GBP", "write `£20` or `2000 pence`, not both."),
    ],
)
def test_cents_of_another_currency_or_beside_a_sign_are_refused(typed: str, currency: str, message: str) -> None:
    """`2000 $ cents` was refused as not understood, with no word of which amount to write."""
    with pytest.raises(InvalidInput, match=re.escape(message)):
        parse_amount(typed, currency)


@pytest.mark.parametrize(("typed", "currency"), [("20 dollars USD", "USD"), ("20 USD $", "USD"), ("20 $ AUD", "AUD")])
def test_two_marks_after_the_number_that_agree_read_as_the_narrower(typed: str, currency: str) -> None:
    assert parse_amount(typed, currency) == 20


@pytest.mark.parametrize("typed", ["Rs.500/-", "Rs. 500/-", "₹500/-", "500/-", "INR 500/-"])
def test_an_amount_written_with_a_slash_and_dash_is_whole(typed: str) -> None:
    """`Rs.500/-` (no paise), as written across South Asia, was refused as not understood."""
    assert read_amount(typed.split(), "refund", "INR") == 500


def test_a_full_stop_set_apart_before_thousands_is_asked_about_never_read_as_1() -> None:
    message = "`1. 200` could be $1 or $1,200: write `1200` if that is the amount, or put a word before `200`"
    with pytest.raises(InvalidInput, match=re.escape(message) + ".*" + re.escape("/resolve refund 1 for 200 …")):
        read_amount(["1.", "200"], "refund", "USD")
    words = ["20.", "404", "error", "at", "checkout"]
    assert read_amount(words, "refund", "USD") == 20
    assert words == ["404", "error", "at", "checkout"]


@pytest.mark.parametrize(
    ("sentence", "amount"),
    [("20, 150 minutes wait", 20), ("20. 150 minutes wait", 20), ("25. 100 percent our fault", 25)],
)
def test_a_group_that_counts_what_follows_it_is_the_sentences(sentence: str, amount: int) -> None:
    words = sentence.split()
    assert read_amount(words, "refund", "USD") == amount
    assert words == sentence.split()[1:]


@pytest.mark.parametrize("sentence", ["1, 200 dollars order 5", "1. 200 USD order 5"])
def test_a_group_before_a_currency_is_the_amounts(sentence: str) -> None:
    with pytest.raises(InvalidInput, match=r"1,200"):
        read_amount(sentence.split(), "refund", "USD")


@pytest.mark.parametrize(("word", "money"), [("2p", False), ("3c", False), ("$2", True), ("2usd", True), ("2€", True)])
def test_a_number_with_a_letter_of_cents_names_money_only_where_an_amount_is_asked_for(word: str, money: bool) -> None:
    """`reschedule 2p tomorrow` (two people) was refused as pence: on a category without money it is what happened."""
    assert names_money(word) is money


@pytest.mark.parametrize(
    ("typed", "currency", "message"),
    [
        ("£20c", "GBP", "`£20c` is marked both `£` and `c`: write `£0.20` or `£20`, not both."),
        ("$50p", "USD", "`$50p` is marked both `$` and `p`: write `$0.50` or `$50`, not both."),
    ],
)
def test_a_sign_with_cents_the_policy_refuses_offers_only_amounts_it_reads(
    typed: str, currency: str, message: str
) -> None:
    """`£20c` was told to write `20c`, which a policy in GBP refuses as cents of another currency."""
    with pytest.raises(InvalidInput, match=re.escape(message)):
        parse_amount(typed, currency)


@pytest.mark.parametrize(
    ("sentence", "currency", "message"),
    [
        (
            "2 thousand dollars",
            "USD",
            "`2 thousand` is read as $2: if you gave $2,000, write it in digits, `/resolve refund 2000 …`",
        ),
        ("2 grand", "USD", "if you gave $2,000, write it in digits, `/resolve refund 2000 …`"),
        ("1.5 thousand order 5", "USD", "if you gave $1,500, write it in digits, `/resolve refund 1500 …`"),
        ("1 lakh rupees", "INR", "if you gave 100,000 INR, write it in digits, `/resolve refund 100000 …`"),
    ],
)
def test_a_number_then_a_word_that_multiplies_it_is_asked_for_in_digits(
    sentence: str, currency: str, message: str
) -> None:
    """`refund 2 thousand order 5` was logged as $2, "thousand" put in what happened."""
    with pytest.raises(InvalidInput, match=re.escape(message)):
        read_amount(sentence.split(), "refund", currency)
    assert read_amount(["2", "Grand", "Hotel"], "refund", currency) == 2
