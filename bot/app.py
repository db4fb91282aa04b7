"""The Bolt app, built the same way for production, tests and the demo."""

from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from types import ModuleType
from typing import Any

from slack_bolt import App, BoltContext, BoltResponse
from slack_bolt.middleware.authorization import SingleTeamAuthorization
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.web import SlackResponse

from bot.installs import NOT_INSTALLED_HERE
from bot.lean_middleware import Lean
from bot.redispatch import follow_kept_events
from bot.retries import retry_handlers
from bot.schema_watch import SchemaWatch, refuse_on_a_moved_schema
from bot.settings import Settings
from bot.slack_pool import PooledWebClient, kept_alive
from bot.slack_tls import slack_tls
from handlers import (
    boundaries,
    boundary_proposals,
    decisions,
    departures,
    digest,
    home,
    installs,
    nominations,
    pulse,
    resolutions,
    reward_decisions,
    rewards,
    suggestion_answers,
    suggestion_decisions,
    suggestions,
    unhandled,
)
from handlers.deps import Deps
from handlers.errors import handle_error
from handlers.middleware import (
    drop_repeated_events,
    drop_the_command_typed_again,
    drop_unseen_characters,
    unescape_command_text,
)
from handlers.one_workspace import serve_only_the_tokens_workspace
from handlers.timely import answer_in_time

# Bolt tries each listener in turn until one matches (every action id, callback id and command is
# claimed once, so the order changes nothing else): the busiest come first.
FEATURES: tuple[ModuleType, ...] = (
    pulse,
    home,
    resolutions,
    nominations,
    decisions,
    reward_decisions,
    boundaries,
    rewards,
    digest,
    suggestions,
    suggestion_decisions,
    suggestion_answers,
    boundary_proposals,
    installs,
    departures,
    unhandled,  # last: it takes only the clicks no listener before it took
)


def create_client(settings: Settings) -> WebClient:
    """With OAuth installs the app's client has no token: Bolt gives each request its workspace's."""
    return PooledWebClient(
        token=settings.slack_bot_token or None,
        base_url=settings.slack_api_url,
        timeout=10,
        retry_handlers=retry_handlers(),
        ssl=slack_tls(),
    )


def create_sender_client(settings: Settings) -> WebClient:
    """The background sender's client: it retries nothing, the outbox schedules retries itself. (slack_sdk's default
    would send again at once a message whose connection dropped after Slack posted it.)"""
    return PooledWebClient(
        token=settings.slack_bot_token or None,
        base_url=settings.slack_api_url,
        timeout=10,
        retry_handlers=[],
        ssl=slack_tls(),
    )


def create_app(
    settings: Settings,
    deps: Deps,
    *,
    executor: Executor | None = None,
    oauth: OAuthSettings | None = None,
    schema: SchemaWatch | None = None,
) -> App:
    """One workspace with the settings' bot token, or (`oauth`) installs in many workspaces; with `schema`, nothing
    is done with a request once the database's schema is no longer this code's."""
    listeners = executor or ThreadPoolExecutor(settings.listener_threads, thread_name_prefix="listener")
    app = App(
        client=create_client(settings),
        signing_secret=settings.slack_signing_secret,
        oauth_settings=oauth,
        user_facing_authorize_error_message=NOT_INSTALLED_HERE,
        listener_executor=listeners,
        raise_error_for_unhandled_request=True,  # answered by handlers/errors.handle_error, not 404
        token_verification_enabled=False,  # bot/runtime.learn_workspace checks the token, in one line (`authorize_as`)
        before_authorize=Lean(in_front_of_authorize(deps, schema)),
    )
    if oauth is None:
        app.use(Lean(serve_only_the_tokens_workspace(listeners)))
    app.use(Lean(drop_unseen_characters))
    app.use(Lean(unescape_command_text))
    app.use(Lean(drop_the_command_typed_again))
    app.use(Lean(drop_repeated_events(deps)))
    app.use(Lean(answer_in_time(settings.answer_within)))
    app.error(handle_error)
    for feature in FEATURES:
        feature.register(app)
    busiest_first(app)
    follow_kept_events(app, deps, settings.slack_signing_secret)
    return app


BUSIEST: tuple[Callable[..., object], ...] = (
    pulse.answer_question,
    home.publish_home,
    resolutions.resolve_command,
    nominations.nominate_command,
    decisions.approve_clicked,
)
"""The listeners most requests go to, busiest first: a poll click, the App Home, `/resolve`, `/nominate`, Approve."""


def busiest_first(app: App) -> None:
    """Bolt tries its listeners in turn, each costing as much as a small statement to rule out, and `FEATURES` orders
    whole features: the busiest listeners go ahead of the rest of their features' (`/resolve` was tried after eleven
    others). Each claims its own command, event or action id, and the catch-all for old buttons stays last, so which
    listener takes a request is unchanged."""
    rank: dict[Callable[..., object], int] = {listener: n for n, listener in enumerate(BUSIEST)}
    app._listeners.sort(key=lambda listener: rank.get(listener.ack_function, len(BUSIEST)))


def in_front_of_authorize(deps: Deps, schema: SchemaWatch | None) -> Callable[..., BoltResponse | None]:
    """The deps, for the one error handler (which keeps what Slack failed to authorize for now), and the request's
    client over kept connections in place of the plain one Bolt builds (authorize sets its token, `say` and the
    listeners' `client` are made from it), then the schema check: all before Bolt's authorize, so that a process
    whose schema moved neither asks Slack about its token nor keeps anything by its own rules (bot/schema_watch.py)."""
    refuse = refuse_on_a_moved_schema(schema) if schema is not None else None

    def middleware(body: dict[str, Any], context: BoltContext, next: Callable[[], None]) -> BoltResponse | None:
        context["deps"] = deps
        context["client"] = kept_alive(context.client)
        if refuse is None:
            next()
            return None
        return refuse(body, next)

    return middleware


def authorize_as(app: App, identity: SlackResponse) -> None:
    """With one SLACK_BOT_TOKEN, Bolt asks Slack (`auth.test`) who the token is at each request until Slack first
    answers: it is handed the answer the process got as it started (bot/runtime.learn_workspace), so that no request
    asks again, and none (the app's own try of a kept event) fails on Slack not answering then. Bolt keeps its own
    middleware where nothing else reaches it."""
    for middleware in app._middleware_list:
        if isinstance(middleware, SingleTeamAuthorization):
            middleware.auth_test_result = identity
