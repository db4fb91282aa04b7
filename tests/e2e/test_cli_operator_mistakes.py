"""The command line when the operator's input is a little off: an export stopped by SIGTERM or sent to a pipe,
a grant id with a digit too many, an abbreviated option, a demo folder that is a file, a file not in UTF-8."""

import argparse
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from bot.cli import build_parser
from models import Employee, PolicyVersion, Workspace
from models.engine import make_engine, make_session_factory
from tests.conftest import FIXTURES
from tests.e2e.test_cli import cli, prepared_database, upgraded
from tests.e2e.test_rewards_export import MARCH_CSV, make_history
from tests.e2e.test_rewards_export_failures import exports_audited
from tests.helpers import count

MARCH = ["export", "rewards", "--from", "2026-03-01", "--to", "2026-03-31"]


@pytest.fixture
def history(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """March's reward grants in a database of their own (not the one this process holds open), and the
    environment that points the command line at it."""
    folder = tmp_path_factory.mktemp("history")
    engine = upgraded(folder)
    make_history(make_session_factory(engine))
    engine.dispose()
    return {"DATABASE_URL": f"sqlite:///{folder / 'latitude.db'}"}


def files_in(folder: Path) -> list[str]:
    return sorted(os.listdir(folder))


# -- export rewards --out ----------------------------------------------------------------------------------------


def test_an_export_stopped_by_sigterm_leaves_no_partial_file_and_no_audit_line(
    tmp_path: Path, history: dict[str, str]
) -> None:
    """`timeout 60 python -m bot export rewards --out rewards.csv`, or systemd stopping a job: the signal comes
    once every row is written, before the file takes its name."""
    stopped_once_written = (
        "import os, signal, sys\n"
        "import bot.cli.export as command\n"
        "written = command.export_grants\n"
        "def then_stopped(*args, **kwargs):\n"
        "    rows = written(*args, **kwargs)\n"
        "    os.kill(os.getpid(), signal.SIGTERM)\n"
        "    return rows\n"
        "command.export_grants = then_stopped\n"
        "from bot.cli import main\n"
        f"sys.exit(main({[*MARCH, '--out', 'rewards.csv']!r}))\n"
    )

    result = cli(tmp_path, "-c", stopped_once_written, python_flags=True, env=history)

    assert result.returncode == 143, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert files_in(tmp_path) == [], "a partial export, names and emails included, stayed behind"
    engine = make_engine(history["DATABASE_URL"])
    assert exports_audited(make_session_factory(engine)) == []
    engine.dispose()


def test_an_export_to_a_link_to_standard_output_writes_there_and_leaves_the_link(
    tmp_path: Path, history: dict[str, str]
) -> None:
    """`--out /dev/stdout` (or /dev/null, /dev/fd/N): replacing it would put a regular file of names and emails
    where the device was. Shown on a link of our own, the same shape as /dev/stdout."""
    link = tmp_path / "stdout"
    link.symlink_to("/proc/self/fd/1")

    result = cli(tmp_path, *MARCH, "--out", str(link), env=history)

    assert result.returncode == 0, result.stderr
    assert link.is_symlink(), "the link was replaced by a regular file"
    assert result.stdout == MARCH_CSV.replace("\r\n", "\n")  # text mode reads CRLF as LF
    assert files_in(tmp_path) == ["stdout"]


def test_an_export_to_standard_output_appended_to_a_log_adds_to_it(tmp_path: Path, history: dict[str, str]) -> None:
    """`--out /dev/stdout >> exports.log`: standard output is then a regular file, which must not be replaced
    (the log's earlier lines would go)."""
    link = tmp_path / "stdout"
    link.symlink_to("/proc/self/fd/1")
    log = tmp_path / "exports.log"
    log.write_bytes(b"last month's export\r\n")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_URL"))}
    with log.open("ab") as appended:
        result = subprocess.run(
            [sys.executable, "-m", "bot", *MARCH, "--out", str(link)],
            cwd=tmp_path,
            stdout=appended,
            stderr=subprocess.PIPE,
            env={**clean, **history},
            timeout=60,
        )

    assert result.returncode == 0, result.stderr
    assert log.read_bytes().decode("utf-8") == "last month's export\r\n" + MARCH_CSV
    assert link.is_symlink() and files_in(tmp_path) == ["exports.log", "stdout"]


@pytest.fixture
def fifo(tmp_path: Path) -> Iterator[tuple[Path, int]]:
    """A named pipe with its reader already open (without blocking), as `mkfifo p; cat p &` leaves it."""
    pipe = tmp_path / "rewards.pipe"
    os.mkfifo(pipe)
    reader = os.open(pipe, os.O_RDONLY | os.O_NONBLOCK)
    yield pipe, reader
    os.close(reader)


def test_an_export_to_a_fifo_writes_into_it(tmp_path: Path, history: dict[str, str], fifo: tuple[Path, int]) -> None:
    pipe, reader = fifo

    result = cli(tmp_path, *MARCH, "--out", str(pipe), env=history)

    assert result.returncode == 0, result.stderr
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode), "the FIFO was replaced by a regular file"
    assert os.read(reader, 1 << 16).decode("utf-8") == MARCH_CSV
    assert files_in(tmp_path) == ["rewards.pipe"]


def test_an_export_through_a_link_to_a_file_replaces_the_file_and_keeps_the_link(
    tmp_path: Path, history: dict[str, str]
) -> None:
    shared = tmp_path / "payroll"
    shared.mkdir()
    previous = shared / "rewards.csv"
    previous.write_text("last month's export\n")
    previous.chmod(0o640)
    link = tmp_path / "rewards.csv"
    link.symlink_to(previous)

    result = cli(tmp_path, *MARCH, "--out", "rewards.csv", env=history)

    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and link.readlink() == previous
    assert previous.read_bytes().decode("utf-8") == MARCH_CSV
    assert previous.stat().st_mode & 0o777 == 0o640
    assert files_in(tmp_path) == ["payroll", "rewards.csv"] and files_in(shared) == ["rewards.csv"]


# -- arguments ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("action", [["fulfil"], ["revoke", "--reason", "a typo"]])
@pytest.mark.parametrize(
    ("typed", "grant_id"), [("9999999999", "9999999999"), ("99999999999999999999",) * 2, ("#0", "0"), (" #0 ", "0")]
)
def test_a_grant_id_with_too_many_digits_is_no_grant_in_one_line(
    tmp_path: Path, database_url: str, workspace: Workspace, action: list[str], typed: str, grant_id: str
) -> None:
    """A digit too many: 9999999999 is past PostgreSQL's INTEGER, the longer one past SQLite's; `#0`, as Slack's
    messages write ids, is named once with its `#`."""
    result = cli(tmp_path, "rewards", *action[:1], typed, *action[1:], env={"DATABASE_URL": database_url})

    assert result.returncode == 2
    assert "Traceback" not in result.stderr, result.stderr[-800:]
    assert result.stderr.splitlines()[-1].endswith(
        f"there is no reward grant #{grant_id} (ids go from 1 to 2147483647)"
    )


@pytest.mark.parametrize(
    ("command", "refusal"),
    [
        ([*MARCH[:2], "--form", "2026-01-01"], "unrecognized arguments: --form 2026-01-01"),  # not --format
        (["rewards", "revoke", "1", "--reas", "why"], "the following arguments are required: --reason"),
        (["run", "--no-sch"], "unrecognized arguments: --no-sch"),  # not --no-scheduler
    ],
)
def test_an_abbreviated_option_is_refused_rather_than_guessed(tmp_path: Path, command: list[str], refusal: str) -> None:
    result = cli(tmp_path, *command)

    assert result.returncode == 2
    assert result.stderr.splitlines()[-1].endswith(f"error: {refusal}"), result.stderr
    assert files_in(tmp_path) == [], "nothing ran: not even a database was made"


@pytest.mark.parametrize(
    "command",
    [["org", "show", "--workspace"], ["digest", "send", "--dry-run", "--workspace"], ["workspace", "purge"]],
)
def test_a_workspace_id_pasted_with_spaces_is_that_workspace_and_an_empty_one_is_refused(
    tmp_path: Path, command: list[str]
) -> None:
    """`--workspace " T0LATITUDE"` copied from a message; `--workspace "$TEAM"` in a script whose variable is unset
    must not act on whichever workspace the default picks."""
    prepared_database(tmp_path)

    pasted = cli(tmp_path, *command, " T0LATITUDE ")
    empty = cli(tmp_path, *command, "")

    assert "no workspace" not in pasted.stderr, "found (purge then refuses it as still installed)"
    assert empty.returncode == 2 and empty.stdout == ""
    assert empty.stderr.splitlines()[-1].endswith(": it is empty: a Slack team id looks like T0123ABCD"), empty.stderr


def every_parser(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                yield from every_parser(child)


def test_no_command_takes_an_abbreviation_for_an_option() -> None:
    """Every level, including commands added later: `--form` must never become `--format` somewhere."""
    parsers = list(every_parser(build_parser()))

    assert len(parsers) > 20
    assert [p.prog for p in parsers if p.allow_abbrev] == []


def test_every_command_s_help_ends_with_examples_of_itself() -> None:
    """Commands added later too: each leaf's `--help` shows at least one way to run it, written out in full."""
    leaves = [
        p
        for p in every_parser(build_parser())
        if not any(isinstance(a, argparse._SubParsersAction) for a in p._actions)
    ]

    assert len(leaves) >= 17
    for parser in leaves:
        command = parser.prog.removeprefix("python -m bot ")
        examples = parser.format_help().partition("\nexamples:\n")[2].splitlines()
        assert examples and all(line.startswith(f"  python -m bot {command}") for line in examples), parser.prog


def test_org_import_help_shows_an_example_to_copy(tmp_path: Path) -> None:
    shown = cli(tmp_path, "org", "import", "--help")

    assert shown.returncode == 0 and shown.stderr == ""
    assert "examples:\n  python -m bot org import org.csv\n" in shown.stdout


def test_a_grant_command_s_help_says_where_to_find_the_grant_id(tmp_path: Path) -> None:
    shown = cli(tmp_path, "rewards", "revoke", "--help")

    assert shown.returncode == 0
    assert "#12 in its Slack messages" in shown.stdout
    assert 'python -m bot rewards revoke 12 --reason "given twice for the same call"' in shown.stdout


# -- demo --out --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("out", "expected"),
    [
        ("afile", "error: --out afile is a file: name a folder (it is made if it does not exist)"),
        ("afile/demo", "error: --out afile/demo: cannot create the folder: Not a directory"),
    ],
)
def test_demo_out_that_cannot_be_a_folder_is_one_line(tmp_path: Path, out: str, expected: str) -> None:
    (tmp_path / "afile").write_text("notes")

    result = cli(tmp_path, "demo", "--out", out)

    assert result.returncode == 2
    assert result.stderr.splitlines() == [expected], result.stderr[-800:]
    assert files_in(tmp_path) == ["afile"] and (tmp_path / "afile").read_text() == "notes"


# -- files that are not UTF-8 ------------------------------------------------------------------------------------

ORG_FILE = "slack_id,name,team,role,manager_slack_id\nU0A,Renée Admin,East,admin,\n"


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [
        (
            "cp1252",  # Excel's "CSV (Comma delimited)" on Windows
            "error: org.csv is not UTF-8 text: line 2 has a character in another encoding (such as Windows-1252): "
            'in Excel use Save As, then "CSV UTF-8 (Comma delimited)"; in another program, save it with the UTF-8 '
            "encoding",
        ),
        (
            "utf-16",  # Excel's "Unicode Text", Notepad's "Unicode"
            'error: org.csv is UTF-16 ("Unicode") text, not UTF-8: in Excel use Save As, then "CSV UTF-8 (Comma '
            'delimited)"; in another program, save it with the UTF-8 encoding',
        ),
    ],
)
def test_an_org_file_not_in_utf8_says_where_and_how_to_save_it(tmp_path: Path, encoding: str, expected: str) -> None:
    engine = upgraded(tmp_path)
    (tmp_path / "org.csv").write_bytes(ORG_FILE.encode(encoding))

    result = cli(tmp_path, "org", "import", "org.csv", "--workspace", "T0LATITUDE")

    assert result.returncode == 2
    assert result.stderr.splitlines() == [expected]
    with Session(engine) as session:
        assert count(session, Employee) == 0 and count(session, Workspace) == 0


def test_an_org_file_in_utf8_with_a_byte_order_mark_imports(tmp_path: Path) -> None:
    """Excel's "CSV UTF-8" starts with one."""
    upgraded(tmp_path)
    (tmp_path / "org.csv").write_bytes(ORG_FILE.encode("utf-8-sig"))

    result = cli(tmp_path, "org", "import", "org.csv", "--workspace", "T0LATITUDE")

    assert result.returncode == 0, result.stderr
    assert "+ Renée Admin (U0A)" in result.stdout


def test_a_policy_file_not_in_utf8_names_its_line_and_loads_nothing(tmp_path: Path) -> None:
    engine = upgraded(tmp_path)
    policy = 'currency = "USD"\n\n# Révisé en mars\n[profiles.frontline]\nrefund = { per_incident = 20 }\n'
    (tmp_path / "policy.toml").write_bytes(policy.encode("cp1252"))

    result = cli(tmp_path, "policy", "load", "policy.toml", "--workspace", "T0LATITUDE")

    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "error: policy.toml is not UTF-8 text: line 3 has a character in another encoding (such as Windows-1252): "
        "save it with the UTF-8 encoding in your editor"
    ]
    with Session(engine) as session:
        assert count(session, PolicyVersion) == 0


@pytest.mark.parametrize(
    ("policy", "refusals"),
    [
        (
            'currency = "USD"\nbogus = 1\n[profiles.frontline]\nrefund = { per_incident = -5 }\n',
            [
                "error: line 2: bogus: unknown key (allowed here: currency, digest, escalation_reminder_hours, "
                "profiles, pulse, quiet_hours, rewards, suggestions)",
                "error: line 4: profiles.frontline.refund.per_incident: cannot be negative (got -5)",
            ],
        ),
        (
            'currency = "USD"\n[profiles.frontline\nrefund = { per_incident = 5 }\n',
            ["error: line 2: not valid TOML: Expected ']' at the end of a table declaration (column 20)"],
        ),
        ("currency = \n", ["error: line 1: not valid TOML: Invalid value (column 12)"]),
        (
            'currency = "USD"\n[profiles.frontline]\nrefund = { per_incident = 5 }\nnote = """Set by HR\n\n',
            ['error: line 4: not valid TOML: the text opened with """ here is never closed (column 8)'],
        ),
        (
            "currency = 'USD\n[profiles.frontline]\nrefund = { per_incident = 5 }\n",
            ["error: line 1: not valid TOML: the text opened with ' here is never closed (column 12)"],
        ),
        (
            'currency = "USD"\n[profiles.frontline]\nrefund = { per_incident = 5, categories = ["a",\n',
            ["error: line 3: not valid TOML: the [ here is never closed (column 43)"],
        ),
        ("", ["error: the policy file is empty (or holds only comments): start from policy.example.toml"]),
        (
            "# our policy, to be written\n\n",
            ["error: the policy file is empty (or holds only comments): start from policy.example.toml"],
        ),
    ],
)
def test_each_mistake_in_a_policy_file_is_one_error_line_naming_its_line_and_nothing_is_loaded(
    tmp_path: Path, policy: str, refusals: list[str]
) -> None:
    engine = upgraded(tmp_path)
    (tmp_path / "policy.toml").write_text(policy)

    result = cli(tmp_path, "policy", "load", "policy.toml", "--workspace", "T0LATITUDE")

    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.splitlines() == refusals
    with Session(engine) as session:
        assert count(session, PolicyVersion) == 0


def test_a_first_org_file_without_an_admin_or_hr_is_imported_and_says_what_nobody_can_do(tmp_path: Path) -> None:
    upgraded(tmp_path).dispose()
    org = tmp_path / "org.csv"
    org.write_text(
        "slack_id,name,team,role,manager_slack_id\n"
        "U0MGR1,Maya Manager,Support East,manager,\n"
        "U0AGENT1,Sam Agent,Support East,frontline,U0MGR1\n"
    )

    without_both = cli(tmp_path, "org", "import", str(org), "--workspace", "T0LATITUDE")
    org.write_text(org.read_text() + "U0ADMIN,Ada Admin,Operations,admin,\n")
    with_an_admin = cli(tmp_path, "org", "import", str(org), "--workspace", "T0LATITUDE")
    full = cli(tmp_path, "org", "import", str(FIXTURES / "org.csv"), "--workspace", "T0LATITUDE")

    assert without_both.returncode == 0, without_both.stderr
    assert "  ! nobody active in the directory is an admin: a fix over the limit by someone with nobody above" in (
        without_both.stdout
    )
    assert "  ! nobody active in the directory is HR:" in without_both.stdout
    assert "is an admin" not in with_an_admin.stdout and "is HR:" in with_an_admin.stdout
    assert "  ! " not in full.stdout
