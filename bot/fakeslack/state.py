"""What the fake Slack knows and what it saw: users, channels, posted messages, uploads, queued faults, every call."""

import itertools
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.fakeslack.app_home import AppHome
from bot.fakeslack.channels import Channels
from bot.fakeslack.faults import Faults
from bot.fakeslack.installs import Installs
from bot.fakeslack.pauses import Pauses
from bot.fakeslack.triggers import Triggers
from bot.fakeslack.upload_store import Uploads
from bot.fakeslack.views import Views

TEAM_ID = "T0LATITUDE"
BOT_USER_ID = "U0LATBOT"
BOT_TOKEN = "xoxb-fake-token"
APP_TOKEN = "xapp-fake-token"

# Slack waits 3 s for an ack: https://api.slack.com/interactivity/handling#acknowledgment_response
ACK_LIMIT = 3.0
# "You can use a response_url five times within 30 minutes":
# https://api.slack.com/interactivity/handling#message_responses
RESPONSE_URL_USES = 5
RESPONSE_URL_LIFETIME = 30 * 60.0


@dataclass(frozen=True)
class Call:
    """One request the fake Slack answered; a refused one is recorded as `<method>:failed`."""

    method: str
    args: dict[str, Any]
    at: float
    files: dict[str, bytes] = field(default_factory=dict)
    response: dict[str, Any] = field(default_factory=dict)
    token: str = ""
    """The token the call was made with (tests check each workspace's calls use its own)."""

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
class ResponseUrl:
    """A response URL Slack handed out: where it answers (a channel, a clicked message) and how often it was used."""

    channel: str
    message_ts: str | None
    issued: float
    uses: int = 0
    user: str | None = None
    """Whose command or click it answers: an ephemeral message sent through it is theirs alone to see."""


def dm_channel(user_id: str) -> str:
    """The id of the bot's DM with a user; Slack accepts the user id in its place."""
    return "D" + user_id[1:] if user_id[:1] in ("U", "W") else user_id


def dm_users(channel: str) -> tuple[str, ...]:
    """Who a channel id can be the DM with: the user id itself, or either kind of user behind a `D...` id."""
    if channel[:1] in ("U", "W"):
        return (channel,)
    return ("U" + channel[1:], "W" + channel[1:]) if channel[:1] == "D" else ()


class SlackState:
    """The fake workspace and its record of calls. Thread-safe: the HTTP server answers on many threads."""

    def __init__(self, *, token: str = BOT_TOKEN, team_id: str = TEAM_ID, scopes: frozenset[str] | None = None) -> None:
        self.token = token
        self.installs = Installs(token, team_id)
        self.views = Views()
        self.app_home = AppHome()
        self.channels = Channels(team_id, self.installs.reaches)
        """Modals and Homes shown, for views.update; like messages, they outlive `reset`."""
        self.app_token = APP_TOKEN
        self.scopes = scopes
        self.team_id = team_id
        self.base_url = ""
        self.socket_url = ""
        self.users: dict[str, dict[str, Any]] = {}
        self.connected: dict[str, frozenset[str]] = {}
        self.removed_from: dict[str, set[str]] = {}
        """Workspaces of a Grid org an admin removed someone from: their listing shows them deactivated there."""
        """People of other workspaces met in a Slack Connect channel: the workspaces that can look them up."""
        self.violations: list[str] = []
        self.connections_made = 0
        """How many connections clients opened to the fake (the server counts them)."""
        self._calls: list[Call] = []
        self.faults = Faults()
        self.pauses = Pauses()
        self._messages: dict[tuple[str, str], dict[str, Any]] = {}
        self.uploads = Uploads()
        self.triggers = Triggers()
        self._response_urls: dict[str, ResponseUrl] = {}
        self.acks_on_their_way: set[str] = set()
        """Where commands' acks will show, while the driver waits for them (`command_acks.py`)."""
        self._sent_at = 0.0
        self._ephemeral: dict[tuple[str, str], dict[str, Any]] = {}
        self._readers: dict[tuple[str, str], str | None] = {}
        self._home_views: dict[str, dict[str, Any]] = {}
        self._publishing = threading.Lock()
        self._held: set[str] = set()
        self.latency: dict[str, float] = {}
        """Seconds a method takes to answer once done (`FakeSlack.slow_down`)."""
        self._acked = threading.Event()
        self._ids = itertools.count(1)
        self._changed = threading.Condition()

    # -- identifiers -----------------------------------------------------------------------
    def next_id(self) -> int:
        return next(self._ids)

    def new_ts(self) -> str:
        """A message timestamp like Slack's (`seconds.sequence`), unique within this fake."""
        return f"{int(time.time())}.{self.next_id():06d}"

    def issue_response_url(self, channel: str, message_ts: str | None = None, user: str | None = None) -> str:
        """The id of a fresh response URL for `user`'s command in `channel` or click on the message `message_ts`."""
        url_id = str(self.next_id())
        with self._changed:
            self._response_urls[url_id] = ResponseUrl(channel, message_ts, time.monotonic(), user=user)
        return url_id

    def expire_response_urls(self) -> None:
        """Every response URL handed out so far is past Slack's 30 minutes."""
        with self._changed:
            for url in self._response_urls.values():
                url.issued -= RESPONSE_URL_LIFETIME + 1

    def use_response_url(self, url_id: str) -> ResponseUrl | str:
        """Spend one use of a response URL: the URL, or Slack's error when it is unknown, used up or expired."""
        with self._changed:
            found = self._response_urls.get(url_id)
            if found is None:
                return "no_such_url"
            if time.monotonic() - found.issued > RESPONSE_URL_LIFETIME:
                return "expired_url"
            if found.uses >= RESPONSE_URL_USES:
                return "used_url"
            found.uses += 1
            return found

    # -- acks ------------------------------------------------------------------------------
    def hold_until_ack(self, method: str) -> None:
        """Answer `method` only once the driver has the ack of the request in flight (see `wait_for_ack`)."""
        self._acked.clear()
        with self._changed:
            self._held.add(method)

    def expect_ack(self) -> None:
        """A request is on its way to the bot."""
        self._acked.clear()
        self._sent_at = time.monotonic()

    def note_ack(self) -> None:
        """The bot answered; later than Slack waits is no ack: Slack has shown the person `operation_timeout`."""
        waited = time.monotonic() - self._sent_at
        if waited > ACK_LIMIT:
            self.reject("ack", [f"came after {waited:.1f} s; Slack waits {ACK_LIMIT:.0f} s"])
        self._acked.set()

    def hold(self, method: str, args: dict[str, Any]) -> None:
        """Hold the call while a test's pause (`FakeSlack.pause`) or the ack in flight asks it to wait."""
        self.pauses.hold(method, args)
        self.wait_for_ack(method)

    def wait_for_ack(self, method: str) -> None:
        """Hold a call of a held method until the ack; a call the ack waits for is one made before it."""
        with self._changed:
            held = method in self._held
        if held and not self._acked.wait(ACK_LIMIT):
            self.reject(method, [f"called before the request was acknowledged (no ack within {ACK_LIMIT:.0f} s)"])

    # -- App Home --------------------------------------------------------------------------
    def publish_home(self, user_id: str, seen: str | None, show: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        """Show the person a new Home (`show` answers as views.publish does), unless the caller saw a Home (its hash,
        `seen`) that is no longer the current one: `hash_conflict`, another publish came in between."""
        with self._publishing:
            current = self.home_view(user_id)
            if seen and (current is None or current.get("hash") != seen):
                return {"ok": False, "error": "hash_conflict"}
            answer = show()
            if answer.get("ok"):
                with self._changed:
                    self._home_views[user_id] = answer["view"]
            return answer

    def home_view(self, user_id: str) -> dict[str, Any] | None:
        """The Home tab last published for the person, as Slack shows it in their next `app_home_opened`."""
        with self._changed:
            return self._home_views.get(user_id)

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
            self.faults.clear()
            self.violations.clear()

    # -- messages and files ----------------------------------------------------------------
    def store_message(self, channel: str, ts: str, message: dict[str, Any]) -> None:
        with self._changed:
            self._messages[(dm_channel(channel), ts)] = message

    def find_message(self, channel: str, ts: str) -> dict[str, Any] | None:
        with self._changed:
            return self._messages.get((dm_channel(channel), ts))

    def update_message(self, channel: str, ts: str, *, text: str, blocks: list[Any] | None) -> bool:
        """Change a posted message's text in place, and its blocks when given; False when there is no such message."""
        with self._changed:
            message = self._messages.get((dm_channel(channel), ts))
            if message is not None:
                message.update({"text": text} if blocks is None else {"text": text, "blocks": blocks})
            return message is not None

    def store_ephemeral(self, channel: str, ts: str, message: dict[str, Any], reader: str | None = None) -> None:
        """An ephemeral message: only its reader sees it, only a response URL can change it."""
        with self._changed:
            self._ephemeral[(dm_channel(channel), ts)] = message
            self._readers[(dm_channel(channel), ts)] = reader

    def reader_of(self, channel: str, ts: str) -> str | None:
        """Who alone sees the ephemeral message `ts` (None: not ephemeral, or its reader unknown)."""
        with self._changed:
            return self._readers.get((dm_channel(channel), ts))

    def find_ephemeral(self, channel: str, ts: str) -> dict[str, Any] | None:
        with self._changed:
            return self._ephemeral.get((dm_channel(channel), ts))

    def replace_message(self, channel: str, ts: str, message: dict[str, Any] | None) -> bool:
        """Replace (or, with None, delete) a message or an ephemeral one; False when there is none."""
        key = (dm_channel(channel), ts)
        with self._changed:
            store = self._ephemeral if key in self._ephemeral else self._messages
            if key not in store:
                return False
            if message is None:
                del store[key]
            else:
                store[key] = {**store[key], **message}
            return True


def _texts(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["text"]] if isinstance(node.get("text"), str) else []
        return found + [
            text for key, value in node.items() if key != "text" or not isinstance(value, str) for text in _texts(value)
        ]
    if isinstance(node, list):
        return [text for item in node for text in _texts(item)]
    return []
