"""Stopping within a bound: work in hand gets a grace period, and a process that still has some after it leaves
anyway (a deploy must not wait for a request stuck behind a lock)."""

import logging
import os
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)
STOP_GRACE = 20.0
"""Seconds the requests and listeners in hand get to finish when the process is asked to stop."""


def done_within(seconds: float, work: Callable[[], object]) -> bool:
    """Run `work` (a wait, like a pool's shutdown) for at most `seconds`; whether it finished in time."""
    waiting = threading.Thread(target=work, daemon=True)
    waiting.start()
    waiting.join(seconds)
    return not waiting.is_alive()


def leave_now() -> None:
    """End the process at once with success: Python would otherwise wait, at exit, for every pool thread still
    busy. What was not finished is left for Slack to send again, or for the outbox's lease to send again."""
    log.warning("exiting with work still in hand after the grace period")
    logging.shutdown()
    os._exit(0)
