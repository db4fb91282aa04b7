"""Ack latency under load: Latitude vs a bare Bolt app on the same server, same signed request stream.

    .venv/bin/python benchmarks/ack_latency.py [--seconds 30] [--clients 50] [--database-url URL]

Starts the fake Slack Web API here, Latitude (`python -m bot run --http`, waitress) and a bare Bolt
app whose listeners only ack (benchmarks/bare_bolt.py, waitress) as subprocesses, then drives each
for the same time with the same mix of correctly signed requests from N concurrent clients.
"""

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.scenario import Scenario, prepare  # noqa: E402
from bot.fakeslack import FakeSlack  # noqa: E402
from bot.fakeslack.server import BOT_TOKEN  # noqa: E402

SECRET = "benchmark-signing-secret"


@dataclass
class Result:
    name: str
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0
    by_kind: dict[str, list[float]] = field(default_factory=dict)
    error_kinds: Counter[str] = field(default_factory=Counter)

    def kinds(self) -> str:
        lines = []
        for kind, values in sorted(self.by_kind.items()):
            ordered = sorted(values)
            p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] * 1000
            lines.append(
                f"  {kind}: {len(values)} requests, p50 {statistics.median(ordered) * 1000:.0f} ms, "
                f"p99 {p99:.0f} ms, max {ordered[-1] * 1000:.0f} ms"
            )
        if self.error_kinds:
            lines.append(f"  errors: {dict(self.error_kinds)}")
        return "\n".join(lines)

    def row(self) -> str:
        ordered = sorted(self.latencies) or [0.0]

        def pct(p: float) -> float:
            return ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000

        rate = len(self.latencies) / self.seconds if self.seconds else 0
        return (
            f"| {self.name} | {len(self.latencies)} | {rate:.0f}/s | {statistics.median(ordered) * 1000:.1f} ms "
            f"| {pct(0.95):.1f} ms | {pct(0.99):.1f} ms | {max(ordered) * 1000:.0f} ms | {self.errors} |"
        )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_healthy(port: int, process: subprocess.Popen[bytes]) -> None:
    for _ in range(300):
        if process.poll() is not None:
            raise SystemExit(f"server on port {port} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"server on port {port} never became healthy")


def drive(
    name: str, port: int, next_request: Callable[[], tuple[str, str, str]], clients: int, seconds: float
) -> Result:
    """Each client opens its keep-alive connection and sends one warm-up request; then all are timed together."""
    result = Result(name)
    verifier = SignatureVerifier(SECRET)
    lock = threading.Lock()
    ready = threading.Barrier(clients + 1)
    deadline = [0.0]

    def post(connection: http.client.HTTPConnection) -> tuple[str, str | None]:
        """Send one request; returns its kind and what went wrong (None when it was acked)."""
        kind, body, content_type = next_request()
        stamp = str(int(time.time()))
        headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": verifier.generate_signature(timestamp=stamp, body=body),
        }
        try:
            connection.request("POST", "/slack/events", body=body.encode(), headers=headers)
            response = connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException) as error:
            connection.close()
            return kind, type(error).__name__
        return kind, None if response.status == 200 else f"HTTP {response.status}"

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        post(connection)
        ready.wait()
        while time.monotonic() < deadline[0]:
            started = time.perf_counter()
            kind, error = post(connection)
            elapsed = time.perf_counter() - started
            with lock:
                if error is None:
                    result.latencies.append(elapsed)
                    result.by_kind.setdefault(kind, []).append(elapsed)
                else:
                    result.errors += 1
                    result.error_kinds[f"{kind}: {error}"] += 1

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    deadline[0] = time.monotonic() + 3600
    ready.wait()
    started = time.monotonic()
    deadline[0] = started + seconds
    for thread in threads:
        thread.join()
    result.seconds = time.monotonic() - started
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file in a temp folder")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="latitude-bench-"))
    database_url = args.database_url or f"sqlite:///{folder / 'bench.db'}"
    with FakeSlack() as slack:
        scenario: Scenario = prepare(database_url, slack, SECRET)
        bot_port, bare_port = free_port(), free_port()
        env = {
            **os.environ,
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": slack.api_url,
            "DATABASE_URL": database_url,
            "LOG_LEVEL": "WARNING",
        }
        bot = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "bot",
                "run",
                "--http",
                "--host",
                "127.0.0.1",
                "--port",
                str(bot_port),
                "--no-scheduler",
            ],
            cwd=folder,
            env=env,
        )
        bare = subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "benchmarks" / "bare_bolt.py"),
                "--port",
                str(bare_port),
                "--signing-secret",
                SECRET,
                "--api-url",
                slack.api_url,
                "--token",
                BOT_TOKEN,
            ],
            cwd=ROOT,
            env=env,
        )
        try:
            wait_healthy(bot_port, bot)
            wait_healthy(bare_port, bare)
            random.seed(7)
            bare_result = drive("bare Bolt (ack only)", bare_port, scenario.next_request, args.clients, args.seconds)
            bot_result = drive("Latitude", bot_port, scenario.next_request, args.clients, args.seconds)
        finally:
            for process in (bot, bare):
                process.terminate()
                process.wait(timeout=10)
    print(
        f"\n{args.clients} concurrent clients, {args.seconds:.0f} s each, mix {scenario.mix}, "
        f"database {database_url.split(':')[0]}, {os.cpu_count()} cores\n"
    )
    print("| server | requests | throughput | p50 | p95 | p99 | max | errors |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    print(bot_result.row())
    print(bare_result.row())
    ratio = (len(bot_result.latencies) / bot_result.seconds) / max(len(bare_result.latencies) / bare_result.seconds, 1)
    print(f"\nLatitude by kind:\n{bot_result.kinds()}")
    print(f"\nthroughput ratio Latitude / bare Bolt: {ratio:.2f}")
    print(json.dumps({"ratio": round(ratio, 3), "errors": bot_result.errors}))


def form(fields: dict[str, str]) -> str:
    return urlencode(fields)


if __name__ == "__main__":
    main()
