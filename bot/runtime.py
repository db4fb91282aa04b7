"""Assemble the process: database, dependencies, Bolt app, scheduler."""

import logging
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TypedDict

from apscheduler.schedulers.background import BackgroundScheduler
from slack_bolt import App
from slack_bolt.error import BoltError
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError
from slack_sdk.web import SlackResponse
from sqlalchemy import Engine, make_url
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from bot.app import authorize_as, create_app, create_sender_client
from bot.clock import Clock, SystemClock
from bot.database_down import ApologyClients, remembering_tokens
from bot.gate import SlackGate, waiting_no_longer
from bot.installs import oauth_settings, record_installed, stop_when_gone, stop_workspaces_without_install
from bot.leader import Leadership
from bot.lean_middleware import Lean
from bot.logs import web_client_errors_silenced
from bot.renewals import Renewals
from bot.scheduler import SCHEDULE, build_scheduler, connect_sender_bell
from bot.schema_watch import SchemaWatch
from bot.settings import Settings
from bot.startup import (
    SlackUnreachable,
    auth_test_failed,
    database_failed,
    open_database,
    require_current_schema,
    slack_unreachable,
    token_of_another_workspace,
)
from bot.startup import StartupError as StartupError  # also raised and caught as bot.runtime's
from bot.stopping import STOP_GRACE, done_within
from bot.tokens import workspace_tokens
from handlers.deps import BotTokens, Deps
from handlers.pacing import Pacer
from models.engine import make_session_factory
from services import workspaces
from services.config_cache import SESSION_KEY, ConfigCache
from services.pulse.relay_tags import relay_key_from
from services.suggestions.relay import Relay
from services.suggestions.seals_undated import undate_seals

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    deps: Deps
    app: App
    leadership: Leadership
    gate: SlackGate
    listeners: Executor
    schema: SchemaWatch
    renewals: Renewals | None = None
    owns_engine: bool = True
    """False for an engine its caller opened and keeps open (`build_runtime`'s `engine`)."""

    def healthy(self) -> bool:
        """The database answers, with the schema this code was written for (bot/schema_watch.py): failing the
        check, a process whose schema moved under it gets no more requests from a load balancer."""
        return self.schema.ask() is True

    def leads(self) -> bool:
        """Whether this process runs the scheduled jobs now: it holds the lock, on a schema that is still its
        own. One whose schema moved on lets the lock go, for a process of the release that moved it."""
        if self.schema.ask() is False:
            self.leadership.release()
            return False
        return self.leadership.is_leader()

    def close(self) -> None:
        self.gate.close()
        self.deps.sender_pool.close()
        self.leadership.release()
        if self.renewals is not None:
            self.renewals.close()
        if self.owns_engine:
            self.engine.dispose()

    def finish(self, scheduler: BackgroundScheduler | None, *, grace: float = STOP_GRACE) -> bool:
        """Stop as asked (SIGTERM, a deploy): the scheduler finishes its running jobs, the sender only the batch
        in hand, so that whatever Slack accepted is recorded as sent and never goes out again, and listeners
        the work they do after their ack (for `grace` seconds at most); then let go of the leader lock and the
        database. Whether the listeners finished."""
        self.deps.stopping.set()
        if scheduler is not None:
            scheduler.shutdown(wait=True)
        finished = done_within(grace, lambda: self.listeners.shutdown(wait=True))
        self.close()
        return finished

    @property
    def sender_client(self) -> WebClient:
        """The background sender's client, which leaves retries to the outbox."""
        return create_sender_client(self.settings)

    def start_scheduler(self) -> BackgroundScheduler:
        scheduler = build_scheduler(self.deps, self.sender_client, self.leads)
        connect_sender_bell(scheduler, self.deps)
        scheduler.start()
        return scheduler


def make_deps(
    settings: Settings,
    sessions: sessionmaker[Session],
    clock: Clock,
    tokens: BotTokens | None = None,
    background: Executor | None = None,
) -> Deps:
    """What listeners and jobs need; the sender's pacing and Slack's Retry-After run on the same clock as everything
    else; `background`, for slow work an event asks for (default: a thread of its own)."""
    background = background or ThreadPoolExecutor(1, thread_name_prefix="background")
    return Deps(
        sessions=sessions,
        now=clock.now,
        recognition_channel=None if settings.oauth else settings.recognition_channel,
        pacer=Pacer(
            settings.slack_messages_per_second, clock=lambda: clock.now().timestamp(), sleep_until=_sleep_until(clock)
        ),
        sender_threads=settings.sender_threads,
        relay_key=relay_key_from(settings.relays_secret, settings.relay_secret_previous),
        relay=Relay(settings.relays_secret, previous=settings.relay_secret_previous),
        tokens=tokens,
        background=background.submit,
        wait=lambda seconds: clock.sleep_until(clock.now() + timedelta(seconds=seconds)),
    )


def _sleep_until(clock: Clock) -> Callable[[float], None]:
    return lambda moment: clock.sleep_until(datetime.fromtimestamp(moment, UTC))


def learn_workspace(client: WebClient, deps: Deps, api_url: str, team_id: str | None = None) -> SlackResponse:
    """One workspace: the bot token says which (`auth.test`, whose answer is returned), and the database learns it
    before any request.

    A token Slack accepts means the app is installed: a workspace marked uninstalled (by an `app_uninstalled`
    event before the admin installed it again) is installed again, or nothing would be scheduled for it. Any other
    workspace the database serves is served no more: the token cannot reach it (`workspaces.serve_only`).
    """
    identity = bot_identity(client, api_url, team_id)
    with deps.sessions.begin() as session:
        served = workspaces.record_install(
            session,
            team_id=str(identity["team_id"]),
            enterprise_id=identity.get("enterprise_id"),
            org_wide=False,
            name=identity.get("team", ""),
            now=deps.now(),
            ends_migration=False,
        )
        for other in workspaces.serve_only(session, workspace=served, now=deps.now()):
            log.warning(
                "SLACK_BOT_TOKEN belongs to workspace %s, so %s is served no more: its queued messages were dropped "
                "and its data is kept until `python -m bot workspace purge %s`",
                served.slack_team_id,
                other.slack_team_id,
                other.slack_team_id,
            )
    return identity


def bot_identity(client: WebClient, api_url: str, team_id: str | None = None) -> SlackResponse:
    """`auth.test` with the bot token; a refusal, an unreachable Slack or a token of another workspace than
    `team_id` (SLACK_TEAM_ID) is one line."""
    try:
        with web_client_errors_silenced():
            identity = client.auth_test()
    except SlackApiError as error:
        raise auth_test_failed(api_url, error, error.response.status_code, error.response.get("error")) from None
    except (BoltError, SlackRequestError, OSError) as error:
        raise slack_unreachable(api_url, error) from None
    refusal = token_of_another_workspace(identity.data if isinstance(identity.data, dict) else {}, team_id)
    if refusal is not None:
        raise refusal
    return identity


def most_connections(settings: Settings) -> int:
    """One database connection for every thread that may want one at the same moment, so that none waits
    for another's: listeners held up by a lock (a migration) must not keep the replay check in front of
    Bolt from the connection it needs before a command can get its holding answer (handlers/timely.py).
    The pool opens them only as that many threads ask at once, and keeps 10."""
    leader_lock = 1
    threads = settings.listener_threads + settings.http_threads + settings.sender_threads + len(SCHEDULE)
    return threads + leader_lock


class DatabaseOptions(TypedDict):
    """What the process's engine is opened with besides the URL (`open_database`)."""

    most_connections: int
    lock_timeout: int
    statement_timeout: int


def database_options(settings: Settings) -> DatabaseOptions:
    return {
        "most_connections": most_connections(settings),
        "lock_timeout": settings.database_lock_timeout,
        "statement_timeout": settings.database_statement_timeout,
    }


def build_runtime(
    settings: Settings, clock: Clock | None = None, executor: Executor | None = None, *, engine: Engine | None = None
) -> Runtime:
    """The process assembled. A database that answered when opened and then stops answering (a restart or failover
    in the middle of start-up) is the same one line as one that never answered, which a worker waits for
    (bot/prefork.py), rather than a traceback. `engine`: one its caller opened on `settings.database_url` with
    `database_options(settings)` and keeps open (runtimes of one process sharing its pool and compiled statements)."""
    owned = engine is None
    if engine is None:
        engine = open_database(settings.database_url, **database_options(settings))
    elif engine.url != make_url(settings.database_url):
        raise ValueError("the engine given is not on settings.database_url")
    try:
        return _assemble(settings, engine, clock, executor, owned)
    except (SlackUnreachable, OperationalError, InterfaceError) as error:
        if owned:
            engine.dispose()
        if isinstance(error, SlackUnreachable):
            raise
        raise database_failed(
            settings.database_url,
            error,
            lock_timeout=settings.database_lock_timeout,
            statement_timeout=settings.database_statement_timeout,
        ) from None


def _assemble(
    settings: Settings, engine: Engine, clock: Clock | None, executor: Executor | None, owns: bool
) -> Runtime:
    require_current_schema(engine)
    sessions = make_session_factory(engine)
    sessions.configure(info={SESSION_KEY: ConfigCache()})
    tokens = workspace_tokens(settings, engine, sessions)
    deps = make_deps(settings, sessions, clock or SystemClock(), tokens, background=executor)
    _undate_seals(sessions, deps.relay)
    listeners = executor or ThreadPoolExecutor(settings.listener_threads, thread_name_prefix="listener")
    schema = SchemaWatch(waiting_no_longer(engine), now=deps.now)
    if tokens is not None:
        if settings.recognition_channel:
            log.warning(
                "RECOGNITION_CHANNEL is ignored with installs in several workspaces (a channel belongs to one): "
                "set each workspace's channel in its policy file, under [rewards] channel"
            )
        installed, gone = record_installed(sessions, deps.now), stop_when_gone(deps)
        oauth = oauth_settings(settings, engine, tokens, installed, deps.now, on_gone=gone)
        app = create_app(settings, deps, executor=listeners, oauth=oauth, schema=schema)
        stop_workspaces_without_install(sessions, deps.now)
    else:
        app = create_app(settings, deps, executor=listeners, schema=schema)
        authorize_as(app, learn_workspace(app.client, deps, settings.slack_api_url, settings.slack_team_id))
    apologies = ApologyClients(settings.slack_api_url, settings.slack_bot_token)
    if tokens is not None:
        app.use(Lean(remembering_tokens(apologies)))
    max_body = settings.max_request_bytes
    gate = SlackGate(settings.slack_signing_secret, engine, max_body=max_body, apologies=apologies, schema=schema)
    leadership = Leadership(engine)
    renewals = None if tokens is None else tokens.renewals
    return Runtime(settings, engine, deps, app, leadership, gate, listeners, schema, renewals, owns)


def _undate_seals(sessions: sessionmaker[Session], relay: Relay | None) -> None:
    """Seals an earlier release dated (an anonymous author's, and its copies in the outbox) are sealed again without
    their moment, when the bot starts; a row that cannot be read is left, never stopping the start."""
    if relay is None:
        return
    with sessions.begin() as session:
        undated = undate_seals(session, relay=relay)
    if undated.resealed:
        log.info("sealed %d anonymous seal(s) again without the moment the earlier seal carried", undated.resealed)
    if undated.unopened:
        log.warning(
            "left %d dated anonymous seal(s) that neither RELAY_SECRET nor RELAY_SECRET_PREVIOUS opens: they still "
            "say when they were made; set the secret that made them as RELAY_SECRET_PREVIOUS and restart to seal them "
            "again",
            undated.unopened,
        )
    if undated.skipped:
        log.warning("left %d row(s) whose anonymous seals could not be read", undated.skipped)
