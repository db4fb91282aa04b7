"""Guard rails: imports flow bot -> handlers -> services -> models; migrations match the models; jobs are scheduled."""

import ast
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine

from bot.scheduler import SCHEDULE, build_scheduler
from handlers.deps import Deps
from models import Base

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
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_every_job_in_the_schedule_is_registered(sessions) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    from slack_sdk import WebClient

    deps = Deps(sessions=sessions, now=lambda: datetime(2026, 3, 2, tzinfo=UTC))
    scheduler = build_scheduler(deps, WebClient(token="xoxb-x"), lambda: True)

    assert sorted(job.id for job in scheduler.get_jobs()) == sorted(job.name for job in SCHEDULE)
