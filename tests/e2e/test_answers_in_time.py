"""A command or form the database holds up is still answered within Slack's 3 seconds; its answer follows.

Slack shows "operation_timeout" for a command not acked within 3 s, even though the work then goes
through; the person sends it again. The driver refuses an ack later than that (see `SlackDriver.post`).
PostgreSQL only: on SQLite a held write lock holds up the replay check in front of Bolt as well (README,
*Speed*), and tests/unit/test_timely.py covers the ack itself on every database.
"""

import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import MovableClock
from bot.fakeslack import FakeSlack
from handlers.timely import DONE_FORM, HOLDING_NOTE
from models import Resolution
from models.engine import DEFAULT_MOST_CONNECTIONS
from tests.conftest import RunningBot, StartBot, in_socket_mode
from tests.helpers import count, holding_the_workspaces, load_org_and_policy, wait_until_waiting_for_the_lock


@pytest.fixture(params=["http", "socket_mode"])
def ready(
    request: pytest.FixtureRequest,
    start_bot: StartBot,
    sessions: sessionmaker[Session],
    database_url: str,
    clock: MovableClock,
) -> Iterator[RunningBot]:
    """The bot with 0.2 s to answer a command before it holds (2 s in production)."""
    if "postgresql" not in database_url:
        pytest.skip("SQLite's write lock would hold up the replay check before Bolt, not only the listener")
    load_org_and_policy(sessions, clock.now())
    for bot in start_bot(answer_within=0.2):
        if request.param == "http":
            yield bot
            continue
        with in_socket_mode(bot):
            yield bot


def test_a_fix_held_up_by_the_database_is_acked_in_time_and_answered_once_logged(ready: RunningBot) -> None:
    with holding_the_workspaces(ready.runtime.engine) as rows_of:
        reply = ready.driver.command("U0AGENT1", "/resolve", "refund 45 order 1234 arrived late", settle=False)

        assert reply.text == HOLDING_NOTE
        assert ready.slack.calls("response_url") == []
        assert rows_of("resolutions") == 0
    ready.driver.settle()

    [answer] = ready.slack.calls("response_url")
    assert "Logged your *refund* of $45" in answer.text
    assert "$105 left today" in answer.text
    assert answer.args["response_type"] == "ephemeral"
    with ready.sessions() as session:
        assert count(session, Resolution) == 1


def test_a_fix_answered_after_its_response_url_expired_is_answered_in_a_dm(ready: RunningBot) -> None:
    """Slack takes a response URL for 30 minutes only: an answer held up longer is not lost."""
    with holding_the_workspaces(ready.runtime.engine):
        reply = ready.driver.command("U0AGENT1", "/resolve", "refund 45 order 1234 arrived late", settle=False)
        assert reply.text == HOLDING_NOTE
        ready.slack.expire_response_urls()
    ready.driver.settle()

    [answer] = ready.slack.wait_for("chat.postMessage", lambda call: "Logged your *refund* of $45" in call.text)
    assert answer.channel == "U0AGENT1" and "$105 left today" in answer.text
    assert ready.slack.calls("response_url") == []
    with ready.sessions() as session:
        assert count(session, Resolution) == 1


def test_a_mistake_found_late_is_answered_through_the_response_url_too(ready: RunningBot) -> None:
    with holding_the_workspaces(ready.runtime.engine):
        reply = ready.driver.command("U0AGENT1", "/resolve", "teleport 5 beam them up", settle=False)
        assert "No need to send it again" in reply.text
    ready.driver.settle()

    [answer] = ready.slack.calls("response_url")
    assert "`teleport` isn't one of your categories" in answer.text
    with ready.sessions() as session:
        assert count(session, Resolution) == 0


def open_resolve_form(bot: RunningBot) -> dict[str, object]:
    bot.driver.command("U0AGENT1", "/resolve")
    [opened] = bot.slack.calls("views.open")
    return dict(opened.args["view"])


def test_a_form_held_up_by_the_database_shows_a_holding_view_then_done(ready: RunningBot) -> None:
    form = open_resolve_form(ready)
    with holding_the_workspaces(ready.runtime.engine) as rows_of:
        values = {"category": "credit", "amount": "$20", "summary": "Sorry for the wait", "outcome": "happy"}
        reply = ready.driver.submit("U0AGENT1", form, values, settle=False)

        assert reply.json["response_action"] == "update"
        assert "taking longer than usual" in json.dumps(reply.json["view"])
        assert rows_of("resolutions") == 0
    ready.driver.settle()

    [shown] = ready.slack.calls("views.update")
    assert DONE_FORM in shown.text
    [confirmation] = ready.slack.calls("chat.postMessage", channel="U0AGENT1")
    assert "Logged your *credit* of $20" in confirmation.text
    with ready.sessions() as session:
        assert count(session, Resolution) == 1


def test_a_form_refused_late_says_why_in_the_modal_and_in_a_dm(ready: RunningBot) -> None:
    form = open_resolve_form(ready)
    with holding_the_workspaces(ready.runtime.engine):
        values = {"category": "refund", "amount": "20", "summary": "Sorry for the wait", "outcome": "happy"}
        reply = ready.driver.submit("U0AGENT1", form, values, settle=False)
        assert reply.json["response_action"] == "update"
    ready.driver.settle()

    told_in_the_modal_and_a_dm_that_nothing_was_saved(ready, "needs a customer reference")


@pytest.mark.own_engine  # it ends the listener's connection, as the database would
def test_a_form_that_fails_after_its_holding_view_says_so_instead_of_waiting_forever(ready: RunningBot) -> None:
    form = open_resolve_form(ready)
    values = {"category": "credit", "amount": "$20", "summary": "Sorry for the wait", "outcome": "happy"}
    with holding_the_workspaces(ready.runtime.engine):
        reply = ready.driver.submit("U0AGENT1", form, values, settle=False)
        assert reply.json["response_action"] == "update"
        end_the_waiting_transactions(ready.runtime.engine)  # the database drops the listener's connection
    ready.driver.settle()

    told_in_the_modal_and_a_dm_that_nothing_was_saved(ready, "Sorry, something went wrong on our side")


def told_in_the_modal_and_a_dm_that_nothing_was_saved(bot: RunningBot, why: str) -> None:
    [shown] = bot.slack.calls("views.update")
    [dm] = bot.slack.calls("chat.postMessage", channel="U0AGENT1")
    for told in (shown.text, dm.text):
        assert "was not saved" in told and why in told
    with bot.sessions() as session:
        assert count(session, Resolution) == 0


def end_the_waiting_transactions(engine: Engine) -> None:
    with engine.connect() as connection:
        waiting = text(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE wait_event_type = 'Lock' AND datname = current_database()"
        )
        assert connection.execute(waiting).all(), "nothing was waiting for the lock"


def test_a_form_that_could_not_open_in_time_says_to_try_again(ready: RunningBot) -> None:
    ready.slack.state.triggers.lifetime = 0.1  # Slack's 3 s, shortened rather than waited for
    with holding_the_workspaces(ready.runtime.engine):
        reply = ready.driver.command("U0AGENT1", "/resolve", settle=False)
        assert reply.text == HOLDING_NOTE
    ready.driver.settle()

    assert ready.slack.calls("views.open") == []
    [answer] = ready.slack.calls("response_url")
    assert "took longer than Slack allows for opening a form" in answer.text


def test_more_commands_held_up_than_a_default_pool_holds_still_get_their_holding_answers(
    start_bot: StartBot, sessions: sessionmaker[Session], database_url: str, clock: MovableClock
) -> None:
    """Each listener held up keeps its connection while it waits, and the replay check in front of Bolt
    needs one for the next request: with fewer connections than threads, that request would wait for
    the pool, not get its holding answer, and Slack would show the person an error."""
    if "postgresql" not in database_url:
        pytest.skip("SQLite's write lock would hold up the replay check before Bolt, not only the listener")
    load_org_and_policy(sessions, clock.now())
    held = DEFAULT_MOST_CONNECTIONS + 1
    for bot in start_bot(answer_within=0.2, listener_threads=held, http_threads=held + 1):
        with holding_the_workspaces(bot.runtime.engine), ThreadPoolExecutor(held) as senders:
            sent = [senders.submit(bot.driver.command, "U0AGENT1", "/boundaries", settle=False) for _ in range(held)]
            first = [reply.result() for reply in sent]
            wait_until_waiting_for_the_lock(bot.runtime.engine, held)

            one_more = bot.driver.command("U0AGENT1", "/boundaries", settle=False)

            assert [reply.text for reply in [*first, one_more]] == [HOLDING_NOTE] * (held + 1)
        bot.driver.settle()

        answers = bot.slack.calls("response_url")
        assert len(answers) == held + 1
        assert all("Your boundaries" in answer.text for answer in answers)


def test_a_form_refused_late_still_says_why_in_a_dm_when_slack_drops_the_modal_update(ready: RunningBot) -> None:
    form = open_resolve_form(ready)
    ready.slack.fail("views.update", hang_up=True, times=3)  # the call and both retries: the connection drops
    with holding_the_workspaces(ready.runtime.engine):
        values = {"category": "refund", "amount": "20", "summary": "Sorry for the wait", "outcome": "happy"}
        reply = ready.driver.submit("U0AGENT1", form, values, settle=False)
        assert reply.json["response_action"] == "update"
    ready.driver.settle()

    [dm] = ready.slack.calls("chat.postMessage", channel="U0AGENT1")
    assert "was not saved" in dm.text and "needs a customer reference" in dm.text
    with ready.sessions() as session:
        assert count(session, Resolution) == 0


def test_a_form_saved_late_says_so_in_a_dm_when_slack_drops_the_modal_update(ready: RunningBot) -> None:
    """The modal would go on saying "taking longer" and invite sending the form again."""
    form = open_resolve_form(ready)
    ready.slack.fail("views.update", hang_up=True, times=3)
    with holding_the_workspaces(ready.runtime.engine):
        values = {"category": "credit", "amount": "$20", "summary": "Sorry for the wait", "outcome": "happy"}
        assert ready.driver.submit("U0AGENT1", form, values, settle=False).json["response_action"] == "update"
    ready.driver.settle()

    told = [call.text for call in ready.slack.calls("chat.postMessage", channel="U0AGENT1")]
    assert any("went through: no need to send it again" in text for text in told), told
    with ready.sessions() as session:
        assert count(session, Resolution) == 1


def test_in_socket_mode_commands_queued_behind_busy_workers_still_get_their_holding_answers_in_time(
    start_bot: StartBot, sessions: sessionmaker[Session], database_url: str, clock: MovableClock
) -> None:
    """Slack's 3 seconds run from when it sent the envelope: one waiting for a free Socket Mode worker, which each
    request holds until its holding answer, counts that wait towards its deadline (the fake Slack records an ack
    later than 3 s as a violation)."""
    if "postgresql" not in database_url:
        pytest.skip("SQLite's write lock would hold up more than the listener")
    load_org_and_policy(sessions, clock.now())
    for bot in start_bot(answer_within=1.6, listener_threads=1):
        with in_socket_mode(bot), holding_the_workspaces(bot.runtime.engine), ThreadPoolExecutor(3) as senders:
            sent = [senders.submit(bot.driver.command, "U0AGENT1", "/boundaries", settle=False) for _ in range(3)]

            assert [reply.result().text for reply in sent] == [HOLDING_NOTE] * 3
        bot.driver.settle()
        assert len(bot.slack.calls("response_url")) == 3


def test_a_command_bolt_stopped_waiting_for_is_held_and_its_answer_follows(
    start_bot: StartBot, slack: FakeSlack, sessions: sessionmaker[Session], database_url: str, clock: MovableClock
) -> None:
    """Bolt waits 3 s for an ack, then takes the request for a command nothing listens to. One whose holding answer
    did not come first (a process too busy to give it in time; here a deadline past 3 s) is held then, and its own
    answer follows: not "Latitude has no `/resolve` any more" and the answer dropped, a fix the person sends again."""
    if "postgresql" not in database_url:
        pytest.skip("SQLite's write lock would hold up the replay check before Bolt, not only the listener")
    load_org_and_policy(sessions, clock.now())
    for bot in start_bot(answer_within=10.0):
        with holding_the_workspaces(bot.runtime.engine):
            reply = bot.driver.command("U0AGENT1", "/resolve", "refund 45 order 1234 arrived late", settle=False)
        assert reply.text == HOLDING_NOTE
        assert [problem.split(" after ")[0] for problem in slack.violations] == ["ack: came"]
        slack.violations.clear()  # Slack showed the person its timeout: the answer that follows is what they read
        bot.driver.settle()

        [answer] = bot.slack.calls("response_url")
        assert "Logged your *refund* of $45" in answer.text
        with bot.sessions() as session:
            assert count(session, Resolution) == 1


def test_a_form_refused_after_slack_stopped_waiting_keeps_what_was_typed_and_says_why_in_a_dm(
    start_bot: StartBot, slack: FakeSlack, sessions: sessionmaker[Session], database_url: str, clock: MovableClock
) -> None:
    """Slack never showed a holding view that came past its 3 s: the form still shows what was typed, with Slack's
    own error. The refusal goes to a DM only: replacing the form would throw away what they typed."""
    if "postgresql" not in database_url:
        pytest.skip("SQLite's write lock would hold up the replay check before Bolt, not only the listener")
    load_org_and_policy(sessions, clock.now())
    for bot in start_bot(answer_within=10.0):
        form = open_resolve_form(bot)
        with holding_the_workspaces(bot.runtime.engine):
            values = {"category": "refund", "amount": "20", "summary": "Sorry for the wait", "outcome": "happy"}
            bot.driver.submit("U0AGENT1", form, values, settle=False)
        slack.violations.clear()  # the late ack: Slack showed its own error in the form
        bot.driver.settle()

        assert bot.slack.calls("views.update") == []
        [told] = bot.slack.calls("chat.postMessage", channel="U0AGENT1")
        assert "was not saved" in told.text and "needs a customer reference" in told.text
        assert "still holds what you typed" in told.text
        with bot.sessions() as session:
            assert count(session, Resolution) == 0
