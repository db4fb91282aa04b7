"""The end-to-end tests' fake workspace: the people of the orgs the tests import are in it, as in a real workspace
whose org file lists its people (the fixture org, the bigger Support East of the suggestion tests, the pulse org)."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from bot.fakeslack import FakeSlack
from models.engine import make_engine
from models.schema import upgrade
from tests.conftest import FIXTURES
from tests.helpers import add_org_people
from tests.pulse_org import org_csv
from tests.suggestions_helpers import EXTRA_AGENTS


@pytest.fixture
def slack(slack: FakeSlack) -> FakeSlack:
    add_org_people(slack, org_csv())
    add_org_people(slack, (FIXTURES / "org.csv").read_text() + EXTRA_AGENTS)
    return slack


@pytest.fixture
def database_of_its_own(engine: Engine, database_url: str, tmp_path: Path) -> Iterator[Engine]:
    """A database at head beside the tests' one, on the same kind of server: a SQLite file, or a PostgreSQL schema of
    its own (a test may go down a revision and back in it)."""
    if engine.dialect.name != "postgresql":
        own = make_engine(f"sqlite:///{tmp_path / 'before.db'}")
        upgrade(own)
        yield own
        own.dispose()
        return
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS of_its_own CASCADE"))
        connection.execute(text("CREATE SCHEMA of_its_own"))
    separator = "&" if "?" in database_url else "?"
    own = make_engine(f"{database_url}{separator}options=-csearch_path%3Dof_its_own")
    upgrade(own)
    yield own
    own.dispose()
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA of_its_own CASCADE"))
