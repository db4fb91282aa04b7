"""While the database cannot be reached, a click with no `response_url` (in the App Home) and a form without inputs
are still told that nothing was done, in a small modal, rather than answered 503 (a warning sign, nothing said)."""

from sqlalchemy import select

from models import Resolution
from tests.conftest import RunningBot
from tests.e2e.test_database_failing import replay_check_out_of_reach
from tests.e2e.test_resolutions_approvals import request_over_the_limit
from tests.helpers import load_org_and_policy


def test_a_click_in_the_home_while_the_database_is_down_opens_a_modal_saying_nothing_was_done(
    bot: RunningBot,
) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    request_over_the_limit(bot)
    bot.driver.open_home("U0MGR1")
    [home] = bot.slack.calls("views.publish", user_id="U0MGR1")

    with replay_check_out_of_reach(bot.runtime.engine):
        reply = bot.driver.post_payload(
            bot.driver.view_click_payload("U0MGR1", home.args["view"], "resolution_approve")
        )

    assert reply.status == 200
    [opened] = bot.slack.wait_for("views.open")
    shown = opened.args["view"]["blocks"][0]["text"]["text"]
    assert "can't use its database right now" in shown and "nothing was done" in shown
    with bot.sessions() as session:
        assert session.execute(select(Resolution.status)).scalar_one() == "pending"


def test_a_form_without_inputs_sent_while_the_database_is_down_is_answered_with_a_view_saying_nothing_was_done(
    bot: RunningBot,
) -> None:
    """A confirmation form has no input to show an error under: a view pushed over it says so, and closing it goes
    back to the form, to be sent again."""
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT1", "/resolve")
    [opened] = bot.slack.calls("views.open")
    form = opened.args["view"]
    confirmation = {**form, "blocks": [b for b in form["blocks"] if b["type"] != "input"]}
    confirmation["blocks"].append({"type": "section", "text": {"type": "mrkdwn", "text": "Log it?"}})

    with replay_check_out_of_reach(bot.runtime.engine):
        reply = bot.driver.submit("U0AGENT1", confirmation, {})

    assert reply.status == 200
    assert reply.json["response_action"] == "push"
    shown = reply.json["view"]["blocks"][0]["text"]["text"]
    assert "can't use its database right now" in shown and "nothing was done" in shown
    with bot.sessions() as session:
        assert session.execute(select(Resolution)).first() is None


def test_a_click_while_the_database_is_down_is_acked_before_slack_is_asked_to_show_the_apology(
    bot: RunningBot,
) -> None:
    """Slack waits 3 s for the ack: a Slack slow to take the apology must not hold the ack up (the stand-in answers
    the response URL only once the click was acked)."""
    load_org_and_policy(bot.sessions, bot.clock.now())
    request = request_over_the_limit(bot)
    bot.slack.hold_until_ack("response_url")

    with replay_check_out_of_reach(bot.runtime.engine):
        reply = bot.driver.click("U0MGR1", request, "resolution_approve")
        told = bot.slack.wait_for("response_url")

    assert reply.status == 200
    assert "can't use its database right now" in told[0].args["text"]
    assert bot.slack.calls("views.open") == [], "told once, under the message clicked"


def test_a_click_in_the_home_while_the_database_is_down_is_acked_before_the_apology_opens(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    request_over_the_limit(bot)
    bot.driver.open_home("U0MGR1")
    [home] = bot.slack.calls("views.publish", user_id="U0MGR1")
    bot.slack.hold_until_ack("views.open")

    with replay_check_out_of_reach(bot.runtime.engine):
        reply = bot.driver.post_payload(
            bot.driver.view_click_payload("U0MGR1", home.args["view"], "resolution_approve")
        )
        [opened] = bot.slack.wait_for("views.open")

    assert reply.status == 200
    assert "nothing was done" in opened.args["view"]["blocks"][0]["text"]["text"]
