"""How the listeners' Slack client retries: dropped connections and Slack's 5xx, with backoff. Never a rate limit.

slack_sdk's rate-limit retry sleeps Retry-After in the calling thread, here a listener's: a few rate-limited calls
would hold the listener pool and leave the next clicks unanswered within Slack's 3 s. A 429 is raised instead, and
whoever called Slack deals with it: a message or an update goes to the outbox, which waits Retry-After without a
thread (handlers/delivery.py); anything else reaches the person as an error.

Every wait is multiplied by `pace`: 1 keeps slack_sdk's pace (production: 0.5 s doubling per attempt plus jitter);
tests pass 0 so that a retried call costs no time.
"""

from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, ServerErrorRetryHandler
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator
from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.http_retry.interval_calculator import RetryIntervalCalculator

MAX_RETRIES = 2


def retry_handlers(pace: float = 1.0) -> list[RetryHandler]:
    """Retry dropped connections and Slack's 5xx, each twice; a rate limit is not retried here."""
    backoff = PacedInterval(BackoffRetryIntervalCalculator(backoff_factor=0.5), pace)
    return [
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
