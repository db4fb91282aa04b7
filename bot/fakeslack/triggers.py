"""The trigger_ids Slack hands out with a command, a click or a submission, and what each may open.

A trigger_id opens one view within 3 s ("A trigger_id expires in 3 seconds":
https://api.slack.com/interactivity/handling#modal_responses), for the person whose act made it: the modal opens
for them alone. `views.push` takes one "generated from an interaction within the existing modal"
(https://docs.slack.dev/reference/methods/views.push), so each trigger remembers the view it came from, if any.
"""

import threading
import time
from dataclasses import dataclass
from itertools import count

TRIGGER_LIFETIME = 3.0


@dataclass(frozen=True)
class Trigger:
    """Who acted (None: a trigger a test made up, for no one in particular) and in which view, if in one."""

    issued: float
    user: str | None = None
    view_id: str | None = None


class Triggers:
    """Every trigger_id issued, spent or not. Thread-safe."""

    def __init__(self) -> None:
        self.lifetime = TRIGGER_LIFETIME
        """Slack's 3 s; a test may shorten it rather than wait."""
        self._issued: dict[str, Trigger] = {}
        self._spent: set[str] = set()
        self._ids = count(1)
        self._lock = threading.Lock()

    def issue(self, user: str | None = None, view_id: str | None = None) -> str:
        """A fresh trigger_id for an act of `user` (in the view `view_id`, when made in one)."""
        trigger_id = f"{next(self._ids)}.{int(time.time())}.trigger"
        with self._lock:
            self._issued[trigger_id] = Trigger(time.monotonic(), user, view_id)
        return trigger_id

    def use(self, trigger_id: str) -> Trigger | str:
        """Spend a trigger_id: what it came from, or Slack's error when it is unknown, used
        (https://docs.slack.dev/reference/methods/views.open: `exchanged_trigger_id`) or older than 3 s."""
        with self._lock:
            trigger = self._issued.pop(trigger_id, None)
            if trigger is None:
                return "exchanged_trigger_id" if trigger_id in self._spent else "invalid_trigger_id"
            self._spent.add(trigger_id)
        return "expired_trigger_id" if time.monotonic() - trigger.issued > self.lifetime else trigger
