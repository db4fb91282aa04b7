"""The currency an amount is marked in, however it is typed: signs and codes attached or apart, full-width, words."""

import re
from decimal import Decimal

import pytest

from services.currency_marks import is_cents, words_of_mark
from services.errors import InvalidInput
from services.money import is_currency_mark, is_currency_word, parse_amount
from services.resolutions.typed_amount import read_amount


@pytest.mark.parametrize(
    ("typed", "read_as"),
    [
        ("20 ＵＳＤ", "read as USD"),  # full-width, as a Japanese input method types it
        ("２０ＵＳＤ", "read as USD"),
        ("20 $US", "read as USD"),
        ("20 €uro", "read as EUR"),
        ("€uros 20", "read as EUR"),
        ("20 ユーロ", "read as EUR"),
        ("20 ￡", "read as GBP"),
        ("20 sterling", "read as GBP"),
        ("20 C$", "read as CAD"),
        ("C$20", "read as CAD"),
        ("20 kronor", "read as SEK"),
        ("20 人民元", "read as CNY"),
        ("20 CNY", "read as CNY"),
        ("₹20", "read as INR"),
        ("20 ₴", "`₴` is another currency's sign"),
    ],
)
def test_an_amount_marked_in_another_currency_is_refused_with_what_it_was_read_as(typed: str, read_as: str) -> None:
    """Counted as yen, a dollar or a euro amount is worth about a hundredth of what was given."""
    message = f"Your limits are in JPY, and `{typed}` is not ({read_as}): give the amount in JPY, like `¥45`."
    with pytest.raises(InvalidInput, match=re.escape(message)):
        parse_amount(typed, "JPY")


@pytest.mark.parametrize(
    ("typed", "could_be"),
    [
        ("20 kr", "`kr` could be SEK, NOK, DKK or ISK"),
        ("kr 20", "`kr` could be SEK, NOK, DKK or ISK"),
        ("20 元", "`元` could be CNY, HKD or TWD"),
        ("20 ドル", "`ドル` could be USD, CAD, AUD, NZD or MXN"),
        ("20 ﾄﾞﾙ", "`ドル` could be USD, CAD, AUD, NZD or MXN"),  # half-width katakana
        ("＄20", "`$` could be USD, CAD, AUD, NZD or MXN"),
        ("$20", "`$` could be USD, CAD, AUD, NZD or MXN"),
    ],
)
def test_a_mark_of_several_currencies_none_the_policys_is_refused_naming_them(typed: str, could_be: str) -> None:
    with pytest.raises(InvalidInput, match=re.escape(f"Your limits are in JPY, and `{typed}` is not ({could_be})")):
        parse_amount(typed, "JPY")


@pytest.mark.parametrize(
    ("typed", "currency"),
    [
        ("20円", "JPY"),
        ("20 円", "JPY"),
        ("￥20", "JPY"),
        ("20 ＪＰＹ", "JPY"),
        ("20 ＵＳＤ", "USD"),
        ("20 $US", "USD"),
        ("20 ドル", "USD"),
        ("20 €uro", "EUR"),
        ("20 ￡", "GBP"),
        ("20 sterling", "GBP"),
        ("20 C$", "CAD"),
        ("20 kr", "SEK"),
        ("kr 20", "NOK"),
        ("20 kronor", "SEK"),
        ("20 kroner", "DKK"),
        ("₹20", "INR"),
        ("R$20", "BRL"),
    ],
)
def test_a_mark_of_the_policys_own_currency_reads_as_it(typed: str, currency: str) -> None:
    assert parse_amount(typed, currency) == 20


@pytest.mark.parametrize("mark", ["ＵＳＤ", "$US", "C$", "A$", "€uro", "kr", "￡", "￥", "＄", "円", "元", "CNY", "₴"])
def test_a_mark_typed_apart_is_taken_with_the_amount(mark: str) -> None:
    """Not taken, it was left to what happened, and the amount counted in the policy's currency."""
    assert is_currency_mark(mark)


@pytest.mark.parametrize("word", ["ドル", "ﾄﾞﾙ", "ユーロ", "sterling", "kronor", "kroner", "yuan", "人民元"])
def test_a_currency_named_in_a_word_is_taken_with_the_amount(word: str) -> None:
    assert is_currency_word(word)


@pytest.mark.parametrize(
    "word", ["try", "php", "krill", "real", "sterlingly", "kr8", "won", "dong", "lei", "lev", "mark", "sol", "kip"]
)
def test_words_of_the_sentence_are_no_currency(word: str) -> None:
    assert not is_currency_mark(word) and not is_currency_word(word)


@pytest.mark.parametrize(
    ("typed", "currency", "amount"),
    [("Rs.500", "INR", "500"), ("rs.75", "INR", "75"), ("kr.500", "SEK", "500"), ("Kr.1000", "NOK", "1000")],
)
def test_a_mark_in_letters_with_its_full_stop_is_no_decimal_point(typed: str, currency: str, amount: str) -> None:
    """`Rs.500` read as `Rs` and `.500` was 0.50: a refund of 5,000 rupees logged as 0.50, within every limit."""
    assert parse_amount(typed, currency) == Decimal(amount)


def test_a_sign_before_a_decimal_point_still_reads_cents() -> None:
    assert parse_amount("$.50", "USD") == Decimal("0.50")


def test_a_codes_full_stop_is_a_decimal_point() -> None:
    assert parse_amount("USD.50", "USD") == Decimal("0.50")


@pytest.mark.parametrize(
    ("typed", "read_as"),
    [
        ("2000 US dollars", "read as USD"),
        ("20 U.S. dollars", "read as USD"),
        ("20 Canadian dollars", "read as CAD"),
        ("20 Swiss francs", "read as CHF"),
        ("20 in USD", "read as USD"),
        ("20 (USD)", "read as USD"),
        ("20 (in USD)", "read as USD"),
        ("20(usd)", "read as USD"),
        ("20 in euros", "read as EUR"),
        ("20 cny", "read as CNY"),
        ("cny 20", "read as CNY"),
        ("20 RUB", "read as RUB"),
        ("20 KWD", "read as KWD"),
        ("IDR 20", "read as IDR"),
        ("20 cents", "cents of USD, EUR, CAD, AUD, NZD or ZAR"),
        ("20¢", "cents of USD, EUR, CAD, AUD, NZD or ZAR"),
        ("50 pence", "pence of GBP"),
    ],
)
def test_a_currency_said_in_words_brackets_or_small_letters_is_refused_as_it(typed: str, read_as: str) -> None:
    """Each was logged as yen: `2000 US dollars` as ¥2,000, `20 (USD)` and `20 cny` as ¥20."""
    message = f"Your limits are in JPY, and `{typed}` is not ({read_as}): give the amount in JPY"
    with pytest.raises(InvalidInput, match=re.escape(message)):
        parse_amount(typed, "JPY")


@pytest.mark.parametrize(
    ("typed", "currency", "amount"),
    [
        ("20 US dollars", "USD", "20"),
        ("20 (CAD)", "CAD", "20"),
        ("20 in kr", "SEK", "20"),
        ("20 Swedish kronor", "SEK", "20"),
        ("20 Danish kroner", "DKK", "20"),
        ("$20 AUD", "AUD", "20"),
        ("€20 euros", "EUR", "20"),
        ("20¢", "USD", "0.20"),
        ("20 ¢", "CAD", "0.20"),
        ("5 cents", "EUR", "0.05"),
        ("1 cent", "ZAR", "0.01"),
        ("250 cents", "USD", "2.50"),
        ("50 pence", "GBP", "0.50"),
        ("1 penny", "GBP", "0.01"),
    ],
)
def test_a_currency_said_in_words_or_brackets_reads_as_the_policys(typed: str, currency: str, amount: str) -> None:
    assert parse_amount(typed, currency) == Decimal(amount)


def test_cents_are_whole() -> None:
    with pytest.raises(InvalidInput, match="has too many decimals"):
        parse_amount("20.5 cents", "USD")


@pytest.mark.parametrize(
    ("amount", "words", "taken"),
    [
        ("20", ["US", "dollars", "sorry"], 2),
        ("20", ["New", "Zealand", "dollars"], 3),
        ("20", ["(in", "USD),", "sorry"], 2),
        ("20", ["in", "cny", "sorry"], 2),
        ("20", ["euros,", "sorry"], 1),
        ("20", ["in", "cash"], 0),
        ("$20", ["Rand", "said", "thanks"], 0),
        ("$20", ["AUD", "sorry"], 1),
        ("20", ["rub", "it", "in"], 0),
    ],
)
def test_the_words_after_an_amount_that_say_its_currency(amount: str, words: list[str], taken: int) -> None:
    assert words_of_mark(amount, words) == taken


@pytest.mark.parametrize(
    "word", ["all", "top", "cup", "mad", "try", "bob", "pen", "rub", "in", "(in", "TOP", "TRY", "COP", "kwd"]
)
def test_english_words_that_are_iso_codes_are_no_currency(word: str) -> None:
    """Read as currencies, `refund 20 top customer` would be refused as another currency's."""
    assert not is_currency_mark(word) and not is_currency_word(word)
    assert words_of_mark("20", [word, "customer"]) == 0


def test_a_name_that_is_also_a_currency_is_refused_with_how_to_keep_it_a_name() -> None:
    hint = "If `Rand` is someone's name, mark the amount: `/resolve credit ¥20 Rand …`."
    with pytest.raises(InvalidInput, match=re.escape(hint)):
        read_amount(["20", "Rand", "said", "thanks"], "credit", "JPY")
    words = ["¥20", "Rand", "said", "thanks"]
    assert read_amount(words, "credit", "JPY") == 20
    assert words == ["Rand", "said", "thanks"]


@pytest.mark.parametrize(
    ("typed", "read_as"),
    [
        ("2000 Kuwaiti dinars", "read as KWD"),
        ("20 dinars", "`dinars` could be KWD, BHD, JOD, IQD, LYD, TND, DZD or RSD"),
        ("20 Saudi riyals", "read as SAR"),
        ("20 riyals", "`riyals` could be SAR or QAR"),
        ("20 UAE dirhams", "read as AED"),
        ("20 dirhams", "`dirhams` could be AED or MAD"),
        ("20 shekels", "read as ILS"),
        ("20 zloty", "read as PLN"),
        ("20 złotych", "read as PLN"),
        ("20 baht", "read as THB"),
        ("20 Turkish lira", "read as TRY"),
        ("20 rubles", "read as RUB"),
        ("20 roubles", "read as RUB"),
        ("20 ringgit", "read as MYR"),
        ("20 Argentine pesos", "read as ARS"),
        ("20 forints", "read as HUF"),
        ("20 koruna", "read as CZK"),
        ("20 Romanian lei", "read as RON"),
        ("20 naira", "read as NGN"),
        ("20 rupiah", "read as IDR"),
        ("20 Vietnamese dong", "read as VND"),
        ("20 taka", "read as BDT"),
        ("20 hryvnias", "read as UAH"),
        ("20 Egyptian pounds", "read as EGP"),
        ("20 (in Thai baht)", "read as THB"),
    ],
)
def test_a_currency_no_policy_is_in_said_in_words_is_refused_as_it(typed: str, read_as: str) -> None:
    """Each was logged in the policy's currency: `2000 Kuwaiti dinars` as $2,000, about a third of what was given."""
    message = f"Your limits are in USD, and `{typed}` is not ({read_as}): give the amount in USD, like `$45`."
    with pytest.raises(InvalidInput, match=re.escape(message)):
        parse_amount(typed, "USD")


@pytest.mark.parametrize(
    ("typed", "currency", "read_as"),
    [
        ("20 Egyptian pounds sorry", "GBP", "EGP"),
        ("20 Pakistani rupees sorry", "INR", "PKR"),
        ("20 Argentine pesos sorry", "MXN", "ARS"),
        ("20 Jamaican dollars sorry", "USD", "JMD"),
        ("20 Kuwaiti dinars sorry", "USD", "KWD"),
    ],
)
def test_a_countrys_word_before_a_currency_of_the_policys_name_is_read_with_it(
    typed: str, currency: str, read_as: str
) -> None:
    """`Egyptian` was left to the summary and `pounds` with it: 20 Egyptian pounds was logged as £20."""
    with pytest.raises(InvalidInput, match=re.escape(f"is not (read as {read_as})")):
        read_amount(typed.split(), "refund", currency)


@pytest.mark.parametrize(
    ("currency_words", "sentence"),
    [
        ("20 South Korean won", "20 we won them back"),
        ("20 Vietnamese dong", "20 dong said thanks"),
        ("20 Romanian lei", "20 lei for the party"),
        ("20 Bulgarian lev", "20 lev said thanks"),
        ("20 convertible marks", "20 Mark said thanks"),
        ("20 Peruvian soles", "20 sol said thanks"),
    ],
)
def test_a_currency_word_that_is_also_english_or_a_name_is_read_only_after_its_countrys(
    currency_words: str, sentence: str
) -> None:
    """`refund 20 we won them back` is no amount in won; `20 South Korean won` is, and was logged as $20."""
    with pytest.raises(
        InvalidInput, match=re.escape(f"Your limits are in USD, and `{currency_words}` is not (read as")
    ):
        read_amount(currency_words.split(), "refund", "USD")
    words = sentence.split()
    assert read_amount(words, "refund", "USD") == 20
    assert words == sentence.split()[1:]


@pytest.mark.parametrize("word", ["dinars", "riyals", "dirhams", "shekels", "zloty", "lira", "rubles", "ringgit"])
def test_a_currency_no_policy_is_in_named_in_a_word_is_taken_with_the_amount(word: str) -> None:
    assert is_currency_word(word)
    assert words_of_mark("20", [word, "sorry"]) == 1


def test_lira_written_as_a_name_is_refused_with_how_to_keep_it_a_name() -> None:
    hint = "If `Lira` is someone's name, mark the amount: `/resolve credit $20 Lira …`."
    with pytest.raises(InvalidInput, match=re.escape(hint)):
        read_amount(["20", "Lira", "said", "thanks"], "credit", "USD")
    words = ["$20", "Lira", "said", "thanks"]
    assert read_amount(words, "credit", "USD") == 20
    assert words == ["Lira", "said", "thanks"]


def test_only_a_word_of_hundredths_is_cents() -> None:
    """`pennie` is no word of the reader's: it was taken for cents only as `pennies` without its `s`."""
    assert not is_cents("pennie")
    assert all(is_cents(mark) for mark in ("¢", "Cents", "pence", "penny", "pennies"))


@pytest.mark.parametrize(
    ("typed", "currency", "read_as"),
    [
        ("2000 Kuwait dinars order 1234", "USD", "read as KWD"),
        ("500 Oman rials sorry", "USD", "read as OMR"),
        ("200 Saudi Arabian riyals sorry", "USD", "read as SAR"),
        ("20 Polish złoty sorry", "USD", "read as PLN"),
        ("20 Chinese renminbi sorry", "USD", "read as CNY"),
        ("20 Kiwi dollars sorry", "USD", "read as NZD"),
        ("20 Egypt pounds sorry", "GBP", "read as EGP"),
        ("20 in West African CFA francs order 1237", "USD", "read as XOF"),
        ("20 (in Central African CFA francs) sorry", "USD", "read as XAF"),
        ("20 LİRA sorry", "USD", "read as TRY"),
        ("20 US cents sorry", "EUR", "cents of USD"),
    ],
)
def test_a_currency_named_by_its_countrys_name_or_in_five_words_is_refused_as_it(
    typed: str, currency: str, read_as: str
) -> None:
    """Each was logged in the policy's currency: the country's name (not its adjective) hid the currency after it, and
    `in` with a four-word name went past the words looked at, where the form's Amount field refused both."""
    with pytest.raises(InvalidInput, match=re.escape(f"is not ({read_as})")):
        read_amount(typed.split(), "refund", currency)


def test_us_cents_are_hundredths_and_a_dotted_capital_i_is_an_i() -> None:
    assert read_amount(["20", "US", "cents", "sorry"], "refund", "USD") == Decimal("0.20")
    assert read_amount(["20", "CANADİAN", "DOLLARS", "sorry"], "refund", "CAD") == 20


@pytest.mark.parametrize("name", ["Naira", "Taka", "Cedi", "Leva", "Manat", "Baht"])
def test_a_currency_word_that_is_a_given_name_stays_a_name_after_a_marked_amount(name: str) -> None:
    words = ["$20", name, "was", "overcharged"]
    assert read_amount(words, "refund", "USD") == 20
    assert words == [name, "was", "overcharged"]


def test_a_currency_word_repeated_along_a_long_line_is_read_once() -> None:
    """Each repeat was taken as one more mark and the whole amount read again (64,000 characters took 43 s): the
    amount took them all: two marks are read with it, the rest is the summary's."""
    for repeated in ("dinars ", "CAD ", "in EUR "):
        words = ["20", *(repeated * 500).split()]
        with pytest.raises(InvalidInput):
            read_amount(words, "refund", "USD")
        assert len(words) > 400, repeated
