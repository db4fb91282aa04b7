"""A day's and a month's limits hold for what one person gives in that time, whichever clock Slack says they keep:
someone who sets their Slack time zone further east does not start a new day there to give as much again."""

from datetime import UTC, datetime

from tests.conftest import FIXTURES, RunningBot
from tests.e2e.test_resolutions_money import policy, resolutions
from tests.helpers import load_org, load_policy

SAM_WITHOUT_TZ = (FIXTURES / "org.csv").read_text().replace("sam@example.com,America/New_York", "sam@example.com,")
MORNING_IN_LOS_ANGELES = datetime(2026, 3, 10, 14, 0, tzinfo=UTC)  # 07:00 in Los Angeles
TOKYO_MIDNIGHT = datetime(2026, 3, 10, 15, 5, tzinfo=UTC)  # 08:05 in Los Angeles, 00:05 on the 11th in Tokyo


def sam_in_los_angeles(bot: RunningBot, rules: str) -> None:
    bot.clock.set(MORNING_IN_LOS_ANGELES)
    load_org(bot.sessions, bot.clock.now(), SAM_WITHOUT_TZ)
    load_policy(bot.sessions, bot.clock.now(), policy(rules))
    bot.slack.add_user("U0AGENT1", "Sam Agent", tz="America/Los_Angeles", email="sam@example.com")
    bot.driver.command("U0AGENT1", "/boundaries")


def test_a_new_time_zone_in_slack_does_not_start_a_new_day_of_the_daily_limit(bot: RunningBot) -> None:
    sam_in_los_angeles(bot, "credit = { per_day = 100 }")
    bot.driver.command("U0AGENT1", "/resolve", "credit 100 order 1 the day's whole allowance")

    bot.driver.user_change("U0AGENT1", tz="Asia/Tokyo", tz_label="Japan Standard Time", tz_offset=32400)
    bot.clock.set(TOKYO_MIDNIGHT)
    again = bot.driver.command("U0AGENT1", "/resolve", "credit 100 order 2 as much again an hour later")

    assert [r.status for r in resolutions(bot)] == ["within", "pending"], again.text
    assert "daily limit $100 (today's total would be $200)" in again.text


def test_a_new_time_zone_in_slack_does_not_start_a_new_month_of_the_monthly_limit(bot: RunningBot) -> None:
    sam_in_los_angeles(bot, "credit = { per_month = 300 }")
    bot.clock.set(datetime(2026, 3, 31, 14, 0, tzinfo=UTC))  # 07:00 on 31 March in Los Angeles
    bot.driver.command("U0AGENT1", "/resolve", "credit 300 order 1 the month's whole allowance")

    bot.driver.user_change("U0AGENT1", tz="Asia/Tokyo", tz_label="Japan Standard Time", tz_offset=32400)
    bot.clock.set(datetime(2026, 3, 31, 15, 5, tzinfo=UTC))  # 00:05 on 1 April in Tokyo
    again = bot.driver.command("U0AGENT1", "/resolve", "credit 300 order 2 as much again an hour later")

    assert [r.status for r in resolutions(bot)] == ["within", "pending"], again.text
    assert "monthly limit $300 (this month's total would be $600)" in again.text
