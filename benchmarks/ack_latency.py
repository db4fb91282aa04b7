"""Ack latency, CPU and SQL per request: Latitude vs a bare Bolt app, on the same server and the same requests.

    .venv/bin/python benchmarks/ack_latency.py [--seconds 20] [--clients 50] [--database-url URL]
        [--baseline-tree DIR --baseline-database-url URL] [--workers 1,2,4] [--rate 100,200,300 --rate-workers 2]
        [--slack-tls]

Starts the fake Slack Web API here, then each server as a subprocess (benchmarks/instrumented.py, which
counts SQL statements and CPU): Latitude (`python -m bot run --http`), a bare Bolt app whose listeners
only ack (benchmarks/bare_bolt.py), and, with --baseline-tree, an older Latitude from that source tree on
its own database (prepared with today's code, then migrated down to that tree's schema; its policy is that
tree's own example, as `benchmark_policy` raises it). A server that failed a request stops the run. PostgreSQL
databases named here are wiped first. The fake Slack speaks plain HTTP unless --slack-tls: then HTTPS, as Slack is
reached, with a certificate made for the run that every server trusts (`trusted_certificate`), so each call to Slack
costs what TLS costs, a handshake included whenever a server opens a connection. For each server it reports:
- CPU and SQL statements per request kind: one client, each kind's requests one after another; and the calls to
  Slack and connections opened to it meanwhile;
- a closed loop: N clients sending as fast as they are answered (Latitude once per --workers count;
  more than one worker needs PostgreSQL);
- with --rate, an open loop: Poisson arrivals at each rate, and the highest rate whose p99 stays under 100 ms.
"""

import argparse
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.load import WARM_UP, KindCost, Result, closed_loop, cost_per_kind, open_loop  # noqa: E402
from benchmarks.scenario import Scenario, prepare  # noqa: E402
from bot.fakeslack import FakeSlack  # noqa: E402
from bot.fakeslack.certificate import Certificate, make_certificate, trusting  # noqa: E402
from bot.fakeslack.server import BOT_TOKEN  # noqa: E402

SECRET = "benchmark-signing-secret"
P99_BUDGET_MS = 100.0
FAILED_REQUEST = "unhandled error"
"""What Latitude's one error handler logs for a request that failed (the user was told something went wrong)."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_healthy(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    for _ in range(600):
        if process.poll() is not None:
            raise SystemExit(f"server on port {port} exited with {process.returncode}; log: {log}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"server on port {port} never became healthy")


@contextmanager
def serving(command: list[str], env: dict[str, str], cwd: Path) -> Iterator[int]:
    """Run one benchmark server on a free port until the block ends; yields the port. Its log goes to a file, read
    when it stops: a server that failed requests (an older tree refusing the data, say) measured its error path."""
    port = free_port()
    script = str(ROOT / "benchmarks" / "instrumented.py")
    with tempfile.NamedTemporaryFile(prefix="latitude-bench-server-", suffix=".log", delete=False) as output:
        log = Path(output.name)
        process = subprocess.Popen(
            [sys.executable, script, *command, "--port", str(port)], cwd=cwd, env=env, stderr=output
        )
        try:
            wait_healthy(port, process, log)
            yield port
        finally:
            process.terminate()
            process.wait(timeout=20)
    refuse_failed_requests(log)


def refuse_failed_requests(log: Path) -> None:
    text = log.read_text(errors="replace")
    failures = text.count(FAILED_REQUEST)
    if failures:
        raise SystemExit(f"the server failed {failures} request(s), so its figures are not comparable; log: {log}")


def trusted_certificate(folder: Path) -> Certificate:
    """A certificate for the fake Slack, trusted by this process and every server it starts, whatever their tree:
    `SSL_CERT_FILE`, which they inherit, names a copy of the system's bundle with it added, and every default TLS
    context reads that file (bot/slack_tls.py's shared one, and the one urllib makes per call when given none)."""
    certificate = make_certificate(folder)
    os.environ["SSL_CERT_FILE"] = str(trusting(folder, certificate))
    return certificate


def latitude(workers: int = 1) -> list[str]:
    return ["bot", "run", "--http", "--host", "127.0.0.1", "--no-scheduler", "--workers", str(workers)]


def bare(slack: FakeSlack) -> list[str]:
    return ["bare", "--signing-secret", SECRET, "--api-url", slack.api_url, "--token", BOT_TOKEN]


def server_env(slack: FakeSlack, database_url: str, tree: Path | None = None) -> dict[str, str]:
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": slack.api_url,
        "DATABASE_URL": database_url,
        "LOG_LEVEL": "WARNING",
    }
    if tree is not None:
        env["LATITUDE_TREE"] = str(tree)
    return env


def prepare_baseline(url: str, slack: FakeSlack, tree: Path) -> Scenario:
    """The same world for the older tree: prepared with today's code, then migrated down to that tree's schema. Its
    policy is that tree's own example with the same allowances raised: today's may hold keys the older code refuses."""
    from alembic.script import ScriptDirectory

    from models.engine import make_engine
    from models.schema import alembic_config, migrate

    scenario = prepare(url, slack, SECRET, policy_tree=tree)
    old = alembic_config()
    old.set_main_option("script_location", str(tree / "models" / "migrations"))
    (head,) = ScriptDirectory.from_config(old).get_heads()
    engine = make_engine(url)
    migrate(engine, "downgrade", head)  # as upgrades run: on SQLite, a table rebuilt with its foreign keys off
    engine.dispose()
    return scenario


@dataclass(frozen=True)
class SlackUse:
    """Calls the fake Slack answered (response and upload URLs included) and connections opened to it, per request."""

    calls: float
    connections: float


def costs(port: int, scenario: Scenario, count: int, slack: FakeSlack) -> dict[str, tuple[KindCost, SlackUse]]:
    table: dict[str, tuple[KindCost, SlackUse]] = {}
    for kind in scenario.kinds:
        calls, connections = len(slack.calls()), slack.state.connections_made
        cost = cost_per_kind(port, SECRET, scenario.request_of, kind, count)
        sent = count + WARM_UP
        use = SlackUse((len(slack.calls()) - calls) / sent, (slack.state.connections_made - connections) / sent)
        table[kind] = (cost, use)
    return table


def print_costs(table: dict[str, dict[str, tuple[KindCost, SlackUse]]]) -> None:
    names = list(table)
    print("\nCPU and SQL per request, one client, one kind at a time (ms CPU · statements):\n")
    print("| kind | " + " | ".join(names) + " | " + " | ".join(f"{n} / bare" for n in names[1:]) + " |")
    print("| --- " * (2 * len(names)) + "|")
    bare_costs = table[names[0]]
    for kind in bare_costs:
        cells = [f"{table[n][kind][0].cpu_ms:.2f} ms · {table[n][kind][0].statements:.1f}" for n in names]
        ratios = [f"{table[n][kind][0].cpu_ms / max(bare_costs[kind][0].cpu_ms, 1e-6):.1f}x" for n in names[1:]]
        print(f"| {kind} | " + " | ".join(cells) + " | " + " | ".join(ratios) + " |")
    print("\nCalls to Slack and connections opened to it, per request (calls · connections):\n")
    print("| kind | " + " | ".join(names) + " |")
    print("| --- " * (len(names) + 1) + "|")
    for kind in bare_costs:
        cells = [f"{table[n][kind][1].calls:.2f} · {table[n][kind][1].connections:.2f}" for n in names]
        print(f"| {kind} | " + " | ".join(cells) + " |")


def sweep(name: str, port: int, scenario: Scenario, rates: list[float], seconds: float) -> float:
    """Open loop at each rate; returns the highest rate whose p99 stayed under the budget (0 if none)."""
    best = 0.0
    for rate in rates:
        result = open_loop(name, port, SECRET, scenario.next_request, rate, seconds)
        print(result.row(), flush=True)
        if result.percentile(0.99) < P99_BUDGET_MS and result.errors == 0:
            best = max(best, rate)
    return best


def numbers(text: str) -> list[float]:
    return [float(part) for part in text.split(",") if part.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file in a temp folder")
    parser.add_argument("--baseline-tree", type=Path, default=None, help="an older source tree to compare with")
    parser.add_argument("--baseline-database-url", default=None, help="the older tree's own database")
    parser.add_argument("--workers", default="1", help="Latitude's closed loop for each count, e.g. 1,2,4")
    parser.add_argument("--rate", default="", help="open loop at these rates (req/s), e.g. 100,200,300")
    parser.add_argument("--rate-workers", type=int, default=1, help="Latitude's workers in the open loop")
    parser.add_argument("--cpu-requests", type=int, default=200, help="requests per kind for CPU (0: skip)")
    parser.add_argument("--slack-tls", action="store_true", help="the fake Slack over HTTPS, as Slack is reached")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="latitude-bench-"))
    database_url = args.database_url or f"sqlite:///{folder / 'bench.db'}"
    baseline_url = args.baseline_database_url or f"sqlite:///{folder / 'baseline.db'}"
    certificate = trusted_certificate(folder) if args.slack_tls else None
    with FakeSlack(tls=certificate) as slack:
        random.seed(7)
        scenario = prepare(database_url, slack, SECRET)
        baseline = prepare_baseline(baseline_url, slack, args.baseline_tree) if args.baseline_tree else None
        env = server_env(slack, database_url)
        servers: list[tuple[str, list[str], dict[str, str], Scenario]] = [
            ("bare Bolt", bare(slack), env, scenario),
            ("Latitude", latitude(), env, scenario),
        ]
        if baseline is not None:
            old_env = server_env(slack, baseline_url, args.baseline_tree)
            old_command = latitude()[:-2]
            servers.insert(1, ("Latitude before", old_command, old_env, baseline))
        table: dict[str, dict[str, tuple[KindCost, SlackUse]]] = {}
        closed: list[Result] = []
        for name, command, server_env_, world in servers:
            with serving(command, server_env_, ROOT) as port:
                if args.cpu_requests:
                    table[name] = costs(port, world, args.cpu_requests, slack)
                closed.append(closed_loop(name, port, SECRET, world.next_request, args.clients, args.seconds))
        for workers in [int(n) for n in numbers(args.workers) if n > 1]:
            with serving(latitude(workers), env, ROOT) as port:
                name = f"Latitude, {workers} workers"
                closed.append(closed_loop(name, port, SECRET, scenario.next_request, args.clients, args.seconds))
        database, over = database_url.split(":")[0], "HTTPS" if args.slack_tls else "plain HTTP"
        print(f"\nmix {scenario.mix}, database {database}, Slack over {over}, {os.cpu_count()} cores")
        if table:
            print_costs(table)
        print(f"\nClosed loop, {args.clients} concurrent clients, {args.seconds:.0f} s each:\n")
        print("| server | requests | throughput | p50 | p95 | p99 | max | errors |")
        print("| --- | --- | --- | --- | --- | --- | --- | --- |")
        for result in closed:
            print(result.row())
        for result in closed[1:]:
            print(f"\n{result.name} by kind:\n{result.kinds()}")
        summary: dict[str, float] = {r.name: round(r.rate, 1) for r in closed}
        if args.rate:
            rates = numbers(args.rate)
            print(f"\nOpen loop, Poisson arrivals, {args.seconds:.0f} s per rate:\n")
            print("| server | requests | throughput | p50 | p95 | p99 | max | errors |")
            print("| --- | --- | --- | --- | --- | --- | --- | --- |")
            with serving(bare(slack), env, ROOT) as port:
                summary["bare max rate"] = sweep("bare Bolt", port, scenario, rates, args.seconds)
            with serving(latitude(args.rate_workers), env, ROOT) as port:
                name = f"Latitude, {args.rate_workers} workers"
                summary["Latitude max rate"] = sweep(name, port, scenario, rates, args.seconds)
            print(f"\nhighest rate with p99 < {P99_BUDGET_MS:.0f} ms: {summary}")
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
