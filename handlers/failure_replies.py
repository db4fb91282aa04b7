"""`respond` for work after a command's ack: the global handler's apology, with its reference, then opens with what
the person was promised and is not getting (the file, the chart), never leaving that to silence."""

from typing import Any

from slack_bolt import Respond
from slack_sdk.webhook import WebhookResponse


class FailureReply(Respond):
    """The command's `respond`, each text it sends opening with `opening` (ending in a space)."""

    def __init__(self, respond: Respond, opening: str) -> None:
        super().__init__(response_url=respond.response_url, proxy=respond.proxy, ssl=respond.ssl)
        self.opening = opening

    def __call__(self, text: str | dict[str, Any] = "", *args: Any, **kwargs: Any) -> WebhookResponse:
        return super().__call__(self.worded(text) if isinstance(text, str) else text, *args, **kwargs)

    def worded(self, text: str) -> str:
        """`text` as this reply says it (in a DM too, when the response URL no longer answers)."""
        return self.opening + text
