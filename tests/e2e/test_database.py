"""The database as the product uses it: indexes that serve the hot lookups, pooled connections that survive."""

import logging
import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, event, select, text
from sqlalchemy.exc import DBAPIError, OperationalError

from bot.startup import warn_if_connections_short
from models import Nomination, Suggestion, Workspace
from models.engine import make_engine, make_session_factory
from models.schema import HEAD_REVISION, MigrationError, migrate, upgrade
from services import outbox
from services.pulse.closing import close_round
from services.pulse.rounds import start_round
from services.resolutions.fixes import ResolutionRequest, log_resolution
from services.rewards.nominations import NominationRequest, nominate
from services.suggestions import lifecycle, release
from services.suggestions.lifecycle import SuggestionRequest
from tests.conftest import MONDAY_MORNING, RunningBot
from tests.helpers import employee, load_org, load_org_and_policy
from tests.pulse_org import load_pulse_org, org_csv


def _backend_pid(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.scalar(text("SELECT pg_backend_pid()")) or 0)


def _terminate(engine: Engine, pid: int) -> None:
    with engine.connect() as connection:
        connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})


def test_an_idle_connection_killed_by_the_server_is_replaced_before_use(engine: Engine, database_url: str) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no server to drop a connection")
    pooled = make_engine(database_url, ping_idle_after=0)
    try:
        dead = _backend_pid(pooled)
        _terminate(engine, dead)

        with pooled.connect() as connection:
            assert connection.scalar(text("SELECT 41 + 1")) == 42
        assert _backend_pid(pooled) != dead
    finally:
        pooled.dispose()


def test_a_busy_connection_is_not_pinged_on_every_checkout(engine: Engine, database_url: str) -> None:
    """Within the idle window the pool hands the connection straight back: no extra round trip."""
    if engine.dialect.name != "postgresql":
        pytest.skip("the ping is for PostgreSQL")
    pooled = make_engine(database_url, ping_idle_after=3600)
    try:
        dead = _backend_pid(pooled)
        _terminate(engine, dead)

        with pytest.raises(OperationalError), pooled.connect() as connection:
            connection.scalar(text("SELECT 1"))
    finally:
        pooled.dispose()


def test_the_operator_is_warned_when_postgresql_takes_fewer_connections_than_the_processes_may_open(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no connection limit")
    with engine.connect() as connection:
        allowed = int(connection.scalar(text("SHOW max_connections")) or 0)
    with caplog.at_level(logging.WARNING, logger="latitude"):
        warn_if_connections_short(engine, 20, processes=1)
        assert caplog.messages == []

        warn_if_connections_short(engine, allowed // 2, processes=2)

    [warning] = caplog.messages
    assert f"2 process(es) may open up to {allowed // 2} each" in warning
    assert "raise max_connections or lower the thread counts" in warning


def test_a_customer_s_earlier_fixes_are_found_through_the_customer_index(engine: Engine) -> None:
    """`/resolve` looks a customer up by the reference as compared (`customer_key`): the index must serve it."""
    statement = (
        "SELECT id FROM resolutions WHERE workspace_id = 1 AND customer_key = '1234' ORDER BY created_at DESC LIMIT 5"
    )
    with engine.connect() as connection:
        plan = _plan(connection, statement)
    if engine.dialect.name == "sqlite":
        assert "INDEX ix_resolutions_customer (workspace_id=? AND customer_key=?)" in plan
    else:
        assert "ix_resolutions_customer" in plan


def test_the_messages_sent_for_a_request_are_found_through_the_key_index(engine: Engine) -> None:
    """Deciding a request reads the messages sent under its keys: the outbox grows forever, so no scan."""
    statement = (
        "SELECT id FROM deliveries WHERE idempotency_key >= 'resolution:7:' "
        "AND idempotency_key < 'resolution:7:\U0010ffff' AND idempotency_key LIKE 'resolution:7:%' ESCAPE '/'"
    )
    with engine.connect() as connection:
        plan = _plan(connection, statement)
    if engine.dialect.name == "sqlite":
        assert "INDEX sqlite_autoindex_deliveries_1 (idempotency_key>? AND idempotency_key<?)" in plan
    else:
        assert "Index" in plan and "idempotency_key" in plan


WAITING_READS = [
    pytest.param(
        "SELECT id FROM resolutions WHERE status = 'pending' AND escalated_at IS NULL AND workspace_id = 1 "
        "AND ((reminded_at IS NULL AND created_at <= '2026-03-01') "
        "OR (reminded_at <= '2026-03-01' AND created_at <= '2026-02-28')) ORDER BY created_at, id LIMIT 200",
        r"INDEX ix_resolutions_(due \(status=\? AND escalated_at=\?|waiting \(workspace_id=\? AND status=\?)",
        r"ix_resolutions_(due|waiting)",
        id="reminder job: a workspace's pending requests due a reminder or an escalation, oldest first",
    ),
    pytest.param(
        "SELECT id FROM resolutions WHERE status = 'pending' AND escalated_at IS NULL AND workspace_id = 1 "
        "AND ((reminded_at IS NULL AND created_at <= '2026-03-01') "
        "OR (reminded_at <= '2026-03-01' AND created_at <= '2026-02-28')) "
        "AND (created_at > '2026-02-01' OR (created_at = '2026-02-01' AND id > 7)) ORDER BY created_at, id LIMIT 200",
        r"INDEX ix_resolutions_(due \(status=\? AND escalated_at=\?|waiting \(workspace_id=\? AND status=\?)",
        r"ix_resolutions_(due|waiting)",
        id="reminder job: the next page, past those waiting for their recipient's morning",
    ),
    pytest.param(
        "SELECT id FROM resolutions WHERE workspace_id = 1 AND status = 'approved' AND decided_at >= '2026-03-02' "
        "AND decided_at < '2026-03-16' AND created_at < '2026-03-02'",
        r"INDEX ix_resolutions_approved \(workspace_id=\? AND status=\? AND decided_at>\? AND decided_at<\?\)",
        r"ix_resolutions_approved .*Index Cond: (?:(?!Filter).)*decided_at >=",
        id="weekly digest: the requests approved in the two weeks, however long ago they were logged",
    ),
    pytest.param(
        "SELECT id FROM suggestions WHERE owner_id IN (1, 2, 3) AND status = 'done' AND closed_at >= '2026-11-23'",
        r"INDEX ix_suggestions_owner_status \(owner_id=\? AND status=\? AND closed_at>\?\)",
        r"ix_suggestions_owner_status .*Index Cond: (?:(?!Filter).)*closed_at >=",
        id="weekly digest: the suggestions managers closed as done this week",
    ),
    pytest.param(
        "SELECT count(n.id) FROM nominations n WHERE n.nominator_id = 2 AND n.created_at >= '2026-03-01' "
        "AND n.status IN ('pending', 'approved') AND NOT EXISTS (SELECT 1 FROM suggestions s WHERE "
        "s.nomination_id = n.id)",
        r"INDEX ix_suggestions_nomination \(nomination_id=\?\)",
        r"ix_suggestions_nomination",
        id="every nomination: the allowance leaves out a done suggestion's thanks",
    ),
    pytest.param(
        "SELECT id FROM nominations WHERE workspace_id = 1 AND status = 'pending' AND created_at <= '2026-03-01' "
        "ORDER BY created_at LIMIT 200",
        r"USING (COVERING )?INDEX ix_nominations_waiting \(workspace_id=\? AND status=\? AND created_at<\?\)",
        r"ix_nominations_waiting .*Index Cond: (?:(?!Filter).)*created_at <=",
        id="reminder job: a workspace's nominations waiting for approval, not every shout-out ever made",
    ),
    pytest.param(
        "SELECT id FROM nominations WHERE workspace_id = 1 AND status = 'pending' AND approver_id IN "
        "(SELECT id FROM employees WHERE workspace_id = 1 AND NOT active) ORDER BY created_at, id",
        r"USING (COVERING )?INDEX ix_nominations_waiting \(workspace_id=\? AND status=\?\)",
        r"ix_nominations_waiting",
        id="each follow-up tick: the nominations waiting on someone who left, handed over",
    ),
    pytest.param(
        "SELECT id, (SELECT count(*) FROM nominations WHERE approver_id = 2 AND status = 'pending') "
        "FROM nominations WHERE approver_id = 2 AND status = 'pending' ORDER BY created_at, id LIMIT 10",
        r"USING (COVERING )?INDEX ix_nominations_approver_waiting \(approver_id=\? AND status=\?\)",
        r"ix_nominations_approver_waiting",
        id="App Home: the nominations waiting for one approver, oldest first, and how many",
    ),
    pytest.param(
        "SELECT id, (SELECT count(*) FROM resolutions WHERE decider_id = 2 AND status = 'pending') "
        "FROM resolutions WHERE decider_id = 2 AND status = 'pending' ORDER BY created_at, id LIMIT 20",
        r"USING (COVERING )?INDEX ix_resolutions_decider_waiting \(decider_id=\? AND status=\?\)",
        r"ix_resolutions_decider_waiting",
        id="an admin's App Home: the requests sent to them, oldest first, and how many",
    ),
]


@pytest.mark.parametrize(("statement", "on_sqlite", "on_postgresql"), WAITING_READS)
def test_what_waits_is_read_from_a_range_not_the_whole_history(
    engine: Engine, statement: str, on_sqlite: str, on_postgresql: str
) -> None:
    """These run on every App Home or every scheduler tick: never a walk along the history until enough turn up."""
    with engine.connect() as connection:
        plan = _plan(connection, statement)
    assert re.search(on_sqlite if engine.dialect.name == "sqlite" else on_postgresql, plan), plan
    for history_walk in ("TEMP B-TREE", "ix_resolutions_workspace_created", "Seq Scan"):
        assert history_walk not in plan


def sent_opening_home(bot: RunningBot, reader: str, pattern: str) -> tuple[str, Any]:
    """The one statement matching `pattern` that the reader's App Home sends as it opens, as the driver received it
    (its placeholders, its values)."""
    sent: list[tuple[str, Any]] = []

    def capture(_connection: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        sent.append((statement, parameters))

    bot_engine = bot.sessions.kw["bind"]
    event.listen(bot_engine, "before_cursor_execute", capture)
    try:
        bot.driver.open_home(reader)
    finally:
        event.remove(bot_engine, "before_cursor_execute", capture)
    [found] = [
        (statement, parameters) for statement, parameters in sent if re.search(pattern, " ".join(statement.split()))
    ]
    return found


def _home_waiting_plan(bot: RunningBot, engine: Engine, reader: str) -> str:
    """The plan of the statement that reads the requests waiting for the reader, as their Home sends it (captured as
    it opens), with one request of a manager's report pending."""
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT1", "/resolve", "refund 80 order 42 parcel lost in transit")
    waiting = r"FROM resolutions\b.*\bresolutions\.workspace_id = .*\bresolutions\.status = .*\bLIMIT\b"
    statement, parameters = sent_opening_home(bot, reader, waiting)
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":  # a row or two sort for nothing: a sort only when no index can order
            connection.execute(text("SET LOCAL enable_sort = off"))
        return _plan(connection, statement, parameters)


def test_an_admins_home_reads_the_requests_waiting_in_the_workspace_from_a_range(
    bot: RunningBot, engine: Engine
) -> None:
    """An admin's Home runs on every open of the tab over the whole workspace's pending requests: it must walk the
    waiting index in age order, never sort them all. (It also reads apart those sent to them, by decider: not this
    statement.)"""
    plan = _home_waiting_plan(bot, engine, "U0ADMIN")
    if engine.dialect.name == "sqlite":
        assert re.search(r"USING INDEX ix_resolutions_waiting \(workspace_id=\? AND status=\?\)", plan), plan
    else:
        assert "ix_resolutions_waiting" in plan and not re.search(r"(?<!Incremental )Sort  \(cost", plan), plan
    for history_walk in ("TEMP B-TREE", "ix_resolutions_workspace_created", "Seq Scan"):
        assert history_walk not in plan, plan


@pytest.mark.parametrize("reader", ["U0MGR1", "U0AGENT2"], ids=["a manager", "a frontline person"])
def test_a_managers_home_reads_only_the_requests_waiting_on_them(bot: RunningBot, engine: Engine, reader: str) -> None:
    """Everyone's Home but an admin's reads the requests sent to its reader and those of their reports: two ranges,
    by decider and by requester, never the workspace's pending requests walked to pick theirs (a frontline person's
    Home walked them all, on every open, to find none)."""
    plan = _home_waiting_plan(bot, engine, reader)
    if engine.dialect.name == "postgresql":  # over these near-empty tables, its statistics pick the reports' range
        assert "ix_resolutions_decider_waiting" in plan and "Seq Scan on resolutions" not in plan, plan
        return
    assert "INDEX ix_resolutions_decider_waiting (decider_id=? AND status=?)" in plan, plan
    assert "INDEX ix_resolutions_employee_waiting (employee_id=? AND status=? AND workspace_id=?)" in plan, plan
    for workspace_walk in ("ix_resolutions_waiting", "ix_resolutions_approved", "ix_resolutions_workspace_created"):
        assert workspace_walk not in plan, plan


def _plan(connection: Connection, statement: str, parameters: Any = None) -> str:
    """The database's plan for a statement, one line; PostgreSQL is told to avoid a scan where an index can
    serve (its tables are tiny here, where a scan would be cheapest). With `parameters`, the statement is one
    as the driver received it (its placeholders, its values)."""
    explain = "EXPLAIN QUERY PLAN" if connection.dialect.name == "sqlite" else "EXPLAIN"
    if connection.dialect.name == "postgresql":
        _forget_column_statistics(connection)
        connection.execute(text("SET LOCAL enable_seqscan = off"))
    if parameters is None:
        rows = connection.execute(text(f"{explain} {statement}"))
    else:
        rows = connection.exec_driver_sql(f"{explain} {statement}", parameters)
    return " ".join(str(row[-1] if connection.dialect.name == "sqlite" else row[0]) for row in rows)


def _forget_column_statistics(connection: Connection) -> None:
    """Autovacuum may have analysed a table while an earlier test filled it, and TRUNCATE keeps what it learnt: that
    skew, not the statement, would pick between two indexes over these empty tables (seen once in a full run).
    Forgotten within this transaction, as on a fresh database; a role that may not (not a superuser) reads the plans
    as they are."""
    try:
        with connection.begin_nested():
            connection.execute(
                text(
                    "DELETE FROM pg_statistic WHERE starelid IN "
                    "(SELECT oid FROM pg_class WHERE relnamespace = current_schema()::regnamespace)"
                )
            )
    except DBAPIError:
        return


def test_upgrading_gives_the_fixes_already_logged_their_customer_key(tmp_path: Path) -> None:
    """Migration 0014 fills `customer_key` for every fix written before it (on a database of its own: the test
    goes down a revision and back)."""
    engine = make_engine(f"sqlite:///{tmp_path / 'before.db'}")
    upgrade(engine)
    sessions = make_session_factory(engine)
    load_org_and_policy(sessions, MONDAY_MORNING)
    with sessions.begin() as session:
        sam = employee(session, "U0AGENT1")
        for reference in ("Order #1234", "case 9", None):
            request = ResolutionRequest(category="credit", amount=Decimal(5), summary="sorry", customer_ref=reference)
            log_resolution(session, employee=sam, request=request, now=MONDAY_MORNING)
    migrate(engine, "downgrade", "0013")

    migrate(engine, "upgrade", "head")

    with engine.connect() as connection:
        keys = connection.execute(text("SELECT customer_key FROM resolutions ORDER BY id")).scalars().all()
    assert keys == ["1234", "9", None]
    engine.dispose()


def test_upgrading_keeps_when_the_waiting_nominations_were_reminded(tmp_path: Path) -> None:
    """Migration 0035 takes a waiting nomination's reminder time from the reminder queued in the outbox: it goes up a
    wait after that reminder; one not reminded yet is reminded when due."""
    engine = make_engine(f"sqlite:///{tmp_path / 'before.db'}")
    upgrade(engine)
    sessions = make_session_factory(engine)
    load_org_and_policy(sessions, MONDAY_MORNING)
    reminded_at = MONDAY_MORNING + timedelta(hours=30)
    with sessions.begin() as session:
        workspace = session.scalars(select(Workspace)).one()
        waiting = []
        for giver, item in (("U0AGENT1", "voucher_25"), ("U0AGENT3", "half_day")):
            request = NominationRequest(("U0AGENT2",), item, "saved a key account")
            outcome = nominate(
                session,
                workspace=workspace,
                nominator=employee(session, giver),
                request=request,
                slack_people={},
                bot_user_id=None,
                now=MONDAY_MORNING,
            )
            waiting += outcome.waiting
        key = f"reward-approval:{waiting[0].id}:reminder"
        outbox.enqueue(session, workspace=workspace, key=key, method="chat.postMessage", payload={}, now=reminded_at)
    migrate(engine, "downgrade", "0034")

    migrate(engine, "upgrade", "head")

    with sessions() as session:
        reminded = [row.reminded_at for row in session.scalars(select(Nomination).order_by(Nomination.id))]
    assert reminded == [reminded_at, None]
    engine.dispose()


def test_upgrading_keys_the_fixes_already_logged_in_full_width_digits_as_their_customer(tmp_path: Path) -> None:
    """Migration 0021 reads the references of the fixes written before it in their NFKC form, as new ones are."""
    engine = make_engine(f"sqlite:///{tmp_path / 'before.db'}")
    upgrade(engine)
    sessions = make_session_factory(engine)
    load_org_and_policy(sessions, MONDAY_MORNING)
    with sessions.begin() as session:
        sam = employee(session, "U0AGENT1")
        for reference in ("order １２３４", "Order #1234"):
            request = ResolutionRequest(category="credit", amount=Decimal(5), summary="sorry", customer_ref=reference)
            log_resolution(session, employee=sam, request=request, now=MONDAY_MORNING)
    migrate(engine, "downgrade", "0020")
    with engine.begin() as connection:  # the key the rule before 0021 gave it
        connection.execute(
            text("UPDATE resolutions SET customer_key = '１２３４' WHERE customer_ref = 'order １２３４'")
        )

    migrate(engine, "upgrade", "head")

    with engine.connect() as connection:
        keys = connection.execute(text("SELECT customer_key FROM resolutions ORDER BY id")).scalars().all()
    assert keys == ["1234", "1234"]
    engine.dispose()


def test_upgrading_keys_the_fixes_already_logged_with_leading_zeros_or_other_digits_as_their_customer(
    tmp_path: Path,
) -> None:
    """Migration 0024 reads the digits of any script as 0-9, drops a number's leading zeros and reads Cyrillic and
    Greek look-alikes of Latin letters as those, as new fixes do."""
    engine = make_engine(f"sqlite:///{tmp_path / 'before.db'}")
    upgrade(engine)
    sessions = make_session_factory(engine)
    load_org_and_policy(sessions, MONDAY_MORNING)
    with sessions.begin() as session:
        sam = employee(session, "U0AGENT1")
        for reference in ("order 01234", "ref ١٢٣٤", "AB-012", "\u041eRD-7", "\u0391B-12"):
            request = ResolutionRequest(category="credit", amount=Decimal(5), summary="sorry", customer_ref=reference)
            log_resolution(session, employee=sam, request=request, now=MONDAY_MORNING)
    migrate(engine, "downgrade", "0023")
    with engine.begin() as connection:  # the keys the rule before 0024 gave them
        before = {
            "order 01234": "01234",
            "ref ١٢٣٤": "١٢٣٤",
            "\u041eRD-7": "\u043erd7",  # Cyrillic O, kept
            "\u0391B-12": "\u03b1b12",  # Greek Alpha, kept
        }
        for reference, key in before.items():
            connection.execute(
                text("UPDATE resolutions SET customer_key = :key WHERE customer_ref = :ref"),
                {"key": key, "ref": reference},
            )

    migrate(engine, "upgrade", "head")

    with engine.connect() as connection:
        keys = connection.execute(text("SELECT customer_key FROM resolutions ORDER BY id")).scalars().all()
    assert keys == ["1234", "1234", "ab012", "ord7", "ab12"]
    engine.dispose()


def test_upgrading_keys_the_fixes_already_logged_with_characters_shown_as_nothing_as_their_customer(
    database_of_its_own: Engine,
) -> None:
    """Migration 0054 reads the references of the fixes written before it without the characters shown as nothing,
    as new fixes do: a Hangul filler typed in the form's reference had made `12`, filler, `34` a customer apart."""
    engine = database_of_its_own
    sessions = make_session_factory(engine)
    load_org_and_policy(sessions, MONDAY_MORNING)
    with sessions.begin() as session:
        sam = employee(session, "U0AGENT1")
        for reference in ("order 1234", "ref 5678", "AB-12", "9", "(order 4321)"):
            request = ResolutionRequest(category="credit", amount=Decimal(5), summary="sorry", customer_ref=reference)
            log_resolution(session, employee=sam, request=request, now=MONDAY_MORNING)
    migrate(engine, "downgrade", "0053")
    with engine.begin() as connection:  # the references the form stored before 0054, and the keys it gave them
        before = {
            "order 1234": ("order 12\u316434", "12\u116034"),  # a Hangul filler, a letter in its NFKC form
            "ref 5678": ("ref 56\uffa078", "56\u116078"),  # a half-width one
            "AB-12": ("o\u200brder AB-12", "orderab12"),  # a zero-width space hid the label
            "9": ("\u3164", "\u1160"),  # nothing but a filler
            "(order 4321)": ("(o\u0336rder 4321)", "o\u0336rder4321"),  # a bracket and a mark kept the label
        }
        for reference, (typed, key) in before.items():
            connection.execute(
                text("UPDATE resolutions SET customer_ref = :typed, customer_key = :key WHERE customer_ref = :ref"),
                {"typed": typed, "key": key, "ref": reference},
            )

    migrate(engine, "upgrade", "head")

    with engine.connect() as connection:
        rows = connection.execute(text("SELECT customer_ref, customer_key FROM resolutions ORDER BY id")).all()
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == HEAD_REVISION
    assert [key for _, key in rows] == ["1234", "5678", "ab12", None, "4321"]
    assert [reference for reference, _ in rows] == ["order 1234", "ref 5678", "order AB-12", None, "(o\u0336rder 4321)"]


def test_upgrading_keys_the_fixes_already_logged_in_another_case_as_their_customer(database_of_its_own: Engine) -> None:
    """Migration 0057 folds the case of the references of the fixes written before it in full, as new fixes do:
    lower-cased, `ışık-12` and `straße-1` were customers apart from `IŞIK-12` and `STRASSE-1` typed in capitals."""
    engine = database_of_its_own
    sessions = make_session_factory(engine)
    load_org_and_policy(sessions, MONDAY_MORNING)
    references = ("IŞIK-12", "ışık-12", "straße-1", "ΟΔΟΣ-1", "order 1234")
    with sessions.begin() as session:
        sam = employee(session, "U0AGENT1")
        for reference in references:
            request = ResolutionRequest(category="credit", amount=Decimal(5), summary="sorry", customer_ref=reference)
            log_resolution(session, employee=sam, request=request, now=MONDAY_MORNING)
    migrate(engine, "downgrade", "0056")
    with engine.begin() as connection:  # the keys the rule before 0057 gave them
        before = {"ışık-12": "ışık12", "straße-1": "straße1", "ΟΔΟΣ-1": "o\u03b4o\u03c21"}  # a final sigma
        for reference, key in before.items():
            connection.execute(
                text("UPDATE resolutions SET customer_key = :key WHERE customer_ref = :ref"),
                {"key": key, "ref": reference},
            )

    migrate(engine, "upgrade", "head")

    with engine.connect() as connection:
        rows = connection.execute(text("SELECT customer_ref, customer_key FROM resolutions ORDER BY id")).all()
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == HEAD_REVISION
    assert [reference for reference, _ in rows] == list(references)
    assert [key for _, key in rows] == ["işik12", "işik12", "strasse1", "o\u03b4o\u03c31", "1234"]


def test_upgrading_gives_the_fixes_already_logged_their_authors_profile(tmp_path: Path) -> None:
    """Migration 0017 records the boundary profile of every fix written before it: the author's profile, else
    their role."""
    engine = make_engine(f"sqlite:///{tmp_path / 'before.db'}")
    upgrade(engine)
    sessions = make_session_factory(engine)
    load_org_and_policy(sessions, MONDAY_MORNING)
    with sessions.begin() as session:
        for slack_id in ("U0AGENT2", "U0MGR1"):
            request = ResolutionRequest(category="credit", amount=Decimal(5), summary="sorry")
            log_resolution(session, employee=employee(session, slack_id), request=request, now=MONDAY_MORNING)
    migrate(engine, "downgrade", "0016")

    migrate(engine, "upgrade", "head")

    with engine.connect() as connection:
        profiles = connection.execute(text("SELECT profile FROM resolutions ORDER BY id")).scalars().all()
    assert profiles == ["senior_agent", "manager"]
    engine.dispose()


def test_upgrading_leaves_the_fixes_already_logged_without_a_manager_and_new_ones_record_it(tmp_path: Path) -> None:
    """Migration 0033 adds the manager a fix's giver had when logging it: the fixes logged before keep no manager
    (the digest counts them by the team as it is), and every fix logged after records it."""
    engine = make_engine(f"sqlite:///{tmp_path / 'before.db'}")
    upgrade(engine)
    sessions = make_session_factory(engine)
    load_org_and_policy(sessions, MONDAY_MORNING)
    request = ResolutionRequest(category="credit", amount=Decimal(5), summary="sorry")
    with sessions.begin() as session:
        log_resolution(session, employee=employee(session, "U0AGENT1"), request=request, now=MONDAY_MORNING)
    migrate(engine, "downgrade", "0032")
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT count(*) FROM resolutions")) == 1

    migrate(engine, "upgrade", "head")

    with sessions.begin() as session:
        sam = employee(session, "U0AGENT1")
        log_resolution(session, employee=sam, request=request, now=MONDAY_MORNING)
        maya = sam.manager_id
    with engine.connect() as connection:
        managers = connection.execute(text("SELECT manager_id FROM resolutions ORDER BY id")).scalars().all()
    assert managers == [None, maya] and maya is not None
    engine.dispose()


def test_a_sqlite_database_holding_data_upgrades_through_migrations_that_rebuild_tables(tmp_path: Path) -> None:
    """0010 rebuilds `workspaces`, which other rows point at: SQLite refuses that while foreign keys are on."""
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "0009")
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO workspaces (slack_team_id, name, created_at) VALUES ('T0ONE', 'One', :at)"),
            {"at": MONDAY_MORNING},
        )
        connection.execute(text("INSERT INTO teams (workspace_id, name) VALUES (1, 'Support')"))

    upgrade(engine)

    with engine.connect() as connection:
        assert connection.execute(text("SELECT slack_team_id FROM workspaces")).scalars().all() == ["T0ONE"]
        assert connection.execute(text("SELECT name FROM teams WHERE workspace_id = 1")).scalars().all() == ["Support"]
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1, (
            "back on for whoever gets the connection next"
        )
    engine.dispose()


def test_upgrading_gives_the_rounds_already_closed_the_reporting_tree_at_the_upgrade(tmp_path: Path) -> None:
    """Migration 0018 records, for each round closed before it, the tree its results are read through: the one at
    the upgrade, since the one at close is not known (here Maya moved under Omar between the two)."""
    engine = make_engine(f"sqlite:///{tmp_path / 'before.db'}")
    upgrade(engine)
    sessions = make_session_factory(engine)
    load_pulse_org(sessions, MONDAY_MORNING)
    with sessions.begin() as session:
        workspace = session.scalars(select(Workspace)).one()
        start_round(session, workspace=workspace, by=None, actor="cli", now=MONDAY_MORNING)
        close_round(session, workspace=workspace, by=None, actor="cli", now=MONDAY_MORNING)
    tree = "SELECT round_id, cell_leader_id, group_manager_id FROM pulse_cell_groups ORDER BY 1, 2, 3"
    with engine.connect() as connection:
        sealed = connection.execute(text(tree)).all()
        people = connection.execute(text("SELECT slack_id, id FROM employees"))
        ids = {str(slack_id): int(id) for slack_id, id in people}
    ada, maya, omar = ids["U0ADMIN"], ids["U0MGR1"], ids["U0MGR2"]
    pairs = [(ada, ada), (maya, ada), (maya, maya), (omar, ada), (omar, omar)]
    assert sealed == [(1, *pair) for pair in sorted(pairs)]
    maya_under_omar = org_csv().replace("Support East,manager,U0ADMIN,", "Support East,manager,U0MGR2,")
    load_org(sessions, MONDAY_MORNING, maya_under_omar)
    migrate(engine, "downgrade", "0017")

    migrate(engine, "upgrade", "head")

    with engine.connect() as connection:
        assert connection.execute(text(tree)).all() == sorted([*sealed, (1, maya, omar)])
    engine.dispose()


def test_downgrading_below_the_held_suggestions_refuses_while_an_idea_waits_for_its_release(tmp_path: Path) -> None:
    """Migration 0034 undone with an idea still held would show it at once with no card, post or audit row: it
    refuses, saying what to do, and changes nothing; once the idea is released, it goes."""
    engine = make_engine(f"sqlite:///{tmp_path / 'before.db'}")
    upgrade(engine)
    sessions = make_session_factory(engine)
    load_org_and_policy(sessions, MONDAY_MORNING)
    with sessions.begin() as session:
        workspace = session.scalars(select(Workspace)).one()
        request = SuggestionRequest(what="A second card reader at the returns desk")
        author = employee(session, "U0AGENT1")
        idea = lifecycle.submit(
            session, workspace=workspace, author=author, request=request, relay=None, now=MONDAY_MORNING
        )
        idea.release_at, idea.number = MONDAY_MORNING + timedelta(minutes=10), None  # as an anonymous one is held

    with pytest.raises(MigrationError, match=r"1 anonymous suggestion.* still wait for their release.*then downgrade"):
        migrate(engine, "downgrade", "0033")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM suggestions WHERE release_at IS NOT NULL")).scalar() == 1

    with engine.begin() as connection:
        connection.execute(text("UPDATE suggestions SET release_at = NULL, number = id"))
    migrate(engine, "downgrade", "0033")
    engine.dispose()


def test_downgrading_below_the_held_suggestions_names_a_workspace_no_longer_served_and_says_to_purge_it(
    tmp_path: Path,
) -> None:
    """An idea held in a workspace the app was uninstalled from is released only if it is installed again: the
    refusal names the workspace and says how to end it, rather than to wait for a release that never comes."""
    engine = make_engine(f"sqlite:///{tmp_path / 'before.db'}")
    upgrade(engine)
    sessions = make_session_factory(engine)
    load_org_and_policy(sessions, MONDAY_MORNING)
    with sessions.begin() as session:
        workspace = session.scalars(select(Workspace)).one()
        request = SuggestionRequest(what="A second card reader at the returns desk")
        author = employee(session, "U0AGENT1")
        idea = lifecycle.submit(
            session, workspace=workspace, author=author, request=request, relay=None, now=MONDAY_MORNING
        )
        idea.release_at, idea.number = MONDAY_MORNING + timedelta(minutes=10), None  # as an anonymous one is held
        workspace.uninstalled_at = MONDAY_MORNING + timedelta(minutes=5)

    with pytest.raises(MigrationError) as refused:
        migrate(engine, "downgrade", "0033")

    said = str(refused.value)
    assert "anonymous suggestions of T0LATITUDE, where the app is no longer installed" in said
    assert "`python -m bot workspace purge TEAM_ID`" in said and "install the app there again" in said
    assert "still wait for their release" not in said
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM suggestions WHERE release_at IS NOT NULL")).scalar() == 1
    engine.dispose()


def test_upgrading_keeps_the_numbers_people_saw_and_numbers_an_idea_still_held_when_it_is_released(
    tmp_path: Path,
) -> None:
    """Before migration 0038 a suggestion's number was its id. Those shown keep it exactly (people saw and typed it),
    gaps and all; one still held gets none, nor its sending's id or time, until its release numbers it next."""
    engine = make_engine(f"sqlite:///{tmp_path / 'before.db'}")
    upgrade(engine)
    sessions = make_session_factory(engine)
    load_org_and_policy(sessions, MONDAY_MORNING)
    due = MONDAY_MORNING + timedelta(minutes=20)
    with sessions.begin() as session:
        workspace = session.scalars(select(Workspace)).one()
        author = employee(session, "U0AGENT1")
        for what in ("A second card reader", "Fewer surveys", "Quieter headsets", "A shorter refund script"):
            request = SuggestionRequest(what=what)
            lifecycle.submit(
                session, workspace=workspace, author=author, request=request, relay=None, now=MONDAY_MORNING
            )
    migrate(engine, "downgrade", "0037")
    with engine.begin() as connection:  # as 0037 left them: ids with gaps (other workspaces'), the last one held
        connection.execute(text("UPDATE suggestions SET id = id * 10"))
        connection.execute(text("UPDATE sqlite_sequence SET seq = 40 WHERE name = 'suggestions'"))
        connection.execute(text("UPDATE suggestions SET release_at = :due WHERE id = 40"), {"due": due})

    migrate(engine, "upgrade", "head")

    with sessions() as session:
        rows = {row.what: row for row in session.scalars(select(Suggestion))}
    assert [rows[what].number for what in ("A second card reader", "Fewer surveys", "Quieter headsets")] == [10, 20, 30]
    held = rows["A shorter refund script"]
    assert held.number is None and held.id < 0 and held.created_at == held.updated_at == due
    with sessions.begin() as session:
        [released] = release.release_due(session, now=due)
        assert released.number == 31
        workspace = session.scalars(select(Workspace)).one()
        request = SuggestionRequest(what="Two screens at the returns desk")
        named = lifecycle.submit(
            session, workspace=workspace, author=employee(session, "U0AGENT2"), request=request, relay=None, now=due
        )
        assert named.number == 32
        assert named.id == 41, "the held idea's old id is never given again, nor one counted from below zero"
    engine.dispose()


def test_downgrading_below_the_suggestion_numbers_refuses_once_one_was_numbered_apart_from_its_id(
    tmp_path: Path,
) -> None:
    """Before migration 0038 the number shown was the id: undone with an idea numbered since otherwise (or held, with
    a random id), its card's buttons would act on another idea. Undone before that, nothing is lost."""
    engine = make_engine(f"sqlite:///{tmp_path / 'before.db'}")
    upgrade(engine)
    sessions = make_session_factory(engine)
    load_org_and_policy(sessions, MONDAY_MORNING)
    with sessions.begin() as session:
        workspace = session.scalars(select(Workspace)).one()
        request = SuggestionRequest(what="A second card reader")
        author = employee(session, "U0AGENT1")
        lifecycle.submit(session, workspace=workspace, author=author, request=request, relay=None, now=MONDAY_MORNING)
    migrate(engine, "downgrade", "0037")
    migrate(engine, "upgrade", "head")
    with engine.begin() as connection:
        connection.execute(text("UPDATE suggestions SET number = 7"))

    with pytest.raises(MigrationError, match=r"1 suggestion\(s\) were numbered when shown .* nothing changed"):
        migrate(engine, "downgrade", "0037")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT number FROM suggestions")).scalar() == 7
    engine.dispose()
