"""A command's reply after slow work: through its response URL, else in a DM when Slack no longer takes it there."""

import logging
from typing import Any

from slack_bolt import Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError

log = logging.getLogger(__name__)


def reply_or_dm(
    respond: Respond, client: WebClient, user_id: str, text: str, blocks: list[dict[str, Any]] | None = None
) -> None:
    """Slack takes a response URL for 30 minutes and five answers only, and answers an outage with a 5xx, which
    slack_sdk returns rather than raises: a reply refused there goes to the person in a DM, never left unsaid."""
    try:
        answer = respond(text=text, blocks=blocks, response_type="ephemeral", replace_original=False)
    except OSError as error:
        log.warning("the response URL could not be reached (%s): the reply goes in a DM", type(error).__name__)
    else:
        if answer.status_code == 200:
            return
        said = str(answer.body or "")[:40]
        log.warning("the response URL refused a reply (HTTP %s %s): it goes in a DM", answer.status_code, said)
    try:
        client.chat_postMessage(channel=user_id, text=text, blocks=blocks)
    except (SlackClientError, OSError) as error:
        log.warning("a reply refused by the response URL could not be sent in a DM either (%s)", error)
