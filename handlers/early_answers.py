"""Answers a middleware or the error handler gives in Bolt's place, before (or instead of) a listener's ack: a 200
whose JSON body Slack reads as the answer."""

import json
from typing import Any

from slack_bolt import BoltResponse


def json_answer(answer: dict[str, Any]) -> BoltResponse:
    """`answer` as the body: a command's reply, a form's `response_action`."""
    return BoltResponse(status=200, body=json.dumps(answer), headers={"content-type": "application/json"})


def command_answer(text: str) -> BoltResponse:
    """What the person who typed the command reads, only them."""
    return json_answer({"response_type": "ephemeral", "text": text})
