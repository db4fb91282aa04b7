"""A sealed DM (an anonymous idea's author's news, a reply to an anonymous comment) Slack refuses because of its
reader is recorded as done, its error kept nowhere; it reached nobody all the same. As the Messages tab's try, it
counted as a DM that went through, and told the workspace the tab was on again while it was still off."""

import pytest
from sqlalchemy import select

from handlers.jobs.drain_outbox import drain_outbox
from models import Delivery, Workspace
from services import outbox
from services.messages_tab import RETRY_AFTER
from tests.conftest import RunningBot
from tests.e2e.test_messages_tab_off import POST, dm_refused_for_the_tab


def test_a_sealed_try_refused_because_of_its_reader_does_not_find_the_messages_tab_on_again(
    bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    dm_refused_for_the_tab(bot)  # no org file: nobody to tell it is on again, so the next DM due is the try
    bot.slack.add_user("U0BOT", "Hal Bot", is_bot=True)
    bot.clock.advance(RETRY_AFTER)
    with bot.sessions.begin() as session:
        workspace = session.scalars(select(Workspace)).one()
        payload = {"channel": bot.runtime.deps.relay.seal(workspace.id, "U0BOT"), "text": "News of your idea"}
        outbox.enqueue(session, workspace=workspace, key="news:1", method=POST, payload=payload, now=bot.clock.now())
    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)

    [refused] = bot.slack.calls("chat.postMessage:failed", channel="U0BOT")
    assert refused.response["error"] == "cannot_dm_bot"
    with bot.sessions() as session:
        assert session.scalars(select(Workspace.dms_off_since)).one() is not None
        sent = session.scalars(select(Delivery).where(Delivery.idempotency_key == "news:1")).one()
        assert (sent.status, sent.last_error) == ("sent", None)
    assert not any("Messages tab is on" in record.getMessage() for record in caplog.records)
