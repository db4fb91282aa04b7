"""Many workspaces: Slack's OAuth v2 install through Bolt, slack_sdk's stores on our database, each workspace's token.

Bolt's `OAuthSettings` serves `/slack/install` and `/slack/oauth_redirect` and finds the right token for
every request; the stores are slack_sdk's own SQLAlchemy ones, on tables our migrations create
(models/slack_installations.py). The background sender and the scheduler, which work outside any request,
ask `WorkspaceTokens` for the token of the workspace a message belongs to.
"""

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime

from slack_bolt import BoltResponse
from slack_bolt.authorization.authorize import InstallationStoreAuthorize
from slack_bolt.oauth.callback_options import CallbackOptions, SuccessArgs
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.errors import SlackTokenRotationError
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from slack_sdk.oauth.token_rotation import TokenRotator
from sqlalchemy import Engine, MetaData, Table
from sqlalchemy.orm import Session, sessionmaker

from bot.settings import Settings
from models import Workspace, slack_bots, slack_installations, slack_oauth_states
from services import workspaces

BOT_SCOPES = (
    "commands",
    "chat:write",
    "chat:write.public",
    "im:write",
    "users:read",
    "users:read.email",
    "files:write",
)
"""What the app asks for at install: the bot scopes of manifest.yml (a test keeps them equal)."""
ROTATE_MINUTES_BEFORE_EXPIRY = 120
CACHE_SECONDS = 60.0
TOKEN_MARGIN_SECONDS = 60
STATE_SECONDS = 600


class InstallationStore(SQLAlchemyInstallationStore):
    """slack_sdk's store, on the tables our migrations made instead of its own `create_tables`."""

    @classmethod
    def build_installations_table(cls, metadata: MetaData, table_name: str) -> Table:
        return slack_installations

    @classmethod
    def build_bots_table(cls, metadata: MetaData, table_name: str) -> Table:
        return slack_bots


class StateStore(SQLAlchemyOAuthStateStore):
    @classmethod
    def build_oauth_states_table(cls, metadata: MetaData, table_name: str) -> Table:
        return slack_oauth_states


def authorize_url(api_url: str) -> str:
    """Slack's authorize page beside its Web API (`https://slack.com/api/` -> `https://slack.com/oauth/v2/authorize`)."""
    base = api_url.removesuffix("/").removesuffix("/api")
    return f"{base}/oauth/v2/authorize"


def oauth_settings(settings: Settings, engine: Engine, on_installed: Callable[[SuccessArgs], None]) -> OAuthSettings:
    """Bolt's OAuth flow for these settings; `on_installed` records the workspace before Slack's success page."""
    assert settings.slack_client_id and settings.slack_client_secret

    def success(args: SuccessArgs) -> BoltResponse:
        on_installed(args)
        return args.default.success(args)  # type: ignore[no-any-return]

    store = InstallationStore(client_id=settings.slack_client_id, engine=engine)
    oauth = OAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret,
        scopes=list(BOT_SCOPES),
        installation_store=store,
        state_store=StateStore(expiration_seconds=STATE_SECONDS, engine=engine),
        install_page_rendering_enabled=False,
        authorization_url=authorize_url(settings.slack_api_url),
        token_rotation_expiration_minutes=ROTATE_MINUTES_BEFORE_EXPIRY,
        callback_options=CallbackOptions(success=success, failure=lambda args: args.default.failure(args)),
    )
    # Bolt's own authorize renews rotating tokens through a client of its own on slack.com; this one goes
    # through SLACK_API_URL like every other call.
    oauth.authorize = InstallationStoreAuthorize(
        logger=logging.getLogger("slack_bolt.authorize"),
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret,
        token_rotation_expiration_minutes=ROTATE_MINUTES_BEFORE_EXPIRY,
        installation_store=store,
        client=WebClient(base_url=settings.slack_api_url, timeout=10),
    )
    return oauth


def record_installed(sessions: sessionmaker[Session], now: Callable[[], datetime]) -> Callable[[SuccessArgs], None]:
    """After an install: the workspace (or, org-wide, the org) is known and installed, again if it had left."""

    def record(args: SuccessArgs) -> None:
        installation = args.installation
        org_wide = bool(installation.is_enterprise_install)
        name = (installation.enterprise_name if org_wide else installation.team_name) or ""
        with sessions.begin() as session:
            workspaces.record_install(
                session,
                team_id=installation.team_id,
                enterprise_id=installation.enterprise_id,
                org_wide=org_wide,
                name=name,
                now=now(),
            )

    return record


class WorkspaceTokens:
    """Each installed workspace's bot token from the installation store, renewed before it expires when
    token rotation is on, and kept in this process for a minute."""

    def __init__(self, settings: Settings, engine: Engine, sessions: sessionmaker[Session]) -> None:
        assert settings.slack_client_id and settings.slack_client_secret
        self._store = InstallationStore(client_id=settings.slack_client_id, engine=engine)
        self._sessions = sessions
        client = WebClient(base_url=settings.slack_api_url, timeout=10)
        self._rotator = (
            TokenRotator(client_id=settings.slack_client_id, client_secret=settings.slack_client_secret, client=client)
            if settings.token_rotation
            else None
        )
        self._cache: dict[int, tuple[str, float]] = {}
        self._lock = threading.Lock()
        self._renewals: dict[int, threading.Lock] = {}

    def token_for(self, workspace_id: int) -> str | None:
        """The token; raises SlackClientError when Slack refused to renew it (the caller tries again later).

        One thread at a time looks a workspace's token up and renews it: a refresh token is good once, so
        two threads renewing together would leave all but one with a refused refresh.
        """
        cached = self._cached(workspace_id)
        if cached is not None:
            return cached
        with self._lock:
            renewal = self._renewals.setdefault(workspace_id, threading.Lock())
        with renewal:
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

        def find() -> Installation | None:
            return self._store.find_installation(
                enterprise_id=enterprise_id, team_id=None if org_wide else team_id, is_enterprise_install=org_wide
            )

        installation = find()
        if installation is None or not installation.bot_token:
            return None
        refused = False
        if self._rotator is not None and installation.bot_refresh_token:
            installation, refused = self._renewed(installation, find)
        self._remember(workspace_id, str(installation.bot_token), installation.bot_token_expires_at, refused=refused)
        return str(installation.bot_token)

    def _renewed(
        self, installation: Installation, find: Callable[[], Installation | None]
    ) -> tuple[Installation, bool]:
        """The installation with a token good for a while yet, and whether Slack refused to renew it. When it
        refuses, another process may have just renewed it with the same refresh token: its saved token serves
        if it is still good."""
        assert self._rotator is not None
        try:
            refreshed = self._rotator.perform_token_rotation(
                installation=installation, minutes_before_expiration=ROTATE_MINUTES_BEFORE_EXPIRY
            )
        except SlackTokenRotationError:
            saved = find()
            if saved is None or not saved.bot_token or _expired(saved):
                raise
            return saved, True
        if refreshed is not None:
            self._store.save(refreshed)
            return refreshed, False
        return installation, False

    def forget(self, workspace_id: int) -> None:
        with self._lock:
            self._cache.pop(workspace_id, None)

    def _remember(self, workspace_id: int, token: str, expires_at: int | None, *, refused: bool = False) -> None:
        """Keep a token until it is due for renewal; one Slack would not renew, until it is nearly out (asking
        again on every message would only be refused again)."""
        keep = CACHE_SECONDS
        if expires_at is not None and self._rotator is not None:
            before = TOKEN_MARGIN_SECONDS if refused else ROTATE_MINUTES_BEFORE_EXPIRY * 60
            keep = min(keep, expires_at - time.time() - before)
        with self._lock:
            self._cache[workspace_id] = (token, time.monotonic() + keep)


def _expired(installation: Installation) -> bool:
    """Expired, or too close to it to finish a call with it."""
    expires_at = installation.bot_token_expires_at
    return expires_at is not None and expires_at <= time.time() + TOKEN_MARGIN_SECONDS


def workspace_tokens(settings: Settings, engine: Engine, sessions: sessionmaker[Session]) -> WorkspaceTokens | None:
    """Per-workspace tokens with OAuth installs; None with one workspace and its SLACK_BOT_TOKEN."""
    return WorkspaceTokens(settings, engine, sessions) if settings.oauth else None
