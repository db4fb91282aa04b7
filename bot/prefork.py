"""Several processes over HTTP: gunicorn forks N workers, each building its own runtime after the fork.

Each worker has its own engine (a connection pool must not cross a fork), its own Bolt app and, unless
told not to, its own scheduler; only the process holding the PostgreSQL advisory lock runs the ticks
(bot/leader.py), so the deployment has one scheduler whichever worker holds the lock.
"""

import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from gunicorn.app.base import BaseApplication
from gunicorn.glogging import Logger as GunicornLogger
from gunicorn.workers.gthread import ThreadWorker

from bot.runtime import Runtime, StartupError, build_runtime
from bot.server import ARRIVED_AT, EVENTS_PATH, wsgi_app
from bot.settings import Settings
from bot.startup import DatabaseUnreachable, SlackUnreachable

log = logging.getLogger("latitude")
ONE_PROCESS_ONLY = (
    "--workers above 1 needs PostgreSQL (DATABASE_URL=postgresql+psycopg://...): "
    "SQLite allows one writing process, so run one worker"
)
BOOT_PATIENCE = 300
"""Seconds a worker starting while the database is out of reach waits for it, trying again, before it gives up."""
LONGEST_BOOT_WAIT = 10
"""Seconds between two tries at most: gunicorn stops a worker silent for its timeout (30 s), so it is told the worker
lives between tries."""


def boot_waits(patience: float = BOOT_PATIENCE) -> Iterator[float]:
    """1, 2, 4, 8, then 10 s between tries, until `patience` seconds in all."""
    wait, waited = 1.0, 0.0
    while waited + wait <= patience:
        yield wait
        waited += wait
        wait = min(wait * 2, LONGEST_BOOT_WAIT)


def check_workers(settings: Settings, workers: int) -> None:
    """Several processes share one database only on PostgreSQL; say so in one line before anything starts."""
    if workers < 1:
        raise StartupError("--workers must be at least 1")
    if workers > 1 and not settings.database_url.startswith("postgresql"):
        raise StartupError(ONE_PROCESS_ONLY)


_in_this_thread = threading.local()


class ArrivalStampingWorker(ThreadWorker):  # type: ignore[misc]
    """gunicorn's threaded worker, with each request stamped when the worker's loop hands it to the thread pool
    (once its bytes are there to read), not when a thread takes it. A burst larger than the worker's threads
    waits in the pool's queue: its ack deadline (handlers/timely.py) counts that wait too, as under waitress
    (bot/server.py), so the holding answer still reaches Slack within its 3 seconds."""

    def enqueue_req(self, conn: Any) -> None:
        conn.latitude_arrived = time.monotonic()
        super().enqueue_req(conn)

    def handle(self, conn: Any) -> Any:
        _in_this_thread.arrived = getattr(conn, "latitude_arrived", None)
        try:
            return super().handle(conn)
        finally:
            _in_this_thread.arrived = None


def with_arrival(application: Callable[..., Iterable[bytes]]) -> Callable[..., Iterable[bytes]]:
    """The WSGI app, told when the request the worker thread is handling arrived."""

    def stamped(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        environ[ARRIVED_AT] = getattr(_in_this_thread, "arrived", None)
        return application(environ, start_response)

    return stamped


class ThroughOurHandler(GunicornLogger):  # type: ignore[misc]
    """gunicorn's own lines (a malformed request from anyone who reaches the port, a worker that died) through the
    process's one handler (bot/logs.py), like every other record: with a handler of its own, gunicorn wrote them as
    `[date] [pid] [LEVEL] ...` even with LOG_FORMAT=json, and its tracebacks unindented."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for logger in (self.error_log, self.access_log):
            for handler in list(logger.handlers):
                logger.removeHandler(handler)
            logger.propagate = True


def gunicorn_level(log_level: str) -> str:
    """gunicorn's level: the app's LOG_LEVEL (ERROR leaves out its "Invalid request" warnings too), never below
    WARNING: its info and debug lines repeat ours (where it listens, that it stops) or tell of each connection."""
    level = max(logging.getLevelNamesMapping()[log_level.upper()], logging.WARNING)
    return logging.getLevelName(level).lower()


class PreforkServer(BaseApplication):  # type: ignore[misc]
    """gunicorn's master process and its workers, configured from here rather than a config file."""

    def __init__(
        self,
        settings: Settings,
        *,
        host: str,
        port: int,
        workers: int,
        scheduler: bool,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings
        self._sleep = sleep
        self._worker: Any = None
        self.options: dict[str, Any] = {
            "bind": f"{host}:{port}",
            "workers": workers,
            "worker_class": ArrivalStampingWorker,
            "threads": settings.http_threads,
            "keepalive": 75,
            "proc_name": "latitude",
            "accesslog": None,
            "loglevel": gunicorn_level(settings.log_level),
            "logger_class": ThroughOurHandler,
            "when_ready": self._say_where,
            "post_fork": self._note_worker,
            "post_worker_init": self._start_worker,
            "worker_exit": self._stop_worker,
        }
        self.scheduler_wanted = scheduler
        self.runtime: Runtime | None = None
        self.scheduler: Any = None
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Callable[..., Any]:
        """Called in each worker after the fork: everything with a connection or a thread is made here."""
        self.runtime = self._runtime_once_the_database_answers()
        return with_arrival(wsgi_app(self.runtime.app, self.runtime.healthy, self.runtime.gate))

    def _runtime_once_the_database_answers(self) -> Runtime:
        """A worker that gunicorn starts again (it died, or reached its request limit) while the database restarts or
        fails over, or while Slack cannot check SLACK_BOT_TOKEN (down, busy, out of reach), waits for it: a worker
        failing to boot makes gunicorn stop the whole server, healthy workers too."""
        for wait in boot_waits():
            try:
                return build_runtime(self.settings)
            except (DatabaseUnreachable, SlackUnreachable) as error:
                log.warning("worker %d: %s; trying again in %.0f s", os.getpid(), error, wait)
            if self._worker is not None:
                self._worker.notify()
            self._sleep(wait)
        return build_runtime(self.settings)

    def _note_worker(self, _arbiter: Any, worker: Any) -> None:
        self._worker = worker

    def _say_where(self, arbiter: Any) -> None:
        """Log the address actually bound (port 0 picks a free one), once the master listens."""
        for listener in arbiter.LISTENERS:
            host, port = listener.sock.getsockname()[:2]
            where = f"http://{host}:{port}{EVENTS_PATH}"
            log.info("Latitude listening on %s with %d worker processes", where, arbiter.num_workers)

    def _start_worker(self, _worker: Any) -> None:
        if self.scheduler_wanted and self.runtime is not None:
            self.scheduler = self.runtime.start_scheduler()

    def _stop_worker(self, _server: Any, _worker: Any) -> None:
        """After gunicorn answered the requests in hand: what the listeners and the scheduler started ends too."""
        if self.runtime is not None:
            self.runtime.finish(self.scheduler)


def serve_prefork(settings: Settings, *, host: str, port: int, workers: int, scheduler: bool) -> None:
    PreforkServer(settings, host=host, port=port, workers=workers, scheduler=scheduler).run()
