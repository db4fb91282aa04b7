"""A hand-over summary keeps counting down however long what it told of waits: its message is kept while any of its
requests waits, and forgotten once all were decided long enough ago."""

from datetime import timedelta

from sqlalchemy import select

from handlers.jobs.drain_outbox import drain_outbox
from handlers.jobs.forget_sent_messages import forget_sent_messages
from models import Delivery
from services.outbox_keys import HANDOVER_SUMMARY
from tests.conftest import RunningBot
from tests.e2e.test_handover_summary import admins_home, requests_to_maya, summary_now
from tests.e2e.test_people_leaving import WITHOUT_MAYA, reimport
from tests.helpers import load_org_and_policy


def summaries_kept(bot: RunningBot) -> int:
    with bot.sessions() as session:
        keys = session.scalars(select(Delivery.idempotency_key))
        return sum(1 for key in keys if key.startswith(HANDOVER_SUMMARY))


def approve_one_from_the_home(bot: RunningBot) -> None:
    bot.driver.open_home("U0ADMIN")
    bot.driver.click_in_view("U0ADMIN", admins_home(bot), "resolution_approve")


def test_a_summary_whose_requests_wait_past_the_outbox_retention_still_counts_them_down_then_goes(
    bot: RunningBot,
) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    requests_to_maya(bot, 6)
    reimport(bot.sessions, bot.clock.now(), WITHOUT_MAYA)
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)
    [summary] = bot.slack.calls("chat.postMessage", channel="U0ADMIN")
    summary_ts = str(summary.response["ts"])

    bot.clock.advance(timedelta(days=40))  # the admin takes their time
    forget_sent_messages(bot.runtime.deps, bot.runtime.app.client)
    approve_one_from_the_home(bot)

    assert "5 of the 6 requests handed to you at once still wait for your decision" in summary_now(bot, summary_ts)
    for _ in range(5):
        approve_one_from_the_home(bot)
    assert "All 6 requests handed to you at once are decided" in summary_now(bot, summary_ts)
    bot.clock.advance(timedelta(days=34))
    forget_sent_messages(bot.runtime.deps, bot.runtime.app.client)
    assert summaries_kept(bot) == 1, "kept a while after the last decision, as the requests' own messages are"
    bot.clock.advance(timedelta(days=2))
    forget_sent_messages(bot.runtime.deps, bot.runtime.app.client)
    assert summaries_kept(bot) == 0
    assert bot.slack.violations == []
