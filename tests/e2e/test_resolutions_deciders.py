"""Who decides a fix outside the boundaries when the person at the top of the org logs one: never themselves."""

from sqlalchemy import select

from models import Resolution
from tests.conftest import RunningBot
from tests.helpers import add_org_people, load_org, load_policy

OVER_THE_LIMIT = "refund 400 order 42 parcel lost in transit"

TWO_ADMINS = """slack_id,name,team,role,manager_slack_id,email,tz,profile
U0ADMIN,Ada Admin,Operations,admin,,ada@example.com,Europe/London,
U0ADMIN2,Bea Admin,Operations,admin,U0ADMIN,bea@example.com,Europe/London,
U0AGENT1,Sam Agent,Operations,frontline,U0ADMIN2,sam@example.com,America/New_York,agent
"""


def statuses(bot: RunningBot) -> list[str]:
    with bot.sessions() as session:
        return list(session.scalars(select(Resolution.status)))


def test_the_only_admin_at_the_top_is_refused_at_once_and_never_sent_their_own_request(bot: RunningBot) -> None:
    """Logged as pending, it would wait on them alone, and nobody decides their own request."""
    load_org(bot.sessions, bot.clock.now())
    load_policy(bot.sessions, bot.clock.now())

    reply = bot.driver.command("U0ADMIN", "/resolve", OVER_THE_LIMIT)

    assert "you are the only admin, and nobody decides their own request" in reply.text
    assert "add a second admin to the org file" in reply.text
    assert "add your manager" not in reply.text
    assert statuses(bot) == []
    assert bot.slack.calls("chat.postMessage", channel="U0ADMIN") == []


def test_the_admin_at_the_top_has_their_request_decided_by_another_admin(bot: RunningBot) -> None:
    load_org(bot.sessions, bot.clock.now(), TWO_ADMINS)
    add_org_people(bot.slack, TWO_ADMINS)
    load_policy(bot.sessions, bot.clock.now())

    reply = bot.driver.command("U0ADMIN", "/resolve", OVER_THE_LIMIT)

    assert "sent it to Bea Admin to decide" in reply.text
    assert statuses(bot) == ["pending"]
    assert [call.text for call in bot.slack.calls("chat.postMessage", channel="U0ADMIN")] == []
    [request] = bot.slack.calls("chat.postMessage", channel="U0ADMIN2")
    assert "needs your decision" in request.text
