"""`workspace list`, `workspace removed [--workspace E..|T..]` and `workspace purge T...`: where the app is
installed, the workspaces Slack removed from an org-wide install, and deleting a departed workspace's data."""

import argparse
from datetime import timedelta

from sqlalchemy import select

from bot.cli.common import team_id, transaction
from bot.clock import SystemClock
from bot.settings import DEFAULT_RETENTION_DAYS, retention_days_from
from bot.startup import StartupError
from models import Workspace
from services import directory, workspaces
from services.org_takeover import Grant, last_grant
from services.text import plural
from services.workspace_purge import purge, purge_plan, purged_on
from services.workspaces import Removal


def add_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser("workspace", help="the workspaces (and Grid orgs) the app is installed in")
    actions = parser.add_subparsers(dest="workspace_command", metavar="ACTION", required=True)
    actions.add_parser("list", help="each workspace, installed or since when uninstalled").set_defaults(
        handler=run_list
    )
    removed = actions.add_parser(
        "removed",
        help="the workspaces of each removal from an org-wide install, newest first, every one named",
        description="Each time Slack removed workspaces of an org from the org-wide install, newest first, with "
        "every workspace it named (HR's notice names only the first few of a large removal).",
    )
    removed.add_argument(
        "--workspace",
        type=team_id,
        metavar="TEAM_ID",
        help="only the removals of this org (E...), or those naming this workspace (T...) (default: every org's)",
    )
    removed.set_defaults(handler=run_removed)
    purge = actions.add_parser(
        "purge", help="delete all data of a workspace the app was uninstalled from, once its retention has passed"
    )
    purge.add_argument(
        "team_id", type=team_id, metavar="TEAM_ID", help="the workspace's team id (T...), or an org's id (E...)"
    )
    purge.add_argument("--dry-run", action="store_true", help="say what would be deleted; delete nothing")
    purge.add_argument(
        "--now",
        action="store_true",
        help=f"purge before WORKSPACE_RETENTION_DAYS (default {DEFAULT_RETENTION_DAYS}) have passed since uninstalling",
    )
    purge.set_defaults(handler=run_purge)


def run_list(_args: argparse.Namespace) -> int:
    retention = timedelta(days=retention_days_from())
    with transaction() as session:
        rows = list(session.scalars(select(Workspace).order_by(Workspace.id)))
        for workspace in rows:
            kind = "org-wide" if workspace.org_wide else "workspace"
            if workspace.uninstalled_at is None:
                state = "installed"
            else:
                purge_from = workspace.uninstalled_at + retention
                state = f"uninstalled {workspace.uninstalled_at:%Y-%m-%d}, purge from {purge_from:%Y-%m-%d}"
            print(f"{workspace.slack_team_id}\t{kind}\t{workspace.name or '-'}\t{state}")
    if not rows:
        print("no workspace yet: install the app, or run the bot once with SLACK_BOT_TOKEN")
    return 0


LISTED = "`python -m bot workspace list` lists them"
NO_REMOVAL = "Slack has removed no workspace of an org from Latitude's org-wide install"


def run_removed(args: argparse.Namespace) -> int:
    only = args.workspace
    with transaction() as session:
        found = [removal for removal in workspaces.removals(session) if only in (None, removal.org, *removal.team_ids)]
        grant = _granted_since(last_grant(session, only), found) if only else None
        if only and not found and grant is None and directory.find_workspace(session, only) is None:
            raise StartupError(f"Latitude knows no org or workspace {only}: check the id ({LISTED})")
        for removal in found:
            print(f"{removal.at:%Y-%m-%d %H:%M} UTC, {removal.org}: {_removed_words(removal.team_ids)}")
            for team in removal.team_ids:
                print(f"  {team}")
    if not found:
        none = f"No removal from an org-wide install is of {only} or names it" if only else NO_REMOVAL
        print(none)
    if grant is not None:
        print(_granted_words(only, grant))
    return 0


def _granted_since(grant: Grant | None, removals: list[Removal]) -> Grant | None:
    """The last grant of a workspace when it came after every removal shown: where the workspace stands now (removed
    from one org, then added to another's install)."""
    return grant if grant is not None and all(removal.at < grant.at for removal in removals) else None


def _granted_words(team_id: str, grant: Grant) -> str:
    added = f"Slack added {team_id} to the org-wide install of {grant.org} on {grant.at:%Y-%m-%d %H:%M} UTC"
    if grant.serving:
        return f"{added}, which serves it still"
    return f"{added}, which serves it no more (uninstalled or installed again since, with no word of {team_id})"


def _removed_words(team_ids: list[str]) -> str:
    return f"{plural(len(team_ids), 'workspace')} removed" if team_ids else "removed, though Slack named no workspace"


def run_purge(args: argparse.Namespace) -> int:
    retention_days = retention_days_from()
    with transaction() as session:
        workspace = directory.find_workspace(session, args.team_id)
        purged = purged_on(session, args.team_id) if workspace is None else None
        if purged is not None:
            print(f"{args.team_id} was already purged on {purged:%Y-%m-%d %H:%M} UTC; nothing to delete")
            return 0
        if workspace is None:
            raise StartupError(f"no workspace {args.team_id} in the database: see `python -m bot workspace list`")
        plan = purge_plan(
            session,
            workspace=workspace,
            now=SystemClock().now(),
            retention_days=retention_days,
            force=args.now,
        )
        verb = "would delete" if args.dry_run else "deleting"
        print(f"{verb} {plural(plan.total, 'row')} of {workspace.slack_team_id} ({workspace.name or 'no name'}):")
        for table, count in sorted(plan.rows.items()):
            print(f"  {table}: {count}")
        if not args.dry_run:
            purge(session, plan)
    print("nothing deleted (--dry-run)" if args.dry_run else f"{args.team_id} purged")
    return 0
