"""The same fact shown on two surfaces reads the same on both, and as the README says it counts.

What is left of an allowance today is no more than what is left of it this month (/boundaries, the App Home and the
reply to a fix).
"""

from datetime import timedelta

from tests.conftest import RunningBot
from tests.helpers import load_org
from tests.rewards_helpers import EXAMPLE_POLICY, load_policy_text

CREDIT_AGENT = "per_incident = 25, per_day = 100, per_month = 500 }"
SMALL_MONTH = CREDIT_AGENT.replace("per_month = 500", "per_month = 120")


def test_what_is_left_today_never_reads_more_than_what_is_left_this_month(bot: RunningBot) -> None:
    """Sam has given $75 of a $120 month: whatever the day allows, $45 is all that is left today."""
    policy = EXAMPLE_POLICY.read_text()
    assert CREDIT_AGENT in policy
    load_org(bot.sessions, bot.clock.now())
    load_policy_text(bot.sessions, bot.clock.now(), policy.replace(CREDIT_AGENT, SMALL_MONTH, 1))
    for customer in (1, 2, 3):
        assert "Logged" in bot.driver.command("U0AGENT1", "/resolve", f"credit 25 goodwill {customer}").text
    bot.clock.advance(timedelta(days=1))

    shown = bot.driver.command("U0AGENT1", "/boundaries", "credit").text
    bot.driver.open_home("U0AGENT1")
    [home] = bot.slack.calls("views.publish")
    fixed = bot.driver.command("U0AGENT1", "/resolve", "credit 25 goodwill 4").text

    assert "Left: $45 left today, $45 left this month" in shown, shown
    assert "*credit*: $45 left today, $45 left this month" in home.text, home.text
    assert "$20 left today, $20 left this month" in fixed, fixed
    bigger = bot.driver.command("U0AGENT1", "/resolve", "credit 25 goodwill 5").text
    assert "monthly limit $120" in bigger and "daily" not in bigger, "over what was left today, as shown"
