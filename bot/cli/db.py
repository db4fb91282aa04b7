"""`db upgrade` / `db status`: the schema."""

import argparse

from sqlalchemy.exc import SQLAlchemyError

from bot.cli.common import database
from bot.settings import database_url_from
from bot.startup import StartupError, describe_url, first_line
from models.schema import MigrationError, SchemaState, schema_state, upgrade


def add_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser("db", help="database schema")
    actions = parser.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    actions.add_parser("upgrade", help="create or update the schema to this version").set_defaults(handler=run_upgrade)
    actions.add_parser("status", help="say whether the schema is current (exit 1 when it is not)").set_defaults(
        handler=run_status
    )


def run_upgrade(_args: argparse.Namespace) -> int:
    engine = database(check_schema=False, create=True)
    state = schema_state(engine)
    if state.is_refused:
        raise StartupError(state.describe())
    try:
        upgrade(engine)
    except (MigrationError, SQLAlchemyError) as error:
        raise StartupError(
            f"the upgrade failed and changed nothing (at {', '.join(sorted(state.current)) or 'empty'}): "
            f"{first_line(error)}"
        ) from None
    print(f"database {describe_url(database_url_from())} is at {', '.join(sorted(schema_state(engine).head))}")
    return 0


def run_status(_args: argparse.Namespace) -> int:
    state = schema_state(database(check_schema=False))
    if state.is_current:
        print(f"schema is current ({', '.join(sorted(state.head))})")
        return 0
    print(state.describe() + ("" if state.is_refused else upgrade_hint(state)))
    return 1


def upgrade_hint(state: SchemaState) -> str:
    """What to do about a schema behind the code, as `run` says it: an empty database has nothing to back up."""
    if not state.current:
        return ": run `python -m bot db upgrade` to create it"
    return ": back the database up, then run `python -m bot db upgrade`"
