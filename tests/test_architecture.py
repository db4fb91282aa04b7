"""Guard rails: imports flow bot -> handlers -> services -> models; migrations match the models; jobs are scheduled."""

import ast
import warnings
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine
from sqlalchemy.exc import SAWarning

from bot.scheduler import SCHEDULE
from models import Base
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
