"""Day one: the app is installed and running, and HR tries it before anyone ran `org import`. Latitude knows them only
from Slack, so it cannot tell they are HR: it says so and what makes it work, rather than "ask HR"."""

import pytest

from models import PulseRound
from tests.conftest import RunningBot
from tests.helpers import answered, count, load_org, load_policy


@pytest.mark.parametrize(
    ("command", "text", "what"),
    [
        ("/rewards", "export", "The reward export"),
        ("/pulse", "start", "Starting a pulse round"),
        ("/digest", "team:Support East", "Another team's digest"),
    ],
)
def test_hr_acting_before_the_org_file_is_imported_is_told_their_role_is_not_known_yet(
    bot: RunningBot, command: str, text: str, what: str
) -> None:
    bot.slack.add_user("U0HR", "Hana Reyes")

    reply = bot.driver.command("U0HR", command, text)
    shown = reply.text + " ".join(call.text for call in bot.slack.calls("response_url"))

    assert f"{what} is for HR and admins, and the org file does not list you yet" in shown
    assert "`python -m bot org import FILE`" in shown
    assert "Ask HR" not in shown and "Ask them" not in shown
    assert bot.slack.files() == []
    with bot.sessions() as session:
        assert count(session, PulseRound) == 0


def test_once_the_org_file_lists_them_as_hr_the_same_command_works(bot: RunningBot) -> None:
    bot.slack.add_user("U0HR", "Hana Reyes")
    bot.driver.command("U0HR", "/pulse", "start")

    load_org(bot.sessions, bot.clock.now())
    reply = bot.driver.command("U0HR", "/pulse", "start")

    assert "Pulse round 1 is open" in reply.text


def test_someone_the_org_file_lists_as_frontline_is_still_told_to_ask_hr(bot: RunningBot) -> None:
    load_org(bot.sessions, bot.clock.now())

    reply = bot.driver.command("U0AGENT1", "/pulse", "start")

    assert "Only HR or an admin can start a pulse round. Ask them" in reply.text
    assert "does not list you" not in reply.text


def test_with_a_policy_but_no_org_yet_boundaries_and_home_do_not_promise_an_admin_decides(bot: RunningBot) -> None:
    """Every fix of someone the org file does not list goes to an admin; before the import there is none, and
    `/resolve` refuses: the limits they are shown say so rather than promise a decision."""
    load_policy(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0AGENT1", "Sam Agent")

    shown = answered(bot.slack, bot.driver.command("U0AGENT1", "/boundaries"))
    bot.driver.open_home("U0AGENT1")
    home = bot.slack.calls("views.publish")[-1].text
    logged = bot.driver.command("U0AGENT1", "/resolve", "refund 20 order 1234 arrived late")

    for view in (shown, home):
        assert "nobody is an admin in Latitude yet" in view and "`/resolve` cannot log one for now" in view
        assert "goes to the admins to decide" not in view
    assert "there is no admin to decide" in logged.text + " ".join(c.text for c in bot.slack.calls("response_url"))


def test_once_there_is_an_admin_someone_not_listed_is_told_their_fixes_go_to_the_admins(bot: RunningBot) -> None:
    load_org(bot.sessions, bot.clock.now())
    load_policy(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0NEW", "Nia New")

    shown = answered(bot.slack, bot.driver.command("U0NEW", "/boundaries"))

    assert "*every fix you log goes to the admins to decide*" in shown
    assert "nobody is an admin" not in shown


def test_hr_opening_the_home_before_the_org_import_is_told_the_next_step_rather_than_to_ask_hr(
    bot: RunningBot,
) -> None:
    bot.slack.add_user("U0HR", "Hana Reyes")

    bot.driver.open_home("U0HR")
    home = bot.slack.calls("views.publish")[-1].text

    assert "nobody has imported the org file yet" in home
    assert "`python -m bot org import FILE.csv`" in home
    assert "Ask HR" not in home


def test_once_the_org_file_is_imported_someone_it_leaves_out_is_told_to_ask_hr(bot: RunningBot) -> None:
    load_org(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0NEW", "Nia New")

    bot.driver.open_home("U0NEW")
    home = bot.slack.calls("views.publish")[-1].text

    assert "You're not in the org directory yet, so you have no manager on file. Ask HR to add you." in home
    assert "nobody has imported the org file" not in home


def test_hr_opening_the_home_before_a_policy_is_loaded_is_told_how_to_load_one(bot: RunningBot) -> None:
    load_org(bot.sessions, bot.clock.now())

    bot.driver.open_home("U0HR")
    before = bot.slack.calls("views.publish")[-1].text
    bot.driver.open_home("U0AGENT1")
    frontline = bot.slack.calls("views.publish")[-1].text
    load_policy(bot.sessions, bot.clock.now())
    bot.driver.open_home("U0HR")
    after = bot.slack.calls("views.publish")[-1].text

    assert "no policy file is loaded yet, so nobody has limits and `/resolve` logs no fix" in before
    assert "`python -m bot policy load policy.toml`" in before
    assert "no policy file is loaded" not in frontline
    assert "no policy file is loaded" not in after and "*My allowance today / this month*" in after


def test_hr_trying_boundaries_and_resolve_before_a_policy_is_loaded_is_not_told_to_ask_hr(bot: RunningBot) -> None:
    load_org(bot.sessions, bot.clock.now())

    shown = bot.driver.command("U0HR", "/boundaries").text
    logged = bot.driver.command("U0HR", "/resolve", "refund 20 order 1234 arrived late")
    refused = logged.text + " ".join(call.text for call in bot.slack.calls("response_url"))
    frontline = bot.driver.command("U0AGENT1", "/boundaries").text

    for answer in (shown, refused):
        assert "No policy is loaded yet" in answer and "Ask HR" not in answer
        assert "Next step, for whoever runs Latitude: load one (`python -m bot policy load FILE`)." in answer
    assert "Ask HR or an admin to load one" in frontline
