"""A request's ack: the answer while in time; past the deadline the holding answer, and the answer goes `late`."""

import json
import threading
import time
from typing import Any

import pytest

from handlers import timely
from handlers.timely import HOLDING_NOTE, SLACK_WAITS, TOO_LATE_TO_ACK, Deadlines, KeptAck, TimelyAck


def recording(*, arrived: float | None = None) -> tuple[TimelyAck, list[dict[str, Any]]]:
    late: list[dict[str, Any]] = []
    return TimelyAck(
        {"text": HOLDING_NOTE}, lambda answer, shown: late.append({**answer, "shown": shown}), arrived=arrived
    ), late


def acked(ack: TimelyAck) -> str:
    assert ack.response is not None
    body = ack.response.body
    return str(json.loads(body)["text"]) if body.startswith("{") else body


def test_an_answer_in_time_is_the_ack_and_the_deadline_then_changes_nothing() -> None:
    ack, late = recording()

    ack(text="Logged.", blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": "Logged."}}])
    ack.hold_if_unanswered()

    assert acked(ack) == "Logged."
    assert late == []


def test_past_the_deadline_the_ack_holds_and_the_answer_goes_late_as_given() -> None:
    ack, late = recording()

    ack.hold_if_unanswered()
    ack(":warning: That category isn't yours.", response_type="ephemeral")
    ack(response_action="errors", errors={"summary": "Say what happened."})

    assert acked(ack) == HOLDING_NOTE
    assert late == [
        {"text": ":warning: That category isn't yours.", "response_type": "ephemeral", "shown": True},
        {"response_action": "errors", "errors": {"summary": "Say what happened."}, "shown": True},
    ]


def test_an_answer_given_too_late_for_slack_before_the_deadline_held_is_held_and_goes_late() -> None:
    """Slack counts its 3 s from before the request arrived; Bolt its own wait from later still: an answer given past
    what Slack waits would go in a response Slack no longer reads."""
    ack, late = recording(arrived=time.monotonic() - SLACK_WAITS)

    ack(text="Logged.")

    assert acked(ack) == HOLDING_NOTE
    assert late == [{"text": "Logged.", "shown": False}], "the holding answer came too late to be shown"
    assert ack.held and not ack.held_in_time


def test_deadlines_run_in_the_order_they_fall_due_whatever_the_order_they_were_set() -> None:
    deadlines = Deadlines()
    ran: list[str] = []
    done = threading.Event()
    now = time.monotonic()

    deadlines.at(now + 0.3, lambda: ran.append("second"))
    deadlines.at(now, lambda: ran.append("first"))
    deadlines.at(now + 0.4, done.set)

    assert done.wait(5)
    assert ran == ["first", "second"]


def test_a_late_answer_that_cannot_be_delivered_does_not_fail_the_listener() -> None:
    def unreachable(_answer: dict[str, Any], _shown: bool) -> None:
        raise ConnectionError("Slack is unreachable")

    ack = TimelyAck({"text": HOLDING_NOTE}, unreachable)
    ack.hold_if_unanswered()

    ack(text="Logged.")

    assert acked(ack) == HOLDING_NOTE


def test_an_answer_once_given_stays_given_when_bolt_wipes_it_after_the_listener_raises() -> None:
    ack = KeptAck()
    ack.response = None
    assert ack.response is None

    given = ack(text="done")
    ack.response = None  # what Bolt's thread runner does when the listener raises after acking

    assert ack.response is given and given.status == 200


class StoppedClock:
    """`time` as handlers/timely.py reads it, moved by the test: waits pass at once."""

    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_a_second_answer_after_one_given_in_time_replaces_it_and_never_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = StoppedClock()
    monkeypatch.setattr(timely, "time", clock)
    ack, late = recording(arrived=clock.now)
    ack(text="first")
    clock.now += SLACK_WAITS

    ack(text="second")

    assert acked(ack) == "second"
    assert late == [] and not ack.held


def test_a_hold_given_just_before_slacks_3_s_counts_as_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    """Unsure whether Slack took it, the form's outcome replaces whatever the modal shows rather than promise the
    form still holds what was typed."""
    clock = StoppedClock()
    monkeypatch.setattr(timely, "time", clock)
    ack, late = recording(arrived=clock.now)
    clock.now += (TOO_LATE_TO_ACK + SLACK_WAITS) / 2

    ack(text="Logged.")

    assert acked(ack) == HOLDING_NOTE
    assert late == [{"text": "Logged.", "shown": True}]
