"""Someone the org file does not list has no boundaries written down for them yet: whatever they log waits for an
admin, since no manager's digest would ever show a fix of theirs logged within the limits."""

from sqlalchemy import select

from models import Resolution
from tests.conftest import FIXTURES, RunningBot
from tests.helpers import load_org, load_org_and_policy

NORA = "U0NEWBIE,Nora Newbie,Support East,frontline,U0MGR1,nora@example.com,America/New_York,agent\n"


def statuses(bot: RunningBot) -> list[str]:
    with bot.sessions() as session:
        return list(session.scalars(select(Resolution.status).order_by(Resolution.id)))


def test_a_fix_by_someone_the_org_file_does_not_list_waits_for_an_admin_however_small(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0NEWBIE", "Nora Newbie", email="nora@example.com")

    bot.driver.command("U0NEWBIE", "/resolve", "refund 20 order 7 arrived late")

    [told] = bot.slack.calls("response_url")  # once Slack was asked whether they are a guest
    reply = told.text
    assert statuses(bot) == ["pending"], reply
    assert "sent it to Ada Admin to decide" in reply
    assert "the org file does not list" in reply
    assert "Until HR adds you to the org file, every fix you log goes to the admins to decide" in reply
    [request] = bot.slack.calls("chat.postMessage", channel="U0ADMIN")
    assert "needs your decision" in request.text
    assert "the org file does not list" in str(request.args["blocks"])


def test_once_hr_lists_them_their_fixes_within_the_limits_are_logged_at_once(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0NEWBIE", "Nora Newbie", email="nora@example.com")
    bot.driver.command("U0NEWBIE", "/resolve", "refund 20 order 7 arrived late")
    load_org(bot.sessions, bot.clock.now(), (FIXTURES / "org.csv").read_text() + NORA)

    reply = bot.driver.command("U0NEWBIE", "/resolve", "refund 20 order 8 arrived late")

    assert "Logged your *refund* of $20" in reply.text
    assert statuses(bot) == ["pending", "within"]


def test_the_notification_of_a_fix_waiting_for_the_admins_names_them_not_a_manager(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0NEWBIE", "Nora Newbie", email="nora@example.com")

    bot.driver.command("U0NEWBIE", "/resolve", "refund 20 order 7 arrived late")

    [told] = bot.slack.calls("response_url")
    assert told.args["text"] == "Sent your refund of $20 to Ada Admin to decide."


def test_boundaries_tell_someone_the_org_file_does_not_list_that_the_admins_decide_every_fix(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0NEWBIE", "Nora Newbie", email="nora@example.com")
    bot.driver.command("U0NEWBIE", "/boundaries")

    unlisted = bot.driver.command("U0NEWBIE", "/boundaries").text
    listed = bot.driver.command("U0AGENT1", "/boundaries").text

    assert "every fix you log goes to the admins to decide" in unlisted
    assert "Inside them, fix it and log it" not in unlisted
    assert "Inside them, fix it and log it with `/resolve`; nobody needs to approve." in listed
