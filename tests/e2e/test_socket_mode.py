"""The scenarios that matter most, over HTTP and in Socket Mode alike; a Socket Mode reconnect loses nothing."""

import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from slack_bolt.adapter.socket_mode import SocketModeHandler
from sqlalchemy import select

from bot.socket_mode import finish, socket_mode_handler
from handlers.blocks import nominations as nomination_blocks
from models import Nomination, PulseResponse, Resolution
from tests.conftest import RunningBot, socket_mode_settings
from tests.e2e.test_pulse_rounds import answer, start
from tests.helpers import (
    holding_the_workspaces,
    load_org_and_policy,
    skip_unless_writers_overlap,
    wait_until,
    wait_until_waiting_for_the_lock,
)


def test_a_fix_over_the_limit_is_approved_by_the_manager(any_mode_bot: RunningBot) -> None:
    bot = any_mode_bot
    load_org_and_policy(bot.sessions, bot.clock.now())

    reply = bot.driver.command("U0AGENT1", "/resolve", "refund 80 order 42 parcel lost")
    [request] = bot.slack.calls("chat.postMessage", channel="U0MGR1")
    bot.driver.click("U0MGR1", request, "resolution_approve")

    assert "sent it to Maya Manager" in reply.text
    [outcome] = bot.slack.calls("chat.postMessage", channel="U0AGENT1")
    assert "approved your refund of $80" in outcome.text
    with bot.sessions() as session:
        assert session.scalars(select(Resolution.status)).all() == ["approved"]


def test_a_nomination_is_shouted_out(any_mode_bot: RunningBot) -> None:
    bot = any_mode_bot
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT1", "/nominate")
    [opened] = bot.slack.calls("views.open")

    reply = bot.driver.submit(
        "U0AGENT1",
        opened.args["view"],
        {
            nomination_blocks.PEOPLE: ["U0AGENT2"],
            nomination_blocks.REASON: "calm & kind",
            nomination_blocks.PUBLIC: ["yes"],
        },
    )

    assert reply.status == 200 and reply.body == ""
    [shoutout] = bot.slack.calls("chat.postMessage", channel="C0KUDOS")
    assert "calm &amp; kind" in shoutout.text
    with bot.sessions() as session:
        assert len(session.scalars(select(Nomination)).all()) == 1


def test_a_pulse_answer_is_recorded(any_mode_bot: RunningBot) -> None:
    start(any_mode_bot)

    answer(any_mode_bot, "U0A01", 0, 4)

    with any_mode_bot.sessions() as session:
        assert session.scalars(select(PulseResponse.value)).all() == [4]


def test_opening_the_home_publishes_it_once_even_when_slack_retries_the_event(any_mode_bot: RunningBot) -> None:
    bot = any_mode_bot
    load_org_and_policy(bot.sessions, bot.clock.now())

    bot.driver.open_home("U0AGENT1", event_id="Ev0HOME")
    bot.driver.open_home("U0AGENT1", event_id="Ev0HOME", retry_num=1)

    [home] = bot.slack.calls("views.publish")
    assert "Hi Sam" in home.text


def test_a_click_and_an_event_nothing_listens_to_are_acknowledged_and_the_clicker_told(
    any_mode_bot: RunningBot,
) -> None:
    """A button of an earlier release, an event no longer subscribed to: over HTTP as over the socket they are
    acknowledged, so Slack neither shows the person an error nor sends the event again (the fake Slack records an
    envelope left unacknowledged as a violation), and whoever clicked is told why nothing happened."""
    bot = any_mode_bot
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT1", "/resolve", "refund 80 order 42 parcel lost")
    [request] = bot.slack.calls("chat.postMessage", channel="U0MGR1")
    click = bot.driver.click_payload("U0MGR1", request, "resolution_approve")
    click["actions"][0]["action_id"] = "a_button_of_an_older_release"

    clicked = bot.driver.post_payload(click)
    reacted = bot.driver.event({"type": "reaction_added", "user": "U0MGR1", "reaction": "eyes", "item": {}})

    assert (clicked.status, reacted.status) == (200, 200)
    assert bot.slack.violations == []
    [told] = bot.slack.calls("response_url")
    assert "from an earlier version of Latitude" in told.text and told.args.get("response_type") == "ephemeral"
    with bot.sessions() as session:
        assert session.scalars(select(Resolution.status)).all() == ["pending"]


def test_a_reconnect_after_slacks_disconnect_loses_nothing(any_mode_bot: RunningBot) -> None:
    bot = any_mode_bot
    load_org_and_policy(bot.sessions, bot.clock.now())
    if not bot.driver.socket_mode:
        pytest.skip("only Socket Mode has a connection to refresh")
    socket = bot.slack.socket_mode()

    socket.disconnect()
    reply = bot.driver.command("U0AGENT1", "/resolve", "refund 20 order 7 late")

    assert "Logged your *refund* of $20" in reply.text
    assert socket.connections == 2
    assert bot.slack.violations == []


def connected_over_socket_mode(bot: RunningBot) -> SocketModeHandler:
    """PostgreSQL only (a request is held up behind a lock): the org loaded and the app connected."""
    skip_unless_writers_overlap(bot.runtime.engine)
    load_org_and_policy(bot.sessions, bot.clock.now())
    socket = bot.slack.socket_mode()
    handler = socket_mode_handler(bot.runtime.app, socket_mode_settings(bot))
    handler.connect()  # type: ignore[no-untyped-call]
    socket.wait_connected()
    bot.driver.socket_mode = True
    return handler


def test_stopping_answers_the_request_in_hand_before_closing_the_connection(bot: RunningBot) -> None:
    """SIGTERM during a command held up by the database: its ack must still reach Slack, or the person is told it
    failed although it was done, and sends it again."""
    handler = connected_over_socket_mode(bot)

    with ThreadPoolExecutor(2) as pool:
        with holding_the_workspaces(bot.runtime.engine):
            reply = pool.submit(bot.driver.command, "U0AGENT1", "/boundaries", settle=False)
            wait_until_waiting_for_the_lock(bot.runtime.engine, 1)
            stopping = pool.submit(finish, handler, grace=10)
            wait_until(lambda: handler.client.closed or not handler.client.socket_mode_request_listeners)
        stopping.result(timeout=10)

    assert reply.result(timeout=10).status == 200, "acknowledged before the connection closed"


def test_stopping_closes_the_connection_after_its_grace_even_if_a_request_is_still_held(
    bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    """A request stuck (here behind a lock) must not keep a deploy waiting for ever: past the grace the connection
    closes, the request unanswered, for Slack to send again."""
    handler = connected_over_socket_mode(bot)

    with ThreadPoolExecutor(2) as pool:
        with holding_the_workspaces(bot.runtime.engine):
            reply = pool.submit(bot.driver.command, "U0AGENT1", "/boundaries", settle=False)
            wait_until_waiting_for_the_lock(bot.runtime.engine, 1)
            stopping = pool.submit(finish, handler, grace=0.3)
            stopping.result(timeout=10)
            closed_while_held = handler.client.closed
        unanswered = reply.result(timeout=10)

    assert closed_while_held and unanswered.status == 504
    assert "requests still unanswered after 0.3 s" in caplog.text
    assert any("not acknowledged" in problem for problem in bot.slack.violations)
    bot.slack.violations.clear()  # what Slack does with an unanswered request: it sends it again


ROOT = Path(__file__).resolve().parents[2]
STUCK_REQUEST_THEN_STOP = """
import sys, time
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace
from bot.socket_mode import finish
from bot.stopping import leave_now

client = SimpleNamespace(socket_mode_request_listeners=[object()], message_workers=ThreadPoolExecutor(1))
client.message_workers.submit(time.sleep, 60)  # a request in hand, stuck behind a lock
time.sleep(0.2)
answered = finish(SimpleNamespace(client=client, close=lambda: None), grace=0.5)
print(answered, flush=True)
if not answered:
    leave_now()  # what `run` does once everything else has stopped
"""


def test_past_the_grace_the_process_ends_without_waiting_for_a_stuck_request() -> None:
    """Python waits at exit for every pool thread still busy: a deploy would wait for the stuck request."""
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", STUCK_REQUEST_THEN_STOP], cwd=ROOT, capture_output=True, text=True, timeout=60
    )

    assert (done.returncode, done.stdout.strip()) == (0, "False")
    assert time.monotonic() - started < 10
    assert "exiting with work still in hand after the grace period" in done.stderr


def test_a_command_the_app_no_longer_has_is_answered_not_refused(any_mode_bot: RunningBot) -> None:
    """A command left in an older manifest: Slack shows the person the ack's text, not an error."""
    bot = any_mode_bot
    load_org_and_policy(bot.sessions, bot.clock.now())

    reply = bot.driver.post_form(bot.driver.command_fields("U0AGENT1", "/kudos", "to Ben"))

    assert reply.status == 200
    assert "Latitude has no `/kudos` any more: nothing was done." in reply.body
    assert bot.slack.violations == []
