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

    def dispose(self) -> None:
        """Close every pooled connection; an engine goes on with a fresh pool, its compiled statements kept."""
        for engine in self._engines.values():
            engine.dispose()


def engines_of(fixtures: list[Engine | SharedEngines]) -> list[Engine]:
    return [engine for each in fixtures for engine in (each.opened() if isinstance(each, SharedEngines) else [each])]


def let_go_if_held(engine: Engine, *, waiting: float = 1.0) -> bool:
    """Whether `engine`'s SQLite writer lock was still held after `waiting` seconds; then it is let go."""
    lock = writer_lock(engine)
    if lock is None:
        return False
    if lock.acquire(timeout=waiting):
        lock.release()
        return False
    lock.release()
    return True


def writer_lock_held_message(held: list[Engine]) -> str:
    return (
        f"the SQLite writer lock of {', '.join(str(engine.url) for engine in held)} was still held after the test, "
        "so a transaction never ended: most likely a connection the test kept checked out mid-transaction, or a "
        "listener it added to an engine copy (bot.runtime.engine) that broke the engine's own. Mark the test "
        "`own_engine`. The lock was let go, so that later tests do not wait 30 s for it."
    )


def lent_engine(engines: SharedEngines | None, settings: Settings) -> Engine | None:
    """The engine a runtime built on `settings` takes from `engines` (`bot_engines`); None: it opens its own, as `run`
    does (a test marked `own_engine`)."""
    return engines.lend(settings) if engines is not None else None
