"""/resolve in one line against the per-customer limit (refunds: $100 per customer in 30 days) when the reference
or the amount is typed with a mark inside or a character nobody sees: read whole, or asked about, never cut short
into another customer or a smaller amount."""

from datetime import timedelta

import pytest

from models import Resolution
from tests.conftest import RunningBot
from tests.e2e.test_resolutions_logging import resolutions
from tests.helpers import count, load_org_and_policy

DAY_AND_MORE = timedelta(hours=25)
"""Past the 24 hours in which fixes for one customer are one incident: the per-customer limit is what is left."""


@pytest.fixture
def ready(bot: RunningBot) -> RunningBot:
    load_org_and_policy(bot.sessions, bot.clock.now())
    return bot


def twice_for_order_1234(bot: RunningBot) -> None:
    for _ in range(2):
        reply = bot.driver.command("U0AGENT1", "/resolve", "refund 50 order 1234 arrived late")
        assert "Logged your *refund* of $50" in reply.text, reply.text
        bot.clock.advance(DAY_AND_MORE)


@pytest.mark.parametrize(
    "reference",
    [
        "order 12\u200d34",  # a zero-width joiner, which a paste keeps
        "order 1\u200e234",  # a left-to-right mark
        "order 123\u034f4",  # a combining grapheme joiner
        "order 1\u180e234",  # a Mongolian vowel separator
        "order 1,234",
        "order 1.234",
        "order 1_234",
        "order 12/34",
        "order 12\u201334",  # an en dash
        "order 12'34",
        "order 12\u00b734",  # a middle dot
        "#12/34",
        "ref:12/34",
    ],
)
def test_a_third_refund_for_one_order_goes_to_the_manager_however_its_reference_is_typed(
    ready: RunningBot, reference: str
) -> None:
    """`order 12\u200d34` was stored as customer `order 12` and `order 1,234` as `order 1`: within, a third $50 for
    one order in 30 days, with nobody asked."""
    twice_for_order_1234(ready)

    reply = ready.driver.command("U0AGENT1", "/resolve", f"refund 50 {reference} arrived late again")

    assert "per-customer limit $100 in 30 days (this customer would have $150)" in reply.text, reply.text
    assert [r.status for r in resolutions(ready)] == ["within", "within", "pending"]
    assert {r.customer_key for r in resolutions(ready)} == {"1234"}
    [request] = ready.slack.calls("chat.postMessage", channel="U0MGR1")
    assert "Sam Agent — refund $50 (within)" in request.text, request.text


def test_two_invoices_of_one_year_are_two_customers(ready: RunningBot) -> None:
    """`invoice 2024/0012` and `invoice 2024/0013` were both customer `2024`."""
    for _ in range(2):
        ready.driver.command("U0AGENT1", "/resolve", "refund 50 invoice 2024/0012 charged twice")
        ready.clock.advance(DAY_AND_MORE)

    reply = ready.driver.command("U0AGENT1", "/resolve", "refund 50 invoice 2024/0013 charged twice")

    assert "Logged your *refund* of $50" in reply.text, reply.text
    assert [(r.customer_ref, r.customer_key, r.status) for r in resolutions(ready)] == [
        ("invoice 2024/0012", "20240012", "within"),
        ("invoice 2024/0012", "20240012", "within"),
        ("invoice 2024/0013", "20240013", "within"),
    ]


def test_a_reference_run_into_the_next_word_ends_at_its_mark(ready: RunningBot) -> None:
    """`order 1234,late` is `order 1234`: read to the next space it would be a customer nobody else types."""
    reply = ready.driver.command("U0AGENT1", "/resolve", "refund 50 order 1234,late delivery")

    assert "Logged your *refund* of $50" in reply.text, reply.text
    assert [(r.customer_ref, r.customer_key) for r in resolutions(ready)] == [("order 1234", "1234")]


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("refund 1, 200 order 1234 arrived late", "`1200` or `1,200`, not `1 200`"),
        ("refund 1 ,200 order 1234 arrived late", "`1200` or `1,200`, not `1 200`"),
        ("refund 1 , 200 order 1234 arrived late", "`1200` or `1,200`, not `1 200`"),
        ("credit 2, 000 goodwill for the wait", "`2000` or `2,000`, not `2 000`"),
    ],
)
def test_an_amount_with_a_mark_and_a_space_before_its_thousands_is_asked_about_never_logged(
    ready: RunningBot, typed: str, written: str
) -> None:
    """`refund 1, 200 …` was "Logged your refund of $1"; `credit 2, 000 goodwill` $2 with "000 goodwill…"."""
    reply = ready.driver.command("U0AGENT1", "/resolve", typed)

    assert f"Write the amount without a space: {written}." in reply.text, reply.text
    assert "Logged" not in reply.text
    with ready.sessions() as session:
        assert count(session, Resolution) == 0
    assert ready.slack.calls("chat.postMessage") == []


def refund_through_the_form(bot: RunningBot, reference: str) -> None:
    bot.driver.command("U0AGENT1", "/resolve")
    opened = bot.slack.calls("views.open")[-1]
    form = {"category": "refund", "amount": "50", "summary": "arrived late", "customer_ref": reference}
    bot.driver.submit("U0AGENT1", opened.args["view"], form)
    bot.clock.advance(DAY_AND_MORE)


@pytest.mark.parametrize(
    "reference",
    [
        "12\u030134",  # a combining acute accent left on a digit
        "12\u0663\u0664",  # Arabic-Indic digits after Latin ones
        "12\ue00034",  # a private-use sign
    ],
)
def test_a_number_with_a_mark_or_another_scripts_digits_is_one_customer_in_the_form_and_in_one_line(
    ready: RunningBot, reference: str
) -> None:
    """The form keyed `12\u030134` as `1234`, the one line as `12`: a third $50 for order 1234 in 30 days was logged
    within, with nobody asked, when its number was typed this way after `/resolve`."""
    refund_through_the_form(ready, reference)
    ready.driver.command("U0AGENT1", "/resolve", "refund 50 order 1234 arrived late")
    ready.clock.advance(DAY_AND_MORE)

    reply = ready.driver.command("U0AGENT1", "/resolve", f"refund 50 order {reference} arrived late again")

    assert "per-customer limit $100 in 30 days (this customer would have $150)" in reply.text, reply.text
    assert [(r.customer_key, r.status) for r in resolutions(ready)] == [
        ("1234", "within"),
        ("1234", "within"),
        ("1234", "pending"),
    ]


@pytest.mark.parametrize(
    ("reference", "asked"),
    [
        ("order 1 2 34", "`1` or `1 2 34`"),
        ("order 12 3 4", "`12` or `12 3 4`"),
        ("ref:1 2 34", "`1` or `1 2 34`"),
        ("order 12\u280034", "`12` or `12 34`"),  # Braille's blank, which looks like a space
    ],
)
def test_a_number_split_by_spaces_around_a_single_digit_is_asked_about_and_the_form_counts_it_whole(
    ready: RunningBot, reference: str, asked: str
) -> None:
    """`order 1 2 34` was customer `1` (a one-digit group let the rest pass as what happened), which the form keys as
    `1234`: a third $50 for the order was logged within, with nobody asked."""
    twice_for_order_1234(ready)

    reply = ready.driver.command("U0AGENT1", "/resolve", f"refund 50 {reference} arrived late again")

    assert f"Is the customer reference {asked}?" in reply.text and "Nothing was logged." in reply.text, reply.text
    assert [r.status for r in resolutions(ready)] == ["within", "within"]
    assert ready.slack.calls("chat.postMessage", channel="U0MGR1") == []
    refund_through_the_form(ready, reference.removeprefix("order ").removeprefix("ref:").replace("\u2800", " "))
    assert [(r.customer_key, r.status) for r in resolutions(ready)] == [
        ("1234", "within"),
        ("1234", "within"),
        ("1234", "pending"),
    ]
