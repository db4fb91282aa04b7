"""The bot's HTTP answer to a request the driver sent."""

import json
import time
from dataclasses import dataclass, field
from typing import Any

from bot.fakeslack.state import Call


@dataclass(frozen=True)
class Reply:
    """The bot's HTTP answer to one request (the ack)."""

    status: int
    body: str
    headers: dict[str, str] = field(default_factory=dict)
    shown: Call | None = None
    """A command's ack as Slack shows it, when it carries a message: a message the test can click in."""

    @property
    def json(self) -> dict[str, Any]:
        parsed = json.loads(self.body) if self.body.strip().startswith("{") else {}
        return parsed if isinstance(parsed, dict) else {}

    @property
    def text(self) -> str:
        """What the user sees in the ack: its text and every text in its blocks."""
        data = self.json
        if not data:
            return self.body
        return Call("ack", data, 0).text


def retry_headers(retry_num: int | None) -> dict[str, str]:
    """The headers of Slack's retry of an event (none on its first try)."""
    return {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"} if retry_num else {}


def as_retried(retry_num: int | None) -> dict[str, Any]:
    """How Slack sends an event (`SlackDriver.post`'s arguments): a retry with its headers, and signed as it is sent,
    after the first try (here `retry_num` seconds later, well within the 5 minutes a signature is good for), so that
    it is not the first try's signature again."""
    return {"headers": retry_headers(retry_num), "timestamp": int(time.time()) + retry_num if retry_num else None}
