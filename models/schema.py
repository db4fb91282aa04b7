"""Schema migrations: upgrade a database and tell whether it is behind the code."""

from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS = Path(__file__).with_name("migrations")


@dataclass(frozen=True)
class SchemaState:
    current: frozenset[str]
    head: frozenset[str]

    @property
    def is_current(self) -> bool:
        return self.current == self.head


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def schema_state(engine: Engine) -> SchemaState:
    head = frozenset(ScriptDirectory.from_config(alembic_config()).get_heads())
    with engine.connect() as connection:
        current = frozenset(MigrationContext.configure(connection).get_current_heads())
    return SchemaState(current=current, head=head)
