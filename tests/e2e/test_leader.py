"""One scheduler per deployment, for sure: a leader whose lock connection dies stops before its next job."""

import itertools
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from bot.leader import LOCK_KEY, Leadership
from models.engine import make_engine

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def postgres(engine: Engine) -> Engine:
    if engine.dialect.name != "postgresql":
        pytest.skip("the scheduler lock is a PostgreSQL advisory lock; SQLite runs one process")
    return engine


def kill_lock_connection(engine: Engine) -> None:
    """What an operator's `pg_terminate_backend` (or a dropped connection) does to the leader."""
    with engine.begin() as connection:
        killed = connection.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' "
                "AND classid = 0 AND objid = :key AND granted"
            ),
            {"key": LOCK_KEY},
        ).all()
    assert killed == [(True,)]


def test_a_leader_that_lost_its_lock_connection_knows_it_before_the_next_job(
    postgres: Engine, database_url: str
) -> None:
    first, second = Leadership(make_engine(database_url)), Leadership(make_engine(database_url))
    try:
        assert (first.is_leader(), second.is_leader()) == (True, False)

        kill_lock_connection(postgres)

        assert first.is_leader() is False
        assert second.is_leader() is True
        assert first.is_leader() is False
        second.release()
        assert first.is_leader() is True
    finally:
        first.release()
        second.release()


def runs(out: Path) -> list[int]:
    return [int(line) for line in out.read_text().split()] if out.exists() else []


def wait_for(condition: Callable[[], bool], timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


@pytest.fixture
def spawn(database_url: str, tmp_path: Path) -> Iterator[Callable[[str], Path]]:
    started: list[subprocess.Popen[bytes]] = []

    def start(name: str) -> Path:
        out = tmp_path / f"{name}.runs"
        command = [sys.executable, "-m", "tests.leader_worker", database_url, str(out)]
        started.append(subprocess.Popen(command, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}))
        wait_for(out.exists)
        return out

    yield start
    for process in started:
        process.terminate()
        process.wait(timeout=10)


def test_after_the_leaders_lock_connection_is_killed_exactly_one_process_runs_the_jobs(
    postgres: Engine, spawn: Callable[[str], Path]
) -> None:
    a = spawn("a")
    wait_for(lambda: len(runs(a)) >= 3)
    b = spawn("b")
    wait_for(lambda: len(runs(a)) >= 10)
    assert runs(b) == []

    kill_lock_connection(postgres)
    killed_at = time.time_ns()
    wait_for(lambda: sum(1 for t in runs(a) + runs(b) if t > killed_at) >= 40)

    after = sorted([(t, "a") for t in runs(a) if t > killed_at] + [(t, "b") for t in runs(b) if t > killed_at])
    runners = [who for _, who in after]
    switches = sum(1 for before, now in itertools.pairwise(runners) if before != now)
    assert switches <= 1, f"both processes ran jobs after the lock was lost: {''.join(runners)}"


def test_two_processes_on_one_sqlite_file_run_the_scheduler_once(tmp_path: Path) -> None:
    """The second one serves requests and leaves the jobs to the first, until the first lets go (or ends)."""
    url = f"sqlite:///{tmp_path / 'latitude.db'}"
    first, second = Leadership(make_engine(url)), Leadership(make_engine(url))
    try:
        assert (first.is_leader(), second.is_leader()) == (True, False)
        assert first.is_leader() is True

        first.release()

        assert second.is_leader() is True
        assert first.is_leader() is False
    finally:
        first.release()
        second.release()


def test_a_process_killed_while_leading_lets_the_next_one_lead(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'latitude.db'}"
    holder = subprocess.Popen([sys.executable, "-c", HOLD_THE_LOCK, url], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "True"
        waiting = Leadership(make_engine(url))
        assert waiting.is_leader() is False

        holder.kill()
        holder.wait(timeout=10)

        assert waiting.is_leader() is True
        waiting.release()
    finally:
        holder.kill()


HOLD_THE_LOCK = """
import sys, time
from bot.leader import Leadership
from models.engine import make_engine
leadership = Leadership(make_engine(sys.argv[1]))
print(leadership.is_leader(), flush=True)
time.sleep(60)
"""
