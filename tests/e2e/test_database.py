"""The database as the product uses it: indexes that serve the hot lookups, pooled connections that survive."""

import pytest
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import OperationalError

from models.engine import make_engine


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


def test_a_customer_s_earlier_fixes_are_found_through_the_case_blind_index(engine: Engine) -> None:
    """`/resolve` looks a customer up by `lower(customer_ref)`: the index must serve that, not a scan."""
    statement = (
        "SELECT id FROM resolutions WHERE workspace_id = 1 AND lower(customer_ref) = 'ord-1' "
        "ORDER BY created_at DESC LIMIT 5"
    )
    with engine.connect() as connection:
        plan = _plan(connection, statement)
        if engine.dialect.name == "sqlite":
            assert "USING INDEX ix_resolutions_customer (workspace_id=? AND <expr>=?)" in plan
        else:
            definition = connection.scalar(
                text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_resolutions_customer'")
            )
            assert "lower((customer_ref)" in str(definition)
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


def test_the_requests_waiting_for_a_manager_are_read_oldest_first_from_the_pending_index(engine: Engine) -> None:
    """The App Home's waiting list: not a walk along the workspace's history until 20 pending ones turn up."""
    statement = (
        "SELECT id FROM resolutions WHERE workspace_id = 1 AND status = 'pending' AND employee_id != 2 "
        "AND (decider_id = 2 OR employee_id IN (SELECT id FROM employees WHERE manager_id = 2)) "
        "ORDER BY created_at, id LIMIT 20"
    )
    with engine.connect() as connection:
        plan = _plan(connection, statement)
    if engine.dialect.name == "sqlite":
        assert "USING INDEX ix_resolutions_waiting (workspace_id=? AND status=?)" in plan
        assert "TEMP B-TREE" not in plan
    else:
        # On a near-empty table PostgreSQL may take either index of pending requests: both skip the history.
        assert "ix_resolutions_waiting" in plan or "ix_resolutions_due" in plan
        assert "ix_resolutions_workspace_created" not in plan


def test_the_reminder_job_reads_only_pending_requests(engine: Engine) -> None:
    """It runs every few minutes over every workspace: pending requests not yet escalated, in age order, never the
    whole history nor the escalated requests nobody decided."""
    statement = (
        "SELECT id FROM resolutions WHERE status = 'pending' AND escalated_at IS NULL ORDER BY created_at LIMIT 200"
    )
    with engine.connect() as connection:
        plan = _plan(connection, statement)
    if engine.dialect.name == "sqlite":
        assert "INDEX ix_resolutions_due (status=? AND escalated_at=?)" in plan
        assert "TEMP B-TREE" not in plan
    else:
        assert "ix_resolutions_due" in plan


def test_the_digest_reads_the_suggestions_done_this_week_from_a_range(engine: Engine) -> None:
    """Not every suggestion the managers ever closed as done, nor the workspace's whole history of them."""
    statement = (
        "SELECT id FROM suggestions WHERE owner_id IN (1, 2, 3) AND status = 'done' AND closed_at >= '2026-11-23'"
    )
    with engine.connect() as connection:
        plan = _plan(connection, statement)
    if engine.dialect.name == "sqlite":
        assert "INDEX ix_suggestions_owner_status (owner_id=? AND status=? AND closed_at>?)" in plan
    else:
        index_condition = plan.split("Index Cond:")[1]
        assert "ix_suggestions_owner_status" in plan and "closed_at >=" in index_condition


def _plan(connection: Connection, statement: str) -> str:
    """The database's plan for a statement, one line; PostgreSQL is told to avoid a scan where an index can
    serve (its tables are tiny here, where a scan would be cheapest)."""
    if connection.dialect.name == "sqlite":
        return " ".join(str(row[-1]) for row in connection.execute(text(f"EXPLAIN QUERY PLAN {statement}")))
    connection.execute(text("SET LOCAL enable_seqscan = off"))
    return " ".join(str(row[0]) for row in connection.execute(text(f"EXPLAIN {statement}")))
