"""a suggestion's number, given when it is shown

Revision ID: 0038
Revises: 0037
Create Date: 2026-12-05 18:00:00.000000

A suggestion's number (#N) was its row id, given when it was sent: an anonymous idea held 5 to 30 minutes arrived
as #41 after Lee's #42 and told its owner it was sent before Lee's. Now each is numbered when it is shown, the next
of its workspace: a named one at once, an anonymous one on its release. Those shown already keep the number people
have seen and typed (their id); those still held get none until their release, and a random id and the release's
time in place of the sending's, which counted up and dated them in the order they were sent.
"""

import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

from models.schema import MigrationError

revision: str = "0038"
down_revision: str | None = "0037"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SHOWN_OR_HELD = "(release_at IS NULL AND number IS NOT NULL) OR (release_at IS NOT NULL AND number IS NULL)"


def upgrade() -> None:
    op.add_column("suggestions", sa.Column("number", sa.Integer(), nullable=True))
    bind = op.get_bind()
    bind.execute(sa.text("UPDATE suggestions SET number = id WHERE release_at IS NULL"))
    held = bind.scalars(sa.text("SELECT id FROM suggestions WHERE release_at IS NOT NULL ORDER BY id")).all()
    taken: set[int] = set()
    for old in held:  # nothing refers to a held idea yet: nobody could back it (services/suggestions/release.py)
        new = _random_id(taken)
        bind.execute(
            sa.text(
                "UPDATE suggestions SET id = :new, created_at = release_at, updated_at = release_at WHERE id = :old"
            ),
            {"new": new, "old": old},
        )
    with _counting_on(), op.batch_alter_table("suggestions", schema=None, table_kwargs=KEEP_AUTOINCREMENT) as batch_op:
        batch_op.create_unique_constraint(batch_op.f("uq_suggestions_workspace_id"), ["workspace_id", "number"])
        batch_op.create_check_constraint("number", SHOWN_OR_HELD)


KEEP_AUTOINCREMENT = {"sqlite_autoincrement": True}
"""SQLite's copy of the table keeps counting ids on from the highest ever given (0023): never one given twice. Without
it, a table whose highest id is a held idea's random one below zero would give the next named idea the one above it,
saying which came first."""


@contextmanager
def _counting_on() -> Iterator[None]:
    """SQLite's copy of the table counts on from its highest id left, below a held idea's old id, which was moved below
    zero: the counter as it was is written back, so that id is never given to another idea."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        yield
        return
    counted = bind.scalar(sa.text("SELECT seq FROM sqlite_sequence WHERE name = 'suggestions'")) or 0
    yield
    kept = bind.execute(
        sa.text("UPDATE sqlite_sequence SET seq = max(seq, :counted) WHERE name = 'suggestions'"), {"counted": counted}
    )
    if not kept.rowcount and counted:  # every id left below zero: the copy counted nothing
        bind.execute(
            sa.text("INSERT INTO sqlite_sequence (name, seq) VALUES ('suggestions', :counted)"), {"counted": counted}
        )


def _random_id(taken: set[int]) -> int:
    """Below zero, where the database's own counter never goes, as services/suggestions/numbers.py draws them."""
    while (drawn := -(secrets.randbelow(2**31 - 1) + 1)) in taken:
        pass
    taken.add(drawn)
    return drawn


def downgrade() -> None:
    _refuse_numbers_given_since()
    with _counting_on(), op.batch_alter_table("suggestions", schema=None, table_kwargs=KEEP_AUTOINCREMENT) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_suggestions_number"), type_="check")
        batch_op.drop_constraint(batch_op.f("uq_suggestions_workspace_id"), type_="unique")
        batch_op.drop_column("number")


def _refuse_numbers_given_since() -> None:
    """Before this revision a suggestion's number was its id. One numbered since (or held, with a random id) would
    show under another number than the one people saw, and a button on its card would act on another suggestion."""
    renumbered = op.get_bind().scalar(
        sa.text("SELECT count(*) FROM suggestions WHERE id < 0 OR (number IS NOT NULL AND number <> id)")
    )
    if renumbered:
        raise MigrationError(
            f"{renumbered} suggestion(s) were numbered when shown (or wait, anonymous, for their release) since "
            "migration 0038: before it a suggestion's number was its id, so they would show under other numbers than "
            "the ones people saw and typed, and the buttons on their cards would act on other suggestions. Stay on "
            "this release, or restore a backup taken before the upgrade; nothing changed."
        )
