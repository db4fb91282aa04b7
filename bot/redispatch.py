"""The app runs a kept event again itself (handlers/jobs/retry_failed_events.py): through the same Bolt app, signed as
Slack signs, so that every check in front of the listener applies to it as to Slack's delivery."""

import json
import time
from collections.abc import Sequence
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.listener.listener_completion_handler import ListenerCompletionHandler
from slack_bolt.listener.listener_start_handler import ListenerStartHandler
from slack_sdk.signature import SignatureVerifier

from handlers.deps import Deps
from handlers.event_attempts import EVENT_ATTEMPT, Attempt
from handlers.event_retries import finished, started


class MarkStarted(ListenerStartHandler):
    """As each listener starts (after Bolt's default handler): a kept event's run is under way (`started`)."""

    def __init__(self, default: ListenerStartHandler) -> None:
        self._default = default

    def handle(self, request: BoltRequest, response: BoltResponse | None) -> None:
        self._default.handle(request=request, response=response)
        started(request.context)


class ForgetWhenDone(ListenerCompletionHandler):
    """After each listener (Bolt's default handler first): a kept event is forgotten once done (`finished`)."""

    def __init__(self, default: ListenerCompletionHandler) -> None:
        self._default = default

    def handle(self, request: BoltRequest, response: BoltResponse | None) -> None:
        self._default.handle(request=request, response=response)
        finished(request.context)


def follow_kept_events(app: App, deps: Deps, signing_secret: str) -> None:
    """Kept events are forgotten when their listener is done, and `deps.events_again` runs one through `app`."""
    runner = app.listener_runner
    runner.listener_start_handler = MarkStarted(runner.listener_start_handler)
    runner.listener_completion_handler = ForgetWhenDone(runner.listener_completion_handler)
    signer = SignatureVerifier(signing_secret)

    def run(body: dict[str, Any], attempt: Attempt) -> bool:
        raw = json.dumps(body)
        timestamp = str(int(time.time()))  # what Bolt checks the signature's age against
        signature = signer.generate_signature(timestamp=timestamp, body=raw) or ""
        headers: dict[str, str | Sequence[str]] = {
            "content-type": "application/json",
            "x-slack-request-timestamp": timestamp,
            "x-slack-signature": signature,
        }
        app.dispatch(BoltRequest(body=raw, headers=headers, context={EVENT_ATTEMPT: attempt}))
        return attempt.reached

    deps.events_again.connect(run)
