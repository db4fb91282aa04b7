"""Load generators for the ack benchmark: closed loop (N clients), open loop (Poisson arrivals), one-by-one CPU."""

import http.client
import json
import queue
import random
import statistics
import threading
import time
import urllib.request
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from slack_sdk.signature import SignatureVerifier

NextRequest = Callable[[], tuple[str, str, str]]


@dataclass
class Result:
    name: str
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0
    by_kind: dict[str, list[float]] = field(default_factory=dict)
    error_kinds: Counter[str] = field(default_factory=Counter)

    def record(self, kind: str, elapsed: float, error: str | None) -> None:
        if error is None:
            self.latencies.append(elapsed)
            self.by_kind.setdefault(kind, []).append(elapsed)
        else:
            self.errors += 1
            self.error_kinds[f"{kind}: {error}"] += 1

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies) or [0.0]
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

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
        median = statistics.median(self.latencies or [0.0]) * 1000
        return (
            f"| {self.name} | {len(self.latencies)} | {self.rate:.0f}/s | {median:.1f} ms "
            f"| {self.percentile(0.95):.1f} ms | {self.percentile(0.99):.1f} ms | {self.percentile(1.0):.0f} ms "
            f"| {self.errors} |"
        )


class Poster:
    """Signs and posts one request on a keep-alive connection; returns what went wrong (None when acked)."""

    def __init__(self, port: int, secret: str) -> None:
        self.port = port
        self.verifier = SignatureVerifier(secret)
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)

    def post(self, body: str, content_type: str) -> str | None:
        stamp = str(int(time.time()))
        headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": self.verifier.generate_signature(timestamp=stamp, body=body),
        }
        try:
            self.connection.request("POST", "/slack/events", body=body.encode(), headers=headers)
            response = self.connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException) as error:
            self.connection.close()
            return type(error).__name__
        return None if response.status == 200 else f"HTTP {response.status}"


def closed_loop(name: str, port: int, secret: str, next_request: NextRequest, clients: int, seconds: float) -> Result:
    """Each client opens its keep-alive connection and sends one warm-up request; then all are timed together."""
    result = Result(name)
    lock = threading.Lock()
    ready = threading.Barrier(clients + 1)
    deadline = [time.monotonic() + 3600]

    def client() -> None:
        poster = Poster(port, secret)
        kind, body, content_type = next_request()
        poster.post(body, content_type)
        ready.wait()
        while time.monotonic() < deadline[0]:
            kind, body, content_type = next_request()
            started = time.perf_counter()
            error = poster.post(body, content_type)
            elapsed = time.perf_counter() - started
            with lock:
                result.record(kind, elapsed, error)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    ready.wait()
    started = time.monotonic()
    deadline[0] = started + seconds
    for thread in threads:
        thread.join()
    result.seconds = time.monotonic() - started
    return result


def open_loop(name: str, port: int, secret: str, next_request: NextRequest, rate: float, seconds: float) -> Result:
    """Requests arrive at Poisson times at `rate` per second whether or not earlier ones were answered.

    Latency counts from the planned arrival, so a request that waited for a free connection is charged
    for the wait (no coordinated omission).
    """
    result = Result(f"{name} @ {rate:.0f}/s")
    lock = threading.Lock()
    arrivals: queue.Queue[tuple[float, str, str, str] | None] = queue.Queue()
    senders = 64  # well under the servers' connection limits (waitress: 100), far more than a 100 ms p99 needs

    def sender() -> None:
        poster = Poster(port, secret)
        while (item := arrivals.get()) is not None:
            planned, kind, body, content_type = item
            delay = planned - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            error = poster.post(body, content_type)
            elapsed = time.perf_counter() - planned
            with lock:
                result.record(kind, elapsed, error)

    threads = [threading.Thread(target=sender) for _ in range(senders)]
    for thread in threads:
        thread.start()
    started = time.perf_counter()
    moment = started
    while moment < started + seconds:
        moment += random.expovariate(rate)
        wait = moment - time.perf_counter() - 0.005
        if wait > 0:
            time.sleep(wait)
        arrivals.put((moment, *next_request()))
    for _ in threads:
        arrivals.put(None)
    for thread in threads:
        thread.join()
    result.seconds = seconds
    return result


@dataclass(frozen=True)
class KindCost:
    kind: str
    requests: int
    cpu_ms: float
    statements: float


def server_stats(port: int) -> dict[str, float]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/stats", timeout=5) as response:
        stats: dict[str, float] = json.loads(response.read())
        return stats


SETTLED_CPU = 0.005
"""CPU seconds an idle server may spend between two reads of its counters: answering the read itself
costs 1-3 ms, so a tighter bound can wait forever."""


def settled_stats(port: int) -> dict[str, float]:
    """The server's counters once the work after the last ack (sends, follow-up transactions) has finished."""
    previous = server_stats(port)
    for _ in range(100):
        time.sleep(0.2)
        current = server_stats(port)
        if current["statements"] == previous["statements"] and current["cpu"] - previous["cpu"] < SETTLED_CPU:
            return current
        previous = current
    raise SystemExit(f"the server on port {port} never settled: still busy after 20 s")


WARM_UP = 5
"""Requests of a kind sent before its CPU is counted: the first ones fill caches the rest find full."""


def cost_per_kind(
    port: int, secret: str, request_of: Callable[[str], tuple[str, str, str]], kind: str, count: int
) -> KindCost:
    """One client sends `count` requests of one kind one after another; the server's CPU and statements per request."""
    poster = Poster(port, secret)
    for _ in range(WARM_UP):
        poster.post(*request_of(kind)[1:])
    before = settled_stats(port)
    for _ in range(count):
        error = poster.post(*request_of(kind)[1:])
        if error is not None:
            raise SystemExit(f"{kind} failed: {error}")
    after = settled_stats(port)
    return KindCost(
        kind,
        count,
        cpu_ms=(after["cpu"] - before["cpu"] - 0.0) * 1000 / count,
        statements=(after["statements"] - before["statements"]) / count,
    )
