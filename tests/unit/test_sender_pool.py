"""The background sender's threads: each drain sends on threads of its own, kept for the next drain with their
connections to Slack (handlers/deps.SenderPool), and shut down as the process stops."""

import threading
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from bot.app import create_sender_client
from bot.clock import MovableClock
from bot.fakeslack import FakeSlack
from handlers.deps import Deps, SenderPool
from handlers.jobs.drain_outbox import drain_outbox
from handlers.pacing import Pacer
from models import Workspace
from services import outbox
from tests.conftest import bot_settings
from tests.unit.test_outbox import deps, queue

__all__ = ["deps"]


def test_a_drain_waiting_out_a_rate_limit_holds_up_no_other_drain(
    deps: Deps, workspace: Workspace, slack: FakeSlack, clock: MovableClock
) -> None:
    """A tick's drain sends an ephemeral (its own bucket) while the scheduled drain waits out a workspace's 429 on
    its thread: the ephemeral goes at once, as a Retry-After pauses only its own bucket."""
    client = create_sender_client(bot_settings(slack, "sqlite://"))
    queue(deps, workspace, "first", "second")  # one channel: sent in turn, on one thread
    slack.fail("chat.postMessage", times=1, status=429, retry_after=3)
    other: dict[str, object] = {}

    def another_drain_meanwhile(moment: float) -> None:
        if not other:
            queue_ephemeral(deps, workspace)
            drain = threading.Thread(target=lambda: other.update(sent=drain_outbox(one_thread, client)))
            drain.start()
            drain.join(timeout=10)  # at once when it has threads of its own; else only as this wait ends
            other["finished"] = not drain.is_alive()
        clock.sleep_until(datetime.fromtimestamp(moment, UTC))

    paced = Pacer(clock=lambda: clock.now().timestamp(), sleep_until=another_drain_meanwhile)
    one_thread = replace(deps, pacer=paced, sender_threads=1)

    assert drain_outbox(one_thread, client) == 1, "'second' after the wait; 'first' waits its Retry-After"
    assert other == {"sent": 1, "finished": True}, "the other drain was not held up by this one's wait"
    assert [call.args["text"] for call in slack.calls("chat.postEphemeral")] == ["Your refund was approved"]


def queue_ephemeral(deps: Deps, workspace: Workspace) -> None:
    with deps.sessions.begin() as session:
        outbox.enqueue(
            session,
            workspace=session.merge(workspace),
            key="ephemeral",
            method="chat.postEphemeral",
            payload={"channel": "U0A", "user": "U0A", "text": "Your refund was approved"},
            now=deps.now(),
        )


def test_drains_in_a_row_reuse_the_same_threads_and_drains_at_once_never_share_them() -> None:
    pool = SenderPool()
    with pool.lend(2) as first:
        pass
    with pool.lend(2) as again, pool.lend(2) as meanwhile, pool.lend(1) as other_size:
        assert again is first
        assert meanwhile is not first
        assert other_size._max_workers == 1
    pool.close()


def test_threads_given_back_after_the_pool_closed_are_shut_down_and_none_are_lent_since() -> None:
    pool = SenderPool()
    with pool.lend(1) as lent:
        lent.submit(lambda: None).result()
        pool.close()
    with pytest.raises(RuntimeError, match="after shutdown"):
        lent.submit(lambda: None)
    with pytest.raises(RuntimeError, match="the process is stopping"), pool.lend(1):
        pass
