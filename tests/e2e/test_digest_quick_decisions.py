"""Quick decisions in a digest: two Approve clicks a moment apart, whose updates land in any order, leave the weekly
digest and the `/digest` preview showing every request as it stands, never buttons of one already decided."""

from typing import Any

import pytest
from sqlalchemy import select

from bot.fakeslack import Call, TrackedExecutor
from handlers.blocks.digest import as_text
from handlers.jobs.send_weekly_digests import send_weekly_digests
from models import Resolution
from tests.conftest import RunningBot
from tests.fixture_week import at, load_fixture_week, pile_of_pending

APPROVE = "resolution_approve"


@pytest.fixture
def ready(bot: RunningBot) -> RunningBot:
    load_fixture_week(bot.sessions)
    pile_of_pending(bot.sessions, 2, at(26, 10))
    bot.clock.set(at(2, 14, month=3))  # 09:00 in New York
    return bot


def pending_ids(bot: RunningBot) -> list[str]:
    with bot.sessions() as session:
        query = select(Resolution.id).where(Resolution.status == "pending").order_by(Resolution.id)
        return [str(found) for found in session.scalars(query)]


def weekly_digest(bot: RunningBot) -> Call:
    send_weekly_digests(bot.runtime.deps, bot.runtime.app.client)
    [digest] = [c for c in bot.slack.calls("chat.postMessage", channel="U0MGR1") if "Your team's week" in c.text]
    return digest


def shown(bot: RunningBot, message: Call) -> list[dict[str, Any]]:
    """The message's blocks as Slack shows them now."""
    return list(bot.slack.message(message.response["channel"], message.response["ts"])["blocks"])


def offered(blocks: list[dict[str, Any]], request_id: str) -> bool:
    """Whether the message still has an Approve button for the request."""
    buttons = (e for b in blocks for e in b.get("elements") or [] if isinstance(e, dict))
    return any(e.get("action_id") == APPROVE and e.get("value") == request_id for e in buttons)


def approvals_shown(blocks: list[dict[str, Any]]) -> int:
    return as_text(blocks).count("approved by Maya Manager")


def listeners(bot: RunningBot) -> TrackedExecutor:
    executor = bot.runtime.listeners
    assert isinstance(executor, TrackedExecutor)
    return executor


def test_two_approvals_clicked_at_once_in_the_weekly_digest_both_show_decided(ready: RunningBot) -> None:
    digest = weekly_digest(ready)
    ids = pending_ids(ready)
    assert len(ids) == 3 and all(offered(shown(ready, digest), each) for each in ids)
    on_screen = ready.driver.seen(digest)
    first, second = (ready.driver.click_payload_on("U0MGR1", on_screen, APPROVE, value=each) for each in ids[:2])

    ready.driver.send_clicks_at_once(first, second)

    now = shown(ready, digest)
    assert not offered(now, ids[0]) and not offered(now, ids[1]), "no buttons of a request decided"
    assert offered(now, ids[2]), "the request left waiting keeps its buttons"
    assert approvals_shown(now) == 2
    assert "Your team's week" in as_text(now)


def test_an_approval_whose_update_lands_last_though_rendered_first_is_shown_again_as_it_stands(
    ready: RunningBot,
) -> None:
    """Both clicks carry the copy on Maya's screen before either; the first one's update is slow to reach Slack."""
    digest = weekly_digest(ready)
    ids = pending_ids(ready)
    on_screen = ready.driver.seen(digest)
    first, second = (ready.driver.click_payload_on("U0MGR1", on_screen, APPROVE, value=each) for each in ids[:2])
    first_update = ready.slack.pause("chat.update", channel=digest.response["channel"])

    ready.driver.post_payload(first, settle=False)
    first_update.wait_until_arrived()  # rendered while the second request still waited
    ready.driver.post_payload(second, settle=False)
    listeners(ready).wait_idle(held=1)
    first_update.release()
    ready.driver.settle()

    now = shown(ready, digest)
    assert not offered(now, ids[0]) and not offered(now, ids[1])
    assert offered(now, ids[2])
    assert approvals_shown(now) == 2


def test_a_click_on_a_request_decided_elsewhere_shows_it_decided_in_the_weekly_digest(ready: RunningBot) -> None:
    """Her screen still shows the digest as it was before the preview's click redrew it."""
    digest = weekly_digest(ready)
    ids = pending_ids(ready)
    on_screen = ready.driver.seen(digest)
    preview_reply = ready.driver.command("U0MGR1", "/digest")
    assert preview_reply.status == 200
    [preview] = ready.slack.calls("response_url")
    ready.driver.click("U0MGR1", preview, APPROVE, value=ids[0])
    assert not offered(shown(ready, digest), ids[0]), "the preview's click redrew the weekly digest"

    ready.driver.post_payload(ready.driver.click_payload_on("U0MGR1", on_screen, APPROVE, value=ids[0]))

    assert "already approved by Maya Manager" in ready.slack.calls("response_url")[-1].text
    now = shown(ready, digest)
    assert not offered(now, ids[0]) and approvals_shown(now) == 1
    assert offered(now, ids[1]) and offered(now, ids[2])


def test_two_approvals_in_the_preview_whose_answers_land_out_of_order_leave_it_as_it_stands(
    ready: RunningBot,
) -> None:
    """The first click's replacement, rendered while the second request still waited, reaches Slack last."""
    ready.driver.command("U0MGR1", "/digest")
    [preview] = ready.slack.calls("response_url")
    ids = pending_ids(ready)
    on_screen = ready.driver.seen(preview)
    first, second = (ready.driver.click_payload_on("U0MGR1", on_screen, APPROVE, value=each) for each in ids[:2])
    first_answer = ready.slack.pause("response_url")

    ready.driver.post_payload(first, settle=False)
    first_answer.wait_until_arrived()
    ready.driver.post_payload(second, settle=False)
    listeners(ready).wait_idle(held=1)
    first_answer.release()
    ready.driver.settle()

    now = shown(ready, preview)
    assert not offered(now, ids[0]) and not offered(now, ids[1]), "no buttons of a request decided"
    assert offered(now, ids[2])
    assert "*Waiting on you (1), oldest first:*" in as_text(now)
    assert [c.method for c in ready.slack.calls() if c.method.endswith(":failed")] == []
