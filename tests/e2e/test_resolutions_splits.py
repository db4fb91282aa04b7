"""One customer problem split into several fixes is still one incident: the per-incident limit holds for the total."""

from datetime import timedelta

from services.resolutions import decisions
from tests.conftest import RunningBot
from tests.e2e.test_resolutions_money import resolutions, with_policy
from tests.helpers import employee


def test_a_refund_split_into_small_ones_for_one_order_goes_to_the_manager_once_past_the_limit(bot: RunningBot) -> None:
    with_policy(bot, "refund = { per_incident = 50, per_customer_30d = 100, requires_customer_ref = true }")

    replies = [bot.driver.command("U0AGENT1", "/resolve", "refund 25 order 1234 one refund in four") for _ in range(4)]

    assert [r.status for r in resolutions(bot)] == ["within", "within", "pending", "pending"]
    assert "per-incident limit $50 (with this customer's other `refund` fixes in 24 hours, $75)" in replies[2].text
    assert "Sent your refund of $25 to Maya Manager to decide" in replies[3].text


def test_two_colleagues_splitting_one_fee_between_them_are_one_incident(bot: RunningBot) -> None:
    """Without a daily limit nothing else would stop ten waivers of 30 for one order."""
    with_policy(bot, "fee_waiver = { per_incident = 30, per_month = 300 }")

    bot.driver.command("U0AGENT1", "/resolve", "fee waiver 30 order 77 late fee")
    colleague = bot.driver.command("U0AGENT3", "/resolve", "fee waiver 30 ORDER-77 the rest of it")
    other_customer = bot.driver.command("U0AGENT3", "/resolve", "fee waiver 30 order 78 late fee")

    assert "per-incident limit $30 (with this customer's other `fee_waiver` fixes in 24 hours, $60)" in colleague.text
    assert "Logged your *fee_waiver* of $30" in other_customer.text
    assert [r.status for r in resolutions(bot)] == ["within", "pending", "within"]


def test_a_fix_for_the_same_customer_a_day_later_is_a_new_incident(bot: RunningBot) -> None:
    with_policy(bot, "refund = { per_incident = 50, per_customer_30d = 100, requires_customer_ref = true }")
    bot.driver.command("U0AGENT1", "/resolve", "refund 40 order 9 arrived late")
    bot.clock.advance(timedelta(hours=23, minutes=59))
    bot.driver.command("U0AGENT1", "/resolve", "refund 40 order 9 arrived broken")
    bot.clock.advance(timedelta(hours=24, minutes=1))

    later = bot.driver.command("U0AGENT1", "/resolve", "refund 10 order 9 another problem")

    assert "Logged your *refund* of $10" in later.text
    assert [r.status for r in resolutions(bot)] == ["within", "pending", "within"]


def test_a_declined_part_does_not_count_toward_the_incident(bot: RunningBot) -> None:
    with_policy(bot, "credit = { per_incident = 50 }")
    bot.driver.command("U0AGENT1", "/resolve", "credit 60 order 5 too much")
    [request] = resolutions(bot)
    with bot.sessions.begin() as session:
        decisions.decide(
            session,
            resolution_id=request.id,
            decider=employee(session, "U0MGR1"),
            approve=False,
            reason="too much",
            now=bot.clock.now(),
        )

    smaller = bot.driver.command("U0AGENT1", "/resolve", "credit 40 order 5 a smaller gesture")

    assert "Logged your *credit* of $40" in smaller.text
