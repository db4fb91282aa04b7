"""`digest send [--force] [--dry-run] [--workspace T..|E..]`: the weekly manager digests, by hand."""

import argparse

from bot.cli.common import database, team_id, transaction, unknown_workspace
from bot.clock import SystemClock
from bot.settings import load_settings
from bot.startup import StartupError
from models.engine import make_session_factory
from services import directory
from services.text import plural


def add_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser("digest", help="the weekly manager digests")
    actions = parser.add_subparsers(dest="digest_command", metavar="ACTION", required=True)
    send = actions.add_parser("send", help="send the digests that are due now (each manager once a week)")
    send.add_argument("--force", action="store_true", help="send every manager's digest again, due or not")
    send.add_argument("--dry-run", action="store_true", help="print the digests as text; send and record nothing")
    send.add_argument(
        "--workspace",
        type=team_id,
        metavar="TEAM_ID",
        help="only this workspace's (T...) or org-wide install's (E...) managers (default: those of every workspace "
        "the app is installed in)",
    )
    send.set_defaults(handler=run_send)


def run_send(args: argparse.Namespace) -> int:
    only = chosen_workspace(args.workspace)
    if args.dry_run:
        return print_digests(force=args.force, only=only)
    from bot.app import create_sender_client
    from bot.runtime import make_deps
    from bot.tokens import workspace_tokens
    from handlers.jobs.send_weekly_digests import send_digests

    settings = load_settings()
    engine = database()
    sessions = make_session_factory(engine)
    deps = make_deps(settings, sessions, SystemClock(), workspace_tokens(settings, engine, sessions))
    sent = send_digests(deps, create_sender_client(settings), force=args.force, only=only)
    print(f"queued {plural(sent, 'digest')}; `python -m bot digest send --dry-run --force` shows every manager's")
    return 0


def chosen_workspace(team_id: str | None) -> int | None:
    """The id of the workspace `--workspace` names, refused unless the app is installed there; None: every one."""
    if team_id is None:
        return None
    with transaction() as session:
        found = directory.find_workspace(session, team_id)
        if found is None:
            raise StartupError(unknown_workspace(session, team_id))
        if found.uninstalled_at is not None:
            raise StartupError(f"the app is not installed in {team_id}: see `python -m bot workspace list`")
        return found.id


def print_digests(*, force: bool, only: int | None) -> int:
    from handlers.blocks.digest import dry_run_text
    from services.digest.weekly import due_digests

    now = SystemClock().now()
    texts = []
    with transaction() as session:
        workspaces = [w for w in directory.installed_workspaces(session) if only in (None, w.id)]
        for workspace in workspaces:
            names = directory.slack_names(session, workspace)
            where = f" in {workspace.slack_team_id}" if len(workspaces) > 1 else ""
            for item in due_digests(session, workspace=workspace, now=now, force=force):
                manager, shown = item.digest.manager, dry_run_text(item.digest, names)
                texts.append(f"=== to {manager.name} ({manager.slack_id}){where}\n{shown}")
    print("\n\n".join(texts) or "no digest is due now; add --force to see every manager's")
    return 0
