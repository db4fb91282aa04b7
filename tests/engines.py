"""The engines the tests' bots share (tests/conftest.py: `bot_engines`), and what checks that no test leaves the
SQLite writer lock of an engine every test uses held (`no_writer_lock_left_held`)."""

from sqlalchemy import Engine, make_url

from bot.runtime import database_options
from bot.settings import Settings
from bot.startup import open_database
from models.engine import writer_lock


class SharedEngines:
    """Engines the bots of every test share, one for each database and `database_options`: each bot's runtime
    would otherwise open an engine of its own, whose empty cache of compiled statements makes a test's first
    requests compile every statement they send, slow enough on a busy machine to miss Slack's 3 s.

    A runtime gets a copy (`execution_options()`): the pool, the dialect and the compiled statements are shared,
    while the listeners a test adds to `bot.runtime.engine` are that copy's alone. SQLite's engine takes none of the
    options (its pool and timeouts are its own), so every bot on a SQLite URL shares one."""

    def __init__(self) -> None:
        self._engines: dict[tuple[str, frozenset[tuple[str, object]]], Engine] = {}

    def lend(self, settings: Settings) -> Engine:
        options = database_options(settings)
        shaping = {} if make_url(settings.database_url).get_backend_name() == "sqlite" else options
        key = (settings.database_url, frozenset(shaping.items()))
        if key not in self._engines:
            self._engines[key] = open_database(settings.database_url, **options)
        return self._engines[key].execution_options()

    def opened(self) -> list[Engine]:
        return list(self._engines.values())

    def retire(self, engine: Engine) -> None:
        """Lend `engine` no more (its writer lock left held): later bots get a new one."""
        self._engines = {key: kept for key, kept in self._engines.items() if kept is not engine}

    def dispose(self) -> None:
        """Close every pooled connection; an engine goes on with a fresh pool, its compiled statements kept."""
        for engine in self._engines.values():
            engine.dispose()


def engines_of(fixtures: list[Engine | SharedEngines]) -> list[Engine]:
    return [engine for each in fixtures for engine in (each.opened() if isinstance(each, SharedEngines) else [each])]


def still_held(engine: Engine, *, waiting: float = 5.0) -> bool:
    """Whether `engine`'s SQLite writer lock was still held after `waiting` seconds. It is never let go here: its
    holder is a connection still checked out (the pool's checkin lets it go), which lets it go itself when it ends,
    and a lock let go under it would then be let go twice."""
    lock = writer_lock(engine)
    if lock is None or lock.acquire(timeout=waiting):
        if lock is not None:
            lock.release()
        return False
    return True


def writer_lock_held_message(held: list[Engine]) -> str:
    return (
        f"the SQLite writer lock of {', '.join(str(engine.url) for engine in held)} was still held after the test: "
        "a connection the test (or a thread its bot left running) kept checked out mid-transaction. A shared engine "
        "is retired, so that later tests do not wait 30 s for it: end the transaction, or mark the test `own_engine`."
    )


def lent_engine(engines: SharedEngines | None, settings: Settings) -> Engine | None:
    """The engine a runtime built on `settings` takes from `engines` (`bot_engines`); None: it opens its own, as `run`
    does (a test marked `own_engine`)."""
    return engines.lend(settings) if engines is not None else None
