"""How the Slack client retries: rate limits after Slack's Retry-After, dropped connections and 5xx with backoff.

Every wait is multiplied by `pace`: 1 keeps Slack's pace (production); tests pass 0 so that a
retried call costs no time. The waits themselves are slack_sdk's: Retry-After (or 1 s) plus up
to a second of jitter for a rate limit, 0.5 s doubling per attempt plus jitter otherwise.
"""

import random
import time

from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator
from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.http_retry.interval_calculator import RetryIntervalCalculator
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

MAX_RETRIES = 2


def retry_handlers(pace: float = 1.0) -> list[RetryHandler]:
    """Retry rate limits (honouring Retry-After), dropped connections and Slack's 5xx, each twice."""
    backoff = PacedInterval(BackoffRetryIntervalCalculator(backoff_factor=0.5), pace)
    return [
        PacedRateLimitRetryHandler(max_retry_count=MAX_RETRIES, pace=pace),
        ConnectionErrorRetryHandler(max_retry_count=MAX_RETRIES, interval_calculator=backoff),
        ServerErrorRetryHandler(max_retry_count=MAX_RETRIES, interval_calculator=backoff),
    ]


class PacedInterval(RetryIntervalCalculator):
    """Another calculator's interval, multiplied by `pace`."""

    def __init__(self, interval: RetryIntervalCalculator, pace: float) -> None:
        self.interval = interval
        self.pace = pace

    def calculate_sleep_duration(self, current_attempt: int) -> float:
        return self.pace * self.interval.calculate_sleep_duration(current_attempt)


class PacedRateLimitRetryHandler(RateLimitErrorRetryHandler):
    """slack_sdk's rate-limit retry (it sleeps Retry-After plus jitter in the calling thread), paced."""

    def __init__(self, *, max_retry_count: int, pace: float) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self.pace = pace

    def prepare_for_next_attempt(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        if response is None:
            return super().prepare_for_next_attempt(state=state, request=request, response=response, error=error)
        state.next_attempt_requested = True
        time.sleep(self.pace * (retry_after(response) + random.random()))
        state.increment_current_attempt()


def retry_after(response: HttpResponse) -> float:
    """Seconds Slack asked us to wait (its Retry-After header), or 1 when it did not say."""
    for name, values in response.headers.items():
        if name.lower() == "retry-after":
            value = values[0] if isinstance(values, list) else values
            return float(value) if value.strip().isdigit() else 1.0
    return 1.0
