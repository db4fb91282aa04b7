"""What Slack knows of a person fills what the directory lacks, whichever command they use first; when Slack
cannot say (busy, rate limited, unreachable), nobody is taken for a stranger."""

from typing import Any

import pytest

from handlers.blocks import nominations as blocks
from models import Employee, Resolution
from tests.conftest import FIXTURES, RunningBot
from tests.e2e.test_pulse_rounds import answer
from tests.helpers import count, employee, load_org, load_policy
from tests.pulse_org import load_pulse_org
from tests.rewards_helpers import nominations, set_up

SLACK_BUSY = [
    pytest.param({"status": 503, "times": 3}, id="unavailable"),
    pytest.param({"status": 429, "retry_after": 1, "times": 3}, id="rate-limited"),
    pytest.param({"hang_up": True, "times": 3}, id="connection-dropped"),
]


def test_a_manager_the_org_file_gave_no_time_zone_gets_the_one_slack_knows_from_digest(bot: RunningBot) -> None:
    org = (FIXTURES / "org.csv").read_text().replace("maya@example.com,America/New_York", "maya@example.com,")
    load_org(bot.sessions, bot.clock.now(), org)
    load_policy(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0MGR1", "Maya Manager", tz="America/Chicago", email="maya@example.com")

    bot.driver.command("U0MGR1", "/digest")

    with bot.sessions() as session:
        assert employee(session, "U0MGR1").tz == "America/Chicago"


def test_a_newcomer_opening_the_nomination_form_is_named_as_slack_names_them(bot: RunningBot) -> None:
    load_org(bot.sessions, bot.clock.now())
    load_policy(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0NEW", "Nia Newcomer", tz="Europe/Paris", email="nia@example.com")

    bot.driver.command("U0NEW", "/nominate")

    assert bot.slack.calls("views.open")
    with bot.sessions() as session:
        newcomer = employee(session, "U0NEW")
        assert (newcomer.name, newcomer.tz) == ("Nia Newcomer", "Europe/Paris")


def test_answering_the_pulse_asks_slack_nothing_about_the_person(bot: RunningBot) -> None:
    """Filling a profile at that moment would stamp who answered when, beside the answers' own time."""
    load_pulse_org(bot.sessions, bot.clock.now(), east_tz="")
    bot.driver.command("U0HR", "/pulse", "start")

    answer(bot, "U0A01", 0, 4)
    bot.driver.command("U0A01", "/pulse")

    assert bot.slack.calls("users.info") == []
    with bot.sessions() as session:
        assert employee(session, "U0A01").tz is None


def test_a_newcomers_first_request_shows_them_by_their_slack_name_not_their_handle(bot: RunningBot) -> None:
    """Slack is asked about a newcomer after the ack; the request, sent then too, mentions them instead."""
    load_org(bot.sessions, bot.clock.now())
    load_policy(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0NEW", "Nia Newcomer", tz="Europe/Paris", email="nia@example.com")

    bot.driver.command("U0NEW", "/resolve", "refund 80 order 42 parcel lost", user_name="nia.n")

    [request] = [c for c in bot.slack.calls("chat.postMessage") if "needs your decision" in c.args["text"]]
    assert request.args["text"] == "<@U0NEW> needs your decision: refund of $80"
    assert "*<@U0NEW>* — *refund*" in request.text and "nia.n" not in request.text


@pytest.mark.parametrize("failure", SLACK_BUSY)
def test_a_colleague_slack_could_not_describe_just_then_is_not_called_a_stranger(
    bot: RunningBot, failure: dict[str, Any]
) -> None:
    set_up(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0NEWBIE", "Nora Newbie", email="nora@example.com")
    bot.slack.fail("users.info", **failure)  # the call and both retries

    bot.driver.command("U0AGENT1", "/nominate", "<@U0NEWBIE|nora> great first week")

    [told] = bot.slack.calls("response_url")
    assert "not an active member" not in told.args["text"]
    assert "Slack didn't answer about <@U0NEWBIE> just now. Please try again in a minute." in told.args["text"]
    with bot.sessions() as session:
        assert nominations(session) == []
        assert session.query(Employee).filter_by(slack_id="U0NEWBIE").count() == 0


def test_the_nomination_form_sends_nothing_while_slack_cannot_say_who_a_colleague_is(bot: RunningBot) -> None:
    set_up(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0NEWBIE", "Nora Newbie", email="nora@example.com")
    bot.driver.command("U0AGENT1", "/nominate")
    [opened] = bot.slack.calls("views.open")
    bot.slack.fail("users.info", status=503, times=3)
    with bot.sessions() as session:
        people = count(session, Employee)

    bot.driver.submit("U0AGENT1", opened.args["view"], {blocks.PEOPLE: ["U0NEWBIE"], blocks.REASON: "first week"})

    [dm] = bot.slack.messages_to("U0AGENT1")
    assert "Your nomination was not sent: Slack didn't answer about <@U0NEWBIE> just now." in dm.text
    assert bot.slack.messages_to("U0NEWBIE") == []
    with bot.sessions() as session:
        assert nominations(session) == [] and count(session, Employee) == people


def test_an_install_that_may_not_ask_slack_about_people_says_so_rather_than_try_again(bot: RunningBot) -> None:
    set_up(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0NEWBIE", "Nora Newbie", email="nora@example.com")
    bot.slack.fail("users.info", error="missing_scope")

    bot.driver.command("U0AGENT1", "/nominate", "<@U0NEWBIE|nora> great first week")

    [told] = bot.slack.calls("response_url")
    assert "Slack won't tell Latitude who <@U0NEWBIE> is (`missing_scope`)" in told.args["text"]
    assert "reinstall Latitude" in told.args["text"] and "try again" not in told.args["text"]
    with bot.sessions() as session:
        assert nominations(session) == []


def test_a_newcomers_fix_is_not_logged_when_the_install_may_not_ask_about_her_and_she_is_told_whom_to_tell(
    bot: RunningBot,
) -> None:
    """Slack must say whether Nia, whom the org file does not list, is a guest before her fix is logged; the install
    may not ask, which no wait fixes: she is told so, not to try again."""
    load_org(bot.sessions, bot.clock.now())
    load_policy(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0NEW", "Nia Newcomer", tz="Europe/Paris", email="nia@example.com")
    bot.slack.fail("users.info", error="missing_scope")

    reply = bot.driver.command("U0NEW", "/resolve", "refund 20 order 42 parcel late")

    assert reply.body == "", "answered once Slack was asked whether they are a guest"
    [told] = bot.slack.calls("response_url")
    assert "Latitude can't check your account with Slack" in told.text and "tell your Slack admin" in told.text
    assert "try again" not in told.text.lower()
    with bot.sessions() as session:
        assert count(session, Resolution) == 0
