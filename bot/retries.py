"""How the listeners' Slack client retries: failed calls that are safe to repeat, with backoff. Never a rate limit.

Slack's Web API takes no idempotency key: a `chat.postMessage` whose connection dropped after Slack received it
(the answer lost, the connection reset, a proxy giving up) may well have been posted, and sending it again posts
it again. So a failure is retried only when repeating the call cannot show anything twice:
- a method in `SAFE_TO_REPEAT` (a read, or a call whose repeat changes nothing) is retried after a dropped
  connection or a 5xx;
- any other method (a post, an ephemeral message, a file shared) is retried only when the request certainly never
  reached Slack: the connection was refused, or the name did not resolve. A 5xx is not retried for it either: Slack
  documents that with `internal_error` and `fatal_error` "it's possible some aspect of the operation succeeded
  before the error was raised" (https://docs.slack.dev/reference/methods/chat.postMessage), so a 500 or 503 after
  a post says nothing of whether it was posted. The failure reaches the caller: a message goes to the outbox,
  which tries again later, once (README, "What can repeat after a crash or a timeout").
A timeout (no answer within the client's 10 s, in the TLS handshake or the answer) is retried for no method: Slack
was slow, not unreachable, and each retry would hold the listener 10 s more.

slack_sdk's rate-limit retry sleeps Retry-After in the calling thread, here a listener's: a few rate-limited calls
would hold the listener pool and leave the next clicks unanswered within Slack's 3 s. A 429 is raised instead, and
whoever called Slack deals with it: a message or an update goes to the outbox, which waits Retry-After without a
thread (handlers/delivery_refusals.py); anything else reaches the person as an error.

The same holds for a backoff: slack_sdk's (0.5 s doubling per attempt, plus up to 1 s of jitter each time, so up to
3.5 s for two retries) sleeps in the listener's thread too, and with OAuth installs Bolt's authorize calls `auth.test`
for every request before anything is acked. So a retry here is made at once, with no wait: a 5xx or a dropped
connection is often gone on the next try, and what still fails reaches the caller, whose outbox waits without a thread.
"""

import socket
from urllib.error import URLError
from urllib.parse import urlsplit

from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, ServerErrorRetryHandler
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator
from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

MAX_RETRIES = 2

SAFE_TO_REPEAT = frozenset(
    {
        # reads
        "auth.test",
        "users.info",
        "users.list",
        "users.lookupByEmail",
        "team.info",
        "conversations.info",
        "conversations.members",
        "files.getUploadURLExternal",  # a fresh upload URL; nothing is shared until files.completeUploadExternal
        # the same call again leaves the same result
        "chat.update",  # the message gets the same content again
        "views.update",
        "views.publish",  # the Home gets the same view again
        "conversations.open",  # the DM already open is answered again
        # Slack refuses a trigger_id exchanged already (`exchanged_trigger_id`): a second modal cannot open
        "views.open",
        "views.push",
    }
)
"""Web API methods whose repeat cannot show anything twice."""

NEVER_SENT = (ConnectionRefusedError, socket.gaierror)
"""What urllib wraps in a URLError when the request never reached Slack: nobody listened, or no address."""


def retry_handlers() -> list[RetryHandler]:
    """Retry what is safe to repeat, twice and at once (module docstring); a rate limit is not retried here."""
    at_once = FixedValueRetryIntervalCalculator(0.0)
    return [
        DroppedConnectionRetry(max_retry_count=MAX_RETRIES, interval_calculator=at_once),
        ServerErrorRetry(max_retry_count=MAX_RETRIES, interval_calculator=at_once),
    ]


def method_of(request: HttpRequest) -> str:
    """The Web API method a request calls: the last part of its URL's path (`.../api/chat.postMessage`)."""
    return urlsplit(request.url).path.rsplit("/", 1)[-1]


def never_reached_slack(error: Exception | None) -> bool:
    return isinstance(error, URLError) and isinstance(error.reason, NEVER_SENT)


def timed_out(error: Exception | None) -> bool:
    """Slack not answering within the client's timeout: while reading the answer, or already while connecting or
    in the TLS handshake (which urllib wraps in a URLError, and slack_sdk's handler would retry)."""
    return isinstance(error, TimeoutError) or (isinstance(error, URLError) and isinstance(error.reason, TimeoutError))


class DroppedConnectionRetry(ConnectionErrorRetryHandler):
    """slack_sdk's retry of connection errors, for a method safe to repeat; for any other, only a request that never
    reached Slack."""

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if timed_out(error) or not super()._can_retry(state=state, request=request, response=response, error=error):
            return False
        return method_of(request) in SAFE_TO_REPEAT or never_reached_slack(error)


class ServerErrorRetry(ServerErrorRetryHandler):
    """slack_sdk's retry of a 500 or 503, for a method safe to repeat only: Slack may have acted before failing."""

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if method_of(request) not in SAFE_TO_REPEAT:
            return False
        return super()._can_retry(state=state, request=request, response=response, error=error)
