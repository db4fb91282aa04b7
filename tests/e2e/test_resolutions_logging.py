"""/resolve and /boundaries end to end: within the boundaries, over them, and every kind of bad input."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from models import Resolution
from tests.conftest import FIXTURES, RunningBot
from tests.helpers import count, employee, load_org, load_org_and_policy, load_policy


@pytest.fixture
def ready(bot: RunningBot) -> RunningBot:
    load_org_and_policy(bot.sessions, bot.clock.now())
    return bot


def resolutions(bot: RunningBot) -> list[Resolution]:
    with bot.sessions() as session:
        return list(session.scalars(select(Resolution).order_by(Resolution.id)))


def test_a_fix_within_the_boundary_is_logged_and_thanked_with_what_is_left(ready: RunningBot) -> None:
    reply = ready.driver.command("U0AGENT1", "/resolve", "refund 45 order 1234 arrived late")

    assert "Logged your *refund* of $45" in reply.text
    assert "$105 left today, $955 left this month" in reply.text
    [resolution] = resolutions(ready)
    assert (resolution.status, resolution.amount, resolution.customer_ref) == ("within", 45, "order 1234")
    assert resolution.summary == "order 1234 arrived late"
    assert ready.slack.calls("chat.postMessage") == []


def test_the_daily_total_crossing_the_limit_goes_to_the_manager_on_the_fourth_fix(ready: RunningBot) -> None:
    for order in (1, 2, 3):
        reply = ready.driver.command("U0AGENT1", "/resolve", f"refund 50 order {order} broken")
        assert "Logged" in reply.text

    reply = ready.driver.command("U0AGENT1", "/resolve", "refund 10 order 4 broken")

    assert "sent it to Maya Manager" in reply.text
    assert "daily limit $150 (today's total would be $160)" in reply.text
    assert [r.status for r in resolutions(ready)] == ["within", "within", "within", "pending"]
    [request] = ready.slack.calls("chat.postMessage", channel="U0MGR1")
    assert "Sam Agent needs your decision" in request.text
    assert "daily limit $150" in request.text


def test_the_monthly_total_counts_every_day_of_the_month(ready: RunningBot) -> None:
    for day in range(7):
        ready.driver.command("U0AGENT1", "/resolve", f"credit 25 goodwill for customer {day}")
        ready.clock.advance(timedelta(days=1))
    for day in range(13):
        ready.driver.command("U0AGENT1", "/resolve", f"credit 25 goodwill again {day}")
        ready.clock.advance(timedelta(days=1))

    reply = ready.driver.command("U0AGENT1", "/resolve", "credit 5 one more")

    assert "monthly limit $500 (this month's total would be $505)" in reply.text
    assert resolutions(ready)[-1].status == "pending"


def test_a_new_month_renews_the_allowance(ready: RunningBot) -> None:
    ready.driver.command("U0AGENT1", "/resolve", "fee_waiver 30 late fee waived")
    ready.clock.set(ready.clock.now().replace(month=4, day=1, hour=12))

    reply = ready.driver.command("U0AGENT1", "/boundaries")

    assert "$300 left this month" in reply.text


def test_a_per_incident_breach_names_the_limit(ready: RunningBot) -> None:
    reply = ready.driver.command("U0AGENT1", "/resolve", "refund 75 order 99 double charged")

    assert "per-incident limit $50 (this is $75)" in reply.text
    assert resolutions(ready)[0].status == "pending"


def test_a_senior_agents_inherited_profile_allows_more(ready: RunningBot) -> None:
    reply = ready.driver.command("U0AGENT2", "/resolve", "refund 75 order 99 double charged")

    assert "Logged your *refund* of $75" in reply.text


def test_a_category_without_money_needs_no_amount(ready: RunningBot) -> None:
    reply = ready.driver.command("U0AGENT1", "/resolve", "reschedule moved the delivery to Friday outcome:happy")

    assert "Logged your *reschedule*" in reply.text
    [resolution] = resolutions(ready)
    assert (resolution.amount, resolution.customer_outcome) == (0, "happy")


def test_without_money_a_leading_number_belongs_to_the_summary(ready: RunningBot) -> None:
    moved = ready.driver.command("U0AGENT1", "/resolve", "reschedule 2 days later than planned")
    slot = ready.driver.command("U0AGENT1", "/resolve", "reschedule 10am slot moved to Friday")
    money = ready.driver.command("U0AGENT1", "/resolve", "reschedule $5 for the trouble")

    assert "Logged your *reschedule*" in moved.text and "Logged your *reschedule*" in slot.text
    assert "involves no money, so leave the amount out (you typed $5)" in money.text
    assert [(r.amount, r.summary) for r in resolutions(ready)] == [
        (0, "2 days later than planned"),
        (0, "10am slot moved to Friday"),
    ]


def test_a_currency_written_beside_the_amount_is_read_with_it(ready: RunningBot) -> None:
    ready.driver.command("U0AGENT1", "/resolve", "credit 20 USD sorry for the wait")
    ready.driver.command("U0AGENT1", "/resolve", "credit $ 15 sorry again")
    other = ready.driver.command("U0AGENT1", "/resolve", "credit 20 CAD sorry once more")

    assert "Your limits are in USD, and `20 CAD` is not" in other.text
    assert [(r.amount, r.summary) for r in resolutions(ready)] == [(20, "sorry for the wait"), (15, "sorry again")]


def test_an_unknown_category_lists_the_callers_categories(ready: RunningBot) -> None:
    reply = ready.driver.command("U0AGENT1", "/resolve", "teleport 5 beamed the parcel")

    assert "`teleport` isn't one of your categories" in reply.text
    assert "`credit`, `fee_waiver`, `refund`, `replacement`, `reschedule`" in reply.text
    assert resolutions(ready) == []


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("-5", "can't be negative"),
        ("\u22125", "can't be negative"),
        ("\u20135", "can't be negative"),
        ("\u20145", "can't be negative"),
        ("\uff0d5", "can't be negative"),
        ("1e9", "isn't an amount I understand"),
        ("abc", "isn't an amount I understand"),
        ("NaN", "isn't an amount I understand"),
        ("250000", "far more than any on-the-spot fix"),
        ("0", "A `credit` involves money: give an amount above zero, like `45`"),
        ("€25", "Your limits are in USD, and `€25` is not"),
        ("25GBP", "Your limits are in USD"),
        ("25,50", "Write cents after a point: `25.50`"),
        ("1 200", "Write the amount without a space: `1200` or `1,200`, not `1 200`."),
        ("$ 1 200.50 USD", "Write the amount without a space: `1200.50` or `1,200.50`"),
        ("1 200,50", "Write the amount without a space: `1200.50` or `1,200.50`, not `1 200,50`."),
        ("1 200€", "Your limits are in USD, and `1 200€` is not"),
        ("1 200$", "Write the amount without a space: `1200` or `1,200`"),
        ("20 500", "If `500` is not part of the amount, put a word before it: `/resolve credit 20 for 500 …`."),
        ("1 200,", "Write the amount without a space: `1200` or `1,200`, not `1 200`."),
        ("1 200.", "Write the amount without a space: `1200` or `1,200`, not `1 200`."),
        ("1.200", "`1.200` could be 1.20 or 1,200: write `1.20` or `1200`."),
        ("$12.000", "`12.000` could be 12.00 or 12,000: write `12.00` or `12000`."),
        ("1.200,50", "Write the amount without a point between thousands: `1200.50` or `1,200.50`, not `1.200,50`."),
        ("1.200.000", "Write the amount without a point between thousands: `1200000` or `1,200,000`"),
    ],
)
def test_a_bad_amount_is_explained_and_nothing_is_written(ready: RunningBot, amount: str, message: str) -> None:
    reply = ready.driver.command("U0AGENT1", "/resolve", f"credit {amount} sorry about that")

    assert message in reply.text
    with ready.sessions() as session:
        assert count(session, Resolution) == 0


def test_a_point_between_thousands_in_the_form_is_refused_on_the_amount_not_logged_as_cents(ready: RunningBot) -> None:
    ready.driver.command("U0AGENT1", "/resolve")
    [opened] = ready.slack.calls("views.open")

    reply = ready.driver.submit(
        "U0AGENT1", opened.args["view"], {"category": "credit", "amount": "1.200", "summary": "sorry"}
    )

    assert reply.json["errors"] == {"amount": "“1.200” could be 1.20 or 1,200: write “1.20” or “1200”."}
    assert resolutions(ready) == []


def test_a_missing_summary_or_customer_reference_is_explained(ready: RunningBot) -> None:
    no_summary = ready.driver.command("U0AGENT1", "/resolve", "credit 5")
    no_ref = ready.driver.command("U0AGENT1", "/resolve", "refund 5 customer was upset")

    assert "Say what happened and what you did" in no_summary.text
    assert "needs a customer reference" in no_ref.text
    assert resolutions(ready) == []


def test_a_4000_character_summary_is_refused_with_the_limit(ready: RunningBot) -> None:
    reply = ready.driver.command("U0AGENT1", "/resolve", "credit 5 " + "x" * 4000)

    assert "keep it under 2,000" in reply.text
    assert resolutions(ready) == []


def test_a_channel_ping_in_a_summary_is_escaped_everywhere(ready: RunningBot) -> None:
    ready.driver.command("U0AGENT1", "/resolve", "refund 80 order 7 <!channel> @here <b>refund</b> & more")

    [request] = ready.slack.calls("chat.postMessage", channel="U0MGR1")
    assert "<!channel>" not in request.text
    assert "@\u200bchannel @\u200bhere" in request.text
    assert "&lt;b&gt;refund&lt;/b&gt; &amp; more" in request.text


def test_an_earlier_fix_for_the_same_customer_is_shown(ready: RunningBot) -> None:
    ready.driver.command("U0AGENT3", "/resolve", "refund 40 order 555 wrong size")
    ready.clock.advance(timedelta(hours=2))

    reply = ready.driver.command("U0AGENT1", "/resolve", "refund 45 ORDER 555 still wrong size")

    assert "Earlier for this customer" in reply.text
    assert "Ines Agent — refund $40 (within)" in reply.text


def test_the_per_customer_cap_catches_repeat_claims(ready: RunningBot) -> None:
    ready.driver.command("U0AGENT3", "/resolve", "refund 50 order 777 damaged")
    ready.clock.advance(timedelta(days=1))
    ready.driver.command("U0AGENT1", "/resolve", "refund 40 order 777 damaged again")
    ready.clock.advance(timedelta(days=1))

    reply = ready.driver.command("U0AGENT1", "/resolve", "refund 20 order 777 damaged a third time")

    assert "per-customer limit $100 in 30 days (this customer would have $110)" in reply.text


def test_the_per_customer_cap_sees_one_customer_however_the_reference_is_written(ready: RunningBot) -> None:
    ready.driver.command("U0AGENT3", "/resolve", "refund 40 order 1234 arrived broken")
    ready.clock.advance(timedelta(hours=25))  # a new problem for the same customer, not the same one split
    ready.driver.command("U0AGENT1", "/resolve", "refund 40 ref:1234 still broken")
    ready.clock.advance(timedelta(hours=25))
    ready.driver.command("U0AGENT1", "/resolve")
    [opened] = ready.slack.calls("views.open")

    ready.driver.submit(
        "U0AGENT1",
        opened.args["view"],
        {"category": "refund", "amount": "30", "summary": "broken again", "customer_ref": "Order #1234"},
    )

    [request] = ready.slack.calls("chat.postMessage", channel="U0MGR1")
    assert "per-customer limit $100 in 30 days (this customer would have $110)" in request.text
    assert "Ines Agent — refund $40 (within)" in request.text
    assert [r.status for r in resolutions(ready)] == ["within", "within", "pending"]


def test_a_customer_reference_is_read_however_it_is_commonly_written(ready: RunningBot) -> None:
    lines = ["ref: 42", "order no. 77", "order number 88", "#4471", "order: 55", "ORDER-1234", "ticket nr 5"]

    replies = [ready.driver.command("U0AGENT1", "/resolve", f"replacement 10 {line} arrived broken") for line in lines]

    assert not [reply.text for reply in replies if "needs a customer reference" in reply.text]
    assert [r.customer_ref for r in resolutions(ready)] == [
        "42", "order 77", "order 88", "#4471", "order 55", "order 1234", "ticket 5"
    ]  # fmt: skip


def test_ordinary_words_and_numbers_in_a_summary_are_no_customer_reference(ready: RunningBot) -> None:
    summaries = [
        "our #1 priority customer, box crushed",
        "2nd complaint (#2 this week) about order 1234",
        "cancelled the order. 2 days late",
        "ref: see notes, order 88",
    ]

    for summary in summaries:
        ready.driver.command("U0AGENT1", "/resolve", f"credit 5 {summary}")

    assert [r.customer_ref for r in resolutions(ready)] == [None, "order 1234", None, "order 88"]


def test_a_channel_named_in_a_summary_is_no_customer_reference_and_keeps_its_name(ready: RunningBot) -> None:
    ready.driver.command("U0AGENT1", "/resolve", "credit 5 asked in <#C0SUPPORT|support> about order 77")
    ready.driver.command("U0AGENT1", "/resolve", "credit 5 raised in <#C0ORDERS|order-2024> first")

    assert [(r.customer_ref, r.summary) for r in resolutions(ready)] == [
        ("order 77", "asked in <#C0SUPPORT|support> about order 77"),
        (None, "raised in <#C0ORDERS|order-2024> first"),
    ]


def test_a_quoted_reference_keeps_its_spaces(ready: RunningBot) -> None:
    ready.driver.command("U0AGENT1", "/resolve", 'credit 5 ref:"ABC 123" sorry for the wait')
    ready.driver.command("U0AGENT1", "/resolve", "credit 5 ref:“XY 9” sorry again")
    ready.driver.command("U0AGENT1", "/resolve", "credit 5 ref:'QR 7' and again")
    unclosed = ready.driver.command("U0AGENT1", "/resolve", 'credit 5 ref:"ZZ 1 oops')
    spaced = ready.driver.command("U0AGENT1", "/resolve", 'credit 5 ref: "A1 B2 parcel lost')

    assert 'Close the quote around the reference, like `ref:"ABC 123"`' in unclosed.text
    assert "Close the quote around the reference" in spaced.text
    assert [(r.customer_ref, r.summary) for r in resolutions(ready)] == [
        ("ABC 123", "sorry for the wait"),
        ("XY 9", "sorry again"),
        ("QR 7", "and again"),
    ]


@pytest.mark.parametrize(
    "quoted",
    ["„XY 9“", "„XY 9”", "«XY 9»", "«\u00a0XY 9\u00a0»", "»XY 9«", "»XY 9»", "‚XY 9‘", "”XY 9”", "’XY 9’"],
)
def test_a_reference_quoted_as_a_phone_keyboard_quotes_in_other_languages_keeps_its_spaces(
    ready: RunningBot, quoted: str
) -> None:
    """German, Polish, French, Danish, Swedish and Finnish keyboards type these quotes: the reference inside is the
    customer's, whose 30-day limit counts what they received; half of it would be another customer."""
    ready.driver.command("U0AGENT1", "/resolve", f"credit 5 ref:{quoted} sorry again")
    unclosed = ready.driver.command("U0AGENT1", "/resolve", f"credit 5 ref:{quoted[:-1]} sorry again")

    assert "Close the quote around the reference" in unclosed.text
    assert [(r.customer_ref, r.summary) for r in resolutions(ready)] == [("XY 9", "sorry again")]


def test_someone_the_org_file_gave_no_time_zone_counts_days_in_the_one_slack_knows(bot: RunningBot) -> None:
    without_sams_tz = (FIXTURES / "org.csv").read_text().replace("sam@example.com,America/New_York", "sam@example.com,")
    load_org(bot.sessions, bot.clock.now(), without_sams_tz)
    load_policy(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0AGENT1", "Sam Agent", tz="America/New_York", email="sam@example.com")
    bot.clock.set(datetime(2026, 3, 2, 23, 0, tzinfo=UTC))  # 18:00 in New York

    bot.driver.command("U0AGENT1", "/resolve", "credit 20 sorry for the wait")
    bot.clock.advance(timedelta(hours=2))  # 20:00 in New York, the next day in UTC
    reply = bot.driver.command("U0AGENT1", "/boundaries")

    assert "$80 left today" in reply.text
    with bot.sessions() as session:
        assert employee(session, "U0AGENT1").tz == "America/New_York"


def test_boundaries_show_limits_allowance_left_and_the_policy_version(ready: RunningBot) -> None:
    ready.driver.command("U0AGENT1", "/resolve", "refund 45 order 1 late")

    reply = ready.driver.command("U0AGENT1", "/boundaries")

    assert "policy version 1" in reply.text
    assert "*refund* — up to $50, per day $150, per month $1,000" in reply.text
    assert "Left: $105 left today, $955 left this month" in reply.text
    assert "*reschedule* — no money involved" in reply.text


def test_resolve_help_shows_usage(ready: RunningBot) -> None:
    reply = ready.driver.command("U0AGENT1", "/resolve", "help")

    assert "/resolve refund 45 order 1234 arrived late" in reply.text


def test_without_a_policy_the_employee_is_told_who_can_load_one(bot: RunningBot) -> None:
    load_org(bot.sessions, bot.clock.now())
    reply = bot.driver.command("U0AGENT1", "/resolve", "refund 45 order 1 late")

    assert "No policy is loaded yet" in reply.text
