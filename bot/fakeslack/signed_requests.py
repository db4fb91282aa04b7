"""Signs each request as Slack does and posts it to the bot's endpoint, over HTTP or as a Socket Mode envelope."""

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier

from bot.fakeslack.grid import Grid
from bot.fakeslack.reply import Reply
from bot.fakeslack.server import FakeSlack
from bot.fakeslack.state import TEAM_ID

JSON = "application/json"
RETRY_HEADERS = frozenset({"x-slack-retry-num", "x-slack-retry-reason"})
"""Slack retries only Events API deliveries (https://api.slack.com/apis/events-api#retries); a command or an
interaction it sends once, and shows the person an error if no ack comes within 3 s."""


class SignedRequests:
    """The raw side of `SlackDriver`: `settle`, when given, is called after each request so that work the listener
    does after its ack has finished before the test looks at the results.
    """

    def __init__(
        self,
        events_url: str,
        signing_secret: str,
        slack: FakeSlack,
        *,
        settle: Callable[[], None] | None = None,
        team_id: str = TEAM_ID,
        enterprise_id: str | None = None,
        org_wide: bool = False,
    ) -> None:
        """`team_id`: where people act; `enterprise_id`: its Grid org; `org_wide`: the app is installed org-wide."""
        self.events_url = events_url
        self.slack = slack
        self.team_id = team_id
        self.grid = Grid(enterprise_id, org_wide)
        self._verifier = SignatureVerifier(signing_secret)
        self._settle = settle or (lambda: None)
        self.socket_mode = False
        """True: commands, clicks and events go as Socket Mode envelopes (see `FakeSlack.socket_mode`)."""

    # -- raw -------------------------------------------------------------------------------
    def post(
        self,
        body: str,
        content_type: str,
        *,
        timestamp: int | None = None,
        signature: str | None = None,
        headers: dict[str, str] | None = None,
        settle: bool = True,
    ) -> Reply:
        if content_type != JSON and RETRY_HEADERS & {name.lower() for name in headers or {}}:
            raise ValueError("Slack never retries a command or an interaction: send the person's second act instead")
        stamp = str(timestamp if timestamp is not None else int(time.time()))
        signed = self._verifier.generate_signature(timestamp=stamp, body=body) if signature is None else signature
        sent = {"Content-Type": content_type, "X-Slack-Request-Timestamp": stamp, **(headers or {})}
        if signed:
            sent["X-Slack-Signature"] = signed
        request = urllib.request.Request(self.events_url, data=body.encode(), method="POST", headers=sent)
        self.slack.state.expect_ack()
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                reply = Reply(response.status, response.read().decode(), dict(response.headers))
        except urllib.error.HTTPError as error:
            reply = Reply(error.code, error.read().decode(), dict(error.headers))
        self.slack.state.note_ack()
        if settle:
            self._settle()
        return reply

    def settle(self) -> None:
        """Wait until the work listeners do after their acks has finished."""
        self._settle()

    def signature(self, body: str, timestamp: int) -> str:
        return str(self._verifier.generate_signature(timestamp=str(timestamp), body=body))

    def post_form(self, fields: dict[str, str], **kwargs: Any) -> Reply:
        if self.socket_mode and "command" in fields:
            return self._over_socket("slash_commands", fields, settle=kwargs.get("settle", True))
        return self.post(urlencode(fields), "application/x-www-form-urlencoded", **kwargs)

    def post_payload(self, payload: dict[str, Any], **kwargs: Any) -> Reply:
        if self.socket_mode:
            return self._over_socket("interactive", payload, settle=kwargs.get("settle", True))
        return self.post_form({"payload": json.dumps(payload)}, **kwargs)

    def _over_socket(self, kind: str, payload: dict[str, Any], retry_attempt: int = 0, *, settle: bool = True) -> Reply:
        """The same request as a Socket Mode envelope; its ack's payload stands for the HTTP body."""
        assert self.slack.socket is not None
        self.slack.state.expect_ack()
        ack = self.slack.socket.send(kind, payload, retry_attempt=retry_attempt)
        self.slack.state.note_ack()
        if settle:
            self._settle()
        if ack is None:
            return Reply(504, "no ack")
        return Reply(200, json.dumps(ack["payload"]) if ack.get("payload") else "")
