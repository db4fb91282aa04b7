"""`run`: serve Slack in Socket Mode or over HTTP, with the scheduler."""

import argparse
import logging
import signal
import threading
from typing import TYPE_CHECKING

from bot.logs import configure_logging
from bot.settings import Settings, load_settings
from bot.startup import (
    StartupError,
    open_database,
    require_a_real_signing_secret,
    require_current_schema,
    require_free_address,
    warn_if_connections_short,
)
from bot.stopping import STOP_GRACE, leave_now

if TYPE_CHECKING:
    from bot.runtime import Runtime

EVENTS_PATH = "/slack/events"
"""`bot.server.EVENTS_PATH`, spelled out so that `--help` does not load Bolt (a test checks they agree)."""

MAX_PORT = 65535
log = logging.getLogger("latitude")


def add_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser("run", help="run the bot (Socket Mode if SLACK_APP_TOKEN is set, else --http)")
    parser.add_argument("--http", action="store_true", help=f"serve Slack's requests over HTTP on {EVENTS_PATH}")
    parser.add_argument("--host", default="0.0.0.0", help="address to listen on with --http (default 0.0.0.0)")
    parser.add_argument(
        "--port",
        type=port_number,
        default=3000,
        help="port to listen on with --http (default 3000; 0 picks a free one, see the log)",
    )
    parser.add_argument("--no-scheduler", action="store_true", help="do not run scheduled jobs in this process")
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="with --http, serve from N processes (gunicorn; PostgreSQL only; default 1, served by waitress)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    settings = load_settings()
    configure_logging(settings.log_level, settings.log_format)
    if args.workers != 1:
        return run_workers(args, settings)
    from bot.runtime import build_runtime, most_connections

    serving_http = args.http or not settings.socket_mode
    if serving_http:
        require_a_real_signing_secret(settings.slack_signing_secret)
        require_free_address(args.host, args.port)  # before the scheduler starts, which then has to stop again
    runtime = build_runtime(settings)
    warn_if_connections_short(runtime.engine, most_connections(settings))
    scheduler = None if args.no_scheduler else runtime.start_scheduler()
    answered = True
    try:
        if serving_http:
            serve_http(runtime, args)
        else:
            answered = serve_socket_mode(runtime)
    finally:
        log.info("Latitude stopping: finishing what was started")
        finished = runtime.finish(scheduler)
    if not (answered and finished):
        leave_now()
    return 0


def serve_http(runtime: "Runtime", args: argparse.Namespace) -> None:
    """Until SIGTERM (a deploy, `docker stop`, systemd): then no new connection is taken, and the server stops
    once the requests in hand are answered."""
    from bot.server import bound_port, make_server, stop_when_idle

    try:
        server = make_server(
            runtime.app,
            runtime.healthy,
            gate=runtime.gate,
            host=args.host,
            port=args.port,
            threads=runtime.settings.http_threads,
        )
    except (OSError, ValueError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise StartupError(f"cannot listen on {args.host}:{args.port}: {reason}") from None

    def stop(_signal: int, _frame: object) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a second SIGTERM ends the process at once
        threading.Thread(target=stop_when_idle, args=(server,), kwargs={"grace": STOP_GRACE}, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    log.info("Latitude listening on http://%s:%s%s", args.host, bound_port(server), EVENTS_PATH)
    server.run()


def serve_socket_mode(runtime: "Runtime") -> bool:
    """Until SIGTERM: then the requests in hand are answered (for STOP_GRACE seconds at most) and the connection
    to Slack is closed (bot/socket_mode.finish). Whether every request in hand was answered."""
    from slack_sdk.errors import SlackApiError

    from bot.socket_mode import finish, socket_mode_handler

    handler = socket_mode_handler(runtime.app, runtime.settings)

    def stop(_signal: int, _frame: object) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a second SIGTERM ends the process at once
        raise Stopping

    signal.signal(signal.SIGTERM, stop)
    log.info("Latitude connecting to Slack in Socket Mode")
    try:
        handler.start()  # type: ignore[no-untyped-call]
    except Stopping:
        pass
    except SlackApiError as error:
        refused = error.response.get("error")
        raise StartupError(
            f"Slack refused SLACK_APP_TOKEN for Socket Mode (it needs connections:write): {refused}"
        ) from None
    finally:
        answered = finish(handler, grace=STOP_GRACE)
    return answered


def port_number(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= port <= MAX_PORT:
        raise argparse.ArgumentTypeError(f"{port} is not a port number (0 to {MAX_PORT})")
    return port


class Stopping(Exception):
    """SIGTERM, raised where the main thread waits for Socket Mode's connection to end."""


def run_workers(args: argparse.Namespace, settings: Settings) -> int:
    """Several processes over HTTP, each with its own runtime; the leader lock keeps one scheduler running."""
    from bot.app import create_client
    from bot.prefork import check_workers, serve_prefork
    from bot.runtime import bot_identity, most_connections

    check_workers(settings, args.workers)
    if settings.socket_mode and not args.http:
        raise StartupError("--workers serves HTTP: add --http (Socket Mode runs in one process)")
    require_a_real_signing_secret(settings.slack_signing_secret)
    engine = open_database(settings.database_url)
    require_current_schema(engine)  # here, once, rather than as a traceback from every worker
    if settings.slack_bot_token:
        bot_identity(create_client(settings), settings.slack_api_url, settings.slack_team_id)
    warn_if_connections_short(engine, most_connections(settings), processes=args.workers)
    engine.dispose()
    require_free_address(args.host, args.port)
    serve_prefork(settings, host=args.host, port=args.port, workers=args.workers, scheduler=not args.no_scheduler)
    return 0
