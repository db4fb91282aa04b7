"""/resolve amounts typed in ways that were logged wrong or refused as not understood: a country the reader did not
know before `dollars`, a currency's name after another currency's sign, cents as a letter (`20c`, `50p`), a full
stop set apart before thousands (`1. 200`), and `Rs.500/-`. What is asked about says how to write it, and logs
nothing."""

from decimal import Decimal
from typing import Any

import pytest

from tests.conftest import RunningBot
from tests.e2e.test_resolutions_money import resolutions, with_policy

LIMITS = "credit = { per_incident = 50000 }\nrefund = { per_incident = 50000 }"


def asked(bot: RunningBot, typed: str) -> str:
    """The reply to a line that must log nothing and tell no manager."""
    reply = bot.driver.command("U0AGENT1", "/resolve", typed)
    assert "Logged" not in reply.text, reply.text
    assert resolutions(bot) == []
    assert bot.slack.calls("chat.postMessage") == []
    return reply.text


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("refund 20 Trinidad dollars order 12 late", "`20 Trinidad dollars` is not (read as TTD)"),
        ("refund 20 Bermudian dollars order 12 late", "`20 Bermudian dollars` is not (read as BMD)"),
        (
            "refund $20 Surinamese dollars order 12 late",
            "`$20 Surinamese dollars` names two currencies, `$` (`$` could be USD, CAD, AUD, NZD or MXN) and "
            "`Surinamese dollars` (read as SRD)",
        ),
    ],
)
def test_dollars_of_a_country_other_than_the_policys_are_refused(bot: RunningBot, typed: str, expected: str) -> None:
    """`20 Trinidad dollars` was logged as $20 under USD: the country's word went to what happened, and `dollars`
    with it, read as the policy's."""
    with_policy(bot, LIMITS)

    assert expected in asked(bot, typed)


def test_dollars_after_a_word_of_how_much_are_the_policys(bot: RunningBot) -> None:
    with_policy(bot, LIMITS)

    for typed in ("refund 20 extra dollars for the wait", "refund 20 more dollars back", "credit 20 whole dollars"):
        assert "Logged your" in bot.driver.command("U0AGENT1", "/resolve", typed).text

    assert [(r.amount, r.summary) for r in resolutions(bot)] == [
        (Decimal(20), "extra dollars for the wait"),
        (Decimal(20), "more dollars back"),
        (Decimal(20), "whole dollars"),
    ]


@pytest.mark.parametrize(
    ("currency", "typed"),
    [
        ("CAD", "refund 20 Canadian bucks order 5"),
        ("CAD", "refund 20 Cdn dollars"),
        ("CAD", "refund 20 Canadian Tire dollars"),
        ("AUD", "refund 20 AU dollars"),
        ("AUD", "refund 20 Aus dollars"),
        ("USD", "refund 20 USA dollars"),
        ("USD", "refund 20 United States dollars"),
        ("USD", "refund 20 US bucks"),
        ("GBP", "refund 20 English pounds"),
        ("GBP", "refund 20 Welsh pounds"),
        ("EUR", "refund 20 Irish euros"),
        ("USD", "refund 10 quarter pound burger cold"),
        ("USD", "refund 6 half pound fries"),
        ("USD", "refund 20 ten pound bag"),
        ("USD", "refund 12 silver dollar pancakes"),
        ("USD", "refund 20 five dollar bills"),
        ("USD", "refund 5 one dollar item"),
        ("USD", "refund 20 reward dollars"),
        ("USD", "refund 20 Amazon dollars"),
        ("USD", "refund 20 St Kitts dollars"),
    ],
)
def test_a_word_no_country_of_the_table_before_a_currency_leaves_the_amount_the_policys(
    bot: RunningBot, currency: str, typed: str
) -> None:
    """Each was asked about as "`X` is no country I know", though most name the policy's currency or none at all:
    the words are what happened, as they were."""
    with_policy(bot, LIMITS, currency)

    reply = bot.driver.command("U0AGENT1", "/resolve", typed)

    assert "Logged your *refund*" in reply.text, reply.text
    amount = typed.split()[1]
    assert [(r.amount, r.summary) for r in resolutions(bot)] == [
        (Decimal(amount), typed.removeprefix(f"refund {amount} "))
    ]


def test_a_currencys_name_ending_the_line_after_another_currencys_sign_is_asked_about(bot: RunningBot) -> None:
    """`¥20000 Rand` was logged as ¥20,000 and `Rand` kept as a name: rand may have been given."""
    with_policy(bot, LIMITS, "JPY")

    text = asked(bot, "credit ¥20000 Rand")
    named = bot.driver.command("U0AGENT1", "/resolve", "credit ¥20000 Naira was overcharged")

    assert "`¥20000 Rand` names two currencies, `¥` (read as JPY) and `Rand` (read as ZAR)" in text
    assert "If `Rand` is someone's name, put a word before it: `/resolve credit ¥20,000 for Rand …`" in text
    assert "Logged your *credit* of ¥20,000" in named.text
    assert [(r.amount, r.summary) for r in resolutions(bot)] == [(Decimal(20000), "Naira was overcharged")]


@pytest.mark.parametrize(
    ("currency", "typed"),
    [
        ("USD", "refund $20 Yen Nguyen order 5 late"),
        ("USD", "refund $20 Yuan Li order 5"),
        ("USD", "refund $20 Naira, sorry"),
        ("USD", "refund $20 Naira."),
        ("USD", "refund $20 Rand sorry for the wait"),
        ("USD", "refund $20 Rand upset"),
        ("USD", "refund $20 Rand complains"),
        ("USD", "refund $20 Rand from billing"),
        ("USD", "refund $20 Rand and Lee"),
        ("USD", "refund $20 Rand order 55"),
        ("USD", "refund $20 Rand (VIP)"),
        ("USD", "refund $20 Rand - late delivery"),
        ("JPY", "refund ¥20000 Rand, sorry"),
    ],
)
def test_a_currencys_name_after_another_currencys_sign_with_words_after_it_is_someone(
    bot: RunningBot, currency: str, typed: str
) -> None:
    """Each was refused as two currencies unless one of a few verbs followed the name: a name after an amount is
    written with whatever the sentence says next."""
    with_policy(bot, LIMITS, currency)

    reply = bot.driver.command("U0AGENT1", "/resolve", typed)

    assert "Logged your *refund*" in reply.text, reply.text
    amount = typed.split()[1]
    assert [(r.amount, r.summary) for r in resolutions(bot)] == [
        (Decimal(amount[1:]), typed.removeprefix(f"refund {amount} "))
    ]


@pytest.mark.parametrize(
    ("currency", "typed", "amount"),
    [
        ("GBP", "refund 50p for the bus fare", "£0.50"),
        ("EUR", "refund 20c, stamp", "€0.20"),
        ("EUR", "refund 20c. stamp lost", "€0.20"),
    ],
)
def test_cents_or_pence_written_as_a_letter_are_hundredths(
    bot: RunningBot, currency: str, typed: str, amount: str
) -> None:
    """`50p` and `20c` were refused as not understood, though `50 pence` and `20 cents` were read."""
    with_policy(bot, LIMITS, currency)

    reply = bot.driver.command("U0AGENT1", "/resolve", typed)

    assert f"Logged your *refund* of {amount}" in reply.text, reply.text
    assert [r.amount for r in resolutions(bot)] == [Decimal(amount[1:])]


@pytest.mark.parametrize(
    "typed",
    [
        "replacement 3p plug order 55",
        "credit 3p plug missing",
        "refund 50p bus fare",
    ],
)
def test_a_number_with_a_letter_before_a_word_of_what_happened_is_refused(bot: RunningBot, typed: str) -> None:
    """`credit 3p plug missing` (a three-pin plug) was logged as £0.03, and `3p` lost from what happened."""
    with_policy(bot, f"{LIMITS}\nreplacement = {{ per_incident = 500 }}", "GBP")

    text = asked(bot, typed)

    number = typed.split()[1]
    hundredths = f"£0.{int(number[:-1]):02d}"
    assert f"`{number}` isn't an amount I understand." in text
    assert f"If you gave {hundredths}, write `{hundredths}`." in text


def test_pence_on_a_dollar_policy_and_a_sign_with_cents_after_it_are_refused(bot: RunningBot) -> None:
    with_policy(bot, LIMITS)

    pence = asked(bot, "refund 50p bus fare")
    both = asked(bot, "refund 2000 $ cents bus fare")

    assert "Your limits are in USD, and `50p` is not (pence of GBP)" in pence
    assert "`2000 $ cents` is marked both `$` and `cents`: write `$20` or `2000 cents`, not both." in both


def test_a_full_stop_set_apart_before_a_group_of_three_digits_is_asked_about(bot: RunningBot) -> None:
    """`refund 1. 200` was logged as $1, with "200" in what happened: a phone's space after `1.200`."""
    with_policy(bot, LIMITS)

    text = asked(bot, "refund 1. 200")
    dollars = asked(bot, "refund 1. 200 dollars order 12")

    assert "`1. 200` could be $1 or $1,200: write `1200` if that is the amount, or put a word before `200`" in text
    assert "`1. 200` could be $1 or $1,200" in dollars


@pytest.mark.parametrize(
    "typed",
    [
        "refund 20. 404 error at checkout",
        "credit 10. 500 error on the app",
        "refund 20. 123 Main St delivery missed",
        "refund 20. 911 call",
        "refund 15. 100 apologies",
        "refund 20. 150 angry customers",
    ],
)
def test_a_full_stop_then_three_digits_and_more_words_starts_what_happened(bot: RunningBot, typed: str) -> None:
    """Each was asked about as `20. 404` could be 20,404: the full stop ends the amount, the number starts what
    happened."""
    with_policy(bot, LIMITS)

    reply = bot.driver.command("U0AGENT1", "/resolve", typed)

    assert "Logged your" in reply.text, reply.text
    _category, amount, summary = typed.split(" ", 2)
    assert [(r.amount, r.summary) for r in resolutions(bot)] == [(Decimal(amount.rstrip(".")), summary)]


@pytest.mark.parametrize(
    "typed", ["refund 20, 150 minutes wait on the phone", "refund 20. 150 minutes wait on the phone"]
)
def test_a_group_after_the_amounts_mark_that_counts_minutes_is_what_happened(bot: RunningBot, typed: str) -> None:
    """`20, 150 minutes wait` was asked about as `20 150`: 150 counts the minutes, as after a reference."""
    with_policy(bot, LIMITS)

    reply = bot.driver.command("U0AGENT1", "/resolve", typed)

    assert "Logged your *refund* of $20" in reply.text, reply.text
    assert [(r.amount, r.summary) for r in resolutions(bot)] == [(Decimal(20), "150 minutes wait on the phone")]


@pytest.mark.parametrize(
    ("currency", "typed", "summary"),
    [("USD", "reschedule 2p tomorrow", "2p tomorrow"), ("GBP", "replacement 3p plug order 55", "3p plug order 55")],
)
def test_a_number_with_a_letter_on_a_category_without_money_is_what_happened(
    bot: RunningBot, currency: str, typed: str, summary: str
) -> None:
    """`2p` (two people) was refused as pence under USD, and `3p plug` logged as £0.03 on a category with no limit."""
    rules = 'reschedule = { description = "Move a visit" }\nreplacement = { description = "Send a part" }'
    with_policy(bot, rules, currency)

    reply = bot.driver.command("U0AGENT1", "/resolve", typed)

    assert "Logged your" in reply.text, reply.text
    assert [(r.amount, r.summary) for r in resolutions(bot)] == [(0, summary)]


def test_what_is_refused_is_named_as_typed_and_only_amounts_the_policy_reads_are_offered(bot: RunningBot) -> None:
    """`20 extra euros` was named back as `20 euros`, and `£20c` offered `20c`, which GBP refuses."""
    with_policy(bot, LIMITS, "GBP")

    euros = asked(bot, "refund 20 extra euros for the wait")
    cents = asked(bot, "refund £20c late bus")

    assert "Your limits are in GBP, and `20 extra euros` is not (read as EUR)" in euros
    assert "`£20c` is marked both `£` and `c`: write `£0.20` or `£20`, not both." in cents


@pytest.mark.parametrize(
    ("currency", "typed", "refused"),
    [
        ("USD", "credit £20c sorry", "Your limits are in USD, and `£20c` is not (read as GBP)"),
        ("USD", "credit £2000 cents sorry", "Your limits are in USD, and `£2000 cents` is not (read as GBP)"),
        ("GBP", "credit $50p sorry", "Your limits are in GBP, and `$50p` is not (`$` could be USD"),
    ],
)
def test_a_sign_of_another_currency_with_cents_is_refused_as_that_currency(
    bot: RunningBot, currency: str, typed: str, refused: str
) -> None:
    """`£20c` under USD was told to write `£0.20`, which USD refuses as GBP too."""
    with_policy(bot, LIMITS, currency)

    assert refused in asked(bot, typed)


def test_a_number_then_thousand_is_asked_for_in_digits(bot: RunningBot) -> None:
    """`refund 2 thousand order 5` was logged as $2, "thousand order 5" in what happened."""
    with_policy(bot, LIMITS)

    text = asked(bot, "refund 2 thousand order 5")

    assert "`2 thousand` is read as $2: if you gave $2,000, write it in digits, `/resolve refund 2000 …`." in text


@pytest.mark.parametrize(
    ("typed", "amount", "asked_for"),
    [
        ("refund 2 thousand order 5", "$2", "2000"),
        ("credit 2 grand, order 5", "$2", "2000"),
        ("credit 2 grand", "$2", "2000"),
        ("credit 2 grand dollars", "$2", "2000"),
        ("refund 2 thousand #5", "$2", "2000"),
    ],
)
def test_a_multiplier_ending_the_amount_is_asked_about(
    bot: RunningBot, typed: str, amount: str, asked_for: str
) -> None:
    with_policy(bot, LIMITS)

    text = asked(bot, typed)

    assert f"is read as {amount}: if you gave" in text
    assert f"write it in digits, `/resolve {typed.split()[0]} {asked_for} …`." in text


def test_a_multiplier_before_a_word_of_what_happened_logs_the_number(bot: RunningBot) -> None:
    """`credit 5 thousand island dressing missing` was asked for in digits as $5,000: the word is the dressing's;
    `thousands of apologies` counts them."""
    with_policy(bot, LIMITS)
    typed = [
        "credit 5 thousand island dressing missing",
        "credit 8 grand slam breakfast cold",
        "credit 20 grand opening voucher",
        "credit 5 grand total wrong",
        "credit 10 million dollar shake cold",
        "credit 5 Million Dollar Baby dvd",
        "credit 4 hundreds and thousands missing",
        "credit 3 hundred year egg",
        "credit 20 thousands of apologies",
        "credit 5 Grand Central parking",
        "credit 3 k cups missing",
    ]

    for line in typed:
        assert "Logged your" in bot.driver.command("U0AGENT1", "/resolve", line).text, line

    assert [(r.amount, r.summary) for r in resolutions(bot)] == [
        (Decimal(line.split()[1]), line.split(maxsplit=2)[2]) for line in typed
    ]


def test_a_currency_word_in_the_singular_after_a_word_of_how_much_names_a_thing(bot: RunningBot) -> None:
    """`credit 10 free pound cake` was refused as £10: `pound` is the cake's, as `dollar` is the menu's. Plural, or
    ending the amount, it is a currency still: `20 extra euros order 1234` is refused as EUR."""
    with_policy(bot, LIMITS)
    typed = [
        "credit 10 free pound cake",
        "credit 10 whole pound cake missing",
        "credit 5 extra pound of fries",
        "credit 5 extra dollar menu item",
        "credit 5 extra euro cake",
        "credit 5 extra yen sushi",
    ]

    for line in typed:
        assert "Logged your" in bot.driver.command("U0AGENT1", "/resolve", line).text, line
    logged = resolutions(bot)

    assert "EUR" in asked_after(bot, "refund 20 extra euros order 1234", logged)
    assert [(r.amount, r.summary) for r in logged] == [
        (Decimal(line.split()[1]), line.split(maxsplit=2)[2]) for line in typed
    ]


def asked_after(bot: RunningBot, typed: str, logged: list[Any]) -> str:
    """The reply to a line that must add nothing to what was `logged`."""
    reply = bot.driver.command("U0AGENT1", "/resolve", typed)
    assert "Logged" not in reply.text, reply.text
    assert len(resolutions(bot)) == len(logged)
    return reply.text


def test_rupees_written_with_a_slash_and_dash_are_whole_rupees(bot: RunningBot) -> None:
    """`Rs.500/-` (no paise) was refused as not understood under INR."""
    with_policy(bot, LIMITS, "INR")

    reply = bot.driver.command("U0AGENT1", "/resolve", "refund Rs.500/- late delivery")

    assert "Logged your *refund* of 500 INR" in reply.text, reply.text
    assert [(r.amount, r.currency, r.summary) for r in resolutions(bot)] == [(Decimal(500), "INR", "late delivery")]
