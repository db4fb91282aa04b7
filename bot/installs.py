"""Many workspaces: Slack's OAuth v2 install through Bolt, slack_sdk's stores on our database, each workspace's token.

Bolt's `OAuthSettings` serves `/slack/install` and `/slack/oauth_redirect` and finds the right token for
every request; the stores are slack_sdk's own SQLAlchemy ones, on tables our migrations create
(models/slack_installations.py). Tokens and their renewal: bot/tokens.py.
"""

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote
from uuid import uuid4

from slack_bolt import BoltResponse
from slack_bolt.oauth.callback_options import CallbackOptions, SuccessArgs
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk.oauth import AuthorizeUrlGenerator
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Engine, MetaData, Table, delete, insert
from sqlalchemy.orm import Session, sessionmaker

from bot.authorize import AuthTests, OnGone, RenewingAuthorize, token_check_client
from bot.gate import waiting_no_longer
from bot.renewals import ROTATE_MINUTES_BEFORE_EXPIRY
from bot.settings import Settings
from bot.slack_pool import PooledWebClient
from bot.slack_tls import slack_tls
from bot.tokens import RequestInstallStore, TokenSeal, WorkspaceTokens
from handlers.delivery import refused_renewal, stop_unannounced
from handlers.deps import Deps, InstallGone
from models import Workspace, slack_oauth_states
from services import directory, workspaces
from services.workspaces import scope_key

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
STATE_SECONDS = 600
NOT_INSTALLED_HERE = (
    ":warning: Latitude is not installed in this workspace just now, so nothing was done. Whoever runs Latitude "
    "needs a Slack admin to install it here again (its install page, `/slack/install`); then try again."
)
"""What someone acting in a workspace with no usable install is told, in place of Bolt's "reinstall this app", which
asks the person who clicked to do what only an admin can: a workspace set up with one SLACK_BOT_TOKEN before the
switch to OAuth installs, or one whose install was sealed under an earlier SLACK_CLIENT_SECRET."""
log = logging.getLogger(__name__)


class StateStore(SQLAlchemyOAuthStateStore):
    """slack_sdk's OAuth state store on our table and clock. Anyone may open /slack/install, and each visit stores
    a state that slack_sdk deletes only when it comes back: a new state first deletes the expired ones. A state is
    taken in one DELETE, so two redirects bringing it back cannot both pass."""

    def __init__(self, engine: Engine, now: Callable[[], datetime]) -> None:
        super().__init__(expiration_seconds=STATE_SECONDS, engine=engine)
        self._now = now

    @classmethod
    def build_oauth_states_table(cls, metadata: MetaData, table_name: str) -> Table:
        return slack_oauth_states

    def issue(self, *args: Any, **kwargs: Any) -> str:
        state, now = str(uuid4()), self._now()
        expires = _as_stored(now + timedelta(seconds=STATE_SECONDS))
        with self.engine.begin() as connection:
            connection.execute(delete(slack_oauth_states).where(slack_oauth_states.c.expire_at <= _as_stored(now)))
            connection.execute(insert(slack_oauth_states).values(state=state, expire_at=expires))
        return state

    def consume(self, state: str) -> bool:
        columns = slack_oauth_states.c
        with self.engine.begin() as connection:
            taken = connection.execute(
                delete(slack_oauth_states).where(columns.state == state, columns.expire_at > _as_stored(self._now()))
            )
        return taken.rowcount == 1


def _as_stored(moment: datetime) -> datetime:
    """The states table, slack_sdk's, keeps naive UTC."""
    return moment.astimezone(UTC).replace(tzinfo=None)


class AuthorizeUrls(AuthorizeUrlGenerator):
    """slack_sdk pastes `/slack/install?team=...` into Slack's authorize URL as it came: a link to the install page
    could then ask Slack for more scopes (user tokens) or break the redirect's headers. Here it is one value."""

    def generate(self, state: str, team: str | None = None) -> str:
        return super().generate(state=state, team=None if team is None else quote(team, safe=""))


def authorize_url(api_url: str) -> str:
    """Slack's authorize page beside its Web API (`https://slack.com/api/` -> `https://slack.com/oauth/v2/authorize`)."""
    base = api_url.removesuffix("/").removesuffix("/api")
    return f"{base}/oauth/v2/authorize"


def oauth_settings(
    settings: Settings,
    engine: Engine,
    tokens: WorkspaceTokens,
    on_installed: Callable[[SuccessArgs], None],
    now: Callable[[], datetime],
    on_gone: OnGone | None = None,
) -> OAuthSettings:
    """Bolt's OAuth flow for these settings; `on_installed` records the workspace before Slack's success page."""
    assert settings.slack_client_id and settings.slack_client_secret

    def success(args: SuccessArgs) -> BoltResponse:
        on_installed(args)
        return args.default.success(args)  # type: ignore[no-any-return]

    store = tokens.store
    oauth = OAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret,
        scopes=list(BOT_SCOPES),
        installation_store=store,
        state_store=StateStore(engine, now),
        install_page_rendering_enabled=False,
        authorization_url=authorize_url(settings.slack_api_url),
        token_rotation_expiration_minutes=ROTATE_MINUTES_BEFORE_EXPIRY,
        callback_options=CallbackOptions(success=success, failure=lambda args: args.default.failure(args)),
    )
    built = oauth.authorize_url_generator
    oauth.authorize_url_generator = AuthorizeUrls(
        client_id=built.client_id,
        redirect_uri=built.redirect_uri,
        scopes=built.scopes,
        user_scopes=built.user_scopes,
        authorization_url=built.authorization_url,
    )
    # Bolt's own authorize renews rotating tokens alone, through a client of its own on slack.com; this one
    # renews with the sender's `Renewals`, through SLACK_API_URL like every other call. It looks each request's token
    # up before the request can be given its holding answer, so its reads wait no longer than the replay check's.
    quick = RequestInstallStore(
        client_id=settings.slack_client_id,
        engine=waiting_no_longer(engine),
        seal=TokenSeal(settings.slack_client_secret),
    )
    oauth.authorize = RenewingAuthorize(
        renewals=tokens.renewals,
        checks=AuthTests(token_check_client(settings.slack_api_url), now),
        on_gone=on_gone,
        logger=logging.getLogger("slack_bolt.authorize"),
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret,
        token_rotation_expiration_minutes=ROTATE_MINUTES_BEFORE_EXPIRY,
        installation_store=quick,
        client=PooledWebClient(base_url=settings.slack_api_url, timeout=10, ssl=slack_tls()),
    )
    return oauth


def record_installed(sessions: sessionmaker[Session], now: Callable[[], datetime]) -> Callable[[SuccessArgs], None]:
    """After an install: the workspace (or, org-wide, the org) is known and installed, again if it had left."""

    def record(args: SuccessArgs) -> None:
        installation = args.installation
        org_wide = bool(installation.is_enterprise_install)
        name = (installation.enterprise_name if org_wide else installation.team_name) or ""
        with sessions.begin() as session:
            workspace = workspaces.record_install(
                session,
                team_id=installation.team_id,
                enterprise_id=installation.enterprise_id,
                org_wide=org_wide,
                name=name,
                now=now(),
            )
            kept, key = not workspace.installed, workspace.slack_team_id
        if kept:
            log.warning(
                "installed again in %s, which its Grid org's org-wide install serves: the org goes on serving it",
                key,
            )

    return record


def stop_workspaces_without_install(sessions: sessionmaker[Session], now: Callable[[], datetime]) -> None:
    """At start with OAuth installs: a workspace the database serves with no install (set up with one
    SLACK_BOT_TOKEN) is stopped until it is installed, and the log says where to install it."""
    with sessions() as session:
        without = workspaces.served_without_install(session)
    for workspace_id in without:
        with sessions.begin() as session:
            workspace = session.get(Workspace, workspace_id, with_for_update=True)  # an install under way waits
            if workspace is None or workspace.uninstalled_at is not None:
                continue
            key = workspace.slack_team_id
            dropped = workspaces.stop_if_never_installed(session, workspace=workspace, now=now())
        if dropped is not None:
            log.warning(
                "workspace %s has no OAuth install (it was set up with one SLACK_BOT_TOKEN): it is stopped, its data "
                "kept (%s queued messages dropped), until it is installed at https://YOUR-HOST/slack/install; its "
                "people are told Latitude is not installed there",
                key,
                dropped,
            )


def stop_when_gone(deps: Deps) -> OnGone:
    """Stop, as uninstalled, the workspace whose refresh token Slack refused for good while renewing for a request."""

    def stop(installation: Installation, gone: InstallGone) -> None:
        org_wide = bool(installation.is_enterprise_install)
        key = scope_key(team_id=installation.team_id, enterprise_id=installation.enterprise_id, org_wide=org_wide)
        with deps.sessions() as session:
            workspace = directory.find_workspace(session, key)
            workspace_id = None if workspace is None else workspace.id
        if workspace_id is not None:
            stop_unannounced(deps, workspace_id, refused_renewal(gone))

    return stop
