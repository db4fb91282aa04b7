"""An org-file Slack id Slack has nobody of in the workspace (a mistyped id): once `users.info` confirms it, the HR
people and admins hear what to fix once a week while it lasts, and no Home is published to it, nor Slack asked of it,
until the next org import. A failure that may pass, or someone Slack knows, tells nobody anything."""

import logging
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from handlers.blocks.unknown_ids import SUMMARY
from handlers.jobs.drain_outbox import drain_outbox
from handlers.unknown_ids import DM_NOT_SENT
from models import AuditEvent, Delivery
from services import directory, outbox
from services.unknown_ids import MARKED
from tests.conftest import FIXTURES, RunningBot
from tests.e2e.test_home_again_sending import queue_homes_again
from tests.e2e.test_home_refused_readers import FINDS_NOBODY
from tests.helpers import load_org, load_policy

TYPO = "U0TYPO9"
ORG_WITH_A_TYPO = (FIXTURES / "org.csv").read_text() + f"{TYPO},Tia Typo,Support East,frontline,U0MGR1,,,\n"
HR = ("U0ADMIN", "U0HR")


def load_org_with_a_typo(bot: RunningBot) -> None:
    load_org(bot.sessions, bot.clock.now(), ORG_WITH_A_TYPO)


def home_sent_again(bot: RunningBot, slack_id: str = TYPO) -> None:
    """Something changed on their Home: it is queued to publish again, and the background sender drains."""
    queue_homes_again(bot, slack_id)
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)


def told(bot: RunningBot) -> dict[str, list[str]]:
    return {person: [SUMMARY for c in bot.slack.messages_to(person) if c.text.startswith(SUMMARY)] for person in HR}


def publishes_and_asks(bot: RunningBot, slack_id: str = TYPO) -> tuple[int, int]:
    publishes = [*bot.slack.calls("views.publish", user_id=slack_id), *bot.slack.calls("views.publish:failed")]
    asks = [*bot.slack.calls("users.info", user=slack_id), *bot.slack.calls("users.info:failed", user=slack_id)]
    return len([c for c in publishes if c.args.get("user_id") == slack_id]), len(asks)


def remembered(bot: RunningBot) -> list[str]:
    with bot.sessions() as session:
        return list(
            session.scalars(select(AuditEvent.subject).where(AuditEvent.action == MARKED).order_by(AuditEvent.id))
        )


def forgive_homes_to_nobody(bot: RunningBot) -> None:
    """The fake takes a Home published to someone it does not know as the bot's mistake; here, it is the point."""
    assert all("is nobody the workspace knows" in said for said in bot.slack.violations)
    bot.slack.violations.clear()


def test_hr_hear_of_an_id_slack_has_nobody_of_once_a_week_and_its_home_is_no_longer_published(
    bot: RunningBot,
) -> None:
    load_org_with_a_typo(bot)
    load_policy(bot.sessions, bot.clock.now())

    home_sent_again(bot)

    assert publishes_and_asks(bot) == (1, 1) and remembered(bot) == [TYPO]
    assert told(bot) == {person: [SUMMARY] for person in HR}
    [said] = [c.text for c in bot.slack.messages_to("U0HR") if c.text.startswith(SUMMARY)]
    assert "Tia Typo" in said and f"`{TYPO}`" in said and "python -m bot org import" in said
    assert said.count(TYPO) == 1 and "users.info" not in said and "user_not_found" not in said, "plain words"
    assert "pulse invitations" in said and "waited too long" in said, "what they miss meanwhile"

    for _ in range(3):  # drains of the same week: nothing published, asked or told again
        bot.clock.advance(timedelta(hours=1))
        home_sent_again(bot)
    assert publishes_and_asks(bot) == (1, 1) and remembered(bot) == [TYPO]
    assert told(bot) == {person: [SUMMARY] for person in HR}

    bot.clock.advance(timedelta(days=7))
    home_sent_again(bot)
    home_sent_again(bot)
    assert publishes_and_asks(bot) == (1, 1)
    assert told(bot) == {person: [SUMMARY, SUMMARY] for person in HR}
    forgive_homes_to_nobody(bot)


def test_a_new_org_import_publishes_their_home_and_asks_slack_again(bot: RunningBot) -> None:
    load_org_with_a_typo(bot)
    load_policy(bot.sessions, bot.clock.now())
    home_sent_again(bot)
    assert publishes_and_asks(bot) == (1, 1)

    bot.clock.advance(timedelta(hours=1))
    load_org_with_a_typo(bot)  # the same file, still mistyped: Slack is asked again, HR were told this week already
    home_sent_again(bot)

    assert publishes_and_asks(bot) == (2, 2) and remembered(bot) == [TYPO, TYPO]
    assert told(bot) == {person: [SUMMARY] for person in HR}
    forgive_homes_to_nobody(bot)


@pytest.mark.parametrize("check", [{"error": "internal_error"}, {"status": 429, "retry_after": 30}, {"status": 503}])
def test_nobody_is_told_while_slack_cannot_tell_of_the_id(bot: RunningBot, check: dict[str, Any]) -> None:
    """The Home is dropped; the next one is published, and Slack asked, again."""
    load_org_with_a_typo(bot)
    load_policy(bot.sessions, bot.clock.now())
    bot.slack.fail("users.info", **check)

    home_sent_again(bot)
    assert publishes_and_asks(bot) == (1, 1) and remembered(bot) == []
    assert told(bot) == {person: [] for person in HR}

    bot.clock.advance(timedelta(minutes=5))
    home_sent_again(bot)
    assert publishes_and_asks(bot) == (2, 2) and remembered(bot) == [TYPO]
    assert told(bot) == {person: [SUMMARY] for person in HR}
    forgive_homes_to_nobody(bot)


def test_nobody_is_told_of_someone_slack_knows(bot: RunningBot) -> None:
    """Slack refusing the Home of someone it knows is the app's bug (a wrong token), an error line; not HR's to fix."""
    load_org_with_a_typo(bot)
    load_policy(bot.sessions, bot.clock.now())
    bot.slack.fail("views.publish", times=2, **FINDS_NOBODY)

    home_sent_again(bot, "U0AGENT2")
    bot.clock.advance(timedelta(hours=1))
    home_sent_again(bot, "U0AGENT2")

    assert publishes_and_asks(bot, "U0AGENT2") == (2, 2) and remembered(bot) == []
    assert told(bot) == {person: [] for person in HR}


def dm_sent(bot: RunningBot, key: str) -> tuple[int, str | None]:
    """A DM to the mistyped id, drained: how many times Slack was called with it, and why it was not delivered."""
    with bot.sessions.begin() as session:
        workspace = directory.find_workspace(session, "T0LATITUDE")
        assert workspace is not None
        dm = {"channel": TYPO, "text": "hello"}
        outbox.enqueue(
            session, workspace=workspace, key=key, method="chat.postMessage", payload=dm, now=bot.clock.now()
        )
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)
    with bot.sessions() as session:
        error = session.scalars(select(Delivery.last_error).where(Delivery.idempotency_key == key)).one()
    return len(bot.slack.calls("chat.postMessage:failed", channel=TYPO)), error


def test_dms_to_an_id_slack_has_nobody_of_are_given_up_unsent_once_it_is_confirmed(
    bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    load_org_with_a_typo(bot)
    load_policy(bot.sessions, bot.clock.now())
    assert dm_sent(bot, "dm-before") == (1, "channel_not_found")

    home_sent_again(bot)
    with caplog.at_level(logging.INFO):
        assert dm_sent(bot, "dm-after") == (1, DM_NOT_SENT.error)
    assert any(r.getMessage().startswith("1 DMs in workspace #1 given up unsent") for r in caplog.records)

    bot.clock.advance(timedelta(hours=1))
    load_org_with_a_typo(bot)
    assert dm_sent(bot, "dm-after-import") == (2, "channel_not_found")
    forgive_homes_to_nobody_nor_dms(bot)


def forgive_homes_to_nobody_nor_dms(bot: RunningBot) -> None:
    assert all("U0TYPO9 is nobody the workspace knows" in said for said in bot.slack.violations)
    bot.slack.violations.clear()
