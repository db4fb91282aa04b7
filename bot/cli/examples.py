"""Examples at the foot of every command's `--help`, kept in one table so that a new command without any is caught
(tests/e2e/test_cli_operator_mistakes.py walks every command)."""

import argparse

EXAMPLES: dict[str, tuple[str, ...]] = {
    "run": ("run", "run --http --port 3000", "run --http --workers 4 --no-scheduler"),
    "db upgrade": ("db upgrade",),
    "db status": ("db status && echo current",),
    "org import": (
        "org import org.csv",
        "org import org.csv --deactivate-missing",
        "org import org.csv --workspace T0123ABCD",
    ),
    "org show": ("org show", "org show | grep inactive"),
    "policy load": ("policy load policy.toml", "policy load policy.example.toml --workspace T0123ABCD"),
    "policy show": ("policy show",),
    "policy suggest": ("policy suggest", "policy suggest --month 2026-03", "policy suggest --month 2026-03 --send"),
    "export rewards": (
        "export rewards --out rewards.csv",
        "export rewards --from 2026-03-01 --to 2026-03-31 --out march.csv",
        'export rewards --team "Support East" --format jsonl',
    ),
    "rewards fulfil": ("rewards fulfil 12",),
    "rewards revoke": ('rewards revoke 12 --reason "given twice for the same call"',),
    "pulse start": ("pulse start",),
    "pulse status": ("pulse status", "pulse status --workspace T0123ABCD"),
    "pulse close": ("pulse close", "pulse close --workspace T0123ABCD"),
    "digest send": ("digest send --dry-run --force", "digest send", "digest send --workspace T0123ABCD"),
    "workspace list": ("workspace list",),
    "workspace removed": ("workspace removed", "workspace removed --workspace E0123ABCD"),
    "workspace purge": ("workspace purge T0123ABCD --dry-run", "workspace purge T0123ABCD"),
    "demo": ("demo", "demo --out demo-week"),
}


def add_examples(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> None:
    """Give each command's parser (a leaf of the tree) its examples; an alias (`fulfill`) shares its parser."""
    actions = [action for action in parser._actions if isinstance(action, argparse._SubParsersAction)]
    if not actions:
        lines = EXAMPLES.get(" ".join(path), ())
        parser.epilog = "examples:\n" + "\n".join(f"  python -m bot {line}" for line in lines) if lines else None
        parser.formatter_class = argparse.RawDescriptionHelpFormatter
        return
    for name, child in actions[0].choices.items():
        if child.prog.endswith(f" {name}"):
            add_examples(child, (*path, name))
