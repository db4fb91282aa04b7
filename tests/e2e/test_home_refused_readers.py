"""A Home the background sender publishes and Slack refuses saying it finds nobody of its `user_id`
(`invalid_arguments`, "invalid `user_id`"): asked of Slack once (`users.info`, with the same token), dropped in one
info line when Slack confirms the person is gone, in one error line when it knows them, cannot tell, or the id is no
person's. Never retried."""

import logging
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from handlers import home_readers
from handlers.jobs.drain_outbox import drain_outbox
from models import Delivery
from services import directory, outbox
from tests.conftest import RunningBot
from tests.e2e.test_home_again_sending import homes_queued, queue_dm_and_homes
from tests.helpers import load_org_and_policy

FINDS_NOBODY: dict[str, Any] = {"error": "invalid_arguments", "messages": ("invalid `user_id`",)}


def drained(bot: RunningBot, caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """Drain twice, an hour apart (nothing refused for good is tried again), and return the Home's log lines."""
    with caplog.at_level(logging.INFO):
        drain_outbox(bot.runtime.deps, bot.runtime.app.client)
        bot.clock.advance(timedelta(hours=1))
        drain_outbox(bot.runtime.deps, bot.runtime.app.client)
    return [record for record in caplog.records if home_readers.REFUSED in record.message]


def home_status(bot: RunningBot, slack_id: str) -> str:
    [home] = [home for home in homes_queued(bot) if home.payload["user_id"] == slack_id]
    return home.status


def test_a_home_for_someone_slack_deactivated_is_dropped_in_one_info_line(
    bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.slack.change_user("U0AGENT2", deleted=True)
    bot.slack.fail("views.publish", **FINDS_NOBODY)
    queue_dm_and_homes(bot, "U0AGENT2")

    said = drained(bot, caplog)

    assert [(r.levelno, "Slack does not find the person" in r.message) for r in said] == [(logging.INFO, True)]
    assert "users.info: deactivated" in said[0].message
    assert home_status(bot, "U0AGENT2") == "failed"
    assert [call.args["user"] for call in bot.slack.calls("users.info")] == ["U0AGENT2"]


def test_a_home_slack_refuses_for_someone_it_knows_is_an_error_naming_the_token(
    bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    """Slack says "invalid `user_id`" of a token of another workspace than the person's: the app's bug, not theirs."""
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.slack.fail("views.publish", **FINDS_NOBODY)
    queue_dm_and_homes(bot, "U0AGENT2")

    said = drained(bot, caplog)

    assert [r.levelno for r in said] == [logging.ERROR]
    assert "Slack refused the Home of someone it knows" in said[0].message and "token" in said[0].message
    assert home_status(bot, "U0AGENT2") == "failed"
    assert [call.text for call in bot.slack.messages_to("U0AGENT1")] == ["hello once"]


@pytest.mark.parametrize("check", [{"error": "internal_error"}, {"status": 429, "retry_after": 30}])
def test_a_home_refused_while_slack_cannot_tell_of_the_person_is_an_error(
    bot: RunningBot, caplog: pytest.LogCaptureFixture, check: dict[str, Any]
) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.slack.fail("views.publish", **FINDS_NOBODY)
    bot.slack.fail("users.info", **check)
    queue_dm_and_homes(bot, "U0AGENT2")

    said = drained(bot, caplog)

    assert [r.levelno for r in said] == [logging.ERROR]
    assert "users.info could not tell" in said[0].message
    assert home_status(bot, "U0AGENT2") == "failed"


@pytest.mark.parametrize("user_id", ["", "D0SAM"])
def test_a_home_published_to_no_persons_id_is_an_error_and_slack_is_not_asked(
    bot: RunningBot, caplog: pytest.LogCaptureFixture, user_id: str
) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    with bot.sessions.begin() as session:
        workspace = directory.find_workspace(session, "T0LATITUDE")
        assert workspace is not None
        home = {"user_id": user_id, "view": {"type": "home", "blocks": []}}
        outbox.enqueue(
            session, workspace=workspace, key="home-x", method="views.publish", payload=home, now=bot.clock.now()
        )

    said = drained(bot, caplog)

    assert [r.levelno for r in said] == [logging.ERROR]
    assert "no person's id" in said[0].message
    assert bot.slack.calls("users.info") == [] and bot.slack.calls("users.info:failed") == []
    with bot.sessions() as session:
        assert session.scalars(select(Delivery.status).where(Delivery.idempotency_key == "home-x")).all() == ["failed"]
    bot.slack.violations.clear()  # the refusal this test is about


@pytest.mark.parametrize(
    "refusal",
    [
        {"error": "invalid_arguments", "messages": ("invalid `user_id`", "invalid `view`")},
        {"error": "invalid_arguments", "messages": ("[ERROR] invalid `user_ids` [json-pointer:/user_ids]",)},
        {"error": "user_not_found"},
        {"error": "not_found"},
    ],
)
def test_a_home_refusal_saying_more_or_else_than_finding_nobody_is_an_error_line(
    bot: RunningBot, caplog: pytest.LogCaptureFixture, refusal: dict[str, Any]
) -> None:
    """Only Slack's "invalid `user_id`" alone is asked about (with its "[ERROR] " and pointer or without:
    tests/e2e/test_home_refused_readers_asked.py); views.publish documents no `user_not_found` or
    `not_found` (https://docs.slack.dev/reference/methods/views.publish)."""
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.slack.fail("views.publish", **refusal)
    queue_dm_and_homes(bot, "U0AGENT2")

    with caplog.at_level(logging.INFO):
        drain_outbox(bot.runtime.deps, bot.runtime.app.client)

    refused = [r for r in caplog.records if "views.publish refused it for good" in r.message]
    assert [r.levelno for r in refused] == [logging.ERROR]
    assert not [r for r in caplog.records if "Slack does not find the person" in r.message]
    assert bot.slack.calls("users.info") == [] and home_status(bot, "U0AGENT2") == "failed"
