"""Benchmark: `python -m bot export rewards` on N grants against the database's own CSV dump of the same rows.

Run by hand: `.venv/bin/python benchmarks/export.py [--grants 1000000] [--database-url URL]
[--baseline-tree DIR] [--only-n] [--reuse]`.
It fills a fresh SQLite file (or the empty PostgreSQL database you name, which it wipes), then for
N/10 and N grants (only N with `--only-n`; `--reuse` keeps a database that already holds them) runs,
three times in turn, the CLI in a child process (seconds, rows/s, the child's peak resident memory),
the database's own dump of the same join (SQLite: the sqlite3 shell in CSV mode; PostgreSQL:
`COPY (SELECT ...) TO STDOUT WITH CSV`) and the export service alone (from the query to the last line
written: the CLI without its start-up), and prints the best of each and the ratios. With
`--baseline-tree DIR` (an earlier checkout, e.g. `git worktree add DIR <commit>`) the same CLI and
service run from DIR too, in the same rounds, so that both are measured side by side.
"""

import argparse
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Engine, insert, select, text
from sqlalchemy.orm import Session

from models import Base, Employee, Nomination, RewardGrant, Team, Workspace
from models.engine import make_engine
from models.schema import upgrade
from services.rewards.export import export_grants, parse_period

START = datetime(2026, 1, 1, tzinfo=UTC)
ROUNDS = 3
"""Rounds run in turn (`--rounds`): the best of each is kept."""
PEOPLE = 200
CHUNK = 5000


def fill(engine: Engine, grants: int) -> None:
    with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(text(f"DELETE FROM {table.name}"))
        connection.execute(insert(Workspace), [{"id": 1, "slack_team_id": "T0BENCH", "name": "", "created_at": START}])
        connection.execute(insert(Team), [{"id": 1, "workspace_id": 1, "name": "Support"}])
        connection.execute(insert(Employee), [_person(number) for number in range(1, PEOPLE + 1)])
        for first in range(1, grants + 1, CHUNK):
            numbers = range(first, min(first + CHUNK, grants + 1))
            connection.execute(insert(Nomination), [_nomination(number) for number in numbers])
            connection.execute(insert(RewardGrant), [_grant(number) for number in numbers])
    settle(engine)


def settle(engine: Engine) -> None:
    """As a database that has been in use: statistics gathered, the new rows in the main file (SQLite) or
    their hint bits set (PostgreSQL); else whichever reads first pays for it, and the order decides the ratio."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE")
    if engine.dialect.name == "sqlite":
        engine.dispose()
        with closing(sqlite3.connect(engine.url.database or "", isolation_level=None)) as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()


def _person(number: int) -> dict[str, object]:
    return {
        "id": number, "workspace_id": 1, "slack_id": f"U{number:08d}", "name": f"Person {number} Ñúñez",
        "email": f"p{number}@example.com", "role": "frontline", "team_id": 1, "manager_id": None,
        "active": True, "in_directory": True, "created_at": START, "updated_at": START,
    }  # fmt: skip


def _pair(number: int) -> tuple[int, int]:
    giver = number % PEOPLE + 1
    return giver, giver % PEOPLE + 1


def _when(number: int) -> datetime:
    return START + timedelta(seconds=number * 20)


def _nomination(number: int) -> dict[str, object]:
    giver, taker = _pair(number)
    return {
        "id": number, "workspace_id": 1, "nominator_id": giver, "nominee_id": taker, "item_key": "shoutout",
        "title": "Shout-out", "kind": "praise", "value": Decimal(0), "unit": "USD", "needs_approval": False,
        "reason": f'=cmd|"{number}", thanks\nfor the help', "public": True, "fingerprint": f"bench{number}",
        "status": "approved", "created_at": _when(number),
    }  # fmt: skip


def _grant(number: int) -> dict[str, object]:
    giver, taker = _pair(number)
    return {
        "id": number, "workspace_id": 1, "nomination_id": number, "recipient_id": taker, "team_id": 1,
        "manager_id": None, "nominator_id": giver,
        "item_key": "shoutout", "title": "Shout-out", "kind": "praise", "value": Decimal(0), "unit": "USD",
        "reason": f'=cmd|"{number}", thanks\nfor the help', "public": True, "status": "approved",
        "granted_at": _when(number),
    }  # fmt: skip


DUMP_SQL = (
    "SELECT g.id, g.granted_at, r.slack_id, r.name, r.email, t.name, m.name, g.item_key, g.title, g.kind, "
    "g.value, g.unit, n.name, a.name, g.reason, g.resolution_id, g.status, g.fulfilled_at "
    "FROM reward_grants g JOIN employees r ON g.recipient_id = r.id LEFT JOIN teams t ON g.team_id = t.id "
    "LEFT JOIN employees m ON g.manager_id = m.id JOIN employees n ON g.nominator_id = n.id "
    "LEFT JOIN employees a ON g.approver_id = a.id "
    "WHERE g.workspace_id = 1 AND g.status IN ('approved', 'fulfilled') ORDER BY g.granted_at, g.id"
)


def database_dump(engine: Engine, out: Path) -> float:
    """Seconds for the database's own CSV dump of the same rows."""
    started = time.perf_counter()
    if engine.dialect.name == "sqlite":
        database = engine.url.database or ""
        with out.open("wb") as handle:
            subprocess.run(["sqlite3", "-csv", "-header", database, DUMP_SQL], stdout=handle, check=True)
    else:
        with engine.connect() as connection, out.open("wb") as handle:
            raw = connection.connection.dbapi_connection
            assert raw is not None
            with raw.cursor() as cursor, cursor.copy(f"COPY ({DUMP_SQL}) TO STDOUT WITH CSV HEADER") as copy:
                for chunk in copy:
                    handle.write(chunk)
    return time.perf_counter() - started


def export(url: str, out: Path, tree: str | None = None) -> tuple[float, int, float]:
    """Seconds, the child's peak RSS in KiB (ru_maxrss of the children so far, on Linux) and the child's CPU seconds
    (the client's own work: on a shared machine, steadier than the wall clock); `tree`: the code run."""
    env = {**os.environ, "DATABASE_URL": url, "SLACK_TEAM_ID": "T0BENCH", **_code_from(tree)}
    cpu = _children_cpu()
    started = time.perf_counter()
    command = [sys.executable, "-m", "bot", "export", "rewards", "--from", "2026-01-01", "--to", "2026-12-31"]
    subprocess.run([*command, "--out", str(out)], env=env, check=True)
    seconds = time.perf_counter() - started
    return seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, _children_cpu() - cpu


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def export_in_process(engine: Engine, out: Path) -> float:
    """Seconds for the export service alone, on an open connection (what the CLI does after start-up)."""
    now = datetime(2027, 1, 1, tzinfo=UTC)
    period = parse_period("2026-01-01", "2026-12-31", None, now=now)
    with Session(engine) as session, out.open("w", encoding="utf-8", newline="") as handle:
        workspace = session.scalars(select(Workspace)).one()
        session.connection()
        started = time.perf_counter()
        export_grants(session, workspace=workspace, requester=None, period=period, out=handle)
        handle.flush()
        seconds = time.perf_counter() - started
        session.rollback()
    return seconds


SERVICE_CHILD = (
    "import sys; from pathlib import Path; from models.engine import make_engine; "
    "from benchmarks.export import export_in_process; "
    "print(export_in_process(make_engine(sys.argv[1]), Path(sys.argv[2])))"
)


def service_in_child(url: str, out: Path, tree: str) -> float:
    """The export service alone, as `export_in_process` of the code in `tree` measures it, in a child process."""
    env = {**os.environ, **_code_from(tree)}
    command = [sys.executable, "-c", SERVICE_CHILD, url, str(out)]
    done = subprocess.run(command, env=env, check=True, capture_output=True)
    return float(done.stdout.decode().split()[-1])


def _code_from(tree: str | None) -> dict[str, str]:
    return {} if tree is None else {"PYTHONPATH": str(Path(tree).absolute())}


def held(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text("SELECT count(*) FROM reward_grants")).scalar_one())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--grants", type=int, default=1_000_000)
    parser.add_argument("--database-url")
    parser.add_argument("--baseline-tree", help="an earlier checkout of this repository, run side by side")
    parser.add_argument("--only-n", action="store_true", help="skip the run on N/10 grants")
    parser.add_argument("--reuse", action="store_true", help="keep the database if it holds N grants already")
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'bench.db'}"
        engine = make_engine(url)
        upgrade(engine)
        sizes = {args.grants} if args.only_n else {max(args.grants // 10, 1), args.grants}
        for size in sorted(sizes):
            if not (args.reuse and held(engine) == size):
                fill(engine, size)
            measure(engine, url, size, Path(folder), args.baseline_tree, args.rounds)
        engine.dispose()


def measure(engine: Engine, url: str, size: int, folder: Path, baseline: str | None, rounds: int) -> None:
    times: dict[str, list[float]] = {key: [] for key in ("cli", "cpu", "dump", "service")}
    before: dict[str, list[float]] = {key: [] for key in ("cli", "cpu", "service")}
    peak = 0
    for _ in range(rounds):
        if baseline is not None:
            seconds, _peak, cpu = export(url, folder / f"before-{size}.csv", baseline)
            before["cli"].append(seconds)
            before["cpu"].append(cpu)
            before["service"].append(service_in_child(url, folder / f"service-before-{size}.csv", baseline))
        seconds, peak, cpu = export(url, folder / f"export-{size}.csv")  # peak: of every child so far
        times["cli"].append(seconds)
        times["cpu"].append(cpu)
        times["dump"].append(database_dump(engine, folder / f"dump-{size}.csv"))
        times["service"].append(export_in_process(engine, folder / f"service-{size}.csv"))
    cli, dump, service = min(times["cli"]), min(times["dump"]), min(times["service"])
    print(
        f"{size:>9} grants, best of {rounds}: CLI {cli:5.2f} s ({size / cli:,.0f} rows/s, "
        f"CPU {min(times['cpu']):.2f} s, peak RSS so far {peak / 1024:.0f} MiB), export service alone "
        f"{service:5.2f} s; {engine.dialect.name} dump {dump:5.2f} s; "
        f"ratios CLI {cli / dump:.2f}x, service {service / dump:.2f}x",
        flush=True,
    )
    if baseline is not None:
        cli, service = min(before["cli"]), min(before["service"])
        print(
            f"{'':>9} before ({baseline}): CLI {cli:5.2f} s (CPU {min(before['cpu']):.2f} s), service alone "
            f"{service:5.2f} s; ratios CLI {cli / dump:.2f}x, service {service / dump:.2f}x",
            flush=True,
        )


if __name__ == "__main__":
    main()
