"""The bot over HTTP: signatures, App Home, help texts, retries and errors."""

import json
import logging
import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from handlers.jobs.forget_old_events import forget_old_events
from models import Employee, ProcessedEvent
from tests.conftest import RunningBot
from tests.helpers import answered, count, employee, load_org, load_org_and_policy


def test_app_home_greets_the_employee_with_role_team_and_manager(bot: RunningBot) -> None:
    load_org(bot.sessions, bot.clock.now())

    reply = bot.driver.open_home("U0AGENT1")

    assert reply.status == 200
    [publish] = bot.slack.calls("views.publish")
    assert publish.args["user_id"] == "U0AGENT1"
    assert "frontline team member" in publish.text
    assert "Support East" in publish.text
    assert "Maya Manager" in publish.text


def test_an_app_home_opened_on_the_view_it_already_shows_is_not_published_again(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())

    bot.driver.open_home("U0AGENT1")
    bot.driver.open_home("U0AGENT1")
    bot.driver.command("U0AGENT1", "/resolve", "refund 20 order 55 arrived broken")
    bot.driver.open_home("U0AGENT1")
    bot.driver.open_home("U0AGENT2")

    first, after_the_fix, other_person = bot.slack.calls("views.publish")
    assert [call.args["user_id"] for call in (first, other_person)] == ["U0AGENT1", "U0AGENT2"]
    assert after_the_fix.args["user_id"] == "U0AGENT1"
    assert "refund $20" not in first.text and "refund $20: ✅ within your boundaries" in after_the_fix.text
    assert first.args["view"]["private_metadata"] != after_the_fix.args["view"]["private_metadata"]


def test_boundaries_help_shows_usage(bot: RunningBot) -> None:
    reply = bot.driver.command("U0AGENT1", "/boundaries", "help")

    assert reply.status == 200
    assert "/boundaries" in reply.text
    assert "show this help" in reply.text


def test_an_unknown_argument_gets_the_usage_and_what_was_wrong(bot: RunningBot) -> None:
    load_org(bot.sessions, bot.clock.now())
    reply = bot.driver.command("U0AGENT1", "/boundaries", "sideways now")

    assert "I don't know `sideways`" in reply.text
    assert "/boundaries help" in reply.text


def test_a_word_after_a_category_is_named_as_the_problem_not_the_category(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())

    reply = bot.driver.command("U0AGENT1", "/boundaries", "refund 45")

    assert "I don't know `45` after `refund`: `/boundaries` shows one category, like `/boundaries refund`." in (
        reply.text
    )
    assert "I don't know `refund`" not in reply.text


def test_a_category_written_with_a_space_is_shown(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())

    reply = bot.driver.command("U0AGENT1", "/boundaries", "Fee waiver")

    assert "*fee_waiver* — up to $30, per month $300" in reply.text


def test_a_word_too_many_after_a_known_one_is_named_as_the_problem(bot: RunningBot) -> None:
    reply = bot.driver.command("U0AGENT1", "/rewards", "catalog all")

    assert "I don't know `all` after `catalog`" in reply.text
    assert "/rewards catalog" in reply.text


def test_unsigned_wrongly_signed_and_stale_requests_get_401_and_change_nothing(bot: RunningBot) -> None:
    fields = bot.driver.command_fields("U0STRANGER", "/boundaries", "help")
    body = "&".join(f"{k}={v}" for k, v in fields.items())

    wrong = bot.driver.post(body, "application/x-www-form-urlencoded", signature="v0=" + "0" * 64)
    stale = bot.driver.post(body, "application/x-www-form-urlencoded", timestamp=int(time.time()) - 6 * 60)
    unsigned = bot.driver.post(body, "application/x-www-form-urlencoded", signature="")

    assert [wrong.status, stale.status, unsigned.status] == [401, 401, 401]
    with bot.sessions() as session:
        assert count(session, Employee) == 0


def test_someone_not_in_the_directory_is_added_as_frontline_and_told_once(bot: RunningBot) -> None:
    bot.slack.add_user("U0NEW", "Nina New", tz="Asia/Tokyo", email="nina@example.com")

    first = answered(bot.slack, bot.driver.command("U0NEW", "/boundaries"))
    second = bot.driver.command("U0NEW", "/boundaries")

    assert "added you as a frontline employee" in first
    assert "added you" not in second.text, "Slack was asked once: answered in the ack since"
    with bot.sessions() as session:
        nina = employee(session, "U0NEW")
        assert (nina.role, nina.manager_id, nina.in_directory) == ("frontline", None, False)
        assert (nina.name, nina.tz, nina.email) == ("Nina New", "Asia/Tokyo", "nina@example.com")


def test_a_retried_event_is_handled_once(bot: RunningBot) -> None:
    load_org(bot.sessions, bot.clock.now())

    bot.driver.open_home("U0AGENT1", event_id="Ev0SAME")
    retry = bot.driver.open_home("U0AGENT1", event_id="Ev0SAME", retry_num=1)

    assert retry.status == 200
    assert len(bot.slack.calls("views.publish")) == 1
    with bot.sessions() as session:
        assert count(session, ProcessedEvent) == 1


def test_event_ids_are_forgotten_after_a_day_a_batch_at_a_time(bot: RunningBot) -> None:
    now = bot.clock.now()
    with bot.sessions.begin() as session:
        session.add_all(
            ProcessedEvent(event_id=f"Ev0OLD{n}", received_at=now - timedelta(days=1, minutes=n + 1)) for n in range(7)
        )
        session.add_all(ProcessedEvent(event_id=f"Ev0NEW{n}", received_at=now - timedelta(hours=23)) for n in range(2))

    forget_old_events(bot.runtime.deps, bot.runtime.app.client, batch=3)

    with bot.sessions() as session:
        assert sorted(session.scalars(select(ProcessedEvent.event_id))) == ["Ev0NEW0", "Ev0NEW1"]


def test_a_slack_call_that_fails_once_is_retried_and_goes_through(bot: RunningBot) -> None:
    load_org(bot.sessions, bot.clock.now())
    bot.slack.fail("views.publish", times=1, status=500)

    bot.driver.open_home("U0AGENT1")

    assert len(bot.slack.calls("views.publish:failed")) == 1
    [publish] = bot.slack.calls("views.publish")
    assert publish.args["user_id"] == "U0AGENT1"
    assert "Maya Manager" in publish.text


def test_a_failing_slack_call_is_retried_then_the_user_is_told(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.slack.fail("views.open", times=3, status=503)

    reply = bot.driver.command("U0AGENT1", "/resolve")

    assert reply.status == 200
    assert len(bot.slack.calls("views.open:failed")) == 3, "the first call and two retries"
    assert bot.slack.calls("views.open") == []
    [sorry] = bot.slack.calls("response_url")
    assert "Sorry, something went wrong on our side (reference `" in sorry.text


def test_health_check_reports_the_database(bot: RunningBot) -> None:
    import urllib.request

    with urllib.request.urlopen(bot.events_url + "/healthz") as response:
        assert response.status == 200
        assert json.loads(response.read()) == {"ok": True}


def test_a_slack_call_that_keeps_failing_is_logged_and_the_user_gets_a_polite_reply(
    bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.slack.fail("views.open", times=1, error="invalid_trigger_id")

    with caplog.at_level(logging.ERROR, logger="latitude.errors"):
        reply = bot.driver.command("U0AGENT1", "/resolve")

    assert reply.status == 200
    [record] = [r for r in caplog.records if "views.open" in r.getMessage()]
    assert "invalid_trigger_id" in record.getMessage()
    [sorry] = bot.slack.calls("response_url")
    assert "Sorry, something went wrong on our side (reference `" in sorry.text
