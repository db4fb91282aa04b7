"""An attacker with full read access to the database after close, system columns included, finds no link
between a person and an answer or a comment; the relay ends `relay_days` after close; logs and files hold
nothing either."""

import io
import logging
import os
import sqlite3
import stat
import struct
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing, suppress
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event, make_url, select, text

from bot.cli import main
from bot.logs import configure_logging
from handlers.blocks import pulse_results as result_blocks
from models import Base, Employee, PulseComment, PulseRelay, PulseReply
from models.engine import make_engine, reading
from tests.conftest import RunningBot
from tests.e2e.test_pulse_anonymity import LEE_COMMENT, SUB_A, SUB_B, bo_round, comment, start_bo_round
from tests.e2e.test_pulse_relay import after_the_relay_delay, commented_round, reply_from_results
from tests.e2e.test_pulse_results import answer_all, close
from tests.e2e.test_pulse_rounds import answer, tick
from tests.helpers import shown

WAL_HEADER, FRAME_HEADER = 32, 24  # https://www.sqlite.org/fileformat.html#the_write_ahead_log
PULSE_TABLES = ("pulse_tallies", "pulse_turnouts", "pulse_comments", "pulse_relays")


def every_row(engine: Engine, *, locks: bool = False) -> Iterator[tuple[str, Any, dict[str, object]]]:
    """(table, transaction or position, row) for every row of every table, read as a database administrator; with
    `locks`, (table, {the transactions that wrote and last locked it}, row), on PostgreSQL."""
    system = (
        "xmin::text AS sys_tx, xmax::text AS sys_lock, ctid::text AS sys_pos"
        if engine.dialect.name == "postgresql"
        else "rowid AS sys_pos"
    )
    with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            for row in connection.execute(text(f"SELECT {system}, * FROM {table.name}")).mappings():
                written = str(row.get("sys_tx", ""))
                yield table.name, {written, str(row.get("sys_lock", ""))} if locks else written, dict(row)


def test_after_close_a_database_reader_links_nobody_to_an_answer_or_a_comment(bot: RunningBot, engine: Engine) -> None:
    bo_round(bot)
    close(bot)

    rows = list(every_row(engine))
    with bot.sessions() as session:
        people = {e.id: e for e in session.scalars(select(Employee))}
    leaders = {e.id for e in people.values() if e.slack_id in ("U0ADA", "U0BO", "U0BEN")}
    pulse = [(table, tx, row) for table, tx, row in rows if table in PULSE_TABLES]

    assert not [row for table, _, row in rows if table in ("pulse_responses", "pulse_receipts")]
    cells = {row["group_manager_id"] for table, _, row in pulse if "group_manager_id" in row}
    assert cells <= leaders | {None}, "only groups the rule shows: Ada's, Bo's (less Sub B), Sub B, the org"
    assert all(int(str(row["answers"])) >= 0 for table, _, row in pulse if table == "pulse_tallies")
    per_cell: dict[object, int] = {}
    for table, _, row in pulse:
        if table == "pulse_tallies":
            key = (row["group_manager_id"], row["question_id"])
            per_cell[key] = per_cell.get(key, 0) + int(str(row["answers"]))
    assert per_cell and all(n >= 5 for n in per_cell.values()), per_cell
    for table, _, row in pulse:
        values = {str(v) for k, v in row.items() if k not in ("group_manager_id", "round_id", "id", "workspace_id")}
        for person in people.values():
            assert person.slack_id not in " ".join(values), (table, row)
    lee = next(e for e in people.values() if e.slack_id == "U0LEE")
    [comment] = [row for table, _, row in pulse if table == "pulse_comments"]
    assert comment["text"] == LEE_COMMENT and comment["respondent"] is None
    assert comment["group_manager_id"] != lee.manager_id or _bo_cell_size(pulse, lee.manager_id) >= 5
    if engine.dialect.name == "postgresql":
        round_tx = {tx for table, tx, _ in rows if table == "pulse_rounds"}
        assert {tx for _, tx, _ in pulse} == round_tx, "every sealed row was written by the closing transaction"
        written = {table for table, tx, _ in rows if tx in round_tx}
        assert written <= {"pulse_rounds", "pulse_cell_groups", *PULSE_TABLES}  # and the reporting tree at close
    tallies = sorted((row for table, _, row in pulse if table == "pulse_tallies"), key=_position)
    canonical = sorted(tallies, key=lambda r: (r["question_id"], r["group_manager_id"] or -1, r["value"]))
    assert [r["id"] for r in tallies] == [r["id"] for r in canonical], "rows sit in a canonical order, not by click"


def _position(row: dict[str, object]) -> tuple[int, ...]:
    """Where the row physically sits: SQLite's rowid, or PostgreSQL's ctid `(page,item)`."""
    return tuple(int(part) for part in str(row["sys_pos"]).strip("()").split(","))


def _bo_cell_size(pulse: list[tuple[str, str, dict[str, object]]], manager_id: int | None) -> int:
    return sum(
        int(str(row["answered"]))
        for table, _, row in pulse
        if table == "pulse_turnouts" and row["group_manager_id"] == manager_id
    )


@pytest.mark.parametrize("closing_by", ["bot alone", "bot beside a long read", "command line beside a long read"])
def test_after_close_sqlites_journal_holds_no_page_with_an_answer_or_a_receipt(
    bot: RunningBot,
    engine: Engine,
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    closing_by: str,
) -> None:
    """Beside a long read (an export) the journal cannot be emptied at the close; the next pulse tick does it,
    whichever process closed the round."""
    if engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL's WAL is the operator's to keep (README)")
    monkeypatch.setenv("DATABASE_URL", database_url)
    bo_round(bot)
    with reading(bot.sessions) as reader:
        reader.execute(text("SELECT count(*) FROM employees"))  # a snapshot that uses the journal
        if closing_by == "bot beside a long read":
            close(bot)
        elif closing_by == "command line beside a long read":
            assert main(["pulse", "close"]) == 0
    if closing_by == "bot alone":
        close(bot)
    else:
        tick(bot)

    assert pages_with_answers(database_url, tmp_path) == {"pulse_receipts": 0, "pulse_responses": 0}


def pages_with_answers(database_url: str, folder: Path) -> dict[str, int]:
    """How many answer and receipt rows the commits kept in SQLite's write-ahead log hold."""
    database = Path(make_url(database_url).database or "")
    found = {table: 0 for table in ("pulse_receipts", "pulse_responses")}
    for image in commits_in_journal(database, folder):
        with closing(sqlite3.connect(f"file:{image}?mode=ro&immutable=1", uri=True)) as copy:
            for table in found:
                with suppress(sqlite3.DatabaseError):  # a page image half-way through a change
                    found[table] += copy.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    return found


def commits_in_journal(database: Path, folder: Path) -> Iterator[Path]:
    """The database as it stood after each commit the write-ahead log still holds: its pages over the file's."""
    journal = Path(f"{database}-wal").read_bytes() if Path(f"{database}-wal").exists() else b""
    if len(journal) < WAL_HEADER:
        return
    page_size = struct.unpack(">I", journal[8:12])[0]
    image, position = bytearray(database.read_bytes()), WAL_HEADER
    while position + FRAME_HEADER + page_size <= len(journal):
        page_number, pages_after_commit = struct.unpack(">II", journal[position : position + 8])
        end = page_number * page_size
        image.extend(b"\0" * max(0, end - len(image)))
        image[end - page_size : end] = journal[position + FRAME_HEADER : position + FRAME_HEADER + page_size]
        position += FRAME_HEADER + page_size
        if pages_after_commit:
            snapshot = folder / f"commit-{position}.db"
            snapshot.write_bytes(bytes(image[: pages_after_commit * page_size]))
            yield snapshot


def test_the_relay_works_after_close_then_ends_and_leaves_nothing(bot: RunningBot) -> None:
    bo_round(bot)
    close(bot)
    bot.slack.reset()

    reply_from_results(bot, "U0BO", "Which Saturdays?")
    [to_author] = bot.slack.calls("chat.postMessage")
    assert to_author.channel == "U0LEE"
    results = bot.driver.command("U0BO", "/pulse", "results")
    bot.driver.click("U0BO", shown(results), result_blocks.REPLY_ACTION)
    left_open = bot.slack.calls("views.open")[-1].args["view"]
    bot.clock.advance(timedelta(days=14))
    tick(bot)
    late = bot.driver.submit("U0BO", left_open, {"message": "?"})

    assert "Replies to round 1's comments have ended" in late.json["errors"][result_blocks.MESSAGE_BLOCK]
    with bot.sessions() as session:
        assert session.scalars(select(PulseRelay)).all() == []
        assert session.scalars(select(PulseReply)).all() == []
        assert session.scalars(select(PulseComment.relay_handle)).all() == [None]


def test_at_debug_no_log_line_holds_an_answer_or_a_comments_author(bot: RunningBot) -> None:
    """The worst case: root at DEBUG and Bolt's and slack_sdk's loggers set to DEBUG too."""
    ours, unfiltered = io.StringIO(), io.StringIO()
    configure_logging(logging.DEBUG, stream=ours)
    raw = logging.StreamHandler(unfiltered)
    chatty = [logging.getLogger(name) for name in ("slack_bolt", "slack_bolt.App", "slack_sdk")]
    levels = [logger.level for logger in chatty]
    for logger in chatty:
        logger.setLevel(logging.DEBUG)
        logger.addHandler(raw)
    try:
        bo_round(bot)
        close(bot)
        bot.driver.command("U0BO", "/pulse", "results")
    finally:
        configure_logging(logging.WARNING)
        for logger, level in zip(chatty, levels, strict=True):
            logger.setLevel(level)
            logger.removeHandler(raw)

    log = ours.getvalue()
    assert "answered *4*" in unfiltered.getvalue(), "without the filter the answers would be in the log"
    assert "pulse round 1 closed and sealed" in log, "the log was written at DEBUG"
    for secret in ("answered *", LEE_COMMENT, "U0LEE", *SUB_A, *SUB_B):
        assert secret not in log, secret


def test_a_database_error_while_saving_a_comment_or_an_answer_logs_neither(bot: RunningBot) -> None:
    """The error is logged with a reference the person is asked to pass on: it must not carry what they wrote."""
    start_bo_round(bot)
    stream = io.StringIO()
    configure_logging(logging.WARNING, stream=stream)
    engine = bot.runtime.engine
    dbapi_error = engine.dialect.dbapi.OperationalError  # type: ignore[union-attr]

    def fail(_connection: object, _cursor: object, statement: str, *_: object) -> None:
        if statement.startswith(("INSERT INTO pulse_comments", "INSERT INTO pulse_responses")):
            raise dbapi_error("disk I/O error")

    event.listen(engine, "before_cursor_execute", fail)
    try:
        comment(bot, "U0LEE", LEE_COMMENT)
        answer(bot, "U0LEE", 0, 1)
    finally:
        event.remove(engine, "before_cursor_execute", fail)
        configure_logging(logging.WARNING)

    log = stream.getvalue()
    assert "Sorry, something went wrong" in bot.slack.calls("response_url")[-1].text, "the click is answered"
    assert "disk I/O error" in log, "the failures were logged"
    assert LEE_COMMENT not in log
    assert "parameters" not in log.lower() or "hidden" in log.lower()


@pytest.mark.parametrize("existing", [False, True])
@pytest.mark.parametrize("named", ["sqlite:///{}", "sqlite:///file:{}?uri=true"], ids=["path", "uri"])
def test_the_sqlite_file_and_its_journal_are_readable_by_the_owner_only(
    tmp_path: Path, existing: bool, named: str
) -> None:
    path = tmp_path / "latitude.db"
    if existing:
        path.write_bytes(b"")
        path.chmod(0o644)
    previous = os.umask(0o022)
    try:
        engine = make_engine(named.format(path))
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE t (x INTEGER)"))
            connection.execute(text("INSERT INTO t VALUES (1)"))
            files = sorted(tmp_path.iterdir())
            modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in files}
        engine.dispose()
    finally:
        os.umask(previous)

    assert "latitude.db-wal" in modes, "the journal (WAL) exists while writing"
    assert modes == dict.fromkeys(modes, 0o600), modes


def test_a_second_engine_on_the_same_file_leaves_the_first_ones_connections_their_lock(tmp_path: Path) -> None:
    """POSIX drops every lock a process holds on a file when any of its handles on that file closes. Opening the
    database file again to set its permissions would drop the lock an open connection holds on it; the next
    process to close its own connection would then think itself the last, and delete the journal (WAL) from
    under the first process, whose next statement fails with "disk I/O error"."""
    path = tmp_path / "latitude.db"
    first = make_engine(f"sqlite:///{path}")
    with first.connect() as connection:
        connection.execute(text("CREATE TABLE t (x INTEGER)"))
        connection.execute(text("INSERT INTO t VALUES (1)"))
        connection.commit()
        make_engine(f"sqlite:///{path}").dispose()
        subprocess.run([sys.executable, "-c", READ_AND_CLOSE, str(path)], check=True, timeout=30)

        assert (tmp_path / "latitude.db-wal").exists(), "another process deleted the journal of an open database"
        assert connection.execute(text("SELECT count(*) FROM t")).scalar_one() == 1
    first.dispose()


READ_AND_CLOSE = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1])
connection.execute("SELECT count(*) FROM t").fetchone()
connection.close()
"""


@pytest.mark.parametrize("answering", [["U0LEE", *SUB_A[:2]], ["U0LEE", *SUB_A, *SUB_B]])
def test_after_close_no_row_is_stamped_with_a_transaction_that_answered_or_commented(
    bot: RunningBot, engine: Engine, answering: list[str]
) -> None:
    """PostgreSQL stamps a row with the transaction that last locked it (`xmax`), a foreign key's check included: an
    answer locked its question and round, a comment its round and workspace. After the seal no row may keep such a
    stamp, or a reader could date, for each question, the moment its last answer was given, too few answers or not."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite keeps no transaction on a row")
    start_bo_round(bot)
    answer_all(bot, answering, 2)
    comment(bot, "U0LEE", LEE_COMMENT)
    with engine.connect() as connection:
        answered_in = {
            *connection.execute(text("SELECT xmin::text FROM pulse_responses")).scalars(),
            *connection.execute(text("SELECT xmin::text FROM pulse_comments")).scalars(),
        }
    close(bot)

    stamped = [(table, tx) for table, tx, row in every_row(engine, locks=True) if tx & answered_in]
    assert answered_in and not stamped, stamped


def test_once_replies_end_no_row_is_stamped_with_the_transaction_an_author_answered_in(
    bot: RunningBot, engine: Engine
) -> None:
    """An author's answer to a reply waits in the outbox, its key naming the workspace: that locked the workspace row,
    whose stamp would date the answer, which its random wait hides, once the relay's rows are gone."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite keeps no transaction on a row")
    commented_round(bot)
    reply_from_results(bot, "U0MGR1", "Which shifts exactly?")
    [to_author] = bot.slack.calls("chat.postMessage", channel="U0A01")
    waiting = _delivery_stamps(engine)
    bot.driver.click("U0A01", to_author, result_blocks.ANSWER_REPLY_ACTION)
    bot.driver.submit("U0A01", bot.slack.calls("views.open")[-1].args["view"], {"message": "Saturday mornings"})
    answered_in = _delivery_stamps(engine) - waiting
    after_the_relay_delay(bot)
    bot.clock.advance(timedelta(days=15))
    tick(bot)

    stamped = [(table, tx) for table, tx, _ in every_row(engine, locks=True) if tx & answered_in]
    assert answered_in and not stamped, stamped


def _delivery_stamps(engine: Engine) -> set[str]:
    with engine.connect() as connection:
        return set(connection.execute(text("SELECT xmin::text FROM deliveries")).scalars())


def _row_locks(engine: Engine) -> dict[tuple[str, str], str]:
    """The transaction that last locked each row (`xmax`), by table and position, as an administrator reads it."""
    return {
        (table, str(row["sys_pos"])): str(row["sys_lock"]) for table, _, row in every_row(engine) if "sys_lock" in row
    }


def test_an_author_opening_the_answer_form_or_refused_a_second_answer_stamps_no_row(
    bot: RunningBot, engine: Engine
) -> None:
    """Opening the form sends nothing, and a second answer is refused: neither may leave the author's transaction on a
    row (the comment's relay, say), or a reader learns when the comment's author was active, though nothing was sent."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite keeps no transaction on a row")
    commented_round(bot)
    reply_from_results(bot, "U0MGR1", "Which shifts exactly?")
    [to_author] = bot.slack.calls("chat.postMessage", channel="U0A01")
    before = _row_locks(engine)
    bot.driver.click("U0A01", to_author, result_blocks.ANSWER_REPLY_ACTION)
    form = bot.slack.calls("views.open")[-1].response["view"]
    opened = _row_locks(engine)
    bot.driver.click("U0A01", to_author, result_blocks.ANSWER_REPLY_ACTION)  # the form open twice (two Slack apps)
    second_form = bot.slack.calls("views.open")[-1].response["view"]
    bot.driver.submit("U0A01", form, {"message": "Saturday mornings"})
    answered = _row_locks(engine)
    again = bot.driver.submit("U0A01", second_form, {"message": "And Sundays"})
    assert "already answered" in str(again.json)

    assert {key: lock for key, lock in opened.items() if before.get(key, lock) != lock} == {}
    assert {key: lock for key, lock in _row_locks(engine).items() if answered.get(key, lock) != lock} == {}
