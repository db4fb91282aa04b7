"""`org import FILE.csv` / `org show`: the org directory."""

import argparse
from pathlib import Path

from bot.cli.common import actor, add_workspace_option, resolve_workspace, transaction
from bot.cli.files import UnreadableFile, read_utf8
from bot.clock import SystemClock
from services.handover import reported
from services.org_import import ImportReport, OrgFileError, import_org, org_tree, parse_org_csv
from services.org_leavers import CONFIRM_FLAG, MASS_COUNT, MASS_SHARE
from services.org_managers import stored_people

SAVE_AS_UTF8 = (
    'in Excel use Save As, then "CSV UTF-8 (Comma delimited)"; in another program, save it with the UTF-8 encoding'
)

ROLE_MISSING = {
    "admin": "nobody active in the directory is an admin: a fix over the limit by someone with nobody above them in "
    "the file, and any fix by someone the file does not list, is refused, as nobody may decide it; give at least one "
    "row the role admin",
    "hr": "nobody active in the directory is HR: what goes to HR (a reward nobody above may approve, a suggestion "
    "with nobody above, the reward export, `/pulse start`) is for the admins alone; give a row the role hr if someone "
    "should",
}


def add_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser("org", help="the org directory (who reports to whom)")
    actions = parser.add_subparsers(dest="org_command", metavar="ACTION", required=True)
    load = actions.add_parser("import", help="load or update employees from a CSV file")
    load.add_argument("file", type=Path, help="CSV: slack_id,name,team,role,manager_slack_id[,email,tz,profile]")
    load.add_argument("--deactivate-missing", action="store_true", help="deactivate people not in the file")
    load.add_argument(
        CONFIRM_FLAG,
        action="store_true",
        help=f"with --deactivate-missing: go on even when it deactivates more than {round(MASS_SHARE * 100)}%% of "
        f"the active people and more than {MASS_COUNT} (refused without it: a file of one region would deactivate "
        "the rest)",
    )
    add_workspace_option(load)
    load.set_defaults(handler=run_import)
    show = actions.add_parser("show", help="print the directory as a tree of managers")
    add_workspace_option(show)
    show.set_defaults(handler=run_show)


def run_import(args: argparse.Namespace) -> int:
    if args.confirm_mass_deactivation and not args.deactivate_missing:
        raise OrgFileError(
            [
                f"{CONFIRM_FLAG} goes with --deactivate-missing, which it confirms: add --deactivate-missing to "
                "deactivate the people the file leaves out, or leave both out to update only the people in it"
            ]
        )
    try:
        text = read_utf8(args.file, how_to_save=SAVE_AS_UTF8)
    except UnreadableFile as error:
        raise OrgFileError([str(error)]) from None
    now = SystemClock().now()
    with transaction() as session:
        workspace = resolve_workspace(session, args.workspace, create=True, now=now)
        directory = None if args.deactivate_missing else stored_people(session, workspace)
        rows = parse_org_csv(text, directory=directory)
        report = import_org(
            session,
            workspace=workspace,
            rows=rows,
            deactivate_missing=args.deactivate_missing,
            confirm_mass_deactivation=args.confirm_mass_deactivation,
            actor=actor(),
            now=now,
        )
        from handlers.handover import queue_import_messages

        queue_import_messages(session, workspace=workspace, report=report, now=now)
    print(describe_report(report))
    return 0


def describe_report(report: ImportReport) -> str:
    from handlers.handover import describe_handover

    handovers = reported(report.handovers)
    lines = [
        f"{len(report.added)} added, {len(report.updated)} updated, "
        f"{len(report.deactivated)} deactivated, {report.unchanged} unchanged"
        + (f", {len(handovers)} re-routed" if handovers else "")
    ]
    kept = [column for column in report.kept_columns if column != "email"]
    if kept:
        lines.append(f"  = not in the file, so left as they were: {', '.join(kept)}")
    if "email" in report.kept_columns:
        lines.append("  = not in the file: email, so each person's follows the one Slack gives them from now on")
    lines += [f"  + {entry}" for entry in report.added]
    lines += [f"  ~ {entry}" for entry in report.renamed_teams]
    lines += [f"  ~ {entry}" for entry in report.updated]
    lines += [f"  - {entry}" for entry in report.deactivated]
    lines += [
        f"  ? {entry}: not in the file, new since the last import, so left active until the next one"
        for entry in report.newcomers_kept
    ]
    lines += [
        f"  ! {entry}: deactivated in Slack, so left inactive until Slack reactivates them"
        for entry in report.left_slack
    ]
    lines += [f"  > {describe_handover(handover)}" for handover in handovers]
    lines += [f"  ! {ROLE_MISSING[role]}" for role in report.roles_missing]
    lines += [f"  ! {entry}" for entry in report.to_check]
    lines += [f"  ! {entry}" for entry in report.stuck]
    return "\n".join(lines)


def run_show(args: argparse.Namespace) -> int:
    with transaction() as session:
        workspace = resolve_workspace(session, args.workspace, create=False)
        tree = org_tree(session, workspace)
    if not tree:
        print("the directory is empty: load it with `python -m bot org import FILE.csv`")
    for depth, employee in tree:
        status = "" if employee.active else " [inactive]"
        team = f", {employee.team_name}" if employee.team else ""
        print(f"{'    ' * depth}{employee.name} ({employee.slack_id}) — {employee.role}{team}{status}")
    return 0
