"""Guard rails: imports flow bot -> handlers -> services -> models; migrations match the models; jobs are scheduled."""

import ast
import warnings
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, text
from sqlalchemy.exc import SAWarning

from bot.scheduler import SCHEDULE
from models import Base, RewardGrant
from models.schema import HEAD_REVISION, script_heads

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ("bot", "handlers", "services", "models")
SLACK_AND_SCHEDULER = ("slack_bolt", "slack_sdk", "apscheduler")


def imports_of(package: str) -> list[tuple[str, str]]:
    found = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                found += [(str(path.relative_to(ROOT)), alias.name) for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.append((str(path.relative_to(ROOT)), node.module))
    return found


@pytest.mark.parametrize("package", LAYERS)
def test_imports_only_flow_down_the_layers(package: str) -> None:
    below = LAYERS[LAYERS.index(package) :]
    wrong = [
        (where, module)
        for where, module in imports_of(package)
        if module.split(".")[0] in LAYERS and module.split(".")[0] not in below
    ]
    assert wrong == []


@pytest.mark.parametrize("package", ["services", "models"])
def test_only_bot_and_handlers_know_slack_or_the_scheduler(package: str) -> None:
    wrong = [(where, module) for where, module in imports_of(package) if module.split(".")[0] in SLACK_AND_SCHEDULER]
    assert wrong == []


def test_the_migrations_create_exactly_the_models(engine: Engine) -> None:
    with engine.connect() as connection, warnings.catch_warnings():
        # Expression indexes can't be reflected on SQLite: tests/e2e/test_database.py checks that one is used.
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based index", SAWarning)
        warnings.filterwarnings("ignore", "autogenerate skipping metadata-specified expression-based index")
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_the_latest_public_grants_index_holds_what_the_model_says(engine: Engine) -> None:
    """The comparison above reads no partial index's WHERE: the migration's must be the model's, or the App Home's
    latest shout-outs (which filter by the model's) would leave the index for a walk of every grant. PostgreSQL
    rewrites a predicate as it stores it, so the model's is stored the same way on a scratch copy of the table."""
    [index] = [index for index in RewardGrant.__table__.indexes if index.name == "ix_reward_grants_public_latest"]
    predicate = str(index.dialect_options[engine.dialect.name]["where"])
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            found = connection.scalar(text("SELECT sql FROM sqlite_master WHERE name = :name"), {"name": index.name})
            expected = f"WHERE {predicate}"
        else:
            found = connection.scalar(text("SELECT pg_get_indexdef(CAST(:name AS regclass))"), {"name": index.name})
            connection.execute(text("CREATE TEMPORARY TABLE model_grants (LIKE reward_grants) ON COMMIT DROP"))
            connection.execute(text(f"CREATE INDEX model_public_latest ON model_grants (id) WHERE {predicate}"))
            made = connection.scalar(text("SELECT pg_get_indexdef(CAST('model_public_latest' AS regclass))"))
            expected = made[made.index(" WHERE ") + 1 :]
            connection.rollback()
    assert found.endswith(f" {expected}"), (found, expected)


def test_the_head_every_process_checks_is_the_newest_migration() -> None:
    assert script_heads() == {HEAD_REVISION}, "raise models.schema.HEAD_REVISION to the new migration's revision"


def test_a_listener_never_drains_the_outbox() -> None:
    """Only scheduled jobs (handlers/jobs/) send a fan-out; a listener queues and wakes the background sender."""
    listeners = [(where, module) for where, module in imports_of("handlers") if not where.startswith("handlers/jobs/")]
    assert [(where, module) for where, module in listeners if module.startswith("handlers.jobs")] == []


def test_every_job_module_is_in_the_schedule() -> None:
    modules = {path.stem for path in (ROOT / "handlers" / "jobs").glob("*.py") if path.stem != "__init__"}
    assert modules == {job.name for job in SCHEDULE}
    assert all(job.tick.__module__ == f"handlers.jobs.{job.name}" for job in SCHEDULE)


def test_no_module_is_over_300_lines() -> None:
    lengths = {
        str(path.relative_to(ROOT)): len(path.read_text().splitlines())
        for layer in LAYERS
        for path in (ROOT / layer).rglob("*.py")
        if "migrations" not in path.parts
    }
    assert {path: lines for path, lines in lengths.items() if lines > 300} == {}
