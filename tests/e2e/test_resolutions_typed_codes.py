"""A reference starting with letters in a one-line `/resolve`, and one with an em dash before its last digits: a count
after it is asked about rather than filed under another customer than the one the person meant."""

from datetime import timedelta

from tests.conftest import RunningBot
from tests.e2e.test_resolutions_money import resolutions, with_policy
from tests.e2e.test_resolutions_typed_references import through_the_form


def test_a_count_after_a_slash_of_a_code_with_letters_is_asked_and_either_reading_logs(bot: RunningBot) -> None:
    """`order AB12/5 items missing` was customer `ab125` without a word: a second refund for AB12 passed its limit
    unseen. Asked, it is logged as the person writes it again; a code's own parts still log whole."""
    with_policy(bot, "refund = { per_incident = 50, per_customer_30d = 100 }")
    through_the_form(bot, "40", "AB12")
    bot.clock.advance(timedelta(days=2))

    asked = bot.driver.command("U0AGENT1", "/resolve", "refund 40 order AB12/5 items missing")
    apart = bot.driver.command("U0AGENT1", "/resolve", "refund 40 order AB12, 5 items missing")
    code = bot.driver.command("U0AGENT1", "/resolve", "refund 40 order SKU-12-345 late")
    third = bot.driver.command("U0AGENT1", "/resolve", "refund 30 order AB12 still missing")

    assert "Is the customer reference `AB12` or `AB12/5`?" in asked.text
    assert "or `order AB12, 5 …` if the number after the slash is not part of it" in asked.text
    assert all("Logged your refund of $40." in reply.text for reply in (apart, code))
    assert "per-customer limit $100 in 30 days (this customer would have $110)" in third.text
    assert [(r.customer_ref, r.customer_key) for r in resolutions(bot)] == [
        ("AB12", "ab12"),
        ("order AB12", "ab12"),
        ("order SKU-12-345", "sku12345"),
        ("order AB12", "ab12"),
    ]


def test_a_count_after_a_dash_of_a_code_with_letters_is_asked_about(bot: RunningBot) -> None:
    """`order A5521-3 boxes missing` and `invoice INV-2024-3 days late` were customers `a55213` and `inv20243`."""
    with_policy(bot, "refund = { per_incident = 50, per_customer_30d = 100 }")
    boxes = bot.driver.command("U0AGENT1", "/resolve", "refund 40 order A5521-3 boxes missing")
    days = bot.driver.command("U0AGENT1", "/resolve", "refund 40 invoice INV-2024-3 days late")

    assert "Is the customer reference `A5521` or `A5521-3`?" in boxes.text
    assert "Is the customer reference `INV-2024` or `INV-2024-3`?" in days.text
    assert resolutions(bot) == []


def test_an_em_dash_before_a_number_and_a_word_is_asked_and_a_point_reads_whole(bot: RunningBot) -> None:
    """`order 1234—5 late` was customer `12345` without a word: a second refund for order 1234 passed its limit unseen.
    An em dash is the sentence's pause, as a comma is; a point between digits is a code's part, `order 1234.5`."""
    with_policy(bot, "refund = { per_incident = 50, per_customer_30d = 100 }")
    through_the_form(bot, "40", "1234")
    bot.clock.advance(timedelta(days=2))

    asked = bot.driver.command("U0AGENT1", "/resolve", "refund 40 order 1234\u20145 late")
    apart = bot.driver.command("U0AGENT1", "/resolve", "refund 40 order 1234, 5 late")
    pointed = bot.driver.command("U0AGENT1", "/resolve", "refund 40 order 1234.5 late")

    assert "Is the customer reference `1234` or `1234\u20145`?" in asked.text
    assert "or `order 1234, 5 …` if the number after the em dash is not part of it" in asked.text
    assert all("Logged your refund of $40." in reply.text for reply in (apart, pointed))
    assert [(r.customer_ref, r.customer_key) for r in resolutions(bot)] == [
        ("1234", "1234"),
        ("order 1234", "1234"),
        ("order 1234.5", "12345"),
    ]
