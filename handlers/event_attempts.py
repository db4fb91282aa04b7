"""One run of a state-changing event's listener, as the app follows it to run the event again if it fails.

Kept apart from handlers/event_retries.py so that handlers/deps.py can name it without importing listeners' code.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

EVENT_ATTEMPT = "latitude_event_attempt"
"""The context key of the `Attempt` of a kept event's request. Only the app puts it on a request it runs again
itself (bot/redispatch.py), or the replay check on Slack's first delivery: nothing Slack sends can carry it."""


@dataclass
class Attempt:
    """`number` 0 is Slack's delivery; 1 and up, the app's own tries. `reached`: the request passed every check in
    front of the listener; `started`: its listener started; `failure`: how the run failed, if it did (`PASSING`:
    tried again; `LASTING`: not)."""

    event_id: str
    event_type: str
    number: int = 0
    last: bool = False
    reached: bool = False
    started: bool = False
    failure: str | None = None

    @property
    def again(self) -> bool:
        return self.number > 0


PASSING = "passing"
LASTING = "lasting"


class EventsAgain:
    """Runs a kept event's body through the Bolt app again, with its `Attempt`; whether it reached its listener.

    bot/ connects it to the app; until then (the CLI) nothing runs, and the event stays kept for a process that can.
    """

    def __init__(self) -> None:
        self._run: Callable[[dict[str, Any], Attempt], bool] | None = None

    def connect(self, run: Callable[[dict[str, Any], Attempt], bool]) -> None:
        self._run = run

    @property
    def connected(self) -> bool:
        return self._run is not None

    def __call__(self, body: dict[str, Any], attempt: Attempt) -> bool:
        if self._run is None:
            return False
        return self._run(body, attempt)
