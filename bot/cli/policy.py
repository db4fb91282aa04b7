"""`policy load FILE` / `policy show`: the organisation's rules."""

import argparse
from pathlib import Path

from bot.cli.common import actor, add_workspace_option, resolve_workspace, transaction
from bot.clock import SystemClock
from services.policy.file import PolicyError
from services.policy.versions import ActivePolicy, current_policy, load_policy


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


def run_load(args: argparse.Namespace) -> int:
    try:
        text = args.file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise PolicyError([f"cannot read {args.file}: {error}"]) from None
    now = SystemClock().now()
    with transaction() as session:
        workspace = resolve_workspace(session, args.workspace, create=True, now=now)
        before = current_policy(session, workspace)
        version = load_policy(session, workspace=workspace, text=text, loaded_by=actor(), now=now)
    if before is not None and before.version.id == version.id:
        print(f"unchanged: {args.file} is the same as version {version.number}, which stays in force")
    else:
        print(f"loaded {args.file} as policy version {version.number} (sha256 {version.sha256[:12]})")
    return 0


def run_show(args: argparse.Namespace) -> int:
    with transaction() as session:
        workspace = resolve_workspace(session, args.workspace, create=False)
        active = current_policy(session, workspace)
    if active is None:
        print("no policy loaded yet: `python -m bot policy load policy.example.toml`")
        return 1
    print(describe_policy(active))
    return 0


def describe_policy(active: ActivePolicy) -> str:
    version, policy = active.version, active.policy
    lines = [
        f"policy version {version.number}, loaded {version.loaded_at:%Y-%m-%d %H:%M} UTC by {version.loaded_by}",
        f"currency {policy.currency}; escalation reminder after {policy.escalation_reminder_hours} h",
    ]
    for profile, rules in policy.profiles.items():
        lines.append(f"\n[{profile}]")
        for rule in rules.values():
            limits = [
                f"{key.replace('_', ' ')} {getattr(rule, key)}"
                for key in ("per_incident", "per_day", "per_month", "per_customer_30d")
                if getattr(rule, key) is not None
            ]
            if rule.requires_customer_ref:
                limits.append("customer reference required")
            lines.append(f"  {rule.category:<14} {'; '.join(limits) or 'no money involved'}")
    return "\n".join(lines)
