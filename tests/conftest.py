"""Fixtures: a real database (SQLite, or PostgreSQL via LATITUDE_TEST_DATABASE_URL), the fake Slack, the bot."""

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import MovableClock
from bot.fakeslack import FakeSlack, SlackDriver, TrackedExecutor
from bot.fakeslack.server import APP_TOKEN, BOT_TOKEN
from bot.runtime import Runtime, build_runtime
from bot.server import EVENTS_PATH, bound_port, make_server, stop_server
from bot.settings import Settings
from bot.socket_mode import socket_mode_handler
from handlers.jobs.drain_outbox import drain_outbox
from models import Base, Workspace
from models.engine import make_engine, make_session_factory
from models.schema import upgrade
from services import directory
from tests.engines import SharedEngines, engines_of, lent_engine, still_held, writer_lock_held_message

TEST_DATABASE_ENV = "LATITUDE_TEST_DATABASE_URL"
SIGNING_SECRET = "test-signing-secret"
MONDAY_MORNING = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "own_engine: the test's bots open their own engines (a test cutting or redirecting connections)"
    )


@pytest.fixture(autouse=True)
def environment_as_it_was() -> Iterator[None]:
    """A command run in-process loads `.env` (a developer's own, in the folder the tests run from) into the process
    environment; the next test must not inherit it, since Bolt reads some of it itself."""
    before = dict(os.environ)
    yield
    if os.environ != before:
        os.environ.clear()
        os.environ.update(before)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return os.environ.get(TEST_DATABASE_ENV) or f"sqlite:///{tmp_path_factory.mktemp('db') / 'latitude.db'}"


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    upgrade(engine)
    yield engine
    engine.dispose()


def wipe(engine: Engine) -> None:
    tables = [table.name for table in reversed(Base.metadata.sorted_tables)]
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(text(f"DELETE FROM {table}"))
            connection.execute(text("DELETE FROM sqlite_sequence"))  # ids start again, as RESTART IDENTITY does


@pytest.fixture
def sessions(engine: Engine) -> Iterator[sessionmaker[Session]]:
    yield make_session_factory(engine)
    wipe(engine)


@pytest.fixture
def session(sessions: sessionmaker[Session]) -> Iterator[Session]:
    with sessions() as session:
        yield session


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock(MONDAY_MORNING)


@pytest.fixture
def workspace(session: Session, clock: MovableClock) -> Workspace:
    found = directory.ensure_workspace(session, slack_team_id="T0LATITUDE", now=clock.now())
    session.commit()
    return found


RECOGNITION_CHANNEL = "C0KUDOS"
CHANNELS = {RECOGNITION_CHANNEL: "kudos", "C0NORTH": "support-north", "C0EAST": "support-east"}
"""The workspace's public channels: the shout-out channel, and the team channels the policies name."""


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        for channel_id, name in CHANNELS.items():
            fake.add_channel(channel_id, name)
        yield fake
        assert fake.violations == [], "the bot did something real Slack refuses (a Block Kit error, a late ack...)"


@dataclass
class RunningBot:
    runtime: Runtime
    driver: SlackDriver
    slack: FakeSlack
    clock: MovableClock
    events_url: str
    engines: SharedEngines | None

    @property
    def sessions(self) -> sessionmaker[Session]:
        return self.runtime.deps.sessions

    def another_runtime(self, settings: Settings) -> Runtime:
        """A runtime on the same database besides this bot's (another worker, or the bot restarted), on an engine
        from the same `bot_engines`: the caller closes it."""
        return build_runtime(settings, clock=self.clock, engine=lent_engine(self.engines, settings))


def bot_settings(slack: FakeSlack, database_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "slack_bot_token": BOT_TOKEN,
        "slack_signing_secret": SIGNING_SECRET,
        "slack_api_url": slack.api_url,
        "database_url": database_url,
        "recognition_channel": RECOGNITION_CHANNEL,
        "listener_threads": 16,
        "http_threads": 8,
        # tests/e2e/test_answers_in_time.py gives the holding answer its own short deadline; elsewhere a busy
        # test machine must not turn a command's answer into "this is taking longer than usual".
        "answer_within": 10.0,
    }
    return Settings(**{**values, **overrides})  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def shared_engines(engine: Engine) -> Iterator[SharedEngines]:
    """After `engine`, which creates the test database and its schema."""
    shared = SharedEngines()
    yield shared
    shared.dispose()


@pytest.fixture
def bot_engines(request: pytest.FixtureRequest, shared_engines: SharedEngines) -> Iterator[SharedEngines | None]:
    """The shared engines, unless the test is marked `own_engine`: then its bots open their own, and what it cut
    (every connection to the database, as a restart) leaves the shared engines with fresh connections."""
    if request.node.get_closest_marker("own_engine") is None:
        yield shared_engines
        return
    yield None
    shared_engines.dispose()


@pytest.fixture(autouse=True)
def no_writer_lock_left_held(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every test leaves the SQLite writer lock of the engines all tests share free (models/engine.py): one left held
    (a transaction whose end never ran) would hold every later test's first write up for 30 s. Checked once the
    test's bots have stopped; a shared engine whose lock is held is retired, and the test fails."""
    shared = [name for name in ("engine", "shared_engines") if name in request.fixturenames]
    fixtures = [request.getfixturevalue(name) for name in shared]
    yield
    held = [engine for engine in engines_of(fixtures) if still_held(engine)]
    for engines in (each for each in fixtures if isinstance(each, SharedEngines)):
        for engine in held:
            engines.retire(engine)
    if held:
        pytest.fail(writer_lock_held_message(held), pytrace=False)


StartBot = Callable[..., Iterator[RunningBot]]
"""Starts a bot with `bot_settings`' overrides given as keywords; iterating it yields the running bot, then stops it."""


@pytest.fixture
def start_bot(
    slack: FakeSlack,
    sessions: sessionmaker[Session],
    database_url: str,
    clock: MovableClock,
    bot_engines: SharedEngines | None,
) -> StartBot:
    """A bot of the test's own settings, for a fixture to `yield from` or a test to loop over, on an engine of
    `bot_engines` as `bot`'s: built by hand, it would open one of its own."""

    def start(**overrides: object) -> Iterator[RunningBot]:
        return running_bot(bot_settings(slack, database_url, **overrides), slack, clock, bot_engines)

    return start


@pytest.fixture
def bot(start_bot: StartBot) -> Iterator[RunningBot]:
    """The real bot over HTTP (production factory and WSGI server) against the fake Slack."""
    yield from start_bot()


def running_bot(
    settings: Settings, slack: FakeSlack, clock: MovableClock, engines: SharedEngines | None
) -> Iterator[RunningBot]:
    """`engines`: `bot_engines`, whose engine the runtime takes (`lent_engine`)."""
    executor = TrackedExecutor(max_workers=settings.listener_threads)
    runtime = build_runtime(settings, clock=clock, executor=executor, engine=lent_engine(engines, settings))
    # The background sender, woken by a listener's fan-out, drains on a thread the driver waits for.
    runtime.deps.sender_bell.connect(lambda: executor.submit(drain_outbox, runtime.deps, runtime.app.client))
    server = make_server(
        runtime.app, runtime.healthy, gate=runtime.gate, host="127.0.0.1", port=0, threads=settings.http_threads
    )
    thread = threading.Thread(target=server.run, name="bot-http", daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{bound_port(server)}"
    driver = SlackDriver(url + EVENTS_PATH, SIGNING_SECRET, slack, settle=executor.wait_idle)
    yield RunningBot(runtime, driver, slack, clock, url, engines)
    stop_server(server)
    thread.join(timeout=5)
    executor.shutdown(wait=True)
    runtime.close()


@pytest.fixture(params=["http", "socket_mode"])
def any_mode_bot(request: pytest.FixtureRequest, bot: RunningBot) -> Iterator[RunningBot]:
    """The bot over HTTP, then the same bot in Socket Mode (Bolt's handler on the fake Slack's WebSocket)."""
    if request.param == "http":
        yield bot
        return
    with in_socket_mode(bot):
        yield bot


@contextmanager
def in_socket_mode(bot: RunningBot) -> Iterator[None]:
    """The driver sends to the bot over the fake Slack's WebSocket, to Bolt's Socket Mode handler."""
    socket = bot.slack.socket_mode()
    handler = socket_mode_handler(bot.runtime.app, socket_mode_settings(bot))
    handler.connect()  # type: ignore[no-untyped-call]
    socket.wait_connected()
    bot.driver.socket_mode = True
    yield
    handler.close()  # type: ignore[no-untyped-call]


def socket_mode_settings(bot: RunningBot) -> Settings:
    """The bot's settings with the fake Slack's app-level token, as `run` has them in Socket Mode."""
    return replace(bot.runtime.settings, slack_app_token=APP_TOKEN)


FIXTURES = Path(__file__).parent / "fixtures"
