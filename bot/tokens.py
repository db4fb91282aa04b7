"""Each installed workspace's bot token, and its renewal when token rotation is on.

A refresh token is good once. Two places renew: Bolt's authorize (bot/authorize.py), in front of every request, and
`WorkspaceTokens`, for the background sender and the scheduler. Both renew through one `Renewals`
(bot/renewals.py).
"""

import base64
import copy
import hashlib
import hmac
import logging
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from cryptography.fernet import Fernet, InvalidToken
from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from sqlalchemy import Engine, MetaData, Table, and_, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.renewals import ROTATE_MINUTES_BEFORE_EXPIRY, TOKEN_MARGIN_SECONDS, Renewals
from bot.settings import Settings
from models import Workspace, slack_bots, slack_installations

log = logging.getLogger(__name__)
CACHE_SECONDS = 60.0

SEALED = "sealed:"
SECRET_FIELDS = ("bot_token", "bot_refresh_token", "user_token", "user_refresh_token")
Stored = TypeVar("Stored", Installation, Bot)


class TokenSeal:
    """Tokens encrypted (Fernet) under a key derived from SLACK_CLIENT_SECRET, which the database never holds: a
    copy of the database or of its backups gives no workspace's token. A token stored in clear (before tokens
    were sealed) is read as it is, and sealed when the bot next starts (`InstallationStore.seal_stored_in_clear`)."""

    def __init__(self, client_secret: str) -> None:
        key = hmac.new(client_secret.encode(), b"latitude:bot-tokens", hashlib.sha256).digest()
        self._fernet = Fernet(base64.urlsafe_b64encode(key))

    def sealed(self, value: str | None) -> str | None:
        if not value or value.startswith(SEALED):
            return value
        return SEALED + self._fernet.encrypt(value.encode()).decode()

    def opened(self, value: str | None) -> str | None:
        """The token; None when it was sealed under another client secret (the app must be installed again)."""
        if not value or not value.startswith(SEALED):
            return value
        try:
            return self._fernet.decrypt(value.removeprefix(SEALED).encode()).decode()
        except InvalidToken:
            log.warning("a stored bot token was sealed under another SLACK_CLIENT_SECRET: install the app again")
            return None

    def each(self, stored: Stored, change: Callable[[str | None], str | None]) -> Stored:
        """A copy of the installation or bot with each token field changed by `change`."""
        changed = copy.copy(stored)
        for field in SECRET_FIELDS:
            if hasattr(changed, field):
                setattr(changed, field, change(getattr(changed, field)))
        return changed


class InstallationStore(SQLAlchemyInstallationStore):
    """slack_sdk's store, on the tables our migrations made instead of its own `create_tables`, with the tokens
    sealed (`TokenSeal`) on the way in and opened on the way out."""

    def __init__(self, *, client_id: str, engine: Engine, seal: TokenSeal) -> None:
        super().__init__(client_id=client_id, engine=engine)
        self._seal = seal

    def save(self, installation: Installation) -> None:
        super().save(self._seal.each(installation, self._seal.sealed))

    def save_bot(self, bot: Bot) -> None:
        super().save_bot(self._seal.each(bot, self._seal.sealed))

    def seal_stored_in_clear(self) -> int:
        """Seal the tokens stored before tokens were sealed, which are read as they are: at start, so that from then on
        no copy of the database holds one in clear, whether or not the token is ever renewed. How many rows changed."""
        changed = 0
        with self.engine.begin() as connection:
            for table in (slack_installations, slack_bots):
                fields = [table.c[name] for name in SECRET_FIELDS if name in table.c]
                in_clear = or_(*(and_(field.is_not(None), field != "", ~field.startswith(SEALED)) for field in fields))
                for row in connection.execute(select(table.c.id, *fields).where(in_clear)).all():
                    values = {field.name: self._seal.sealed(row._mapping[field.name]) for field in fields}
                    connection.execute(update(table).where(table.c.id == row.id).values(**values))
                    changed += 1
        return changed

    def find_bot(self, **kwargs: Any) -> Bot | None:
        return self._opened(super().find_bot, kwargs)

    def find_installation(self, **kwargs: Any) -> Installation | None:
        return self._opened(super().find_installation, kwargs)

    def _opened(self, find: Callable[..., Stored | None], wanted: dict[str, Any]) -> Stored | None:
        found = find(**wanted)
        if found is None and (before := _before_joining_an_org(wanted)) is not None:
            found = find(**before)
        return None if found is None else self._seal.each(found, self._seal.opened)

    @classmethod
    def build_installations_table(cls, metadata: MetaData, table_name: str) -> Table:
        return slack_installations

    @classmethod
    def build_bots_table(cls, metadata: MetaData, table_name: str) -> Table:
        return slack_bots


class RequestInstallStore(InstallationStore):
    """The store Bolt's authorize reads each request's token from. Latitude asks Slack for no person's own token (the
    manifest names no user scopes), so Bolt's look-up of the caller's own install (by `user_id`), made for every
    request from someone other than the installer, is answered without a read: it holds no token the app would use
    (Bolt takes its bot token only when the workspace's install has none, and then there is no bot to serve)."""

    def find_installation(self, **kwargs: Any) -> Installation | None:
        if kwargs.get("user_id") is not None:
            return None
        return super().find_installation(**kwargs)


def _before_joining_an_org(wanted: dict[str, Any]) -> dict[str, Any] | None:
    """A workspace's own install looked up under its Grid org: the same look-up as the workspace was before it joined.

    Slack keeps a workspace's install and token when the workspace migrates into an Enterprise Grid org, and from
    then on names the org (`enterprise_id`) with each of its requests; the install stored before the migration names
    none. A team id is unique across Slack, so that install is this workspace's. None when there is no such look-up.
    """
    if wanted.get("is_enterprise_install") or not wanted.get("team_id") or not wanted.get("enterprise_id"):
        return None
    return {**wanted, "enterprise_id": None}


class WorkspaceTokens:
    """Each installed workspace's bot token from the installation store, renewed before it expires when
    token rotation is on, and kept in this process for a minute."""

    def __init__(self, store: InstallationStore, sessions: sessionmaker[Session], renewals: Renewals | None) -> None:
        self.store = store
        self._sessions = sessions
        self.renewals = renewals
        self._cache: dict[int, tuple[str, float]] = {}
        self._lock = threading.Lock()
        self._lookups: dict[int, threading.Lock] = {}

    def token_for(self, workspace_id: int) -> str | None:
        """The token; raises SlackClientError when Slack refused to renew it (the caller tries again later).
        One thread at a time looks a workspace's token up: the others then find it kept."""
        cached = self._cached(workspace_id)
        if cached is not None:
            return cached
        with self._lock:
            lookup = self._lookups.setdefault(workspace_id, threading.Lock())
        with lookup:
            return self._cached(workspace_id) or self._load(workspace_id)

    def _cached(self, workspace_id: int) -> str | None:
        with self._lock:
            cached = self._cache.get(workspace_id)
        return cached[0] if cached is not None and cached[1] > time.monotonic() else None

    def _load(self, workspace_id: int) -> str | None:
        with self._sessions() as session:
            workspace = session.get(Workspace, workspace_id)
            if workspace is None or workspace.uninstalled_at is not None:
                return None
            enterprise_id, org_wide, team_id = workspace.enterprise_id, workspace.org_wide, workspace.slack_team_id
        installation = self.store.find_installation(
            enterprise_id=enterprise_id, team_id=None if org_wide else team_id, is_enterprise_install=org_wide
        )
        if installation is None or not installation.bot_token:
            log.warning("workspace %s (%s) has no stored install: its messages are dropped", workspace_id, team_id)
            return None
        refused = False
        if self.renewals is not None and installation.bot_refresh_token:
            installation, refused = self.renewals.renewed(installation)
        self._remember(workspace_id, str(installation.bot_token), installation.bot_token_expires_at, refused=refused)
        return str(installation.bot_token)

    def forget(self, workspace_id: int) -> None:
        with self._lock:
            self._cache.pop(workspace_id, None)

    def _remember(self, workspace_id: int, token: str, expires_at: int | None, *, refused: bool = False) -> None:
        """Keep a token until it is due for renewal; one Slack would not renew, until it is nearly out (asking
        again on every message would only be refused again)."""
        keep = CACHE_SECONDS
        if expires_at is not None and self.renewals is not None:
            before = TOKEN_MARGIN_SECONDS if refused else ROTATE_MINUTES_BEFORE_EXPIRY * 60
            keep = min(keep, expires_at - time.time() - before)
        with self._lock:
            self._cache[workspace_id] = (token, time.monotonic() + keep)


def workspace_tokens(settings: Settings, engine: Engine, sessions: sessionmaker[Session]) -> WorkspaceTokens | None:
    """Per-workspace tokens with OAuth installs; None with one workspace and its SLACK_BOT_TOKEN."""
    if not settings.oauth:
        return None
    assert settings.slack_client_id and settings.slack_client_secret
    store = InstallationStore(
        client_id=settings.slack_client_id, engine=engine, seal=TokenSeal(settings.slack_client_secret)
    )
    if sealed := store.seal_stored_in_clear():
        log.info("sealed the tokens of %d installation row(s) stored in clear", sealed)
    return WorkspaceTokens(store, sessions, Renewals(settings, store) if settings.token_rotation else None)
