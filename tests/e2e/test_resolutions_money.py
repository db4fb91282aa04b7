"""/resolve and /boundaries counting money as the policy says: per-customer limits, references, currencies."""

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from models import Resolution
from tests.conftest import RunningBot
from tests.helpers import load_org, load_policy

PROFILES = """
[profiles.agent]
{rules}
[profiles.senior_agent]
inherit = "agent"
[profiles.frontline]
inherit = "agent"
[profiles.manager]
inherit = "agent"
[profiles.hr]
inherit = "agent"
[profiles.admin]
inherit = "agent"
"""


def with_policy(bot: RunningBot, rules: str, currency: str = "USD") -> RunningBot:
    load_org(bot.sessions, bot.clock.now())
    load_policy(bot.sessions, bot.clock.now(), policy(rules, currency))
    return bot


def policy(rules: str, currency: str = "USD") -> str:
    return f'currency = "{currency}"\n' + PROFILES.format(rules=rules)


def resolutions(bot: RunningBot) -> list[Resolution]:
    with bot.sessions() as session:
        return list(session.scalars(select(Resolution).order_by(Resolution.id)))


def test_a_category_limited_only_per_customer_counts_its_money(bot: RunningBot) -> None:
    with_policy(bot, "goodwill = { per_customer_30d = 100, requires_customer_ref = true }")

    over = bot.driver.command("U0AGENT1", "/resolve", "goodwill 500 order 12 very late")
    bot.driver.command("U0AGENT1", "/resolve")
    [opened] = bot.slack.calls("views.open")
    bot.driver.submit(
        "U0AGENT1",
        opened.args["view"],
        {"category": "goodwill", "amount": "40", "summary": "late", "customer_ref": "order 13"},
    )
    boundaries = bot.driver.command("U0AGENT1", "/boundaries")

    assert "per-customer limit $100 in 30 days (this customer would have $500)" in over.text
    assert [(r.amount, r.summary, r.status) for r in resolutions(bot)] == [
        (Decimal(500), "order 12 very late", "pending"),
        (Decimal(40), "late", "within"),
    ]
    assert "*goodwill* — per customer in 30 days $100" in boundaries.text
    assert "no money involved" not in boundaries.text


def test_a_per_customer_limit_needs_the_customer_reference(bot: RunningBot) -> None:
    """Left out, the reference would let the same customer be given the limit again and again."""
    with_policy(bot, "credit = { per_incident = 50, per_customer_30d = 60 }")

    named = bot.driver.command("U0AGENT1", "/resolve", "credit 50 order 5 late")
    unnamed = bot.driver.command("U0AGENT1", "/resolve", "credit 50 late again, same customer")
    boundaries = bot.driver.command("U0AGENT1", "/boundaries")

    assert "Logged your *credit* of $50" in named.text
    assert "A `credit` needs a customer reference" in unnamed.text
    assert [r.customer_ref for r in resolutions(bot)] == ["order 5"]
    assert "*credit* — up to $50, per customer in 30 days $60, customer reference needed" in boundaries.text


def test_a_reference_typed_in_full_width_digits_is_the_same_customer(bot: RunningBot) -> None:
    with_policy(bot, "refund = { per_incident = 50, per_customer_30d = 100 }")
    bot.driver.command("U0AGENT3", "/resolve", "refund 40 order 1234 arrived broken")
    bot.driver.command("U0AGENT1", "/resolve", "refund 40 ref:１２３４ still broken")

    third = bot.driver.command("U0AGENT1", "/resolve", "refund 30 order １２３４ broken again")

    assert "per-customer limit $100 in 30 days (this customer would have $110)" in third.text
    assert [r.customer_ref for r in resolutions(bot)] == ["order 1234", "１２３４", "order 1234"]


def test_a_reference_written_with_leading_zeros_or_other_digits_is_the_same_customer(bot: RunningBot) -> None:
    """Otherwise `01234` or `١٢٣٤` would give one customer the per-customer limit again and again."""
    with_policy(bot, "refund = { per_incident = 50, per_customer_30d = 100 }")
    for reference in ("order 1234", "ref:01234", "ref:٠١٢٣٤"):
        bot.driver.command("U0AGENT1", "/resolve", f"refund 40 {reference} arrived late")
        bot.clock.advance(timedelta(days=2))

    assert [r.status for r in resolutions(bot)] == ["within", "within", "pending"]
    assert {r.customer_key for r in resolutions(bot)} == {"1234"}


def test_a_reference_typed_with_look_alike_letters_of_another_script_is_the_same_customer(bot: RunningBot) -> None:
    """`ORD-7` typed with a Cyrillic or a Greek capital O looks like the reference it copies: a new customer for it
    would give one customer the per-customer limit again and again."""
    with_policy(bot, "refund = { per_incident = 50, per_customer_30d = 100 }")
    bot.driver.command("U0AGENT3", "/resolve", "refund 40 ref:ORD-7 arrived broken")
    bot.clock.advance(timedelta(days=2))
    bot.driver.command("U0AGENT1", "/resolve", "refund 40 ref:\u041eRD-7 still broken")  # Cyrillic capital O
    bot.clock.advance(timedelta(days=2))

    third = bot.driver.command("U0AGENT1", "/resolve", "refund 30 ref:\u039fRD-7 broken again")  # Greek capital O

    assert "per-customer limit $100 in 30 days (this customer would have $110)" in third.text
    assert [r.status for r in resolutions(bot)] == ["within", "within", "pending"]
    assert {r.customer_key for r in resolutions(bot)} == {"ord7"}


@pytest.mark.parametrize(
    ("first", "second", "third", "key"),
    [("IŞIK-12", "ışık-12", "Işık-12", "işik12"), ("STRASSE-1", "straße-1", "Straße-1", "strasse1")],
    ids=["turkish-i", "german-sharp-s"],
)
def test_a_reference_typed_in_another_case_is_the_same_customer(
    bot: RunningBot, first: str, second: str, third: str, key: str
) -> None:
    """Lower-cased, `IŞIK-12` is `işik-12` and `STRASSE-1` stays `strasse-1`, so the same order typed in capitals by
    one person and in small letters by another gave its customer the per-customer limit again and again."""
    with_policy(bot, "refund = { per_incident = 50, per_customer_30d = 100 }")
    bot.driver.command("U0AGENT3", "/resolve", f"refund 40 order {first} arrived broken")
    bot.clock.advance(timedelta(days=2))
    bot.driver.command("U0AGENT1", "/resolve", f"refund 40 order {second} still broken")
    bot.clock.advance(timedelta(days=2))

    third_fix = bot.driver.command("U0AGENT1", "/resolve", f"refund 30 order {third} broken again")

    assert "per-customer limit $100 in 30 days (this customer would have $110)" in third_fix.text
    assert [(r.customer_ref, r.status) for r in resolutions(bot)] == [
        (f"order {first}", "within"),
        (f"order {second}", "within"),
        (f"order {third}", "pending"),
    ]
    assert {r.customer_key for r in resolutions(bot)} == {key}


def test_a_reference_with_a_hangul_filler_pasted_in_is_the_same_customer(bot: RunningBot) -> None:
    """A Hangul filler shows as nothing, yet NFKC reads it as a letter: pasted into the form's reference it would give
    one customer the per-customer limit again and again (a `ref:` typed in the one-liner is read without it, too). Nor
    is it kept in the reference shown to the decider."""
    with_policy(bot, "refund = { per_incident = 50, per_customer_30d = 100 }")
    bot.driver.command("U0AGENT3", "/resolve", "refund 40 order 1234 arrived broken")
    bot.clock.advance(timedelta(days=2))
    bot.driver.command("U0AGENT1", "/resolve", "refund 40 ref:1234 still broken")
    bot.clock.advance(timedelta(days=2))
    bot.driver.command("U0AGENT1", "/resolve")
    [opened] = bot.slack.calls("views.open")

    form = {"category": "refund", "amount": "30", "summary": "broken again", "customer_ref": "12\u316434"}
    bot.driver.submit("U0AGENT1", opened.args["view"], form)
    typed = bot.driver.command("U0AGENT1", "/resolve", "refund 10 ref:12\uffa034 broken once more")

    assert "per-customer limit $100 in 30 days (this customer would have $120)" in typed.text
    assert [(r.customer_ref, r.customer_key, r.status) for r in resolutions(bot)] == [
        ("order 1234", "1234", "within"),
        ("1234", "1234", "within"),
        ("1234", "1234", "pending"),
        ("1234", "1234", "pending"),
    ]
    requests = bot.slack.calls("chat.postMessage", channel="U0MGR1")
    facts = [
        block["text"]["text"] for request in requests for block in request.args["blocks"] if block["type"] == "section"
    ]
    assert [line for text in facts for line in text.split("\n") if line.startswith("*Customer:*")] == [
        "*Customer:* 1234",
        "*Customer:* 1234",
    ]


def test_an_amount_followed_by_another_currencys_name_is_refused_not_counted_as_dollars(bot: RunningBot) -> None:
    with_policy(bot, "credit = { per_incident = 50 }")

    euros = bot.driver.command("U0AGENT1", "/resolve", "credit 45 euros sorry for the wait")
    pounds = bot.driver.command("U0AGENT1", "/resolve", "credit 45 Pounds, sorry for the wait")
    dollars = bot.driver.command("U0AGENT1", "/resolve", "credit 45 dollars sorry for the wait")

    assert "Your limits are in USD, and `45 euros` is not" in euros.text
    assert "Your limits are in USD, and `45 Pounds` is not" in pounds.text
    assert "Logged your *credit* of $45" in dollars.text
    assert [(r.amount, r.summary) for r in resolutions(bot)] == [(Decimal(45), "sorry for the wait")]


def test_a_reference_without_letters_or_digits_names_no_customer(bot: RunningBot) -> None:
    with_policy(bot, "refund = { per_incident = 50, requires_customer_ref = true }\ncredit = { per_incident = 50 }")

    blank = bot.driver.command("U0AGENT1", "/resolve", 'refund 45 ref:" " arrived late')
    dashes = bot.driver.command("U0AGENT1", "/resolve", "refund 45 ref:-- arrived late")
    bot.driver.command("U0AGENT1", "/resolve", 'credit 5 ref:" -- " sorry for the wait')
    bot.driver.command("U0AGENT1", "/resolve", 'credit 5 ref:"  AB 12 " sorry again')

    for refused in (blank, dashes):
        assert "The customer reference you gave has no letters or digits, and a `refund` needs one" in refused.text
    assert [(r.category, r.customer_ref, r.customer_key) for r in resolutions(bot)] == [
        ("credit", None, None),
        ("credit", "AB 12", "ab12"),
    ]


def test_a_new_currency_starts_the_limits_afresh_and_each_amount_keeps_its_own(bot: RunningBot) -> None:
    """$140 given before the policy moved to yen is no ¥140 of the day's ¥15,000."""
    with_policy(bot, "credit = { per_incident = 150, per_day = 150, per_customer_30d = 150 }")
    bot.driver.command("U0AGENT1", "/resolve", "credit 140 order 8 late")
    bot.clock.advance(timedelta(minutes=5))
    yen = "credit = { per_incident = 15000, per_day = 15000, per_customer_30d = 14000 }"
    load_policy(bot.sessions, bot.clock.now(), policy(yen, "JPY"))

    reply = bot.driver.command("U0AGENT1", "/resolve", "credit 14000 order 8 late again")

    assert "Logged your *credit* of ¥14,000" in reply.text
    assert "credit: ¥1,000 left today" in reply.text
    assert "Sam Agent — credit $140 (within)" in reply.text
    assert [(r.amount, r.currency) for r in resolutions(bot)] == [(Decimal(140), "USD"), (Decimal(14000), "JPY")]


def test_an_amount_marked_in_another_currency_on_a_yen_policy_is_refused_not_counted_as_yen(bot: RunningBot) -> None:
    """Counted as yen, a dollar or a euro amount is worth about a hundredth of what was given: always within limits."""
    with_policy(bot, "credit = { per_incident = 5000 }", "JPY")
    refused = {
        "20 ＵＳＤ": "read as USD",
        "20 $US": "read as USD",
        "20 €uro": "read as EUR",
        "20 ユーロ": "read as EUR",
        "20 ￡": "read as GBP",
        "20 C$": "read as CAD",
        "20 kronor": "read as SEK",
        "20 sterling": "read as GBP",
        "20 kr.": "`kr` could be SEK, NOK, DKK or ISK",
        "20 ドル": "`ドル` could be USD, CAD, AUD, NZD or MXN",
        "20 元": "`元` could be CNY, HKD or TWD",
    }

    replies = {
        typed: bot.driver.command("U0AGENT1", "/resolve", f"credit {typed} sorry for the wait") for typed in refused
    }
    bot.driver.command("U0AGENT1", "/resolve")
    [opened] = bot.slack.calls("views.open")
    form = bot.driver.submit(
        "U0AGENT1", opened.args["view"], {"category": "credit", "amount": "20 ＵＳＤ", "summary": "sorry for the wait"}
    )

    for typed, read_as in refused.items():
        shown = typed.removesuffix(".")
        assert (
            f"Your limits are in JPY, and `{shown}` is not ({read_as}): give the amount in JPY" in replies[typed].text
        )
    assert "Your limits are in JPY, and “20 ＵＳＤ” is not (read as USD)" in form.json["errors"]["amount"]
    assert resolutions(bot) == []


def test_an_amount_marked_in_yen_as_japanese_is_typed_is_counted_as_yen(bot: RunningBot) -> None:
    with_policy(bot, "credit = { per_incident = 5000 }", "JPY")

    for typed in ("20 円", "２０円", "￥20", "20 ＪＰＹ"):
        reply = bot.driver.command("U0AGENT1", "/resolve", f"credit {typed} sorry for the wait")
        assert "Logged your *credit* of ¥20" in reply.text

    assert [(r.amount, r.currency, r.summary) for r in resolutions(bot)] == [
        (Decimal(20), "JPY", "sorry for the wait")
    ] * 4
