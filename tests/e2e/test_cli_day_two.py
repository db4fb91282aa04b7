"""An operator's day-two work on the command line: settings passed on by a container's environment, a database
checked before an upgrade; each answer is one line saying what to do."""

import subprocess
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.fakeslack import FakeSlack
from models.engine import make_engine, make_session_factory
from models.schema import HEAD_REVISION
from services import directory
from tests.conftest import FIXTURES, SIGNING_SECRET
from tests.e2e.test_cli import bot_environment, cli, prepared_database, upgraded


def one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode == 2 and len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


@pytest.mark.parametrize("quote", ['"{}"', "'{}'", "\u201c{}\u201d"])
def test_a_signing_secret_passed_on_in_quotes_stops_the_bot_at_start_instead_of_failing_every_request(
    tmp_path: Path, slack: FakeSlack, quote: str
) -> None:
    """`docker run --env-file` and Kubernetes keep the quotes of `SLACK_SIGNING_SECRET="..."`: every signature would
    then fail (401) with nothing said at start-up."""
    upgraded(tmp_path).dispose()
    env = {**bot_environment(slack), "SLACK_SIGNING_SECRET": quote.format(SIGNING_SECRET)}

    line = one_error_line(cli(tmp_path, "run", "--http", "--port", "0", env=env))

    assert line.startswith("error: SLACK_SIGNING_SECRET is wrapped in quotes"), line
    assert "remove them" in line and SIGNING_SECRET not in line, line


def test_a_database_url_passed_on_in_quotes_is_named_as_quoted_rather_than_not_a_url(tmp_path: Path) -> None:
    upgraded(tmp_path).dispose()

    line = one_error_line(cli(tmp_path, "db", "status", env={"DATABASE_URL": f'"sqlite:///{tmp_path}/latitude.db"'}))

    assert line.startswith('error: DATABASE_URL is wrapped in quotes ("...")'), line


def test_a_relay_secret_in_quotes_is_left_as_it_was_given(tmp_path: Path) -> None:
    """An operator's own secret may hold quotes, and reading it otherwise would end the relays it keeps open."""
    upgraded(tmp_path).dispose()

    status = cli(tmp_path, "db", "status", env={"RELAY_SECRET": '"chosen by us"', "SLACK_TEAM_ID": " T0LATITUDE "})

    assert status.returncode == 0, status.stderr


def test_db_status_on_a_database_behind_the_code_says_what_to_run(tmp_path: Path) -> None:
    make_engine(f"sqlite:///{tmp_path / 'latitude.db'}").dispose()  # a database file with no schema yet
    empty = cli(tmp_path, "db", "status")
    engine, older = upgraded(tmp_path), f"{int(HEAD_REVISION) - 1:04d}"
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = :older"), {"older": older})
    engine.dispose()
    behind = cli(tmp_path, "db", "status")

    assert empty.returncode == 1 and behind.returncode == 1
    assert empty.stdout.strip().endswith(": run `python -m bot db upgrade` to create it"), empty.stdout
    assert behind.stdout.strip() == (
        f"the database schema is behind the code (at {older}, code needs {HEAD_REVISION}): back the database up, "
        "then run `python -m bot db upgrade`"
    ), behind.stdout


def test_a_command_run_from_another_folder_says_it_found_no_env_there_rather_than_suggest_a_new_database(
    tmp_path: Path,
) -> None:
    """`.env` (and the SQLite file it defaults to) are read from the working folder: from the home folder, a
    command would otherwise suggest `db upgrade`, which starts a second, empty database there."""
    home = tmp_path / "home"
    home.mkdir()
    (tmp_path / ".env").write_text(f"DATABASE_URL=sqlite:///{tmp_path / 'latitude.db'}\n")
    upgraded(tmp_path).dispose()

    line = one_error_line(cli(home, "org", "show"))

    assert line == (
        f"error: no database at {home / 'latitude.db'}: DATABASE_URL is not set and there is no .env in {home}: run "
        "the command from the folder that holds Latitude's .env, or set DATABASE_URL (`python -m bot db upgrade` "
        "would start a new, empty database here)"
    )
    assert list(home.iterdir()) == []
    assert cli(tmp_path, "db", "status").returncode == 0, "from its own folder it finds the database"


def test_an_org_file_edited_in_a_spreadsheet_names_only_its_real_problems_in_line_order(tmp_path: Path) -> None:
    """A capitalised role (`Manager`) is a role; a manager whose own row has a problem is still in the file, so
    their reports are not told otherwise; problems come in the order of the lines."""
    upgraded(tmp_path).dispose()
    org = tmp_path / "org.csv"
    org.write_bytes(
        "\ufeffslack_id;name;team;role;manager_slack_id;email\r\n"
        "U0ADMIN;Ada Admin;Operations;Admin;;ada@example.com\r\n"
        "U0MGR1;Maya Manager;Support East;Manager ;U0ADMIN;maya@example\r\n"
        "U0AGENT1;Sam Agent;Support East;frontline;U0MGR1;sam@example.com\r\n"
        "U0AGENT1;Sam Again;Support East;frontline;U0MGR1;\r\n"
        ";;;;;\r\n;;;;;\r\n".encode()
    )

    refused = cli(tmp_path, "org", "import", str(org), "--workspace", "T0LATITUDE")

    assert refused.returncode == 2 and refused.stdout == ""
    assert refused.stderr.splitlines() == [
        "error: line 3: email 'maya@example' is not an email address",
        "error: line 5: duplicate slack_id U0AGENT1 (first on line 4)",
    ]
    shown = cli(tmp_path, "org", "show", "--workspace", "T0LATITUDE")
    assert shown.returncode == 2, "nothing was written: not even the workspace"

    org.write_bytes(org.read_bytes().replace(b"maya@example\r", b"maya@example.com\r").replace(b"Sam Again", b"Sam"))
    org.write_bytes(org.read_bytes().replace(b"U0AGENT1;Sam;", b"U0AGENT2;Sam;"))
    imported = cli(tmp_path, "org", "import", str(org), "--workspace", "T0LATITUDE")

    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.splitlines()[0] == "4 added, 0 updated, 0 deactivated, 0 unchanged"
    shown = cli(tmp_path, "org", "show")
    assert "Ada Admin (U0ADMIN) — admin, Operations" in shown.stdout
    assert "    Maya Manager (U0MGR1) — manager, Support East" in shown.stdout


def test_two_people_with_one_email_are_refused_naming_both_rows_and_nothing_is_imported(tmp_path: Path) -> None:
    """A row copied for a new colleague with the first one's email left in: the export would file the second
    person's rewards under the first one's address. An email is one mailbox whatever its letter case."""
    upgraded(tmp_path).dispose()
    org = tmp_path / "org.csv"
    org.write_text(
        "slack_id,name,team,role,manager_slack_id,email\n"
        "U0ADMIN,Ada Admin,Operations,admin,,ada@example.com\n"
        "U0AGENT1,Sam Agent,Support East,frontline,U0ADMIN,sam@example.com\n"
        "U0AGENT2,Lee Senior,Support East,frontline,U0ADMIN,Sam@Example.com\n"
        "U0AGENT1,Sam Agent,Support East,frontline,U0ADMIN,sam@example.com\n"
    )

    refused = cli(tmp_path, "org", "import", str(org), "--workspace", "T0LATITUDE")

    assert refused.returncode == 2 and refused.stdout == ""
    assert refused.stderr.splitlines() == [
        "error: line 4: duplicate email Sam@Example.com (U0AGENT2; also on line 3, U0AGENT1): each person needs "
        "their own",
        "error: line 5: duplicate slack_id U0AGENT1 (first on line 3)",
    ]
    assert cli(tmp_path, "org", "show", "--workspace", "T0LATITUDE").returncode == 2, "nothing was written"


def test_an_empty_org_file_is_named_as_empty_rather_than_as_missing_every_column(tmp_path: Path) -> None:
    """A file saved before anything was pasted into it, or cut short by a failed copy."""
    upgraded(tmp_path).dispose()
    org = tmp_path / "org.csv"
    org.write_bytes(b"\xef\xbb\xbf\r\n")

    line = one_error_line(cli(tmp_path, "org", "import", str(org), "--workspace", "T0LATITUDE"))

    assert line == (
        "error: the file is empty: it needs a header line (slack_id,name,team,role,manager_slack_id) and a row a person"
    )


def test_a_manager_whose_own_row_has_a_problem_is_that_one_line(tmp_path: Path) -> None:
    upgraded(tmp_path).dispose()
    org = tmp_path / "org.csv"
    org.write_text(
        "slack_id,name,team,role,manager_slack_id\n"
        "U0ADMIN,Ada Admin,Operations,admin,\n"
        "U0MGR1,Maya Manager,Support East,supervisor,U0ADMIN\n"
        "U0AGENT1,Sam Agent,Support East,frontline,U0MGR1\n"
    )

    refused = cli(tmp_path, "org", "import", str(org), "--workspace", "T0LATITUDE")

    assert one_error_line(refused) == "error: line 3: unknown role 'supervisor' (use frontline, manager, hr, admin)"


def test_several_workspaces_without_one_named_is_one_line_naming_both_ways_to_pick_one(tmp_path: Path) -> None:
    engine = upgraded(tmp_path)
    now = datetime.now(UTC)
    with make_session_factory(engine).begin() as session:
        for team_id in ("T0LATITUDE", "T0OTHER"):
            directory.ensure_workspace(session, slack_team_id=team_id, now=now)
    engine.dispose()

    line = one_error_line(cli(tmp_path, "pulse", "close"))

    assert line == "error: several workspaces (T0LATITUDE, T0OTHER): pass --workspace, or set SLACK_TEAM_ID"
    picked = cli(tmp_path, "pulse", "status", env={"SLACK_TEAM_ID": "T0OTHER"})
    assert (picked.returncode, picked.stdout) == (0, "no pulse round is open\n"), picked.stderr


def test_a_script_closing_the_round_when_none_is_open_is_told_so_and_goes_on(tmp_path: Path) -> None:
    engine = upgraded(tmp_path)
    with make_session_factory(engine).begin() as session:
        directory.ensure_workspace(session, slack_team_id="T0LATITUDE", now=datetime.now(UTC))
    engine.dispose()

    closed = cli(tmp_path, "pulse", "close")

    assert (closed.returncode, closed.stderr) == (0, "")
    assert closed.stdout == "No pulse round has been opened yet, so there is nothing to close.\n"


def test_closing_a_pulse_round_on_a_fresh_database_does_not_speak_of_showing(tmp_path: Path) -> None:
    upgraded(tmp_path).dispose()

    line = one_error_line(cli(tmp_path, "pulse", "close"))

    assert line == "error: no workspace yet: `org import FILE` or running the bot once adds it"


@pytest.mark.parametrize("suffix", [".xlsx", ".xls"])
def test_the_spreadsheet_itself_imported_instead_of_its_csv_is_named_as_a_workbook(tmp_path: Path, suffix: str) -> None:
    upgraded(tmp_path).dispose()
    workbook = tmp_path / f"org{suffix}"
    if suffix == ".xlsx":
        with zipfile.ZipFile(workbook, "w") as archive:
            archive.writestr("xl/workbook.xml", "<workbook/>")
    else:
        workbook.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))

    line = one_error_line(cli(tmp_path, "org", "import", str(workbook), "--workspace", "T0LATITUDE"))

    assert line == (
        f"error: {workbook} is a workbook (an Excel .xlsx or .xls, or a zip), not a text file: in Excel use Save As, "
        'then "CSV UTF-8 (Comma delimited)"; in another program, save it with the UTF-8 encoding'
    )


def test_confirming_a_mass_deactivation_without_asking_for_one_is_refused_and_changes_nothing(tmp_path: Path) -> None:
    """`--confirm-mass-deactivation` typed alone means the operator wanted people deactivated: an import that quietly
    deactivated nobody, and said "0 deactivated", would leave every leaver active."""
    prepared_database(tmp_path)
    first_lines = (FIXTURES / "org.csv").read_text().splitlines()[:4]  # Ada, Hana and Maya; four others left out
    fewer = tmp_path / "fewer.csv"
    fewer.write_text("\n".join(first_lines).replace("Maya Manager", "Maya Renamed") + "\n")

    refused = cli(tmp_path, "org", "import", str(fewer), "--confirm-mass-deactivation")

    assert one_error_line(refused) == (
        "error: --confirm-mass-deactivation goes with --deactivate-missing, which it confirms: add "
        "--deactivate-missing to deactivate the people the file leaves out, or leave both out to update only the "
        "people in it"
    )
    shown = cli(tmp_path, "org", "show").stdout
    assert "Maya Manager" in shown and "Maya Renamed" not in shown and "[inactive]" not in shown


@pytest.mark.parametrize("command", [["policy", "show"], ["policy", "suggest", "--month", "2026-03"]])
def test_policy_commands_before_any_policy_say_so_on_standard_error_and_exit_1(
    tmp_path: Path, command: list[str]
) -> None:
    """`policy show > policy.txt` in a nightly job: the file stays empty and the job's mail says why."""
    prepared_database(tmp_path)

    result = cli(tmp_path, *command)

    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.splitlines() == [
        "error: no policy loaded yet: `python -m bot policy load policy.example.toml`"
    ]


def test_pulse_start_before_the_org_import_opens_no_round_that_asks_nobody(tmp_path: Path) -> None:
    """Day zero: the bot ran once (so the workspace is known), nobody imported the org file yet."""
    engine = upgraded(tmp_path)
    with make_session_factory(engine).begin() as session:
        directory.ensure_workspace(session, slack_team_id="T0LATITUDE", now=datetime.now(UTC))

    started = cli(tmp_path, "pulse", "start")

    assert one_error_line(started) == (
        "error: Nobody is in the org directory yet, so a pulse round would ask nobody: import the org file first "
        "(`python -m bot org import FILE.csv`), then start the round. Nothing was opened."
    )
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM pulse_rounds")).scalar_one() == 0
    engine.dispose()
