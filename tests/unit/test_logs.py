"""Logs: user text cannot forge a log line, JSON is one object per line, the scheduler is quiet."""

import json
import logging
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import sessionmaker

from bot import scheduler
from bot.logs import CLIENT_OVER_TOKEN, EscapingFormatter, JsonFormatter, configure_logging
from bot.scheduler import ScheduledJob, build_scheduler
from handlers.deps import Deps


def unused_deps() -> Deps:
    """The jobs below ignore their dependencies."""
    return Deps(sessions=sessionmaker(), now=lambda: datetime(2026, 1, 1, tzinfo=UTC))


FORGERY = "hello\n2026-03-02 09:00:00,000 ERROR latitude: the vault is open\r\x1b[31m\u2028"


def record(message: str, *args: object, exc: BaseException | None = None) -> logging.LogRecord:
    info = (type(exc), exc, exc.__traceback__) if exc else None
    return logging.LogRecord("latitude.test", logging.WARNING, __file__, 1, message, args, info)


def raised(message: str) -> BaseException:
    try:
        raise ValueError(message)
    except ValueError as error:
        return error


def test_user_text_in_a_message_stays_on_one_line() -> None:
    line = EscapingFormatter("%(levelname)s %(message)s").format(record("summary was %s", FORGERY))

    assert line.count("\n") == 0
    assert "\\n2026-03-02" in line
    assert "\\x1b" in line


def test_a_traceback_holding_user_text_is_indented_under_its_record() -> None:
    text = EscapingFormatter("%(asctime)s %(message)s").format(record("failed", exc=raised(FORGERY)))

    first, *rest = text.splitlines()
    assert first.endswith("failed")
    assert rest
    assert all(line.startswith("    ") for line in rest)


def test_json_format_is_one_object_per_line() -> None:
    line = JsonFormatter().format(record("summary was %s", FORGERY, exc=raised("boom")))

    assert line.count("\n") == 0
    entry = json.loads(line)
    assert entry["message"] == f"summary was {FORGERY}"
    assert (entry["level"], entry["logger"]) == ("WARNING", "latitude.test")
    assert "ValueError: boom" in entry["traceback"]


@pytest.fixture
def restored_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    logging.getLogger("apscheduler").setLevel(logging.NOTSET)


def test_at_info_level_apscheduler_says_nothing_about_runs(restored_logging: None) -> None:
    configure_logging("INFO", "text")

    assert not logging.getLogger("apscheduler.executors.default").isEnabledFor(logging.INFO)
    assert logging.getLogger("apscheduler.executors.default").isEnabledFor(logging.WARNING)
    assert logging.getLogger("latitude").isEnabledFor(logging.INFO)


def test_a_job_logs_one_line_only_when_it_did_something_or_failed(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def quiet(_deps: Any, _client: Any) -> int:
        return 0

    def busy(_deps: Any, _client: Any) -> int:
        return 3

    def broken(_deps: Any, _client: Any) -> None:
        raise RuntimeError("database went away")

    every = IntervalTrigger(seconds=10, start_date=datetime(2026, 1, 1, tzinfo=UTC))
    jobs = tuple(ScheduledJob(tick.__name__, tick, every) for tick in (quiet, busy, broken))
    monkeypatch.setattr(scheduler, "SCHEDULE", jobs)
    built = build_scheduler(unused_deps(), None, lambda: True)  # type: ignore[arg-type]

    with caplog.at_level(logging.DEBUG):
        for job in built.get_jobs():
            job.func()

    assert [(r.levelname, r.getMessage()) for r in caplog.records] == [
        ("INFO", "scheduled job busy: 3"),
        ("ERROR", "scheduled job broken failed"),
    ]


def test_a_job_failing_run_after_run_logs_its_traceback_once_then_one_line_when_it_works_again(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The outbox sender runs every 10 s: with the database's file read-only, a traceback each time buried the log."""
    outcomes = iter(["read-only", "read-only", "read-only", None, None, "disk full", "disk full"])

    def drain(_deps: Any, _client: Any) -> int:
        problem = next(outcomes)
        if problem:
            raise OperationalError("INSERT INTO deliveries ...", {}, Exception(f"attempt to write: {problem}"))
        return 0

    every = IntervalTrigger(seconds=10, start_date=datetime(2026, 1, 1, tzinfo=UTC))
    monkeypatch.setattr(scheduler, "SCHEDULE", (ScheduledJob("drain", drain, every),))
    [job] = build_scheduler(unused_deps(), None, lambda: True).get_jobs()  # type: ignore[arg-type]

    with caplog.at_level(logging.DEBUG):
        for _ in range(7):
            job.func()

    assert [(r.levelname, r.getMessage(), r.exc_info is not None) for r in caplog.records] == [
        ("ERROR", "scheduled job drain failed", True),
        ("WARNING", "scheduled job drain works again, after 3 failed runs", False),
        ("ERROR", "scheduled job drain failed", True),
    ]


def test_a_follower_runs_no_job(monkeypatch: pytest.MonkeyPatch) -> None:
    ran: list[str] = []
    every = IntervalTrigger(seconds=10, start_date=datetime(2026, 1, 1, tzinfo=UTC))
    monkeypatch.setattr(scheduler, "SCHEDULE", (ScheduledJob("a", lambda _d, _c: ran.append("a"), every),))
    built = build_scheduler(unused_deps(), None, lambda: False)  # type: ignore[arg-type]

    for job in built.get_jobs():
        job.func()

    assert ran == []


def test_the_warning_bolt_gives_for_the_token_it_read_itself_is_the_one_dropped() -> None:
    from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped

    assert warning_client_prioritized_and_token_skipped() == CLIENT_OVER_TOKEN


@pytest.mark.parametrize("formatter", [EscapingFormatter(), JsonFormatter()])
def test_a_database_errors_row_values_are_not_logged(formatter: logging.Formatter) -> None:
    detail = "DETAIL:  Key (round_id, respondent)=(1, 5cc5410706cce6ccb15dc51af8ff54489bdba37c) already exists."
    try:
        raise ValueError(f'duplicate key value violates unique constraint "uq_pulse_comments_round_id"\n{detail}')
    except ValueError:
        record = logging.LogRecord("latitude", logging.ERROR, __file__, 1, "[ref 1a2b] failed", None, sys.exc_info())

    logged = formatter.format(record)

    assert "uq_pulse_comments_round_id" in logged
    assert "5cc5410706" not in logged and "DETAIL:" in logged
