"""Generate a large org and its history, fast, for the benchmarks (SQLite or PostgreSQL). Run by hand.

    python -m benchmarks.generate --database-url sqlite:///bench-1y.db --years 1

One workspace; 10,000 employees by default, a tenth of them managers in a 5-level tree; resolutions spread evenly
over the history (1,000,000 a year by default) and written in bulk: SQLAlchemy Core `insert()` with
lists of dicts, or COPY on PostgreSQL. Each kind of history is one function in HISTORY: resolutions here,
nominations with their grants and pulse rounds with their answers in benchmarks/history.py.
"""

import argparse
import random
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select, text

from benchmarks.bulk import BATCH, Org, Span, bulk, reset_sequences
from benchmarks.history import generate_pulse, generate_recognition
from models import Employee, Resolution, Team, Workspace
from models.engine import make_engine, make_session_factory
from models.schema import upgrade
from services.policy.versions import load_policy

MANAGER_LEVELS = (1, 9, 90, 300, 600)
"""Managers per level in an org of 10,000; a smaller or bigger org has as many in proportion (at least one each)."""
LEVELS_ORG = 10_000
ZONES = ("America/New_York", "America/Chicago", "America/Los_Angeles", "Europe/London", "Europe/Paris", "Asia/Tokyo")
CATEGORIES = ("refund", "credit", "replacement", "fee_waiver", "reschedule")
COMPLAINTS = (
    "parcel arrived late",
    "item damaged in transit",
    "wrong size delivered",
    "charged twice for the order",
    "courier never came",
    "refund promised but not received",
    "long wait on the phone",
    "missing part in the box",
)
FIXES = ("refunded the difference", "sent a new one today", "waived the fee", "moved the delivery", "added a credit")
END = datetime(2026, 3, 2, tzinfo=UTC)


def generate(engine: Engine, *, employees: int, years: int, per_year: int, seed: int = 7) -> Org:
    upgrade(engine)
    rng = random.Random(seed)
    org = generate_org(engine, employees, rng)
    span = Span(start=END - timedelta(days=365 * years), end=END, per_year=per_year)
    for step in HISTORY:
        started = time.perf_counter()
        with engine.begin() as connection:
            written = step(connection, org, span, rng)
        print(f"{step.__name__}: {written:,} rows in {time.perf_counter() - started:.1f} s")
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    return org


# -- the org ----------------------------------------------------------------------------------
def generate_org(engine: Engine, employees: int, rng: random.Random) -> Org:
    with engine.begin() as connection:
        if connection.scalar(select(func.count()).select_from(Workspace)):
            raise SystemExit("the database already has data: generate into an empty database")
        workspace_id = connection.execute(
            insert(Workspace).values(slack_team_id="TBENCH", name="Benchmark", created_at=END).returning(Workspace.id)
        ).scalar_one()
        levels = manager_levels(employees)
        rows, manager_of = _people(workspace_id, employees, levels, rng)
        connection.execute(
            insert(Team),
            [{"id": n + 1, "workspace_id": workspace_id, "name": f"Team {n + 1:04d}"} for n in range(levels[-1])],
        )
        for start in range(0, len(rows), BATCH):
            connection.execute(insert(Employee), rows[start : start + BATCH])
        reset_sequences(connection, ("teams", "employees"))
    with make_session_factory(engine).begin() as session:
        workspace = session.get_one(Workspace, workspace_id)
        version = load_policy(session, workspace=workspace, text=_policy_text(), loaded_by="benchmark", now=END)
        frontline = [row["id"] for row in rows if row["role"] == "frontline"]
        return Org(workspace_id, version.id, frontline, manager_of)


def manager_levels(employees: int) -> list[int]:
    """How many managers each level has, in proportion to the org's size; stops an org too small for any frontline."""
    levels = [max(1, round(size * employees / LEVELS_ORG)) for size in MANAGER_LEVELS]
    if sum(levels) >= employees:
        raise SystemExit(f"--employees {employees} is too few: {sum(levels)} managers leave nobody on the front line")
    return levels


def _people(
    workspace_id: int, employees: int, levels: list[int], rng: random.Random
) -> tuple[list[dict[str, Any]], dict[int, int]]:
    """Managers level by level (each reports to one of the level above), then frontline under the last level."""
    rows: list[dict[str, Any]] = []
    manager_of: dict[int, int] = {}
    above: list[int] = []
    for size in levels:
        level = [len(rows) + n + 1 for n in range(size)]
        for n, person in enumerate(level):
            boss = above[n % len(above)] if above else None
            rows.append(_person(workspace_id, person, "manager", boss, None, rng))
            if boss:
                manager_of[person] = boss
        above = level
    for n in range(employees - len(rows)):
        person, boss = len(rows) + 1, above[n % len(above)]
        rows.append(_person(workspace_id, person, "frontline", boss, above.index(boss) + 1, rng))
        manager_of[person] = boss
    return rows, manager_of


def _person(
    workspace_id: int, person: int, role: str, boss: int | None, team: int | None, rng: random.Random
) -> dict[str, Any]:
    return {
        "id": person,
        "workspace_id": workspace_id,
        "slack_id": f"UB{person:07d}",
        "name": f"Person {person:05d}",
        "email": f"p{person}@example.com",
        "role": role,
        "profile": None if role == "manager" else "agent",
        "team_id": team,
        "manager_id": boss,
        "tz": rng.choice(ZONES),
        "active": True,
        "in_directory": True,
        "created_at": END,
        "updated_at": END,
    }


def _policy_text() -> str:
    from pathlib import Path

    return (Path(__file__).resolve().parent.parent / "policy.example.toml").read_text()


# -- history: one function per kind -------------------------------------------------------------
def generate_resolutions(connection: Connection, org: Org, span: Span, rng: random.Random) -> int:
    """`per_year` resolutions a year, in time order; pending ones only in the last two weeks."""
    total = round(span.per_year * (span.end - span.start).days / 365)
    step = (span.end - span.start) / total
    rows = (_resolution(org, span.start + step * n, span.end, rng) for n in range(total))
    return bulk(connection, Resolution.__table__, rows)  # type: ignore[arg-type]


def _resolution(org: Org, at: datetime, end: datetime, rng: random.Random) -> dict[str, Any]:
    employee = rng.choice(org.frontline)
    category = rng.choice(CATEGORIES)
    roll = rng.random()
    status = "within" if roll < 0.85 else "approved" if roll < 0.94 else "declined" if roll < 0.98 else "pending"
    if status == "pending" and end - at > timedelta(days=14):
        status = "approved"
    decided = status in ("approved", "declined")
    amount = Decimal(0) if category == "reschedule" else Decimal(rng.randint(500, 12000)) / 100
    customer = rng.randint(1, 400_000)  # drawn after the amount, as ever, so that a seed gives the same history
    return {
        "workspace_id": org.workspace_id,
        "employee_id": employee,
        "policy_version_id": org.policy_version_id,
        "category": category,
        "amount": amount,
        "currency": "USD",
        "customer_ref": f"order {customer}",
        "customer_key": str(customer),
        "summary": f"{rng.choice(COMPLAINTS)}, {rng.choice(FIXES)}",
        "customer_outcome": rng.choice(("happy", "happy", "neutral", "unhappy", None)),
        "status": status,
        "exceeded": None if status == "within" else "per-incident limit",
        "created_at": at,
        "decider_id": None if status == "within" else org.manager_of[employee],
        "decided_by_id": org.manager_of[employee] if decided else None,
        "decided_at": at + timedelta(hours=2) if decided else None,
    }


HistoryStep = Callable[[Connection, Org, Span, random.Random], int]
HISTORY: list[HistoryStep] = [generate_resolutions, generate_recognition, generate_pulse]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--employees", type=int, default=10_000)
    parser.add_argument("--years", type=int, default=1)
    parser.add_argument("--per-year", type=int, default=1_000_000)
    args = parser.parse_args()
    started = time.perf_counter()
    generate(make_engine(args.database_url), employees=args.employees, years=args.years, per_year=args.per_year)
    print(f"generated in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
