"""The database failing under the running bot, as an operator meets it: a restart or failover that cuts every pooled
connection, a database host that does not answer, a listener's transaction refused."""

import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from sqlalchemy import Connection, Engine, event, select, text
from sqlalchemy.orm import Session, sessionmaker

from bot import gate
from bot.clock import MovableClock
from bot.fakeslack import FakeSlack
from bot.startup import StartupError, open_database
from handlers.jobs.drain_outbox import drain_outbox
from handlers.timely import HOLDING_NOTE
from models import Delivery, Resolution, Workspace
from models.engine import make_engine
from services import outbox, replays
from tests.conftest import RunningBot, bot_settings, in_socket_mode, running_bot
from tests.e2e.test_requests import FORM
from tests.helpers import count, holding_the_workspaces, load_org_and_policy

pytestmark = pytest.mark.own_engine  # its tests cut, redirect and stop the bot's connections


def _cut_every_connection_but_this_one(engine: Engine) -> int:
    """What a database restart or failover does to a running process's pool; how many connections were cut. The
    test's own engine forgets those of its connections that were cut too (tests before may have left several in its
    pool), so the next test's wipe does not meet one."""
    with engine.connect() as connection:
        cut = connection.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        ).all()
    engine.dispose()
    return len(cut)


def test_a_command_sent_just_after_a_database_restart_goes_through(bot: RunningBot, engine: Engine) -> None:
    """The pool tests only a connection idle for 5 s; one cut in steady use fails its first statement, which the
    check in front of Bolt tries once more on a fresh connection rather than tell the person to try again."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no server to restart")
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT1", "/resolve", "refund 20 order 7 arrived late")
    assert _cut_every_connection_but_this_one(engine) >= 1

    reply = bot.driver.command("U0AGENT1", "/resolve", "refund 21 order 8 arrived late")

    assert "Logged your refund of $21" in reply.text, reply.text
    with bot.sessions() as session:
        assert count(session, Resolution) == 2


def test_a_command_replayed_just_after_a_database_restart_is_still_refused(bot: RunningBot, engine: Engine) -> None:
    """The replay check tried once more on a fresh connection trusts that second answer: a copy of a signed command
    meeting a connection the restart cut is refused as a replay, not let through to log the refund twice."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no server to restart")
    load_org_and_policy(bot.sessions, bot.clock.now())
    body = urlencode(bot.driver.command_fields("U0AGENT1", "/resolve", "refund 20 order 7 arrived late"))
    stamp = int(time.time())
    assert "Logged your" in bot.driver.post(body, FORM, timestamp=stamp).text
    assert _cut_every_connection_but_this_one(engine) >= 1

    replay = bot.driver.post(body, FORM, timestamp=stamp)

    assert (replay.status, replay.body) == (200, "")
    with bot.sessions() as session:
        assert count(session, Resolution) == 1


def test_a_command_whose_replay_check_a_restart_cut_at_its_commit_as_a_copy_came_is_run_by_neither(
    bot: RunningBot,
) -> None:
    """The restart cuts the check's commit after it let the command through, and a copy of the command reaches the
    restarted database first: its row is the one seen on checking again. Neither can tell whose it is, so the
    command is told nothing was done, and its replay row lets one try more through."""
    engine = bot.runtime.engine
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no server to restart")
    load_org_and_policy(bot.sessions, bot.clock.now())
    body = urlencode(bot.driver.command_fields("U0AGENT1", "/resolve", "refund 20 order 7 arrived late"))
    stamp = int(time.time())
    signature = bot.driver.signature(body, stamp)
    other = make_engine(str(engine.url.render_as_string(hide_password=False)))
    checks: list[str] = []

    def note_the_check(connection: object, _cursor: object, statement: str, *_: object) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO SEEN_REQUESTS"):
            checks.append(statement)

    def cut_as_a_copy_comes(connection: Connection) -> None:
        if len(checks) != 1:  # the first check only: the one made again after the cut commits
            return
        pid = connection.exec_driver_sql("SELECT pg_backend_pid()").scalar()
        with other.begin() as elsewhere:
            elsewhere.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        with other.begin() as elsewhere:
            assert replays.let_through(elsewhere, timestamp=stamp, signature=signature)

    event.listen(engine, "before_cursor_execute", note_the_check)
    event.listen(engine, "commit", cut_as_a_copy_comes)
    try:
        reply = bot.driver.post(body, FORM, timestamp=stamp)
    finally:
        event.remove(engine, "commit", cut_as_a_copy_comes)
        event.remove(engine, "before_cursor_execute", note_the_check)
        other.dispose()

    assert "so nothing was done" in reply.text, reply.text
    with bot.sessions() as session:
        assert count(session, Resolution) == 0
    assert "Logged your refund of $20" in bot.driver.post(body, FORM, timestamp=stamp).text
    assert bot.driver.post(body, FORM, timestamp=stamp).body == ""
    with bot.sessions() as session:
        assert count(session, Resolution) == 1


@contextmanager
def refusing_new_rows_in(engine: Engine, table: str) -> Iterator[None]:
    """The database refuses every insert into `table` (a trigger raising), while the other tables, the replay check's
    included, take theirs."""
    if engine.dialect.name == "postgresql":
        refuse = [
            "CREATE FUNCTION refuse_row() RETURNS trigger LANGUAGE plpgsql "
            "AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$",
            f"CREATE TRIGGER refuse_row BEFORE INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION refuse_row()",
        ]
        allow = [f"DROP TRIGGER refuse_row ON {table}", "DROP FUNCTION refuse_row()"]
    else:
        refuse = [f"CREATE TRIGGER refuse_row BEFORE INSERT ON {table} BEGIN SELECT RAISE(ABORT, 'refused'); END"]
        allow = ["DROP TRIGGER refuse_row"]
    with engine.begin() as connection:
        for statement in refuse:
            connection.exec_driver_sql(statement)
    try:
        yield
    finally:
        with engine.begin() as connection:
            for statement in allow:
                connection.exec_driver_sql(statement)


def test_a_command_whose_work_the_database_refuses_is_answered_with_the_apology(any_mode_bot: RunningBot) -> None:
    """Its listener fails before its ack: Bolt answers such a request 500, on which Slack shows the person
    `/resolve failed with the error "http_service_error"` beside the apology. The apology is the answer instead."""
    bot = any_mode_bot
    load_org_and_policy(bot.sessions, bot.clock.now())
    with refusing_new_rows_in(bot.runtime.engine, "resolutions"):
        reply = bot.driver.command("U0AGENT1", "/resolve", "refund 20 order 7 arrived late")

    assert reply.status == 200
    assert reply.json["response_type"] == "ephemeral"
    assert "Sorry, something went wrong on our side (reference `" in reply.json["text"]
    assert bot.slack.calls("response_url") == [], "told once, in the answer"
    with bot.sessions() as session:
        assert count(session, Resolution) == 0


@pytest.fixture
def silent_database() -> Iterator[int]:
    """A port where the connection is taken but nothing ever answers: a database host in the middle of a failover,
    or behind a firewall that drops the replies."""
    with socket.socket() as listening:
        listening.bind(("127.0.0.1", 0))
        listening.listen(8)
        yield int(listening.getsockname()[1])


def test_a_database_host_that_never_answers_stops_start_up_in_one_line_within_the_connect_timeout(
    silent_database: int,
) -> None:
    url = f"postgresql+psycopg://latitude:s3cret@127.0.0.1:{silent_database}/latitude"
    outcome: list[BaseException] = []
    trying = threading.Thread(target=lambda: _opened(url, outcome), daemon=True)

    trying.start()
    trying.join(timeout=30)

    assert not trying.is_alive(), "psycopg's own default waits 130 s, with nothing said meanwhile"
    [error] = outcome
    assert str(error) == (
        f"cannot reach the database at postgresql+psycopg://127.0.0.1:{silent_database}/latitude: "
        "connection timeout expired"
    )


def _opened(url: str, outcome: list[BaseException]) -> None:
    try:
        open_database(url, connect_timeout=2).dispose()
    except StartupError as error:
        outcome.append(error)


def test_messages_slack_took_while_the_database_restarted_are_recorded_sent_and_never_sent_again(
    bot: RunningBot, engine: Engine
) -> None:
    """The sender records a batch's outcomes once Slack answered; a restart meanwhile cut the connection that
    recording would use. Left leased, the batch would go out again when its lease ends, each message twice."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no server to restart")
    load_org_and_policy(bot.sessions, bot.clock.now())
    with bot.sessions.begin() as session:
        workspace = session.execute(select(Workspace)).scalar_one()
        payload = {"channel": "U0AGENT1", "text": "Your pulse round is open"}
        outbox.enqueue(
            session, workspace=workspace, key="k1", method="chat.postMessage", payload=payload, now=bot.clock.now()
        )
    at_the_door = bot.slack.pause("chat.postMessage", channel="U0AGENT1")

    with ThreadPoolExecutor(1) as scheduler:
        drain = scheduler.submit(drain_outbox, bot.runtime.deps, bot.runtime.sender_client)
        at_the_door.wait_until_arrived()
        _cut_every_connection_but_this_one(engine)
        at_the_door.release()
        assert drain.result(timeout=10) == 1
    bot.clock.advance(timedelta(minutes=10))
    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)

    assert len(bot.slack.calls("chat.postMessage", channel="U0AGENT1")) == 1
    with bot.sessions() as session:
        assert session.execute(select(Delivery.status)).scalar_one() == "sent"


def test_an_approval_request_slack_took_while_the_database_restarted_is_sent_once(
    bot: RunningBot, engine: Engine
) -> None:
    """A listener sends what its request caused right after its commit, and records it the same way the sender does."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no server to restart")
    load_org_and_policy(bot.sessions, bot.clock.now())
    at_the_door = bot.slack.pause("chat.postMessage", channel="U0MGR1")

    bot.driver.command("U0AGENT1", "/resolve", "refund 500 order 7 parcel lost", settle=False)
    at_the_door.wait_until_arrived()
    _cut_every_connection_but_this_one(engine)
    at_the_door.release()
    bot.driver.settle()
    bot.clock.advance(timedelta(minutes=10))
    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)

    assert len(bot.slack.calls("chat.postMessage", channel="U0MGR1")) == 1


@contextmanager
def replay_check_out_of_reach(engine: Engine) -> Iterator[None]:
    """The database stops answering the check made in front of Bolt for every request (a database down)."""
    dbapi_error = engine.dialect.dbapi.OperationalError  # type: ignore[union-attr]

    def unreachable(_connection: object, _cursor: object, statement: str, *_: object) -> None:
        if "seen_requests" in statement:
            raise dbapi_error("server closed the connection unexpectedly")

    event.listen(engine, "before_cursor_execute", unreachable)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", unreachable)


def test_slacks_check_of_the_request_url_is_answered_while_the_database_is_down(bot: RunningBot) -> None:
    """An admin saving the Request URL in the app's settings during an outage: the check carries nothing."""
    with replay_check_out_of_reach(bot.runtime.engine):
        reply = bot.driver.verify_url("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P")

    assert reply.status == 200 and reply.json == {"challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}


def test_a_form_sent_while_the_database_is_down_says_under_its_first_field_that_nothing_was_done(
    bot: RunningBot,
) -> None:
    """A 503 would show only Slack's own "We had some trouble connecting" in the form."""
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT1", "/resolve")
    [opened] = bot.slack.calls("views.open")
    form = opened.args["view"]
    values = {"category": "credit", "amount": "20", "summary": "Sorry for the wait", "outcome": "happy"}

    with replay_check_out_of_reach(bot.runtime.engine):
        reply = bot.driver.submit("U0AGENT1", form, values)

    assert reply.status == 200
    assert reply.json["response_action"] == "errors"
    first_input = next(block["block_id"] for block in form["blocks"] if block["type"] == "input")
    [(where, shown)] = reply.json["errors"].items()
    assert where == first_input
    assert "can't use its database right now" in shown and "nothing was done" in shown
    with bot.sessions() as session:
        assert count(session, Resolution) == 0


def test_a_click_while_the_database_is_down_is_answered_with_an_ephemeral_apology(bot: RunningBot) -> None:
    """A 503 would show only a warning sign beside the button, with nothing said of the approval."""
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT1", "/resolve", "refund 80 order 42 parcel lost in transit")
    request = bot.slack.calls("chat.postMessage", channel="U0MGR1")[-1]

    with replay_check_out_of_reach(bot.runtime.engine):
        reply = bot.driver.click("U0MGR1", request, "resolution_approve")

    assert reply.status == 200
    [told] = bot.slack.wait_for("response_url")
    assert told.args["response_type"] == "ephemeral" and not told.args.get("replace_original")
    assert "can't use its database right now" in told.args["text"]
    assert bot.slack.calls("chat.update") == []
    with bot.sessions() as session:
        assert session.execute(select(Resolution.status)).scalar_one() == "pending"


def test_each_postgresql_connection_notices_a_vanished_host_within_a_minute_unless_the_url_says_otherwise(
    database_url: str,
) -> None:
    """Without keepalives, a statement waiting on a host that vanished (a failover without a goodbye) waits some
    15 minutes for the kernel to give up on the connection."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite has no network connection")
    separator = "&" if "?" in database_url else "?"
    for url, idle in ((database_url, "30"), (f"{database_url}{separator}keepalives_idle=7", "7")):
        engine = make_engine(url)
        try:
            with engine.connect() as connection:
                parameters = connection.connection.driver_connection.info.get_parameters()  # type: ignore[union-attr]
        finally:
            engine.dispose()
        assert parameters["keepalives_idle"] == idle
        assert (parameters["keepalives_interval"], parameters["keepalives_count"]) == ("10", "3")
        assert parameters["tcp_user_timeout"] == "60000"


@pytest.fixture
def impatient_bot(
    slack: FakeSlack, sessions: sessionmaker[Session], database_url: str, clock: MovableClock
) -> Iterator[RunningBot]:
    """The bot with DATABASE_LOCK_TIMEOUT=1."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite's writers wait for each other in the process (models/engine.py)")
    yield from running_bot(bot_settings(slack, database_url, database_lock_timeout=1), slack, clock, None)


def test_a_command_held_up_behind_a_long_lock_is_told_to_try_again_once_the_lock_timeout_passes(
    impatient_bot: RunningBot,
) -> None:
    """Behind a `VACUUM FULL` or a hand-run `ALTER TABLE`, each request would otherwise keep its thread and its
    connection as long as the lock lasts, the next ones piling up behind it."""
    bot = impatient_bot
    load_org_and_policy(bot.sessions, bot.clock.now())
    with holding_the_workspaces(bot.runtime.engine):
        reply = bot.driver.command("U0AGENT1", "/resolve", "refund 20 order 7 arrived late")

    assert reply.status == 200
    assert "Sorry, something went wrong on our side (reference `" in reply.json["text"], reply.text
    assert "Please try again in a minute" in reply.json["text"]
    with bot.sessions() as session:
        assert count(session, Resolution) == 0


@pytest.mark.parametrize("connect_timeout", [None, "2.5", "0"])
def test_a_command_while_the_database_host_never_answers_is_told_within_slacks_3_seconds(
    bot: RunningBot, silent_database: int, connect_timeout: str | None
) -> None:
    """The replay check, made before any holding answer can be given, opens a connection (the pool's were cut by the
    failover): it gives up soon enough to tell the person within Slack's 3 s, not after the 10 s connect timeout, nor
    after another the URL gives (`?connect_timeout=2.5`; `0`, none at all)."""
    engine = bot.runtime.engine
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no host to wait for")
    load_org_and_policy(bot.sessions, bot.clock.now())

    with connections_to(engine, silent_database, connect_timeout=connect_timeout):
        reply = bot.driver.command("U0AGENT1", "/resolve", "refund 20 order 7 arrived late")

    assert bot.slack.violations == [], "the ack came late"
    assert "can't use its database right now" in reply.text and "nothing was done" in reply.text


@contextmanager
def connections_to(engine: Engine, port: int, *, connect_timeout: str | None = None) -> Iterator[None]:
    """Every new connection goes to the host at `port`, the pooled ones cut (as a failover cuts them); with the
    `connect_timeout` a URL could give, seen first, as the URL's is."""

    def to_the_host(_dialect: object, _record: object, _args: object, params: dict[str, object]) -> None:
        params.update(host="127.0.0.1", port=port)
        if connect_timeout is not None:
            params["connect_timeout"] = connect_timeout

    event.remove(engine, "do_connect", gate._connect_quickly_when_asked)  # after, as it comes after the URL
    event.listen(engine, "do_connect", to_the_host)
    event.listen(engine, "do_connect", gate._connect_quickly_when_asked)
    engine.pool.dispose()
    try:
        yield
    finally:
        event.remove(engine, "do_connect", to_the_host)


@pytest.fixture
def quick_to_hold_bot(
    slack: FakeSlack, sessions: sessionmaker[Session], database_url: str, clock: MovableClock
) -> Iterator[RunningBot]:
    """The bot giving its holding answer after 1 s."""
    yield from running_bot(bot_settings(slack, database_url, answer_within=1.0), slack, clock, None)


def test_in_socket_mode_a_command_while_the_database_host_never_answers_is_acked_within_slacks_3_seconds(
    quick_to_hold_bot: RunningBot, silent_database: int
) -> None:
    """No replay check stands in front of Bolt there, but the schema check (every 10 s) and, with OAuth installs, the
    token look-up open a connection before the holding answer can be given: they give up as soon, and the command
    gets its holding answer in time, instead of waiting out the 10 s connect timeout."""
    bot = quick_to_hold_bot
    engine = bot.runtime.engine
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no host to wait for")
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.clock.advance(timedelta(seconds=11))  # the schema is asked again with the next request

    with in_socket_mode(bot), connections_to(engine, silent_database):
        reply = bot.driver.command("U0AGENT1", "/resolve", "refund 20 order 7 arrived late", settle=False)
        [told] = bot.slack.wait_for("response_url", timeout=30)  # the listener's own connection waits 10 s

    assert bot.slack.violations == [], "the ack came late"
    assert reply.text == HOLDING_NOTE
    assert "Please try again in a minute" in told.args["text"]
