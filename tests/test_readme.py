"""The README's set-up commands are the ones CI runs."""

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
