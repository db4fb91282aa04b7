"""A customer reference typed in one line is the customer the form keys for it, or it is asked about: read another
way, one order written two ways was two customers to the per-customer limit, or a fix went to another customer."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from models import Resolution
from tests.conftest import RunningBot
from tests.e2e.test_resolutions_money import resolutions, with_policy
from tests.helpers import load_org_and_policy


def logged(bot: RunningBot) -> int:
    with bot.sessions() as session:
        return session.scalar(select(func.count()).select_from(Resolution)) or 0


def through_the_form(bot: RunningBot, amount: str, customer_ref: str) -> None:
    bot.driver.command("U0AGENT1", "/resolve")
    opened = bot.slack.calls("views.open")[-1]
    values = {"category": "refund", "amount": amount, "summary": "arrived broken", "customer_ref": customer_ref}
    bot.driver.submit("U0AGENT1", opened.args["view"], values)


def test_a_count_after_a_comma_is_no_part_of_the_order_so_its_limit_holds(bot: RunningBot) -> None:
    """`order 1234,5 items missing` was customer `12345`: a second refund for order 1234 passed its limit unseen."""
    with_policy(bot, "refund = { per_incident = 50, per_customer_30d = 100 }")
    through_the_form(bot, "40", "1234")
    bot.clock.advance(timedelta(days=2))
    bot.driver.command("U0AGENT1", "/resolve", "refund 40 order 1234,5 items missing")
    bot.clock.advance(timedelta(days=2))

    third = bot.driver.command("U0AGENT1", "/resolve", "refund 30 order 1,234 broken again")

    assert "per-customer limit $100 in 30 days (this customer would have $110)" in third.text
    assert [(r.customer_ref, r.customer_key) for r in resolutions(bot)] == [
        ("1234", "1234"),
        ("order 1234", "1234"),
        ("order 1,234", "1234"),
    ]


def test_minutes_after_a_comma_are_no_thousands_of_the_order_so_its_limit_holds(bot: RunningBot) -> None:
    """`order 1234,150 minutes on hold` was customer `1234150`: three digits after a comma were taken as thousands
    after any number, and a second refund for order 1234 passed its limit unseen."""
    with_policy(bot, "refund = { per_incident = 50, per_customer_30d = 100 }")
    through_the_form(bot, "40", "1234")
    bot.clock.advance(timedelta(days=2))
    bot.driver.command("U0AGENT1", "/resolve", "refund 40 order 1234,150 minutes on hold")
    bot.clock.advance(timedelta(days=2))

    third = bot.driver.command("U0AGENT1", "/resolve", "refund 30 order 1234")

    assert "per-customer limit $100 in 30 days (this customer would have $110)" in third.text
    assert [r.customer_key for r in resolutions(bot)] == ["1234", "1234", "1234"]


@pytest.mark.parametrize(
    ("typed", "asked"),
    [
        ("refund 20 order 1234,5 late", "`1234` or `1234,5`"),
        ("refund 20 #12 34 late", "`12` or `12 34`"),
        ("refund 20 order 12\u303f34 late", "`12` or `12\u303f34`"),
        ("refund 20 order 45:12 late", "`45` or `45:12`"),
        ("refund 20 order 1234|56 late", "`1234` or `1234|56`"),
        ("refund 20 order 5521-3 boxes missing", "`5521` or `5521-3`"),
        # Digits going down are no range of days: a refund was refused as needing a reference, a credit logged
        # under no customer, though the form keys `45-2` as ticket 452.
        ("refund 20 ticket 45-2 days no reply", "`45` or `45-2`"),
        ("refund 20 case 77-2 weeks waiting", "`77` or `77-2`"),
        ("refund 20 order 77-2 hours late", "`77` or `77-2`"),
        ("credit 5 ticket 45-2 days no reply", "`45` or `45-2`"),
        ("credit 10 ticket 88-3 hours", "`88` or `88-3`"),
        ("credit 10 ticket 48-24 hours", "`48` or `48-24`"),
        # A slash before a count, and three digits after a dash, were joined silently: another customer's fix.
        ("refund 20 order 1234/5 items missing", "`1234` or `1234/5`"),
        ("refund 20 #4471/2 days late", "`4471` or `4471/2`"),
        ("refund 20 order 1234-150 minutes on hold", "`1234` or `1234-150`"),
    ],
)
def test_a_reference_the_form_reads_as_one_number_is_asked_about_and_nothing_is_logged(
    bot: RunningBot, typed: str, asked: str
) -> None:
    """The form keys `1234,5`, `#12 34`, `12〿34`, `45:12`, `1234|56` and `5521-3` as one number: read short, each was
    another customer to every limit than the one the form files it under (`#12 34` named none), and `5521-3 boxes
    missing` may as well be order 5521."""
    load_org_and_policy(bot.sessions, bot.clock.now())

    reply = bot.driver.command("U0AGENT1", "/resolve", typed)

    assert f"Is the customer reference {asked}?" in reply.text
    assert "Nothing was logged." in reply.text
    assert logged(bot) == 0


def test_a_range_of_days_after_a_label_names_no_customer(bot: RunningBot) -> None:
    """`order 3-4 days late` was customer `3-4`: every fix written so was one customer to the 30-day limit."""
    load_org_and_policy(bot.sessions, bot.clock.now())

    credit = bot.driver.command("U0AGENT1", "/resolve", "credit 5 order 3-4 days late")
    refund = bot.driver.command("U0AGENT1", "/resolve", "refund 20 order 3 to 4 days late")
    timed = bot.driver.command("U0AGENT1", "/resolve", "credit 5 order 10:30 am slot missed")

    assert "Logged your credit of $5." in credit.text and "Logged your credit of $5." in timed.text
    assert "needs a customer reference" in refund.text
    assert [(r.customer_ref, r.summary) for r in resolutions(bot)] == [
        (None, "order 3-4 days late"),
        (None, "order 10:30 am slot missed"),
    ]


@pytest.mark.parametrize(
    "typed",
    [
        "credit 5 booking 19:30 cold food",
        "credit 5 order 12:30-14:00 slot missed",
        "credit 5 #12:30 delivery",
        "credit 5 #1:30 wait",
        "credit 5 replacement #2 14 May failed",
        "credit 5 #1 20 Dec delivery",
    ],
)
def test_a_time_or_a_date_after_a_label_or_a_short_hash_names_no_customer_and_logs(bot: RunningBot, typed: str) -> None:
    """`booking 19:30 cold food` was asked about, `19` or `19:30`, and `replacement #2 14 May failed`, `2` or `2 14`:
    lines that had always logged were refused."""
    load_org_and_policy(bot.sessions, bot.clock.now())

    reply = bot.driver.command("U0AGENT1", "/resolve", typed)

    assert "Logged your credit of $5." in reply.text
    assert [(r.customer_ref, r.summary) for r in resolutions(bot)] == [(None, typed.removeprefix("credit 5 "))]


def test_a_dash_with_spaces_after_a_ticket_leaves_it_the_customer(bot: RunningBot) -> None:
    """`ticket 45 - 2 days no reply` was read as a range of days and named no customer: the refund was refused."""
    load_org_and_policy(bot.sessions, bot.clock.now())

    reply = bot.driver.command("U0AGENT1", "/resolve", "refund 20 ticket 45 - 2 days no reply")

    assert "Logged your refund of $20." in reply.text
    assert [(r.customer_ref, r.summary) for r in resolutions(bot)] == [("ticket 45", "ticket 45 - 2 days no reply")]


def test_a_range_going_up_after_a_label_still_names_no_customer(bot: RunningBot) -> None:
    """`order 2-3 days late` and `ticket 24-48 hours` are ranges, which name no customer, as before."""
    load_org_and_policy(bot.sessions, bot.clock.now())

    days = bot.driver.command("U0AGENT1", "/resolve", "credit 5 order 2-3 days late")
    hours = bot.driver.command("U0AGENT1", "/resolve", "credit 5 ticket 24-48 hours")

    assert "Logged your credit of $5." in days.text and "Logged your credit of $5." in hours.text
    assert [(r.customer_ref, r.summary) for r in resolutions(bot)] == [
        (None, "order 2-3 days late"),
        (None, "ticket 24-48 hours"),
    ]


@pytest.mark.parametrize(
    ("form", "typed", "key"),
    [("A1234", "order \u04101234", "a1234"), ("\u00c9-12", "order \u00c9-12", "\u00e912")],
    ids=["cyrillic-a", "accented-e"],
)
def test_a_reference_with_a_letter_of_another_script_is_the_forms_customer(
    bot: RunningBot, form: str, typed: str, key: str
) -> None:
    """`order А1234` (a Cyrillic `А`) and `order É-12` named no customer in one line, though the form keys them as
    `a1234` and `é12`: a refund written so escaped the customer's limit."""
    with_policy(bot, "refund = { per_incident = 50, per_customer_30d = 100 }")
    through_the_form(bot, "40", form)
    bot.clock.advance(timedelta(days=2))
    bot.driver.command("U0AGENT1", "/resolve", f"refund 40 {typed} still broken")
    bot.clock.advance(timedelta(days=2))

    third = bot.driver.command("U0AGENT1", "/resolve", f"refund 30 {typed} broken again")

    assert "per-customer limit $100 in 30 days (this customer would have $110)" in third.text
    assert {r.customer_key for r in resolutions(bot)} == {key}


def test_a_count_after_a_slash_is_asked_and_either_reading_logs_as_written(bot: RunningBot) -> None:
    """`order 1234/5 items missing` was customer `12345` without a word: a second refund for order 1234 passed its
    limit unseen. Asked, it is logged as the person writes it again: the count apart, or the whole after `ref:`."""
    with_policy(bot, "refund = { per_incident = 50, per_customer_30d = 100 }")
    through_the_form(bot, "40", "1234")
    bot.clock.advance(timedelta(days=2))

    asked = bot.driver.command("U0AGENT1", "/resolve", "refund 40 order 1234/5 items missing")
    apart = bot.driver.command("U0AGENT1", "/resolve", "refund 40 order 1234, 5 items missing")
    whole = bot.driver.command("U0AGENT1", "/resolve", "refund 40 ref:1234/5 items missing")
    parts = bot.driver.command("U0AGENT1", "/resolve", "refund 40 order 1234/5678 items missing")
    third = bot.driver.command("U0AGENT1", "/resolve", "refund 30 order 1234 still missing")

    assert "Is the customer reference `1234` or `1234/5`?" in asked.text
    assert "or `order 1234, 5 …` if the number after the slash is not part of it" in asked.text
    assert all("Logged your refund of $40." in reply.text for reply in (apart, whole, parts))
    assert "per-customer limit $100 in 30 days (this customer would have $110)" in third.text
    assert [(r.customer_ref, r.customer_key) for r in resolutions(bot)] == [
        ("1234", "1234"),
        ("order 1234", "1234"),
        ("1234/5", "12345"),
        ("order 1234/5678", "12345678"),
        ("order 1234", "1234"),
    ]


def test_a_year_first_invoice_is_logged_whole_and_counts_as_the_forms_customer(bot: RunningBot) -> None:
    """`invoice 2024/123 items missing` was asked about, `2024` or `2024/123`, though a year then a serial is how an
    invoice is numbered, as `2024/0012` is: it is logged for the invoice the form keys `2024123`, under its limit."""
    with_policy(bot, "refund = { per_incident = 50, per_customer_30d = 100 }")
    through_the_form(bot, "40", "2024/123")
    bot.clock.advance(timedelta(days=2))

    slashed = bot.driver.command("U0AGENT1", "/resolve", "refund 40 invoice 2024/123 items missing")
    third = bot.driver.command("U0AGENT1", "/resolve", "refund 30 invoice 2024-123 items missing")

    assert "Logged your refund of $40." in slashed.text
    assert "per-customer limit $100 in 30 days (this customer would have $110)" in third.text
    assert [(r.customer_ref, r.customer_key) for r in resolutions(bot)] == [
        ("2024/123", "2024123"),
        ("invoice 2024/123", "2024123"),
        ("invoice 2024-123", "2024123"),
    ]
