"""The demo's stage: the real bot over HTTP against the Slack stand-in, a moved clock, and a transcript."""

import csv
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.clock import MovableClock
from bot.demo.render import Renderer
from bot.fakeslack import Call, FakeSlack, Reply, SlackDriver, TrackedExecutor
from bot.fakeslack.server import BOT_TOKEN
from bot.runtime import Runtime, build_runtime
from bot.server import EVENTS_PATH, bound_port, make_server, stop_server
from bot.settings import Settings
from handlers.jobs.drain_outbox import drain_outbox
from models.engine import make_engine
from models.schema import upgrade

SIGNING_SECRET = "demo-signing-secret"
DEMO_FILES = Path(__file__).parent


@dataclass
class Stage:
    out: Path
    clock: MovableClock
    slack: FakeSlack
    runtime: Runtime
    driver: SlackDriver
    names: dict[str, str]
    lines: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    seen: int = 0

    @property
    def render(self) -> Renderer:
        return Renderer(self.names)

    # -- narration -------------------------------------------------------------------------
    def say(self, text: str) -> None:
        self._write(f"\n== {text}")

    def _write(self, text: str) -> None:
        print(text, flush=True)
        self.lines.append(text)

    def check(self, ok: bool, what: str) -> None:
        if not ok:
            self.failures.append(what)
            self._write(f"   !! expected: {what}")

    # -- people acting ---------------------------------------------------------------------
    def command(
        self, user: str, command: str, text: str = "", *, expect: str | None = None, show: bool = True
    ) -> Reply:
        self._write(f"\n{self.names.get(user, user)} types: {command} {text}".rstrip())
        reply = self.driver.command(user, command, text)
        shown = self.render.blocks(reply.json.get("blocks") or [], reply.json.get("text") or reply.body)
        self._write(_indent("Latitude (only you see this)", shown))
        self.check(reply.status == 200, f"{command} answered with HTTP 200 (got {reply.status})")
        if expect is not None:
            self.check(expect in self.render.text(reply.text), f"{command} {text!r} answers with {expect!r}")
        if show:
            self.show_messages()
        else:
            self.seen = len(self.slack.calls())
        return reply

    def click(self, user: str, message: Call, action_id: str, label: str) -> Reply:
        self._write(f"\n{self.names.get(user, user)} clicks [{label}]")
        reply = self.driver.click(user, message, action_id)
        self.check(reply.status == 200, f"the click on {label} was accepted")
        self.show_messages()
        return reply

    def submit(self, user: str, view: dict[str, Any], values: dict[str, Any], label: str) -> Reply:
        self._write(f"\n{self.names.get(user, user)} fills in the form: {label}")
        reply = self.driver.submit(user, view, values)
        self.check(reply.status == 200 and not reply.json.get("errors"), f"the form {label} was accepted")
        self.show_messages()
        return reply

    # -- what the bot sent -----------------------------------------------------------------
    def show_messages(self) -> None:
        calls = self.slack.calls()
        for call in calls[self.seen :]:
            self._show(call)
        self.seen = len(calls)

    def _show(self, call: Call) -> None:
        if call.method in ("chat.postMessage", "chat.update"):
            who = self._audience(call.channel)
            verb = "updates its message to" if call.method == "chat.update" else "→"
            self._write(
                _indent(
                    f"Latitude {verb} {who}",
                    self.render.blocks(call.args.get("blocks") or [], str(call.args.get("text") or "")),
                )
            )
        elif call.method == "views.open":
            view = call.args["view"]
            self._write(_indent(f"Latitude opens a form “{view['title']['text']}”", self.render.blocks(view["blocks"])))
        elif call.method == "views.publish":
            self._write(f"   Latitude refreshes {self._audience(call.args['user_id'])}'s App Home")
        elif call.method == "response_url":
            self._write(
                _indent(
                    "Latitude (only you see this)",
                    self.render.blocks(call.args.get("blocks") or [], str(call.args.get("text") or "")),
                )
            )
        elif call.method == "files.completeUploadExternal":
            self._write(f"   Latitude uploads a file to {self._audience(str(call.args.get('channel_id', '')))}")

    def _audience(self, channel: str) -> str:
        user = "U" + channel[1:] if channel.startswith("D") else channel
        return f"{self.names[user]} (DM)" if user in self.names else f"#{channel}"

    def skip_messages(self, summary: str) -> None:
        """Sum up what the bot sent since the last look in one line instead of call by call."""
        self.seen = len(self.slack.calls())
        self._write(summary)

    def show(self, call: Call, note: str) -> None:
        self._show(call)
        self._write(f"   {note}")

    def last_message_to(self, user: str) -> Call:
        return self.slack.messages_to(user)[-1]

    def run_job(self, name: str) -> None:
        """Run a job of the real schedule now (time is simulated, so nobody waits for its trigger)."""
        from bot.scheduler import SCHEDULE

        [job] = [job for job in SCHEDULE if job.name == name]
        job.tick(self.runtime.deps, self.runtime.app.client)
        self.show_messages()

    def move_clock_to(self, moment: datetime) -> None:
        self.clock.set(moment)
        self._write(f"\n   ⏩ the clock moves to {moment:%A %Y-%m-%d %H:%M} UTC")

    def write_transcript(self) -> Path:
        path = self.out / "transcript.txt"
        path.write_text("\n".join(self.lines) + "\n", encoding="utf-8")
        return path


def _indent(title: str, text: str) -> str:
    body = "\n".join(f"      {line}" for line in text.splitlines())
    return f"   {title}:\n{body}"


def demo_people() -> dict[str, str]:
    with (DEMO_FILES / "org.csv").open(encoding="utf-8") as handle:
        return {row["slack_id"]: row["name"] for row in csv.DictReader(handle)}


@contextmanager
def stage(out: Path, start: datetime) -> Iterator[Stage]:
    """A fresh SQLite database in `out`, the Slack stand-in, and the real bot serving HTTP on 127.0.0.1."""
    database = out / "latitude-demo.db"
    database.unlink(missing_ok=True)
    url = f"sqlite:///{database}"
    upgrade(make_engine(url))
    names = demo_people()
    clock = MovableClock(start)
    with FakeSlack() as slack:
        for user_id, name in names.items():
            slack.add_user(user_id, name)
        slack.add_channel("C0KUDOS", "kudos")  # RECOGNITION_CHANNEL below
        slack.add_channel("C0NORTH", "support-north")  # Support North's channel in policy.example.toml
        settings = Settings(
            slack_bot_token=BOT_TOKEN,
            slack_signing_secret=SIGNING_SECRET,
            slack_api_url=slack.api_url,
            database_url=url,
            recognition_channel="C0KUDOS",
        )
        executor = TrackedExecutor(max_workers=16)
        runtime = build_runtime(settings, clock=clock, executor=executor)
        # Time is simulated: the demo runs each job itself (`Stage.run_job`), never the real schedule's wall-clock
        # triggers, which would run a tick at a moment the script does not expect; and the sender woken by a
        # fan-out drains where the demo can wait for it.
        runtime.deps.sender_bell.connect(lambda: executor.submit(drain_outbox, runtime.deps, runtime.app.client))
        server = make_server(runtime.app, runtime.healthy, gate=runtime.gate, host="127.0.0.1", port=0, threads=8)
        thread = threading.Thread(target=server.run, name="demo-http", daemon=True)
        thread.start()
        driver = SlackDriver(
            f"http://127.0.0.1:{bound_port(server)}{EVENTS_PATH}", SIGNING_SECRET, slack, settle=executor.wait_idle
        )
        try:
            yield Stage(out=out, clock=clock, slack=slack, runtime=runtime, driver=driver, names=names)
        finally:
            stop_server(server)
            executor.shutdown(wait=True)
            runtime.close()
