"""The same fact shown on two surfaces reads the same on both, and as the README says it counts.

What is left of an allowance today is no more than what is left of it this month (/boundaries, the App Home and the
reply to a fix); a request approved in a week that logged no fix is still in that week's digest, with its amount.
"""

from datetime import UTC, datetime, timedelta

from handlers.blocks.digest import as_text
from handlers.blocks.resolutions import APPROVE
from handlers.jobs.send_weekly_digests import send_weekly_digests
from tests.conftest import RunningBot
from tests.helpers import load_org, load_org_and_policy
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


def test_a_monthly_limit_hr_lowered_below_what_was_given_reads_none_left_and_how_much_was_used(
    bot: RunningBot,
) -> None:
    """Sam gave $75 of credit, then HR lowered the month to $50: /boundaries, the App Home and /resolve agree."""
    policy = EXAMPLE_POLICY.read_text()
    load_org(bot.sessions, bot.clock.now())
    load_policy_text(bot.sessions, bot.clock.now(), policy)
    for customer in (1, 2, 3):
        assert "Logged" in bot.driver.command("U0AGENT1", "/resolve", f"credit 25 goodwill {customer}").text
    lowered = policy.replace(CREDIT_AGENT, CREDIT_AGENT.replace("per_month = 500", "per_month = 50"), 1)
    load_policy_text(bot.sessions, bot.clock.now(), lowered)

    shown = bot.driver.command("U0AGENT1", "/boundaries", "credit").text
    bot.driver.open_home("U0AGENT1")
    [home] = bot.slack.calls("views.publish")
    over = bot.driver.command("U0AGENT1", "/resolve", "credit 5 goodwill 4").text

    none_left = "none left today, none left this month (you have used $75 of your $50)"
    assert f"Left: {none_left}" in shown, shown
    assert f"*credit*: {none_left}" in home.text, home.text
    assert "monthly limit $50 (this month's total would be $80)" in over, over
    assert "-$" not in shown + home.text + over


def maya_s_digest(bot: RunningBot, now: datetime) -> str:
    bot.clock.set(now)
    send_weekly_digests(bot.runtime.deps, bot.runtime.app.client)
    [digest] = [c for c in bot.slack.calls("chat.postMessage", channel="U0MGR1") if c.text.startswith("Your team")]
    bot.slack.reset()
    return as_text(digest.args["blocks"])


def test_a_request_approved_in_a_week_that_logged_no_fix_is_given_in_that_weeks_digest(bot: RunningBot) -> None:
    """Each amount given is in exactly one digest: Sam's $200 refund, logged on a Sunday and approved on Monday, is in
    the next week's, which logged nothing else."""
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.clock.set(datetime(2026, 3, 8, 20, 0, tzinfo=UTC))  # Sunday 16:00 in New York
    assert "sent it to Maya Manager" in bot.driver.command("U0AGENT1", "/resolve", "refund 200 order 7 broken").text
    [request] = bot.slack.calls("chat.postMessage", channel="U0MGR1")
    bot.clock.set(datetime(2026, 3, 9, 13, 0, tzinfo=UTC))
    bot.driver.click("U0MGR1", request, APPROVE)
    bot.slack.reset()

    logged = maya_s_digest(bot, datetime(2026, 3, 9, 14, 0, tzinfo=UTC))  # Monday 09:00 in New York
    approved = maya_s_digest(bot, datetime(2026, 3, 16, 13, 0, tzinfo=UTC))

    assert "*Customer fixes:* 1, $0 given" in logged, logged  # the first week Latitude saw: no last week to compare
    assert "$200 given" in approved, approved
    assert "refund: 0 · $200 (last week 1)" in approved, approved


def test_the_home_of_someone_the_org_file_does_not_list_shows_no_allowance_to_fix_within(bot: RunningBot) -> None:
    """Every fix of theirs goes to the admins, as /boundaries says: the App Home promises no money left to give."""
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0NEWBIE", "Nora Newbie", email="nora@example.com")
    bot.driver.command("U0NEWBIE", "/boundaries")
    bot.slack.reset()

    bot.driver.open_home("U0NEWBIE")

    [home] = bot.slack.calls("views.publish")
    assert "left today" not in home.text, home.text
    assert "None yet: the org file does not list you, so every fix you log goes to the admins" in home.text, home.text
