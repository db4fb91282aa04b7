"""Benchmark: `python -m bot export rewards` on N grants; peak memory should not grow with N.

Run by hand: `.venv/bin/python benchmarks/export_rewards.py [--grants 100000] [--database-url URL]`.
It fills a fresh SQLite file (or the empty database you name, which it wipes), then runs the CLI in a
child process per size and prints rows, seconds and the child's peak resident memory.
"""

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Engine, insert, text

from models import Base, Employee, Nomination, RewardGrant, Team, Workspace
from models.engine import make_engine
from models.schema import upgrade

START = datetime(2026, 1, 1, tzinfo=UTC)
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
        "id": number, "workspace_id": 1, "nomination_id": number, "recipient_id": taker, "nominator_id": giver,
        "item_key": "shoutout", "title": "Shout-out", "kind": "praise", "value": Decimal(0), "unit": "USD",
        "reason": f'=cmd|"{number}", thanks\nfor the help', "status": "approved", "granted_at": _when(number),
    }  # fmt: skip


def export(url: str, out: Path) -> tuple[float, int]:
    """Seconds and the child's peak RSS in KiB (ru_maxrss of the children so far, on Linux)."""
    env = {**os.environ, "DATABASE_URL": url, "SLACK_TEAM_ID": "T0BENCH"}
    started = time.perf_counter()
    command = [sys.executable, "-m", "bot", "export", "rewards", "--from", "2026-01-01", "--to", "2026-12-31"]
    subprocess.run([*command, "--out", str(out)], env=env, check=True)
    return time.perf_counter() - started, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--grants", type=int, default=100_000)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'bench.db'}"
        engine = make_engine(url)
        upgrade(engine)
        for size in sorted({max(args.grants // 10, 1), args.grants}):
            fill(engine, size)
            seconds, peak = export(url, Path(folder) / f"export-{size}.csv")
            lines = sum(1 for _ in (Path(folder) / f"export-{size}.csv").open(encoding="utf-8", newline=""))
            print(f"{size:>9} grants: {seconds:6.1f} s, peak RSS so far {peak / 1024:6.1f} MiB, {lines} lines")
        engine.dispose()


if __name__ == "__main__":
    main()
