"""A command's ack: the answer while in time; past the deadline a holding note, then the answer by response URL."""

import json
import threading
import time
from typing import Any

from handlers.timely import HOLDING_NOTE, Deadlines, TimelyAck


class RecordedResponses:
    """Stands in for Bolt's `Respond`: what would have been posted to the response URL."""

    def __init__(self) -> None:
        self.posted: list[dict[str, Any]] = []

    def __call__(self, **message: Any) -> None:
        self.posted.append(message)


def body_of(ack: TimelyAck) -> dict[str, Any]:
    assert ack.response is not None
    body = ack.response.body
    return dict(json.loads(body)) if body.startswith("{") else {"text": body}


def test_an_answer_in_time_is_the_ack_and_the_deadline_then_changes_nothing() -> None:
    responses = RecordedResponses()
    ack = TimelyAck(responses)  # type: ignore[arg-type]

    ack(text="Logged.", blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": "Logged."}}])
    ack.hold_if_unanswered()

    assert body_of(ack)["text"] == "Logged."
    assert responses.posted == []


def test_past_the_deadline_the_ack_holds_and_the_answer_goes_to_the_response_url() -> None:
    responses = RecordedResponses()
    ack = TimelyAck(responses)  # type: ignore[arg-type]

    ack.hold_if_unanswered()
    ack(text=":warning: That category isn't yours.")

    assert body_of(ack)["text"] == HOLDING_NOTE
    assert responses.posted == [
        {
            "text": ":warning: That category isn't yours.",
            "blocks": None,
            "response_type": "ephemeral",
            "replace_original": False,
        }
    ]


def test_a_bare_ack_after_the_holding_note_posts_nothing() -> None:
    responses = RecordedResponses()
    ack = TimelyAck(responses)  # type: ignore[arg-type]

    ack.hold_if_unanswered()
    ack()

    assert responses.posted == []


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
