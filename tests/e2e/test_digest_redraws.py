"""A weekly digest redrawn because a request it offers was decided elsewhere is drawn as it is sent, and again once
it landed: however the redraws of quick decisions land, and whenever the digest itself is recorded sent, what Slack
shows last is every request as it stands. A decision locks no digest the sender may be recording."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from handlers.jobs.drain_outbox import drain_outbox
from handlers.jobs.send_weekly_digests import send_digests, send_weekly_digests
from models import Delivery
from services.outbox_keys import DIGEST_REDRAW
from tests.conftest import RunningBot
from tests.e2e.test_digest_quick_decisions import (
    APPROVE,
    approvals_shown,
    listeners,
    offered,
    pending_ids,
    ready,
    shown,
    weekly_digest,
)

__all__ = ["ready"]


def home_of(bot: RunningBot, user: str) -> dict[str, object]:
    bot.driver.open_home(user)
    home = bot.slack.state.home_view(user)
    assert home is not None
    return home


def digest_not_sent_yet(bot: RunningBot) -> int:
    """Maya's weekly digest, which Slack would not take just then: its id."""
    bot.slack.fail("chat.postMessage", status=429, retry_after=300, channel="U0MGR1")
    send_weekly_digests(bot.runtime.deps, bot.runtime.app.client)
    with bot.sessions() as session:
        query = select(Delivery).where(Delivery.idempotency_key.startswith("digest:"), Delivery.status == "pending")
        [digest] = [row for row in session.scalars(query) if row.payload.get("channel") == "U0MGR1"]
        return digest.id


def test_two_approvals_in_the_app_home_whose_redraws_land_out_of_order_leave_the_digest_as_it_stands(
    ready: RunningBot,
) -> None:
    """The first approval's redraw, drawn before the second approval, reaches Slack last."""
    digest = weekly_digest(ready)
    ids = pending_ids(ready)
    home = home_of(ready, "U0MGR1")
    first, second = (ready.driver.view_click_payload("U0MGR1", home, APPROVE, each) for each in ids[:2])
    first_redraw = ready.slack.pause("chat.update", channel=digest.response["channel"])

    ready.driver.post_payload(first, settle=False)
    first_redraw.wait_until_arrived()
    ready.driver.post_payload(second, settle=False)
    listeners(ready).wait_idle(held=1)
    first_redraw.release()
    ready.driver.settle()

    now = shown(ready, digest)
    assert not offered(now, ids[0]) and not offered(now, ids[1]), "no buttons of a request decided"
    assert offered(now, ids[2]) and approvals_shown(now) == 2


def test_a_digest_not_sent_yet_is_redrawn_once_it_landed(ready: RunningBot) -> None:
    digest_not_sent_yet(ready)
    first, second, _ = pending_ids(ready)
    ready.driver.click_in_view("U0MGR1", home_of(ready, "U0MGR1"), APPROVE, value=first)

    ready.clock.advance(timedelta(seconds=301))
    drain_outbox(ready.runtime.deps, ready.runtime.sender_client)
    ready.clock.advance(timedelta(minutes=1))
    drain_outbox(ready.runtime.deps, ready.runtime.sender_client)

    [digest] = [c for c in ready.slack.calls("chat.postMessage", channel="U0MGR1") if "Your team's week" in c.text]
    assert offered(digest.args["blocks"], first), "it went out as it was drawn"
    now = shown(ready, digest)
    assert not offered(now, first) and offered(now, second)
    assert approvals_shown(now) == 1


def test_a_decision_waits_for_no_digest_the_sender_is_recording_sent(ready: RunningBot) -> None:
    """The sender records a batch's sends one row after another, in its own order: a decision that took the rows of
    the digests offering its request in another order could wait on the sender while the sender waits on it."""
    with ready.sessions() as session:
        if session.get_bind().dialect.name != "postgresql":
            pytest.skip("SQLite's one write lock holds up every writer alike")
    digest = digest_not_sent_yet(ready)
    first = pending_ids(ready)[0]
    home = home_of(ready, "U0MGR1")
    decided = threading.Event()

    def approve() -> None:
        ready.driver.click_in_view("U0MGR1", home, APPROVE, value=first)
        decided.set()

    with ready.sessions() as sender:
        sender.execute(update(Delivery).where(Delivery.id == digest).values(attempts=Delivery.attempts))
        clicker = threading.Thread(target=approve)
        clicker.start()
        decided_meanwhile = decided.wait(timeout=10)
        sender.rollback()
    clicker.join()

    assert decided_meanwhile, "the decision waited on the digest's row"


def test_a_digest_sent_again_by_hand_is_redrawn_from_its_own_copy(ready: RunningBot) -> None:
    """The week's digest went out; a request came since, and the digest sent again by hand (its key the week's with
    a suffix) lists it: a decision redraws each from what it said, not the second from the first."""
    weekly_digest(ready)
    ready.driver.command("U0AGENT1", "/resolve", "refund 80 order 42 parcel lost in transit")
    first, *_, newest = pending_ids(ready)
    ready.slack.fail("chat.postMessage", status=429, retry_after=300, channel="U0MGR1")
    send_digests(ready.runtime.deps, ready.runtime.app.client, force=True)
    ready.driver.click_in_view("U0MGR1", home_of(ready, "U0MGR1"), APPROVE, value=first)

    ready.clock.advance(timedelta(seconds=301))
    drain_outbox(ready.runtime.deps, ready.runtime.sender_client)
    ready.clock.advance(timedelta(minutes=1))
    drain_outbox(ready.runtime.deps, ready.runtime.sender_client)

    *_, again = [c for c in ready.slack.calls("chat.postMessage", channel="U0MGR1") if "Your team's week" in c.text]
    assert offered(again.args["blocks"], newest)
    now = shown(ready, again)
    assert not offered(now, first) and offered(now, newest)


def test_a_decision_clicked_in_the_digest_queues_no_redraw_of_it(ready: RunningBot) -> None:
    """The click redraws the digest it was made in, and looks again until it reads as stored: nothing more is due."""
    digest = weekly_digest(ready)
    first, second, _ = pending_ids(ready)

    ready.driver.click("U0MGR1", digest, APPROVE, value=first)
    drain_outbox(ready.runtime.deps, ready.runtime.sender_client)

    now = shown(ready, digest)
    assert not offered(now, first) and offered(now, second)
    assert len(ready.slack.calls("chat.update", channel=digest.response["channel"])) == 1
    with ready.sessions() as session:
        assert not session.scalars(select(Delivery).where(Delivery.idempotency_key.startswith(DIGEST_REDRAW))).all()


def test_a_click_s_update_slack_put_off_is_not_sent_over_a_later_redraw(ready: RunningBot) -> None:
    """Maya approves the first request in her digest as Slack answers 429, so its update waits, drawn at the click;
    then the second in her App Home, whose redraw lands. The update put off would bring the second's buttons back."""
    digest = weekly_digest(ready)
    first, second, third = pending_ids(ready)
    ready.slack.fail("chat.update", status=429, retry_after=30, channel=digest.response["channel"])
    ready.driver.click("U0MGR1", digest, APPROVE, value=first)
    ready.driver.click_in_view("U0MGR1", home_of(ready, "U0MGR1"), APPROVE, value=second)

    ready.clock.advance(timedelta(seconds=31))
    drain_outbox(ready.runtime.deps, ready.runtime.sender_client)

    now = shown(ready, digest)
    assert not offered(now, first) and not offered(now, second), "no buttons of a request decided"
    assert offered(now, third) and approvals_shown(now) == 2
