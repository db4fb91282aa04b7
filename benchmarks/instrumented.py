"""Run a benchmark server (Latitude or the bare app) with counters the benchmark reads on GET /bench/stats.

    python benchmarks/instrumented.py bot run --http ...        Latitude, as `python -m bot run ...`
    python benchmarks/instrumented.py bare --port ...            benchmarks/bare_bolt.py

The counters: SQL statements sent to the database (a SQLAlchemy event on every engine) and the process's
CPU time (`time.process_time`, every thread). `LATITUDE_TREE` names the source tree to import the product
from (default: this one), so the same benchmark can serve an older version side by side.
`BENCH_SHOW_SQL=1` prints each statement; `BENCH_PROFILE=FILE` profiles every thread's CPU time and writes
the merged pstats to FILE when the server stops.
"""

import itertools
import json
import os
import runpy
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

TREE = Path(os.environ.get("LATITUDE_TREE") or Path(__file__).resolve().parent.parent)
sys.path.insert(0, str(TREE))

from sqlalchemy import event  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402

import bot.server  # noqa: E402

STATS_PATH = "/bench/stats"
_statements = itertools.count()
_counted = [0]


_show = bool(os.environ.get("BENCH_SHOW_SQL"))


@event.listens_for(Engine, "before_cursor_execute")
def _count(_connection: Any, _cursor: Any, statement: str, *_: Any) -> None:
    _counted[0] = next(_statements) + 1
    if _show:
        print("SQL", " ".join(statement.split())[:160], file=sys.stderr, flush=True)


def stats() -> dict[str, float]:
    return {"statements": _counted[0], "cpu": time.process_time(), "pid": os.getpid()}


_plain_wsgi_app = bot.server.wsgi_app


def wsgi_app(*args: Any, **kwargs: Any) -> Callable[..., Iterable[bytes]]:
    inner = _plain_wsgi_app(*args, **kwargs)

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == STATS_PATH:
            start_response("200 OK", [("Content-Type", "application/json")])
            return [json.dumps(stats()).encode()]
        return inner(environ, start_response)

    return application


bot.server.wsgi_app = wsgi_app  # type: ignore[assignment]

_profiles: list[Any] = []
if os.environ.get("BENCH_PROFILE"):
    # Profile every thread (waitress's workers, Bolt's listener pool); written out when the server stops.
    import atexit
    import cProfile
    import pstats
    import signal
    import threading

    _run = threading.Thread.run

    def _profiled_run(self: threading.Thread) -> None:
        profile = cProfile.Profile(time.thread_time)  # CPU time: a thread waiting on I/O or a lock costs nothing
        _profiles.append(profile)
        profile.enable()
        try:
            _run(self)
        finally:
            profile.disable()

    threading.Thread.run = _profiled_run  # type: ignore[method-assign]

    def _dump() -> None:
        for profile in _profiles:
            profile.disable()
        stats = pstats.Stats(*_profiles) if _profiles else None
        if stats is not None:
            stats.dump_stats(os.environ["BENCH_PROFILE"])

    atexit.register(_dump)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))

if __name__ == "__main__":
    what, rest = sys.argv[1], sys.argv[2:]
    if what == "bare":
        sys.argv = [str(TREE / "benchmarks" / "bare_bolt.py"), *rest]
        runpy.run_path(sys.argv[0], run_name="__main__")
    else:
        sys.argv = ["bot", *rest]
        runpy.run_module("bot", run_name="__main__", alter_sys=True)
