"""A command's reply after slow work: through its response URL, else in a DM when Slack surely did not show it there."""

import logging
from typing import Any
from urllib.error import URLError

from slack_bolt import Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError

log = logging.getLogger(__name__)


class ReplyRefused(Exception):
    """The response URL answered, but not with a 2xx: the reply was not shown (Slack answers an outage with a 5xx)."""

    def __init__(self, status: int, said: str) -> None:
        super().__init__(f"the response URL refused a reply (HTTP {status} {said})")


def answer_through(respond: Respond, **reply: Any) -> None:
    """`respond`, a refusal raised as a connection failure is: so that `handlers.errors.reported` tries the response
    URL again, then a DM, and says what was `done` before it (slack_sdk returns a 5xx rather than raise it)."""
    answer = respond(**reply)
    if not 200 <= answer.status_code < 300:
        raise ReplyRefused(answer.status_code, str(answer.body or "")[:40])


def reply_or_dm(
    respond: Respond,
    client: WebClient,
    user_id: str,
    text: str,
    blocks: list[dict[str, Any]] | None = None,
    response_type: str = "ephemeral",
) -> None:
    """Slack takes a response URL for 30 minutes and five answers only, and answers an outage with a 5xx, which
    slack_sdk returns rather than raises: a reply refused there goes to the person in a DM, never left unsaid; so does
    one whose connection failed before it was sent (urllib raises a `URLError` then). A connection lost or timed out
    while waiting for Slack's answer is another matter: Slack may have shown the reply, and a DM would say it twice, so
    it is only logged. An answer meant for the channel, refused, is told to the person alone: they can post it."""
    try:
        answer = respond(text=text, blocks=blocks, response_type=response_type, replace_original=False)
    except URLError as error:
        log.warning("the response URL could not be reached (%s): the reply goes in a DM", error.reason)
    except OSError as error:
        log.warning("no answer from the response URL (%s): the reply may have been shown, no DM", type(error).__name__)
        return
    else:
        if answer.status_code == 200:
            return
        said = str(answer.body or "")[:40]
        log.warning("the response URL refused a reply (HTTP %s %s): it goes in a DM", answer.status_code, said)
    try:
        client.chat_postMessage(channel=user_id, text=text, blocks=blocks)
    except (SlackClientError, OSError) as error:
        log.warning("a reply refused by the response URL could not be sent in a DM either (%s)", error)
