"""`policy load FILE` / `policy show` / `policy suggest`: the organisation's rules, and what a month suggests."""

import argparse
import re
import sys
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from bot.cli.common import actor, add_workspace_option, resolve_workspace, transaction
from bot.cli.files import UnreadableFile, read_utf8
from bot.clock import SystemClock
from models import Workspace
from services.errors import InvalidInput
from services.handover import hand_over_suggestions, reported
from services.money import format_money
from services.policy.changes import policy_changes
from services.policy.file import PolicyError
from services.policy.in_use import teams_unknown
from services.policy.quiet_hours import quiet_words
from services.policy.versions import ActivePolicy, Policy, current_policy, load_policy, parse_policy
from services.suggestions import proposals
from services.suggestions.apply import change_note
from services.text import plural

SAVE_AS_UTF8 = "save it with the UTF-8 encoding in your editor"


def add_parser(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser("policy", help="the policy file: boundaries, rewards, pulse and digest settings")
    actions = parser.add_subparsers(dest="policy_command", metavar="ACTION", required=True)
    load = actions.add_parser("load", help="validate a policy file and load it as the new version in force")
    load.add_argument("file", type=Path, help="the policy TOML (see policy.example.toml)")
    add_workspace_option(load)
    load.set_defaults(handler=run_load)
    show = actions.add_parser("show", help="print the policy in force")
    add_workspace_option(show)
    show.set_defaults(handler=run_show)
    suggest = actions.add_parser(
        "suggest", help="a month of requests over the limit, per profile and category, and the limits it suggests"
    )
    suggest.add_argument("--month", metavar="YYYY-MM", help="the month to read (default: last month)")
    suggest.add_argument(
        "--send",
        action="store_true",
        help="also DM the month's proposals to HR and admins, with their Apply and Dismiss buttons "
        "(each once: a rerun sends only new ones)",
    )
    add_workspace_option(suggest)
    suggest.set_defaults(handler=run_suggest)


def run_load(args: argparse.Namespace) -> int:
    try:
        text = read_utf8(args.file, how_to_save=SAVE_AS_UTF8)
    except UnreadableFile as error:
        raise PolicyError([str(error)]) from None
    now = SystemClock().now()
    with transaction() as session:
        workspace = resolve_workspace(session, args.workspace, create=True, now=now)
        before = current_policy(session, workspace)
        version = load_policy(session, workspace=workspace, text=text, loaded_by=actor(), now=now)
        loaded = parse_policy(text)
        unknown = teams_unknown(session, workspace, loaded.suggestions.channels)
        handovers = hand_over_suggestions(session, workspace=workspace)
        from handlers.handover import describe_handover, queue_handover_messages

        queue_handover_messages(session, workspace=workspace, handovers=handovers, now=now)
    if before is not None and before.version.id == version.id:
        print(f"unchanged: {args.file} is the same as version {version.number}, which stays in force")
    else:
        print(f"loaded {args.file} as policy version {version.number} (sha256 {version.sha256[:12]})")
        print(describe_changes(before, loaded))
    for handover in reported(handovers):
        print(f"re-routed {describe_handover(handover)}")
    for team in unknown:
        print(
            f"! [suggestions.channels] names the team {team!r}, which the directory does not have (yet): nothing "
            "goes to its channel until a team of that name is in the org file's team column"
        )
    return 0


def describe_changes(before: ActivePolicy | None, after: Policy) -> str:
    changes = policy_changes(before.policy if before else None, after)
    if before is None:
        return "\n".join(changes)
    if not changes:
        return f"no rule changed from version {before.version.number}: only comments, layout or order differ"
    return "\n".join([f"changes from version {before.version.number}:", *(f"  {line}" for line in changes)])


def no_policy_yet() -> int:
    """Nothing to show or read limits from: said on standard error, so that `policy show > file` writes no such
    line into the file, with exit 1."""
    print("error: no policy loaded yet: `python -m bot policy load policy.example.toml`", file=sys.stderr)
    return 1


def run_show(args: argparse.Namespace) -> int:
    with transaction() as session:
        workspace = resolve_workspace(session, args.workspace, create=False)
        active = current_policy(session, workspace)
        note = change_note(session, active.version) if active is not None else None
    if active is None:
        return no_policy_yet()
    print(describe_policy(active))
    if note:
        print(f"\n{note}")
    return 0


def run_suggest(args: argparse.Namespace) -> int:
    now = SystemClock().now()
    month = typed_month(args.month) if args.month is not None else proposals.previous_month(now)
    with transaction() as session:
        workspace = resolve_workspace(session, args.workspace, create=False)
        active, found = proposals.findings(session, workspace=workspace, month=month)
        if active is None:
            return no_policy_yet()
        print(describe_findings(month, found, active.policy.currency))
        if args.send:
            print(f"\n{send_proposals(session, workspace, active, month, now)}")
    return 0


MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def typed_month(typed: str) -> str:
    """YYYY-MM from 2000-01 to 2099-12, its zero left out or not (2026-3); a day, or a month in words, is refused
    saying the month to write."""
    found = re.fullmatch(r"(20\d\d)-(\d{1,2})(-\d{1,2})?", typed.strip())
    words = re.findall(r"[a-z]+|\d{4}", typed.casefold())
    named = [n for n, name in enumerate(MONTH_NAMES, start=1) for word in words if word.startswith(name)]
    years = [word for word in words if word.isdigit() and word.startswith("20")]
    meant = f"{found[1]}-{int(found[2]):02}" if found else ""
    if not found and len(named) == 1 and len(years) == 1:
        meant = f"{years[0]}-{named[0]:02}"
    if found and not found[3] and 1 <= int(found[2]) <= 12:
        return meant
    hint = f": write {meant}" if meant and 1 <= int(meant[5:]) <= 12 else ""
    raise InvalidInput(f"--month must be a month like 2026-03, from 2000-01 to 2099-12 (got {typed!r}){hint}")


def send_proposals(session: Session, workspace: Workspace, active: ActivePolicy, month: str, now: datetime) -> str:
    """Queue the month's new proposals for HR and admins; what was done, and why nothing was when nothing was."""
    from handlers.jobs.propose_boundaries import queue_proposals

    if not active.policy.suggestions.proposals.enabled:
        return (
            "nothing sent: the policy in force turns proposals off ([suggestions.boundary_proposals] enabled = false)"
        )
    before = proposals.made_before(session, workspace=workspace, month=month)
    made = proposals.propose(session, workspace=workspace, month=month, now=now)
    queue_proposals(session, workspace, made, now)
    sent = f"queued {plural(len(made), 'new proposal')} for HR and admins (the running bot sends them)"
    return sent + (f"; {plural(before, 'proposal')} of {month} went to them before, not sent again" if before else "")


def describe_findings(month: str, found: list[proposals.Finding], currency: str) -> str:
    from handlers.blocks.boundary_proposals import evidence_lines

    if not found:
        return f"{month}: no request went over a limit"
    lines = [f"{month}: requests over the limit, per profile and category"]
    for finding in found:
        item = finding.evidence
        lines.append(f"\n[{item.profile}] {item.category}")
        lines += [f"  {line}" for line in evidence_lines(item.as_json(), currency)]
        if finding.kind == "raise" and finding.proposed_limit is not None:
            lines.append(f"  -> propose a per-incident limit of {format_money(finding.proposed_limit, currency)}")
        elif finding.kind == "declines":
            lines.append("  -> declines dominate: keep the limit, and look at the reasons")
        else:
            lines.append("  -> no change suggested")
    return "\n".join(lines)


def describe_policy(active: ActivePolicy) -> str:
    version, policy = active.version, active.policy
    lines = [
        f"policy version {version.number}, loaded {version.loaded_at:%Y-%m-%d %H:%M} UTC by {version.loaded_by}",
        f"currency {policy.currency}; escalation reminder after {policy.escalation_reminder_hours} h; "
        f"quiet hours {quiet_words(policy.quiet_hours)}",
    ]
    for profile, rules in policy.profiles.items():
        lines.append(f"\n[{profile}]")
        for rule in rules.values():
            limits = [
                f"{key.replace('_', ' ')} {getattr(rule, key)}"
                for key in ("per_incident", "per_day", "per_month", "per_customer_30d")
                if getattr(rule, key) is not None
            ]
            if rule.needs_customer_ref:
                limits.append("customer reference required")
            lines.append(f"  {rule.category:<14} {'; '.join(limits) or 'no money involved'}")
    return "\n".join(lines)
