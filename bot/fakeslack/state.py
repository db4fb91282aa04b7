"""What the fake Slack knows and what it saw: users, posted messages, uploads, queued faults, every call."""

import itertools
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

TEAM_ID = "T0LATITUDE"
BOT_USER_ID = "U0LATBOT"
BOT_TOKEN = "xoxb-fake-token"


@dataclass(frozen=True)
class Call:
    """One request the fake Slack answered; a refused one is recorded as `<method>:failed`."""

    method: str
    args: dict[str, Any]
    at: float
    files: dict[str, bytes] = field(default_factory=dict)
    response: dict[str, Any] = field(default_factory=dict)

    @property
    def channel(self) -> str:
        return str(self.args.get("channel") or self.args.get("channel_id") or "")

    @property
    def text(self) -> str:
        """The message's (or view's) text and every text in its blocks, for assertions."""
        view = self.args.get("view") or {}
        blocks = [*(self.args.get("blocks") or []), *(view.get("blocks") or [] if isinstance(view, dict) else [])]
        return "\n".join([str(self.args.get("text") or ""), *_texts(blocks)])


@dataclass
class Fault:
    """The next `times` calls of a method answer an HTTP status (429, 5xx) or, with status 200, a Slack error."""

    times: int
    status: int = 200
    error: str | None = None
    retry_after: int | None = None


def dm_channel(user_id: str) -> str:
    """The id of the bot's DM with a user; Slack accepts the user id in its place."""
    return "D" + user_id[1:] if user_id[:1] in ("U", "W") else user_id


class SlackState:
    """The fake workspace and its record of calls. Thread-safe: the HTTP server answers on many threads."""

    def __init__(self, *, token: str = BOT_TOKEN, team_id: str = TEAM_ID) -> None:
        self.token = token
        self.team_id = team_id
        self.base_url = ""
        self.users: dict[str, dict[str, Any]] = {}
        self.violations: list[str] = []
        self._calls: list[Call] = []
        self._faults: dict[str, list[Fault]] = {}
        self._messages: dict[tuple[str, str], dict[str, Any]] = {}
        self._uploads: dict[str, bytes] = {}
        self._ids = itertools.count(1)
        self._changed = threading.Condition()

    # -- identifiers -----------------------------------------------------------------------
    def next_id(self) -> int:
        return next(self._ids)

    def new_ts(self) -> str:
        """A message timestamp like Slack's (`seconds.sequence`), unique within this fake."""
        return f"{int(time.time())}.{self.next_id():06d}"

    # -- the record ------------------------------------------------------------------------
    def record(self, call: Call) -> None:
        with self._changed:
            self._calls.append(call)
            self._changed.notify_all()

    def calls(self) -> list[Call]:
        with self._changed:
            return list(self._calls)

    def wait_for(self, found: Callable[[list[Call]], bool], timeout: float) -> bool:
        """Block until `found(calls)` holds or `timeout` seconds pass; whether it held."""
        with self._changed:
            return self._changed.wait_for(lambda: found(self._calls), timeout)

    def reject(self, method: str, problems: list[str]) -> None:
        """Note what a call got wrong that real Slack would refuse (tests assert there is none)."""
        with self._changed:
            self.violations += [f"{method}: {problem}" for problem in problems]

    def reset(self) -> None:
        with self._changed:
            self._calls.clear()
            self._faults.clear()
            self.violations.clear()

    # -- faults ----------------------------------------------------------------------------
    def add_fault(self, method: str, fault: Fault) -> None:
        with self._changed:
            self._faults.setdefault(method, []).append(fault)

    def take_fault(self, method: str) -> Fault | None:
        """The fault the next call of `method` must meet, if any (each fault is used `times` times)."""
        with self._changed:
            queue = self._faults.get(method) or []
            if not queue:
                return None
            fault = queue[0]
            fault.times -= 1
            if fault.times <= 0:
                queue.pop(0)
            return fault

    # -- messages and files ----------------------------------------------------------------
    def store_message(self, channel: str, ts: str, message: dict[str, Any]) -> None:
        with self._changed:
            self._messages[(dm_channel(channel), ts)] = message

    def find_message(self, channel: str, ts: str) -> dict[str, Any] | None:
        with self._changed:
            return self._messages.get((dm_channel(channel), ts))

    def update_message(self, channel: str, ts: str, **changes: Any) -> bool:
        """Change a posted message in place; False when there is no such message."""
        with self._changed:
            message = self._messages.get((dm_channel(channel), ts))
            if message is not None:
                message.update(changes)
            return message is not None

    def store_upload(self, file_id: str, content: bytes) -> None:
        with self._changed:
            self._uploads[file_id] = content

    def upload(self, file_id: str) -> bytes | None:
        """The bytes uploaded for `file_id`, or None when nothing was uploaded to its URL."""
        with self._changed:
            return self._uploads.get(file_id)


def _texts(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["text"]] if isinstance(node.get("text"), str) else []
        return found + [
            text for key, value in node.items() if key != "text" or not isinstance(value, str) for text in _texts(value)
        ]
    if isinstance(node, list):
        return [text for item in node for text in _texts(item)]
    return []
