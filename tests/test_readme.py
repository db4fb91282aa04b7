"""The README's set-up commands are the ones CI runs."""

import argparse
import re
from pathlib import Path

from services.money import CURRENCIES

ROOT = Path(__file__).resolve().parent.parent


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()

    [ci_command] = re.findall(r'^TEST_COMMAND="(.*)"$', ci, re.M)
    assert f"```sh\n{ci_command}\n```" in readme


def test_the_readme_run_command_upgrades_the_schema_then_runs_the_bot() -> None:
    readme = (ROOT / "README.md").read_text()

    assert ".venv/bin/python -m bot db upgrade && .venv/bin/python -m bot run\n```" in readme


def test_the_readme_and_the_example_policy_name_the_currencies_a_policy_may_have() -> None:
    readme = " ".join((ROOT / "README.md").read_text().split())
    example = " ".join(line.lstrip("# ") for line in (ROOT / "policy.example.toml").read_text().splitlines())

    assert f"it offers {', '.join(CURRENCIES[:-1])}, {CURRENCIES[-1]}, written in capitals" in readme
    assert f"{', '.join(CURRENCIES[:-1])} or {CURRENCIES[-1]}. Currencies with three decimals" in example


def readme_section(title: str) -> str:
    readme = (ROOT / "README.md").read_text()
    return readme.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


def test_every_variable_of_the_example_env_file_is_in_the_readme_table_and_read_by_the_settings() -> None:
    """An operator fills in `.env` from `.env.example` and the README's table: neither may name a setting that
    nothing reads, nor leave one out."""
    example = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.M))
    table_row = r"^\| `([A-Z][A-Z0-9_]+)`(?: / `([A-Z][A-Z0-9_]+)`)? \|"
    table = set(re.findall(table_row, readme_section("Environment variables"), re.M))
    documented = {name for row in table for name in row if name}
    read = (ROOT / "bot" / "settings.py").read_text() + (ROOT / "tests" / "conftest.py").read_text()

    assert example == documented
    assert [name for name in sorted(example) if f'"{name}"' not in read] == []


def test_every_command_and_option_of_the_readme_table_is_one_the_command_line_takes() -> None:
    """The README's table and `--help` name the same commands and options (`digest send` takes no --workspace)."""
    from bot.cli import build_parser

    parsers = subcommand_parsers(build_parser())
    listed: dict[str, set[str]] = {}
    for row in re.findall(r"^\| (`.+?) \| .+ \|$", readme_section("Command line"), re.M):
        in_row, shared = [], set()
        for span in re.findall(r"`([^`]+)`", row):
            words = " ".join(span.split()[:2])
            command = words if words in parsers else span.split()[0]
            if command in parsers:
                in_row.append(command)
                listed.setdefault(command, set()).update(re.findall(r"--[a-z-]+", span))
            elif span.startswith("["):
                shared.update(re.findall(r"--[a-z-]+", span))
        for command in in_row:
            listed[command] |= shared

    assert set(listed) == set(parsers) - {"rewards fulfill"}
    for command, options in listed.items():
        taken = {o for action in parsers[command]._actions for o in action.option_strings if o.startswith("--")}
        assert options == taken - {"--help"}, command


def subcommand_parsers(parser: argparse.ArgumentParser, prefix: str = "") -> dict[str, argparse.ArgumentParser]:
    """Every runnable command (`db upgrade`, `run`...) and its parser."""
    found: dict[str, argparse.ArgumentParser] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found.update(subcommand_parsers(sub, f"{prefix}{name} "))
    return found or {prefix.strip(): parser}


def test_the_readme_tells_an_operator_upgrading_what_the_database_upgrade_cannot_change() -> None:
    """A new release's slash command, event or scope reaches Slack only when the operator applies the new manifest,
    and a new setting only when they add it to `.env`: the upgrade steps say so, before the backup and `db upgrade`."""
    steps = " ".join(readme_section("Upgrading").split())

    assert "Compare the new `manifest.yml` and `.env.example` with your release's" in steps
    assert "*App Manifest*, paste the new manifest" in steps
    assert steps.index("App Manifest") < steps.index("Back up the database") < steps.index("python -m bot db upgrade")
