"""A fake Slack Web API: a real HTTP server on 127.0.0.1 that answers like Slack and records every call."""

import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from bot.fakeslack.blockkit import message_problems, view_problems

TEAM_ID = "T0LATITUDE"
BOT_USER_ID = "U0LATBOT"
BOT_TOKEN = "xoxb-fake-token"


@dataclass(frozen=True)
class Call:
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
class _Fault:
    times: int
    status: int = 200
    error: str | None = None
    retry_after: int | None = None


def _texts(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["text"]] if isinstance(node.get("text"), str) else []
        return found + [
            text for key, value in node.items() if key != "text" or not isinstance(value, str) for text in _texts(value)
        ]
    if isinstance(node, list):
        return [text for item in node for text in _texts(item)]
    return []


class FakeSlack:
    """Start with `with FakeSlack() as slack:`; point the bot's SLACK_API_URL at `slack.api_url`."""

    def __init__(self, *, token: str = BOT_TOKEN, team_id: str = TEAM_ID) -> None:
        self.token = token
        self.team_id = team_id
        self.users: dict[str, dict[str, Any]] = {}
        self.violations: list[str] = []
        self._calls: list[Call] = []
        self._faults: dict[str, list[_Fault]] = {}
        self._messages: dict[tuple[str, str], dict[str, Any]] = {}
        self._uploads: dict[str, bytes] = {}
        self._ids = itertools.count(1)
        self._changed = threading.Condition()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), name="fake-slack", daemon=True)

    # -- lifecycle -------------------------------------------------------------------------
    def start(self) -> "FakeSlack":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> "FakeSlack":
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def api_url(self) -> str:
        return f"{self.url}/api/"

    # -- set-up ----------------------------------------------------------------------------
    def add_user(
        self,
        user_id: str,
        name: str,
        *,
        tz: str = "UTC",
        email: str | None = None,
        is_bot: bool = False,
        deleted: bool = False,
    ) -> None:
        self.users[user_id] = {
            "id": user_id,
            "team_id": self.team_id,
            "name": name.lower().replace(" ", "."),
            "real_name": name,
            "tz": tz,
            "is_bot": is_bot,
            "deleted": deleted,
            "profile": {"real_name": name, "display_name": name.split()[0], "email": email or ""},
        }

    def fail(
        self,
        method: str,
        *,
        times: int = 1,
        status: int = 200,
        error: str | None = None,
        retry_after: int | None = None,
    ) -> None:
        """Make the next `times` calls of `method` answer an HTTP status (429, 500...) or a Slack error."""
        if status == 200 and error is None:
            raise ValueError("say what to fail with: status=429/5xx or error='...'")
        with self._changed:
            self._faults.setdefault(method, []).append(_Fault(times, status, error, retry_after))

    def response_url(self) -> str:
        return f"{self.url}/respond/{next(self._ids)}"

    # -- what happened ---------------------------------------------------------------------
    def calls(self, method: str | None = None, **match: Any) -> list[Call]:
        with self._changed:
            calls = list(self._calls)
        return [
            c
            for c in calls
            if (method is None or c.method == method) and all(c.args.get(key) == value for key, value in match.items())
        ]

    def wait_for(
        self, method: str, predicate: Callable[[Call], bool] = lambda _c: True, *, count: int = 1, timeout: float = 10.0
    ) -> list[Call]:
        """Block until `count` calls of `method` satisfy `predicate` (work after an ack is asynchronous)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = [c for c in self._calls if c.method == method and predicate(c)]
                if len(found) >= count:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = ", ".join(c.method for c in self._calls) or "nothing"
                    raise AssertionError(f"expected {count} {method} call(s) within {timeout}s; saw {seen}")
                self._changed.wait(remaining)

    def messages_to(self, user_id: str) -> list[Call]:
        """Messages posted in the DM with `user_id` (by user id or by the DM channel id)."""
        return [
            c
            for c in self.calls()
            if c.method in ("chat.postMessage", "chat.postEphemeral", "chat.update")
            and c.channel in (user_id, _dm_channel(user_id))
        ]

    def message(self, channel: str, ts: str) -> dict[str, Any]:
        """The message as it stands now (after any chat.update)."""
        return self._messages[(_normal_channel(channel), ts)]

    def files(self) -> list[Call]:
        return self.calls("files.completeUploadExternal")

    def reset(self) -> None:
        with self._changed:
            self._calls.clear()
            self._faults.clear()
            self.violations.clear()

    # -- answering -------------------------------------------------------------------------
    def _record(self, call: Call) -> None:
        with self._changed:
            self._calls.append(call)
            self._changed.notify_all()

    def _take_fault(self, method: str) -> _Fault | None:
        with self._changed:
            queue = self._faults.get(method) or []
            if not queue:
                return None
            fault = queue[0]
            fault.times -= 1
            if fault.times <= 0:
                queue.pop(0)
            return fault

    def _answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        answer = getattr(self, "_api_" + method.replace(".", "_"), None)
        if answer is None:
            return {"ok": False, "error": "unknown_method"}
        result: dict[str, Any] = answer(args)
        return result

    def _check(self, problems: list[str], method: str) -> dict[str, Any] | None:
        if not problems:
            return None
        with self._changed:
            self.violations += [f"{method}: {problem}" for problem in problems]
        return {"ok": False, "error": "invalid_blocks", "errors": problems}

    def _ts(self) -> str:
        return f"{int(time.time())}.{next(self._ids):06d}"

    def _api_auth_test(self, _args: dict[str, Any]) -> dict[str, Any]:
        return {
            "ok": True,
            "url": "https://latitude-demo.slack.com/",
            "team": "Latitude Demo",
            "team_id": self.team_id,
            "user": "latitude",
            "user_id": BOT_USER_ID,
            "bot_id": "B0LATBOT",
        }

    def _api_chat_postMessage(self, args: dict[str, Any]) -> dict[str, Any]:
        if not args.get("channel"):
            return {"ok": False, "error": "channel_not_found"}
        rejected = self._check(message_problems(args), "chat.postMessage")
        if rejected:
            return rejected
        channel, ts = _normal_channel(str(args["channel"])), self._ts()
        message = {
            "type": "message",
            "ts": ts,
            "text": args.get("text", ""),
            "blocks": args.get("blocks", []),
            "user": BOT_USER_ID,
        }
        self._messages[(channel, ts)] = message
        return {"ok": True, "channel": channel, "ts": ts, "message": message}

    def _api_chat_postEphemeral(self, args: dict[str, Any]) -> dict[str, Any]:
        rejected = self._check(message_problems(args), "chat.postEphemeral")
        return rejected or {"ok": True, "message_ts": self._ts()}

    def _api_chat_update(self, args: dict[str, Any]) -> dict[str, Any]:
        key = (_normal_channel(str(args.get("channel"))), str(args.get("ts")))
        if key not in self._messages:
            return {"ok": False, "error": "message_not_found"}
        rejected = self._check(message_problems(args), "chat.update")
        if rejected:
            return rejected
        self._messages[key].update(text=args.get("text", ""), blocks=args.get("blocks", []))
        return {"ok": True, "channel": key[0], "ts": key[1], "text": args.get("text", "")}

    def _api_conversations_open(self, args: dict[str, Any]) -> dict[str, Any]:
        users = str(args.get("users") or "").split(",")
        if len(users) != 1 or not users[0]:
            return {"ok": False, "error": "users_list_not_supplied"}
        return {"ok": True, "channel": {"id": _dm_channel(users[0])}}

    def _api_views_open(self, args: dict[str, Any]) -> dict[str, Any]:
        if not args.get("trigger_id"):
            return {"ok": False, "error": "invalid_trigger_id"}
        return self._view(args, "views.open")

    def _api_views_update(self, args: dict[str, Any]) -> dict[str, Any]:
        if not (args.get("view_id") or args.get("external_id")):
            return {"ok": False, "error": "not_found"}
        return self._view(args, "views.update")

    def _api_views_push(self, args: dict[str, Any]) -> dict[str, Any]:
        return self._view(args, "views.push")

    def _api_views_publish(self, args: dict[str, Any]) -> dict[str, Any]:
        if not args.get("user_id"):
            return {"ok": False, "error": "user_not_found"}
        return self._view(args, "views.publish")

    def _view(self, args: dict[str, Any], method: str) -> dict[str, Any]:
        view = args.get("view")
        if isinstance(view, str):
            view = json.loads(view)
        rejected = self._check(view_problems(view or {}), method)
        if rejected:
            return rejected
        return {"ok": True, "view": {**(view or {}), "id": args.get("view_id") or f"V{next(self._ids):08d}"}}

    def _api_users_info(self, args: dict[str, Any]) -> dict[str, Any]:
        user_id = str(args.get("user"))
        user = self.users.get(user_id)
        if user is None and user_id.startswith(("U", "W")):
            user = {
                "id": user_id,
                "name": user_id.lower(),
                "real_name": user_id,
                "tz": "UTC",
                "is_bot": False,
                "deleted": False,
                "profile": {"real_name": user_id, "email": ""},
            }
        return {"ok": True, "user": user} if user else {"ok": False, "error": "user_not_found"}

    def _api_users_lookupByEmail(self, args: dict[str, Any]) -> dict[str, Any]:
        for user in self.users.values():
            if user["profile"].get("email") == args.get("email"):
                return {"ok": True, "user": user}
        return {"ok": False, "error": "users_not_found"}

    def _api_files_getUploadURLExternal(self, args: dict[str, Any]) -> dict[str, Any]:
        if not args.get("filename") or not str(args.get("length", "")).isdigit():
            return {"ok": False, "error": "invalid_arguments"}
        file_id = f"F{next(self._ids):08d}"
        return {"ok": True, "upload_url": f"{self.url}/upload/{file_id}", "file_id": file_id}

    def _api_files_completeUploadExternal(self, args: dict[str, Any]) -> dict[str, Any]:
        files = args.get("files")
        files = json.loads(files) if isinstance(files, str) else files or []
        missing = [f["id"] for f in files if f["id"] not in self._uploads]
        if not files or missing:
            return {"ok": False, "error": "file_not_found"}
        return {"ok": True, "files": [{"id": f["id"], "title": f.get("title", "")} for f in files]}


def _dm_channel(user_id: str) -> str:
    return "D" + user_id[1:] if user_id[:1] in ("U", "W") else user_id


def _normal_channel(channel: str) -> str:
    return _dm_channel(channel)


def _parse_body(content_type: str, raw: bytes) -> dict[str, Any]:
    if not raw:
        return {}
    if content_type.startswith("application/json"):
        parsed = json.loads(raw)
        return parsed if isinstance(parsed, dict) else {}
    args: dict[str, Any] = dict(parse_qsl(raw.decode(), keep_blank_values=True))
    for key in ("blocks", "attachments", "view", "files"):
        if isinstance(args.get(key), str) and args[key][:1] in "[{":
            args[key] = json.loads(args[key])
    return args


def _multipart_files(content_type: str, raw: bytes) -> dict[str, bytes]:
    if not content_type.startswith("multipart/"):
        return {"file": raw}
    message = BytesParser(policy=HTTP).parsebytes(b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + raw)
    files: dict[str, bytes] = {}
    for part in message.iter_parts():
        name = str(part.get_param("name", header="content-disposition") or "file")
        payload = part.get_payload(decode=True)
        files[name] = payload if isinstance(payload, bytes) else b""
    return files


def _handler_for(slack: FakeSlack) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *_args: Any) -> None:
            return

        def do_GET(self) -> None:
            self._handle(b"")

        def do_POST(self) -> None:
            self._handle(self.rfile.read(int(self.headers.get("Content-Length") or 0)))

        def _handle(self, raw: bytes) -> None:
            path = urlsplit(self.path)
            content_type = self.headers.get("Content-Type") or ""
            if path.path.startswith("/upload/"):
                file_id = path.path.rsplit("/", 1)[1]
                files = _multipart_files(content_type, raw)
                slack._uploads[file_id] = next(iter(files.values()), b"")
                slack._record(Call("upload", {"file_id": file_id}, time.time(), files))
                return self._send(200, b"OK - " + str(len(raw)).encode(), "text/plain")
            if path.path.startswith("/respond/"):
                slack._record(Call("response_url", _parse_body(content_type, raw), time.time()))
                return self._send(200, b"ok", "text/plain")
            if not path.path.startswith("/api/"):
                return self._send(404, b"not found", "text/plain")
            method = path.path[len("/api/") :]
            args = {**dict(parse_qsl(path.query)), **_parse_body(content_type, raw)}
            self._api(method, args)

        def _api(self, method: str, args: dict[str, Any]) -> None:
            if self.headers.get("Authorization") != f"Bearer {slack.token}" and args.get("token") != slack.token:
                return self._json(200, {"ok": False, "error": "invalid_auth"})
            fault = slack._take_fault(method)
            if fault is not None and fault.status != 200:
                slack._record(Call(method + ":failed", args, time.time()))
                headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
                return self._json(
                    fault.status,
                    {"ok": False, "error": "ratelimited" if fault.status == 429 else "internal_error"},
                    headers,
                )
            if fault is not None:
                slack._record(Call(method + ":failed", args, time.time()))
                return self._json(200, {"ok": False, "error": fault.error})
            answer = slack._answer(method, args)
            if answer.get("ok"):
                files = {f["id"]: slack._uploads[f["id"]] for f in answer.get("files", [])}
                slack._record(Call(method, args, time.time(), files, answer))
            else:
                slack._record(Call(method + ":failed", args, time.time()))
            self._json(200, answer)

        def _json(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
            self._send(status, json.dumps(body).encode(), "application/json", headers)

        def _send(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(body)

    return Handler
