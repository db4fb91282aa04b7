"""The sender's pacing: Slack's tiers per workspace and method, and Retry-After pausing only its own bucket."""

import pytest

from handlers.pacing import Pacer, rate_for


class FakeTime:
    """A clock that only moves when the pacer sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def sleep_until(self, moment: float) -> None:
        self.slept.append(moment - self.now)
        self.now = max(self.now, moment)


@pytest.fixture
def time() -> FakeTime:
    return FakeTime()


def test_messages_go_at_the_configured_rate_after_a_burst(time: FakeTime) -> None:
    pacer = Pacer(10, clock=lambda: time.now, sleep_until=time.sleep_until)
    for _ in range(110):
        pacer.wait_turn(1, "chat.postMessage")
    assert time.now == pytest.approx(10.0)  # a burst of 10, then 100 more at 10 a second


def test_other_methods_follow_their_tier(time: FakeTime) -> None:
    assert rate_for("chat.update", 10).per_second == pytest.approx(50 / 60)
    assert rate_for("views.publish", 10).per_second == pytest.approx(100 / 60)
    assert rate_for("admin.something.unknown", 10).per_second == pytest.approx(20 / 60)


def test_retry_after_pauses_only_that_workspace_and_method(time: FakeTime) -> None:
    pacer = Pacer(10, clock=lambda: time.now, sleep_until=time.sleep_until)
    pacer.pause(1, "chat.postMessage", 4.0)
    pacer.wait_turn(2, "chat.postMessage")
    pacer.wait_turn(1, "chat.update")
    assert time.slept == []
    pacer.wait_turn(1, "chat.postMessage")
    assert time.slept == [pytest.approx(4.1)], "Retry-After, then the steady pace: no burst to catch up"


def test_a_bucket_says_it_is_paused_until_retry_after_has_passed(time: FakeTime) -> None:
    pacer = Pacer(10, clock=lambda: time.now, sleep_until=time.sleep_until)
    pacer.pause(1, "users.info", 30.0)
    assert pacer.paused(1, "users.info") and not pacer.paused(2, "users.info") and not pacer.paused(1, "chat.update")
    time.now = 30.0
    assert not pacer.paused(1, "users.info")


def test_workspaces_have_buckets_of_their_own(time: FakeTime) -> None:
    pacer = Pacer(2, clock=lambda: time.now, sleep_until=time.sleep_until)
    for workspace in (1, 2, 3):
        pacer.wait_turn(workspace, "chat.postMessage")
        pacer.wait_turn(workspace, "chat.postMessage")
    assert time.slept == []
