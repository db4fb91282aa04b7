"""Schema migrations: upgrade a database and tell whether it is behind the code.

Telling is a plain read of Alembic's version table against `HEAD_REVISION`: every process checks it at
start, and loading Alembic and its migration scripts to learn the head cost more than the rest of a
small export (a test keeps the constant equal to the scripts' head). Alembic loads only to upgrade.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")
HEAD_REVISION = "0014"
"""The newest migration in `migrations/versions`; raise it with every new migration."""
VERSION_TABLE = "alembic_version"


@dataclass(frozen=True)
class SchemaState:
    current: frozenset[str]
    head: frozenset[str]

    @property
    def is_current(self) -> bool:
        return self.current == self.head


def alembic_config() -> "Config":
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def script_heads() -> frozenset[str]:
    """The head revisions as Alembic reads them from the migration scripts."""
    from alembic.script import ScriptDirectory

    return frozenset(ScriptDirectory.from_config(alembic_config()).get_heads())


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def schema_state(engine: Engine) -> SchemaState:
    with engine.connect() as connection:
        if not inspect(connection).has_table(VERSION_TABLE):
            current: frozenset[str] = frozenset()
        else:
            current = frozenset(connection.scalars(text(f"SELECT version_num FROM {VERSION_TABLE}")))
    return SchemaState(current=current, head=frozenset({HEAD_REVISION}))
