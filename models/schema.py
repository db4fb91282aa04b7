"""Schema migrations: upgrade a database and tell whether it is behind the code.

Telling is a plain read of Alembic's version table against `HEAD_REVISION`: every process checks it at
start, and loading Alembic and its migration scripts to learn the head cost more than the rest of a
small export (a test keeps the constant equal to the scripts' head). Alembic loads only to upgrade.
"""

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")
HEAD_REVISION = "0060"
"""The newest migration in `migrations/versions`; raise it with every new migration."""
VERSION_TABLE = "alembic_version"
_NUMBERED = re.compile(r"\d{4}")
"""Our revisions' ids: four digits, in the order they were written."""
MIGRATION_LOCK = 0x1A717E
"""PostgreSQL advisory lock key one upgrade holds while it runs (the scheduler's leader holds 0x1A717D)."""


@dataclass(frozen=True)
class SchemaState:
    current: frozenset[str]
    head: frozenset[str]
    unversioned: bool = False
    """Tables named as ours, and no version table: a database `db upgrade` did not make (an upgrade would fail on
    the first of them). Anyone else's tables (an extension's, such as PostGIS's `spatial_ref_sys`) do not count."""

    @property
    def is_current(self) -> bool:
        return self.current == self.head

    @property
    def is_ahead(self) -> bool:
        """Newer than the code (a rollback after an upgrade): revisions are numbered, so they sort as written."""
        return any(revision > max(self.head) for revision in self.current)

    @property
    def is_foreign(self) -> bool:
        """Not a schema any release made: tables without a version, or a version that is not one of our numbers
        (a fork's, or written by hand). An upgrade would fail on it half-way through Alembic."""
        return (not self.current and self.unversioned) or any(not _NUMBERED.fullmatch(r) for r in self.current)

    @property
    def is_refused(self) -> bool:
        """Neither `run` nor `db upgrade` goes on: only the operator can say what this database is."""
        return self.is_ahead or self.is_foreign

    def describe(self) -> str:
        current, head = ", ".join(sorted(self.current)) or "empty", ", ".join(sorted(self.head))
        if self.is_foreign and not self.current:
            return (
                "the database holds tables but no Latitude schema version: `python -m bot db upgrade` did not make "
                "it (another application's?); point DATABASE_URL at Latitude's own database, or an empty one"
            )
        if self.is_foreign:
            return (
                f"the database schema is at {current}, which no Latitude release made (this code knows up to "
                f"{head}): restore a backup taken before it was changed"
            )
        if self.is_ahead:
            return (
                f"the database schema is newer than this code (at {current}, this code knows up to {head}): run "
                "the release that upgraded it, or restore a backup taken before the upgrade"
            )
        return f"the database schema is behind the code (at {current}, code needs {head})"


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
    migrate(engine, "upgrade", revision)


def migrate(engine: Engine, direction: str, revision: str) -> None:
    """Alembic's `upgrade` or `downgrade`, in one transaction.

    On SQLite foreign keys are off meanwhile, and checked before the commit: a migration that changes a
    table there rebuilds it (a copy, the old one dropped, the copy renamed), and dropping a table other rows
    point at fails while they are on. They can only be switched outside a transaction.
    """
    from alembic import command

    config = alembic_config()
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
        try:
            with connection.begin():
                if connection.dialect.name == "postgresql":
                    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
                config.attributes["connection"] = connection
                getattr(command, direction)(config, revision)
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall() if sqlite else []
                if broken:
                    raise MigrationError(f"the migration would leave rows pointing at nothing: {broken[:5]}")
        finally:
            if sqlite:
                connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")  # type: ignore[union-attr]


class MigrationError(Exception):
    pass


def schema_state(engine: Engine) -> SchemaState:
    from models.base import Base

    with engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
        if VERSION_TABLE not in tables:
            current: frozenset[str] = frozenset()
        else:
            current = frozenset(connection.scalars(text(f"SELECT version_num FROM {VERSION_TABLE}")))
    ours = tables & set(Base.metadata.tables)
    return SchemaState(current=current, head=frozenset({HEAD_REVISION}), unversioned=bool(ours))
