"""Per-process copies of what rarely changes: people by Slack id and the policy in force, per workspace.

A copy is used only while the workspace's `config_version` (read with the workspace at the start of each
request's transaction) equals the version it was taken under. An org import, a policy load and a profile
update bump that version in their own transaction (`bump`), so every process, whichever made the change,
reads fresh rows on its next request: someone an import deactivated loses their powers at once.

A copy is taken after its version was read, so it is never older than that version. The cache lives on
a session factory (`session.info`), put there by bot/; a session without one reads everything afresh.

A copy also names the workspace row it came from (its team and when it was added), not only its id. Since
migration 0023 no id is given twice, on SQLite (AUTOINCREMENT) as on PostgreSQL (sequences), so a workspace
added after another was purged never gets the purged one's id; the stamp stays as a cheap second guard, since a
new workspace counts versions from 0 again, and an id and a version alone would hand it another's policy and people.
"""

import threading
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from models import Workspace

T = TypeVar("T")
SESSION_KEY = "config_cache"
Stamp = tuple[int, str, datetime]


class ConfigCache:
    """Detached copies keyed by workspace; thread-safe, shared by one process's sessions."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[tuple[str, int, str], tuple[Stamp, Any]] = {}

    def get(self, kind: str, workspace: Workspace, key: str) -> Any | None:
        with self._lock:
            found = self._entries.get((kind, workspace.id, key))
        return found[1] if found is not None and found[0] == _stamp(workspace) else None

    def put(self, kind: str, workspace: Workspace, key: str, value: Any, stamp: Stamp | None = None) -> None:
        with self._lock:
            self._entries[(kind, workspace.id, key)] = (stamp or _stamp(workspace), value)


def _stamp(workspace: Workspace) -> Stamp:
    """The workspace row and the version of its people and policy a copy was taken under."""
    return workspace.config_version, workspace.slack_team_id, workspace.created_at


def cache_of(session: Session) -> ConfigCache | None:
    cache = session.info.get(SESSION_KEY)
    return cache if isinstance(cache, ConfigCache) else None


def bump(session: Session, workspace: Workspace) -> None:
    """Tell every process that people or the policy changed; the update commits with the change itself."""
    workspace.config_version = Workspace.config_version + 1  # type: ignore[assignment]
    session.flush()


def put_once_committed(session: Session, kind: str, workspace: Workspace, key: str, row: Any) -> None:
    """This process's copy of `row` as the session wrote it, once that commits (never if it rolls back): for a change
    no other process needs at once (no `bump`), which a stale copy would otherwise make every request write again."""
    cache = cache_of(session)
    if cache is None:
        return
    copy, stamp = detached_copy(row), _stamp(workspace)  # now: a commit expires the session's rows
    pending = [lambda: cache.put(kind, workspace, key, copy, stamp)]

    def committed(ended: Session) -> None:
        if pending and not ended.in_nested_transaction():  # a savepoint released: its transaction may roll back
            pending.pop()()

    def rolled_back(ended: Session) -> None:
        if not ended.in_nested_transaction():
            pending.clear()

    event.listen(session, "after_commit", committed)
    event.listen(session, "after_rollback", rolled_back)


def detached_copy(row: T, depth: int = 2) -> T:
    """A copy of a loaded row (and the relationships it had loaded) that belongs to no session."""
    state = inspect(row)
    mapper = state.mapper
    copy = mapper.class_manager.new_instance()
    for column in mapper.column_attrs:
        if column.key in state.dict:
            set_committed_value(copy, column.key, state.dict[column.key])
    make_transient_to_detached(copy)
    for relationship in mapper.relationships:
        if depth > 0 and relationship.key in state.dict and not relationship.uselist:
            value = state.dict[relationship.key]
            set_committed_value(copy, relationship.key, None if value is None else detached_copy(value, depth - 1))
    return copy  # type: ignore[no-any-return]


def attached(session: Session, copy: T) -> T:
    """The session's own instance of a cached row: the one it already holds, else the copy merged without SQL."""
    key = inspect(copy).key
    held = session.identity_map.get(key) if key is not None else None
    if held is not None:
        return held  # type: ignore[no-any-return]
    return session.merge(copy, load=False)
