"""/resolve reading the currency said in words after the amount: `US dollars`, `in USD`, `(USD)`, `cny`, cents, and
a name that is also a currency's (`Rand`)."""

from decimal import Decimal

from models import Delivery
from tests.conftest import RunningBot
from tests.e2e.test_resolutions_money import policy, resolutions, with_policy
from tests.helpers import count, load_policy

LIMITS = "credit = { per_incident = 5000 }\nrefund = { per_incident = 5000 }"


def test_dollars_said_in_words_or_brackets_on_a_yen_policy_are_refused_not_counted_as_yen(bot: RunningBot) -> None:
    """Counted as yen, $2,000 given would have been logged as ¥2,000: about a hundredth of it, within any limit."""
    with_policy(bot, LIMITS, "JPY")
    refused = {
        "credit 2000 US dollars sorry for the wait": "2000 US dollars",
        "refund 20 in USD order 12 late": "20 in USD",
        "refund 20 (USD) order 12 late": "20 (USD)",
        "refund 20 (in USD), order 12 late": "20 (in USD)",
        "credit 20 Canadian dollars sorry": "20 Canadian dollars",
    }

    replies = {typed: bot.driver.command("U0AGENT1", "/resolve", typed) for typed in refused}
    bot.driver.command("U0AGENT1", "/resolve")
    [opened] = bot.slack.calls("views.open")
    form = bot.driver.submit(
        "U0AGENT1", opened.args["view"], {"category": "credit", "amount": "20 in USD", "summary": "sorry for the wait"}
    )

    for typed, shown in refused.items():
        read_as = "CAD" if "Canadian" in typed else "USD"
        expected = f"Your limits are in JPY, and `{shown}` is not (read as {read_as}): give the amount in JPY"
        assert expected in replies[typed].text
    assert "Your limits are in JPY, and “20 in USD” is not (read as USD)" in form.json["errors"]["amount"]
    assert resolutions(bot) == []


def test_us_dollars_on_a_canadian_dollar_policy_are_refused_and_canadian_dollars_counted(bot: RunningBot) -> None:
    with_policy(bot, LIMITS, "CAD")

    us = bot.driver.command("U0AGENT1", "/resolve", "credit 40 US dollars sorry for the wait")
    canadian = bot.driver.command("U0AGENT1", "/resolve", "credit 40 Canadian dollars sorry for the wait")

    assert "Your limits are in CAD, and `40 US dollars` is not (read as USD)" in us.text
    assert "Logged your *credit* of CA$40" in canadian.text
    assert [(r.amount, r.currency, r.summary) for r in resolutions(bot)] == [(Decimal(40), "CAD", "sorry for the wait")]


def test_a_code_in_small_letters_is_read_as_its_currency_but_an_english_word_is_not(bot: RunningBot) -> None:
    """`cny` is no English word, so it can only be the currency; `try`, `all` or `top` (also ISO codes) are words."""
    with_policy(bot, LIMITS, "JPY")

    yuan = bot.driver.command("U0AGENT1", "/resolve", "refund 20 cny order 12 late")
    zloty = bot.driver.command("U0AGENT1", "/resolve", "refund 20 (pln) order 12 late")
    words = [
        bot.driver.command("U0AGENT1", "/resolve", f"credit 20 {summary}")
        for summary in ("try again tomorrow", "all sorted now", "top customer, sorry")
    ]

    assert "Your limits are in JPY, and `20 cny` is not (read as CNY)" in yuan.text
    assert "Your limits are in JPY, and `20 (pln)` is not (read as PLN)" in zloty.text
    assert all("Logged your *credit* of ¥20" in reply.text for reply in words)
    assert [(r.amount, r.summary) for r in resolutions(bot)] == [
        (Decimal(20), "try again tomorrow"),
        (Decimal(20), "all sorted now"),
        (Decimal(20), "top customer, sorry"),
    ]


def test_a_code_of_a_currency_no_policy_is_in_is_refused_but_an_acronym_is_a_word(bot: RunningBot) -> None:
    """20 Kuwaiti dinars logged as $20 was about a third of what was given."""
    with_policy(bot, LIMITS)

    dinars = bot.driver.command("U0AGENT1", "/resolve", "refund 20 KWD order 12 late")
    acronym = bot.driver.command("U0AGENT1", "/resolve", "refund 20 VIP customer, order 12 late")

    assert "Your limits are in USD, and `20 KWD` is not (read as KWD)" in dinars.text
    assert "Logged your *refund* of $20" in acronym.text
    assert [(r.amount, r.summary) for r in resolutions(bot)] == [(Decimal(20), "VIP customer, order 12 late")]


def test_cents_are_hundredths_of_a_dollar_policy_and_refused_on_a_yen_one(bot: RunningBot) -> None:
    """Read whole, `20¢` was logged as $20 (or refused), and `20 cents` on a yen policy as ¥20."""
    with_policy(bot, LIMITS)
    for typed in ("20¢", "20 ¢", "20 cents"):
        reply = bot.driver.command("U0AGENT1", "/resolve", f"refund {typed} stamp for the return")
        assert "Logged your *refund* of $0.20" in reply.text
    load_policy(bot.sessions, bot.clock.now(), policy(LIMITS, "JPY"))

    yen = bot.driver.command("U0AGENT1", "/resolve", "refund 20 cents stamp for the return")

    assert "Your limits are in JPY, and `20 cents` is not (cents of USD, EUR, CAD, AUD, NZD or ZAR)" in yen.text
    assert [(r.amount, r.currency, r.summary) for r in resolutions(bot)] == [
        (Decimal("0.20"), "USD", "stamp for the return")
    ] * 3


def test_pence_are_hundredths_of_a_pound_policy_and_refused_on_a_dollar_one(bot: RunningBot) -> None:
    with_policy(bot, LIMITS, "GBP")
    pence = bot.driver.command("U0AGENT1", "/resolve", "refund 50 pence stamp for the return")
    load_policy(bot.sessions, bot.clock.now(), policy(LIMITS))

    dollars = bot.driver.command("U0AGENT1", "/resolve", "refund 50 pence stamp for the return")

    assert "Logged your *refund* of £0.50" in pence.text
    assert "Your limits are in USD, and `50 pence` is not (pence of GBP)" in dollars.text
    assert [(r.amount, r.currency) for r in resolutions(bot)] == [(Decimal("0.50"), "GBP")]


def test_a_name_that_is_also_a_currency_is_kept_a_name_after_a_marked_amount(bot: RunningBot) -> None:
    """`20 Rand` may be rand: refused, with how to say Rand is someone; `$20 Rand` is 20 dollars, and Rand a name."""
    with_policy(bot, LIMITS)

    bare = bot.driver.command("U0AGENT1", "/resolve", "credit 20 Rand said thanks")
    marked = bot.driver.command("U0AGENT1", "/resolve", "credit $20 Rand said thanks")
    narrowed = bot.driver.command("U0AGENT1", "/resolve", "credit $25 USD sorry for the wait")

    assert "Your limits are in USD, and `20 Rand` is not (read as ZAR)" in bare.text
    assert "If `Rand` is someone's name, mark the amount: `/resolve credit $20 Rand …`" in bare.text
    assert "Logged your *credit* of $20" in marked.text
    assert "Logged your *credit* of $25" in narrowed.text
    assert [(r.amount, r.summary) for r in resolutions(bot)] == [
        (Decimal(20), "Rand said thanks"),
        (Decimal(25), "sorry for the wait"),
    ]


def test_a_sign_followed_by_another_currency_is_refused_not_logged_in_the_policys(bot: RunningBot) -> None:
    """`¥20000 USD` was logged as ¥20,000, and `$20 euros` as $20: the other currency fell into the summary."""
    with_policy(bot, LIMITS, "JPY")
    yen = bot.driver.command("U0AGENT1", "/resolve", "refund ¥20000 USD sorry")
    load_policy(bot.sessions, bot.clock.now(), policy(LIMITS))

    euros = bot.driver.command("U0AGENT1", "/resolve", "refund $20 euros sorry")
    in_eur = bot.driver.command("U0AGENT1", "/resolve", "refund $20 in EUR sorry")
    named = bot.driver.command("U0AGENT1", "/resolve", "credit $20 Yen said thanks")

    assert "Your limits are in JPY, and `¥20000 USD` names two currencies, `¥` (read as JPY) and `USD`" in yen.text
    assert "Your limits are in USD, and `$20 euros` names two currencies" in euros.text
    assert "and `EUR` (read as EUR)" in in_eur.text
    assert "Logged your *credit* of $20" in named.text
    assert [(r.amount, r.summary) for r in resolutions(bot)] == [(Decimal(20), "Yen said thanks")]


def test_a_sign_with_pence_is_refused_as_either_amount_however_spaced(bot: RunningBot) -> None:
    """`£2000 pence` was logged as £20 and `£ 2000 pence` as £2,000."""
    with_policy(bot, LIMITS, "GBP")

    replies = [
        bot.driver.command("U0AGENT1", "/resolve", f"refund {typed} stamps")
        for typed in ("£2000 pence", "£ 2000 pence", "GBP2000 pence")
    ]
    bot.driver.command("U0AGENT1", "/resolve")
    [opened] = bot.slack.calls("views.open")
    form = bot.driver.submit(
        "U0AGENT1", opened.args["view"], {"category": "refund", "amount": "£20 pence", "summary": "stamps"}
    )

    assert all("write `£20` or `2000 pence`, not both" in reply.text for reply in replies[:2])
    assert "write `GBP 20` or `2000 pence`, not both" in replies[2].text
    assert "write “£0.20” or “20 pence”, not both" in form.json["errors"]["amount"]
    assert resolutions(bot) == []


def test_dinars_on_a_dollar_policy_are_refused_and_nothing_is_written(bot: RunningBot) -> None:
    """2000 Kuwaiti dinars logged as $2,000 was about a third of what was given, within a limit it is over."""
    with_policy(bot, LIMITS)

    kuwaiti = bot.driver.command("U0AGENT1", "/resolve", "refund 2000 Kuwaiti dinars order 1234")
    dinars = bot.driver.command("U0AGENT1", "/resolve", "refund 20 dinars order 1234")
    in_brackets = bot.driver.command("U0AGENT1", "/resolve", "refund $20 in (EUR) order 1234")

    assert (
        "Your limits are in USD, and `2000 Kuwaiti dinars` is not (read as KWD): give the amount in USD, like `$45`."
    ) in kuwaiti.text
    assert "`20 dinars` is not (`dinars` could be KWD, BHD, JOD, IQD, LYD, TND, DZD or RSD)" in dinars.text
    assert "`$20 in (EUR)` names two currencies" in in_brackets.text
    assert resolutions(bot) == []
    assert bot.slack.calls("chat.postMessage") == []
    with bot.sessions() as session:
        assert count(session, Delivery) == 0


def test_won_in_a_sentence_is_a_word_and_south_korean_won_a_currency(bot: RunningBot) -> None:
    with_policy(bot, LIMITS)

    won = bot.driver.command("U0AGENT1", "/resolve", "refund 20 South Korean won order 1234")
    sentence = bot.driver.command("U0AGENT1", "/resolve", "refund 20 we won them back, order 1234")

    assert "Your limits are in USD, and `20 South Korean won` is not (read as KRW)" in won.text
    assert "Logged your *refund* of $20" in sentence.text
    assert [(r.amount, r.summary) for r in resolutions(bot)] == [(Decimal(20), "we won them back, order 1234")]
