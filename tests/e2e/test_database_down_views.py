"""While the database cannot be reached, a click with no `response_url` (in the App Home) and a form without inputs
are still told that nothing was done, in a small modal, rather than answered 503 (a warning sign, nothing said)."""

import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from urllib.parse import urlencode

from sqlalchemy import Engine, event, select
from sqlalchemy.exc import OperationalError

from bot import database_down as gate_apology
from bot.database_down import RESPONSE_URL_TIMEOUT, ApologyClients
from models import Resolution
from tests.conftest import RunningBot, in_socket_mode
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
    bot.runtime.app.client.views_update(view_id=opened.response["view"]["id"], view=confirmation)  # as a form may be

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


def test_a_burst_of_clicks_while_the_database_is_down_has_every_apology_on_its_way_at_once(bot: RunningBot) -> None:
    """Each click is answered at once and its apology sent right after, within its trigger's 3 s: apologies queued
    behind each other (Slack slow to open each) would let the later triggers expire, and those people would be told
    nothing at all, not even Slack's warning sign. Every apology is in flight at once, more than the HTTP server's
    threads (each request is answered, freeing its thread, before its apology is sent)."""
    load_org_and_policy(bot.sessions, bot.clock.now())
    request_over_the_limit(bot)
    bot.driver.open_home("U0MGR1")
    [home] = bot.slack.calls("views.publish", user_id="U0MGR1")
    clicks = bot.runtime.settings.http_threads + 4
    pauses = [bot.slack.pause("views.open") for _ in range(clicks)]
    payloads = [bot.driver.view_click_payload("U0MGR1", home.args["view"], "resolution_approve") for _ in range(clicks)]

    with replay_check_out_of_reach(bot.runtime.engine), ThreadPoolExecutor(clicks) as clickers:
        replies = list(clickers.map(bot.driver.post_payload, payloads))
        try:
            for pause in pauses:  # before any could time out and hand its thread to one queued behind it
                pause.wait_until_arrived(timeout=RESPONSE_URL_TIMEOUT * 0.75)
        finally:
            for pause in pauses:
                pause.release()
        opened = bot.slack.wait_for("views.open", count=clicks)

    assert [reply.status for reply in replies] == [200] * clicks
    assert len(opened) == clicks


def test_a_click_in_a_form_while_the_database_is_down_pushes_a_view_saying_nothing_was_done(bot: RunningBot) -> None:
    """Over the form, so that closing it goes back to the form as it was left."""
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT1", "/resolve")
    [opened] = bot.slack.calls("views.open")
    button = {"type": "button", "action_id": "check", "text": {"type": "plain_text", "text": "Check"}}
    form = {  # the form Slack shows, with a button in it
        **opened.args["view"],
        "id": opened.response["view"]["id"],
        "blocks": [*opened.args["view"]["blocks"], {"type": "actions", "elements": [button]}],
    }
    shown = {key: value for key, value in form.items() if key != "id"}
    bot.runtime.app.client.views_update(view_id=form["id"], view=shown)

    with replay_check_out_of_reach(bot.runtime.engine):
        reply = bot.driver.post_payload(bot.driver.view_click_payload("U0AGENT1", form, "check"))
        [pushed] = bot.slack.wait_for("views.push")

    assert reply.status == 200
    shown = pushed.args["view"]["blocks"][0]["text"]["text"]
    assert "can't use its database right now" in shown and "nothing was done" in shown
    assert len(bot.slack.calls("views.open")) == 1, "over the form, not in place of it"


@contextmanager
def database_down(engine: Engine) -> Iterator[None]:
    """Every statement fails as on a database that went away."""
    dbapi_error = engine.dialect.dbapi.OperationalError  # type: ignore[union-attr]

    def unreachable(*_: object) -> None:
        raise dbapi_error("server closed the connection unexpectedly")

    event.listen(engine, "before_cursor_execute", unreachable)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", unreachable)


def test_in_socket_mode_while_the_database_is_down_a_command_and_a_click_are_told_and_an_event_is_sent_again(
    bot: RunningBot,
) -> None:
    """No check stands in front of Bolt there: the listeners meet the outage, and the error handler tells the person
    to try again; an event failed is left unacknowledged, for Slack to send again once the database is back."""
    load_org_and_policy(bot.sessions, bot.clock.now())
    request = request_over_the_limit(bot)
    with in_socket_mode(bot), database_down(bot.runtime.engine):
        command = bot.driver.command("U0AGENT1", "/resolve", "refund 20 order 7 arrived late")
        click = bot.driver.click("U0MGR1", request, "resolution_approve")
        home = bot.driver.open_home("U0MGR1")

    assert "Please try again in a minute" in command.json["text"]
    assert click.status == 200
    [told] = bot.slack.wait_for("response_url")
    assert "Please try again in a minute" in told.args["text"]
    assert home.status == 504, "left unacknowledged"
    assert [problem for problem in bot.slack.violations if "not acknowledged" in problem]
    bot.slack.violations.clear()  # what Slack does with an unacknowledged event: it sends it again
    with bot.sessions() as session:
        assert session.execute(select(Resolution.status)).scalar_one() == "pending"


def test_in_socket_mode_a_form_sent_while_the_database_is_down_stays_open_with_the_apology_under_its_first_field(
    bot: RunningBot,
) -> None:
    """As over HTTP, where the check in front of Bolt answers it: acked empty, the form would close with what was
    typed in it, and a DM say only that something went wrong."""
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT1", "/resolve")
    [opened] = bot.slack.calls("views.open")
    form = opened.args["view"]
    values = {"category": "credit", "amount": "20", "summary": "Sorry for the wait", "outcome": "happy"}

    with in_socket_mode(bot), database_down(bot.runtime.engine):
        reply = bot.driver.submit("U0AGENT1", form, values)

    assert reply.status == 200
    assert reply.json["response_action"] == "errors", reply.text
    first_input = next(block["block_id"] for block in form["blocks"] if block["type"] == "input")
    [(where, shown)] = reply.json["errors"].items()
    assert where == first_input
    assert "can't use its database right now" in shown and "nothing was done" in shown
    assert bot.slack.calls("chat.postMessage", channel="U0AGENT1") == [], "told in the form, not in a DM"
    with bot.sessions() as session:
        assert session.execute(select(Resolution)).first() is None


def test_a_click_in_a_modal_another_workspaces_install_opened_is_told_with_that_installs_token() -> None:
    """Slack Connect: someone of workspace B clicks in a modal workspace A's install opened. Bolt authorizes the click
    (and so remembers the token) as A's, by the view's `app_installed_team_id`: the apology is looked up the same way,
    not by the clicker's own workspace, which has no token remembered."""
    clients = ApologyClients("http://127.0.0.1:9/api/")
    clients.remember("T0ALPHA", "xoxb-alpha")
    payload = {
        "type": "block_actions",
        "team": {"id": "T0BETA"},
        "user": {"id": "U0BUSER", "team_id": "T0BETA"},
        "trigger_id": "1.2.3",
        "actions": [{"action_id": "check"}],
        "view": {"type": "modal", "app_installed_team_id": "T0ALPHA", "team_id": "T0ALPHA", "blocks": []},
    }

    body = urlencode({"payload": json.dumps(payload)}).encode()

    answer = gate_apology.database_down(body, OperationalError("", {}, None), clients=clients)

    assert answer.status == 200 and answer.then is not None, answer
