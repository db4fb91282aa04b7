"""How often the background sender asks `users.info` of the people Slack refused a Home for ("invalid `user_id`"):
in the bucket's turn, once a person and drain, at most `ASKS_A_DRAIN` times a workspace and drain (the others
dropped in one line), and not while Slack asks to wait; and how Slack may dress its message."""

import logging
from datetime import timedelta

import pytest

from handlers import home_readers
from handlers.home_reader_asks import ASKS_A_DRAIN
from handlers.jobs.drain_outbox import drain_outbox
from services import directory, outbox
from tests.conftest import RunningBot
from tests.e2e.test_home_again_sending import queue_dm_and_homes
from tests.e2e.test_home_refused_readers import FINDS_NOBODY, home_status
from tests.helpers import load_org_and_policy

NOT_ASKED = "more Homes Slack refused"


def queue_homes_for(bot: RunningBot, *user_ids: str, tag: str = "") -> None:
    """One Home queued for each of `user_ids` (the same one again, under another key, for each repeat)."""
    with bot.sessions.begin() as session:
        workspace = directory.find_workspace(session, "T0LATITUDE")
        assert workspace is not None
        for n, user_id in enumerate(user_ids):
            home = {"user_id": user_id, "view": {"type": "home", "blocks": []}}
            key = f"home-{tag}{n}"
            outbox.enqueue(
                session, workspace=workspace, key=key, method="views.publish", payload=home, now=bot.clock.now()
            )


def drain(bot: RunningBot, caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    caplog.clear()
    with caplog.at_level(logging.INFO):
        drain_outbox(bot.runtime.deps, bot.runtime.app.client)
    return [record for record in caplog.records if home_readers.REFUSED in record.message]


def forgive_homes_to_nobody(bot: RunningBot) -> None:
    """The fake takes a Home published to someone it does not know as the bot's mistake; here, it is the point."""
    assert all("is nobody the workspace knows" in said for said in bot.slack.violations)
    bot.slack.violations.clear()


def asked(bot: RunningBot) -> list[str]:
    return [call.args["user"] for call in [*bot.slack.calls("users.info"), *bot.slack.calls("users.info:failed")]]


def test_a_person_refused_several_homes_in_one_drain_is_asked_of_once(
    bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.slack.fail("views.publish", times=3, **FINDS_NOBODY)
    queue_homes_for(bot, "U0GONE1", "U0GONE1", "U0GONE1")

    said = drain(bot, caplog)

    assert asked(bot) == ["U0GONE1"]
    assert [(r.levelno, "users.info: user_not_found" in r.message) for r in said] == [(logging.INFO, True)] * 3
    forgive_homes_to_nobody(bot)


def test_past_the_asks_a_drain_allows_the_homes_are_dropped_in_one_line(
    bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    gone = [f"U0GONE{n}" for n in range(ASKS_A_DRAIN + 4)]
    bot.slack.fail("views.publish", times=len(gone), **FINDS_NOBODY)
    queue_homes_for(bot, *gone)

    said = drain(bot, caplog)

    assert asked(bot) == gone[:ASKS_A_DRAIN]
    assert [r.levelno for r in said] == [logging.INFO] * ASKS_A_DRAIN + [logging.ERROR]
    assert f"4 {NOT_ASKED}" in said[-1].message and "workspace #" in said[-1].message
    forgive_homes_to_nobody(bot)


def test_slack_asking_to_wait_on_users_info_stops_the_asks_until_retry_after(
    bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    """The one Home whose ask was refused is an error line; the others of the drain are counted in one line; the next
    drain, within Retry-After, does not ask (nor wait); after it, it does."""
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.slack.fail("views.publish", times=5, **FINDS_NOBODY)
    bot.slack.fail("users.info", status=429, retry_after=30)
    queue_homes_for(bot, "U0GONE1", "U0GONE2", "U0GONE3")

    said = drain(bot, caplog)

    assert asked(bot) == ["U0GONE1"]
    assert [r.levelno for r in said] == [logging.ERROR, logging.ERROR]
    assert "users.info could not tell" in said[0].message and f"2 {NOT_ASKED}" in said[1].message

    bot.clock.advance(timedelta(seconds=10))
    queue_homes_for(bot, "U0GONE4", tag="again-")
    said = drain(bot, caplog)
    assert asked(bot) == ["U0GONE1"] and f"1 {NOT_ASKED}" in said[0].message

    bot.clock.advance(timedelta(seconds=21))
    queue_homes_for(bot, "U0GONE5", tag="later-")
    said = drain(bot, caplog)
    assert asked(bot) == ["U0GONE1", "U0GONE5"]
    assert [(r.levelno, "users.info: user_not_found" in r.message) for r in said] == [(logging.INFO, True)]
    forgive_homes_to_nobody(bot)


@pytest.mark.parametrize(
    "message",
    [
        "[ERROR] invalid `user_id` [json-pointer:/user_id]",
        "invalid `user_id` [json-pointer:/user_id]",
        "[ERROR] invalid `user_id`",
    ],
)
def test_slacks_message_with_its_error_mark_or_pointer_is_finding_nobody(
    bot: RunningBot, caplog: pytest.LogCaptureFixture, message: str
) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.slack.change_user("U0AGENT2", deleted=True)
    bot.slack.fail("views.publish", error="invalid_arguments", messages=(message,))
    queue_dm_and_homes(bot, "U0AGENT2")

    said = drain(bot, caplog)

    assert [(r.levelno, "users.info: deactivated" in r.message) for r in said] == [(logging.INFO, True)]
    assert asked(bot) == ["U0AGENT2"] and home_status(bot, "U0AGENT2") == "failed"
