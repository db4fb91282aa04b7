"""Start-up as an operator gets it wrong: a mistyped workspace, database URL or SQLite path, a `.env` saved in
another encoding, a bot token Slack refuses, a port already taken; each is one line, with no secret in it."""

import os
import pwd
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from bot.fakeslack import FakeSlack
from tests.conftest import FIXTURES, SIGNING_SECRET
from tests.e2e.test_cli import bot_environment, cli, prepared_database, upgraded

PASSWORD = "s3cret"


def one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    """The one line a refused command prints on standard error (and exit 2); fails on anything more."""
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode == 2 and len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A port bound and never listening: a connection to it is refused at once."""
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    yield closed.getsockname()[1]
    closed.close()


# -- the workspace on a fresh database ------------------------------------------------------------------------------


def test_a_mistyped_workspace_on_a_fresh_database_is_refused_naming_the_bot_tokens(
    tmp_path: Path, slack: FakeSlack
) -> None:
    upgraded(tmp_path).dispose()
    env = bot_environment(slack)

    mistyped = cli(tmp_path, "org", "import", str(FIXTURES / "org.csv"), "--workspace", "T0TYPO", env=env)
    listed_after_typo = cli(tmp_path, "workspace", "list", env=env)
    right = cli(tmp_path, "org", "import", str(FIXTURES / "org.csv"), "--workspace", "T0LATITUDE", env=env)
    listed = cli(tmp_path, "workspace", "list", env=env)

    assert one_error_line(mistyped) == (
        "error: SLACK_BOT_TOKEN belongs to workspace T0LATITUDE (Latitude Demo), not T0TYPO: "
        "pass --workspace T0LATITUDE, or leave it out"
    )
    assert listed_after_typo.stdout.startswith("no workspace yet"), listed_after_typo.stdout
    assert right.returncode == 0, right.stderr
    assert listed.stdout.splitlines() == ["T0LATITUDE\tworkspace\tLatitude Demo\tinstalled"]


def test_a_command_that_only_reads_on_a_fresh_database_says_how_a_workspace_comes_to_be(tmp_path: Path) -> None:
    """Passing --workspace there cannot help: it would only be refused as unknown."""
    upgraded(tmp_path).dispose()

    shown = cli(tmp_path, "org", "show")

    assert one_error_line(shown) == "error: no workspace yet: `org import FILE` or running the bot once adds it"


def test_a_command_run_with_no_user_in_its_environment_is_audited_under_the_login_name(tmp_path: Path) -> None:
    """cron, systemd and containers often start commands without USER: the audit trail still says who ran them."""
    engine = upgraded(tmp_path)
    imported = cli(
        tmp_path,
        *("org", "import", str(FIXTURES / "org.csv"), "--workspace", "T0LATITUDE"),
        unset=("USER", "LOGNAME", "LNAME", "USERNAME"),
    )

    assert imported.returncode == 0, imported.stderr
    with engine.connect() as connection:
        actors = set(connection.execute(text("SELECT actor FROM audit_events")).scalars())
    engine.dispose()
    assert actors == {f"cli:{pwd.getpwuid(os.getuid()).pw_name}"}


def test_a_mistyped_slack_team_id_is_named_as_the_setting_to_fix(tmp_path: Path, slack: FakeSlack) -> None:
    """Passing no --workspace (or "leaving it out") changes nothing when the id comes from `.env`."""
    upgraded(tmp_path).dispose()
    env = {**bot_environment(slack), "SLACK_TEAM_ID": "T0TYPO"}

    fresh = cli(tmp_path, "org", "import", str(FIXTURES / "org.csv"), env=env)
    imported = cli(tmp_path, "org", "import", str(FIXTURES / "org.csv"), env=bot_environment(slack))
    known = cli(tmp_path, "org", "show", env=env)

    assert one_error_line(fresh) == (
        "error: SLACK_BOT_TOKEN belongs to workspace T0LATITUDE (Latitude Demo), not T0TYPO: "
        "set SLACK_TEAM_ID=T0LATITUDE, or leave it empty"
    )
    assert imported.returncode == 0, imported.stderr
    assert one_error_line(known) == (
        "error: no workspace T0TYPO in the database (known: T0LATITUDE): with SLACK_BOT_TOKEN the bot serves the "
        "one workspace its token belongs to; check SLACK_TEAM_ID, or leave it empty"
    )


def test_a_bot_token_slack_refuses_on_a_fresh_database_is_the_line_run_prints(tmp_path: Path, slack: FakeSlack) -> None:
    upgraded(tmp_path).dispose()
    env = {**bot_environment(slack), "SLACK_BOT_TOKEN": "xoxb-wrong"}

    imported = cli(tmp_path, "org", "import", str(FIXTURES / "org.csv"), env=env)
    run = cli(tmp_path, "run", "--http", "--port", "0", env=env)

    expected = f"error: Slack did not accept SLACK_BOT_TOKEN at {slack.api_url}: invalid_auth"
    assert one_error_line(imported) == expected
    assert one_error_line(run) == expected


def test_slack_failing_to_check_the_bot_token_for_now_is_not_told_as_the_token_refused(
    tmp_path: Path, slack: FakeSlack
) -> None:
    """HR importing the org file during a Slack outage is not sent to check a token that is fine."""
    upgraded(tmp_path).dispose()
    slack.fail("auth.test", times=10, status=503)

    imported = cli(tmp_path, "org", "import", str(FIXTURES / "org.csv"), env=bot_environment(slack))

    expected = f"error: Slack could not be reached at {slack.api_url} to check SLACK_BOT_TOKEN: HTTP 503 internal_error"
    assert one_error_line(imported) == expected


def test_a_new_bot_token_of_another_workspace_than_slack_team_id_stops_run_and_ends_no_service(tmp_path: Path) -> None:
    """A token rotated by hand, pasted from another workspace's app (a staging one): SLACK_TEAM_ID says which
    workspace this is, so the bot refuses to start rather than stop serving it and drop what it had queued."""
    prepared_database(tmp_path)
    with FakeSlack(team_id="T0STAGING") as staging:
        env = {**bot_environment(staging), "SLACK_TEAM_ID": "T0LATITUDE"}

        run = cli(tmp_path, "run", "--http", "--port", "0", env=env)

    assert one_error_line(run) == (
        "error: SLACK_BOT_TOKEN belongs to workspace T0STAGING (Latitude Demo), not SLACK_TEAM_ID T0LATITUDE: put "
        "T0LATITUDE's bot token in SLACK_BOT_TOKEN, or, if Latitude is to serve T0STAGING from now on, set "
        "SLACK_TEAM_ID=T0STAGING (the bot then stops serving T0LATITUDE, as an uninstall would)"
    )
    listed = cli(tmp_path, "workspace", "list")
    assert listed.stdout.splitlines() == ["T0LATITUDE\tworkspace\t-\tinstalled"], listed.stdout


def test_run_over_http_with_the_signing_secret_left_as_env_examples_placeholder_says_so(
    tmp_path: Path, slack: FakeSlack
) -> None:
    """Every request Slack sends would be refused as unsigned, and Slack would only say the app did not answer."""
    upgraded(tmp_path).dispose()
    (tmp_path / ".env").write_text((FIXTURES.parent.parent / ".env.example").read_text())
    env = {k: v for k, v in bot_environment(slack).items() if k != "SLACK_SIGNING_SECRET"}

    run = cli(tmp_path, "run", "--http", "--port", "0", env=env)

    assert one_error_line(run) == (
        "error: SLACK_SIGNING_SECRET is still .env.example's 'your-signing-secret': copy the app's Signing Secret "
        "(Basic Information -> App Credentials) into it, or every request from Slack is refused"
    )


# -- secrets in URLs ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://latitude@127.0.0.1:{port}/latitude?password=s3cret",
        "postgresql+psycopg:///latitude?host=127.0.0.1&port={port}&user=latitude&password=s3cret",
        "postgresql+psycopg://latitude:s3cret@127.0.0.1:{port}/latitude",
    ],
)
def test_a_database_that_cannot_be_reached_is_described_without_user_or_password(
    tmp_path: Path, closed_port: int, url: str
) -> None:
    result = cli(tmp_path, "db", "status", env={"DATABASE_URL": url.format(port=closed_port)})

    line = one_error_line(result)
    assert line.startswith("error: cannot reach the database at postgresql+psycopg://"), line
    assert PASSWORD not in line and "@" not in line, line


@pytest.mark.parametrize("password", ["p@s3cret", "p@ss#w/rd"])
def test_an_unescaped_at_sign_in_the_database_password_is_refused_without_echoing_it(
    tmp_path: Path, closed_port: int, password: str
) -> None:
    url = f"postgresql+psycopg://latitude:{password}@127.0.0.1:{closed_port}/latitude"

    result = cli(tmp_path, "db", "status", env={"DATABASE_URL": url})

    line = one_error_line(result)
    assert "write '@' as %40" in line and "DATABASE_URL" in line, line
    assert password[2:] not in line


def test_a_slack_api_url_with_a_password_is_shown_without_it(tmp_path: Path, slack: FakeSlack) -> None:
    """A proxy's user and password in SLACK_API_URL, for `run` and for a command that asks Slack."""
    upgraded(tmp_path).dispose()
    proxied = slack.api_url.replace("http://", f"http://proxy:{PASSWORD}@")
    env = {**bot_environment(slack), "SLACK_API_URL": proxied}

    run = cli(tmp_path, "run", "--http", "--port", "0", env=env)
    imported = cli(tmp_path, "org", "import", str(FIXTURES / "org.csv"), env=env)

    hidden = slack.api_url.replace("http://", "http://proxy:***@")
    for result in (run, imported):
        line = one_error_line(result)
        assert f"Slack could not be reached at {hidden}" in line, line
        assert PASSWORD not in result.stdout + result.stderr


# -- DATABASE_URL, the SQLite file, .env ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://latitude:s3cret@127.0.0.1:5432x/latitude",
        "postgresql+psycopg://latitude:s3cret@[::1:5432/latitude",
    ],
)
def test_a_malformed_port_in_database_url_is_one_line_naming_the_variable(tmp_path: Path, url: str) -> None:
    line = one_error_line(cli(tmp_path, "db", "status", env={"DATABASE_URL": url}))

    assert line.startswith("error: DATABASE_URL is not a database URL"), line
    assert PASSWORD not in line


def test_a_mistyped_sqlite_path_creates_no_database_except_by_upgrade(tmp_path: Path, slack: FakeSlack) -> None:
    """`DATABASE_URL=sqlite:///latitud.db`, or `run` from the wrong folder: a new empty database would be served
    instead of the one with the directory in it."""
    prepared_database(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    mistyped = {"DATABASE_URL": "sqlite:///latitud.db"}

    shown = cli(tmp_path, "org", "show", env=mistyped)
    status = cli(tmp_path, "db", "status", env=mistyped)
    run = cli(elsewhere, "run", "--http", "--port", "0", env=bot_environment(slack))

    assert one_error_line(shown) == (
        f"error: no database at {tmp_path / 'latitud.db'}: check DATABASE_URL, "
        "or run `python -m bot db upgrade` to create it"
    )
    assert one_error_line(status) == one_error_line(shown)
    assert one_error_line(run).startswith(f"error: no database at {elsewhere / 'latitude.db'}:")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("latitud")) == ["latitude.db"]
    assert list(elsewhere.iterdir()) == []

    created = cli(tmp_path, "db", "upgrade", env=mistyped)

    assert created.returncode == 0, created.stderr
    assert created.stdout.startswith(f"database sqlite:///{tmp_path / 'latitud.db'} is at "), created.stdout
    assert (tmp_path / "latitud.db").exists()


def test_a_mistyped_sqlite_uri_filename_creates_no_database_either(tmp_path: Path) -> None:
    prepared_database(tmp_path)

    shown = cli(tmp_path, "org", "show", env={"DATABASE_URL": "sqlite:///file:latitud.db?uri=true"})

    assert one_error_line(shown).startswith(f"error: no database at {tmp_path / 'latitud.db'}: "), shown.stderr
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("latitud")) == ["latitude.db"]


@pytest.mark.parametrize("encoding", ["utf-16", "cp1252"])
def test_a_dotenv_not_saved_as_utf8_is_one_line(tmp_path: Path, encoding: str) -> None:
    """Notepad's "Unicode" (UTF-16), or an accented letter saved by an editor set to Windows-1252."""
    (tmp_path / ".env").write_text(
        f"SLACK_SIGNING_SECRET={SIGNING_SECRET}\nRECOGNITION_CHANNEL=#réussites\n", encoding=encoding
    )

    result = cli(tmp_path, "db", "status")

    assert one_error_line(result) == "error: .env is not UTF-8: save it as UTF-8"


# -- commands that need no Slack ----------------------------------------------------------------------------------


def test_workspace_list_and_purge_need_no_slack_token(tmp_path: Path) -> None:
    """HR at a workstation, or an operator after the token was revoked and taken out of `.env`."""
    prepared_database(tmp_path)

    listed = cli(tmp_path, "workspace", "list")
    purge = cli(tmp_path, "workspace", "purge", "T0LATITUDE", "--dry-run", "--now")
    bad_retention = cli(tmp_path, "workspace", "list", env={"WORKSPACE_RETENTION_DAYS": "thirty"})

    assert listed.returncode == 0 and listed.stdout.startswith("T0LATITUDE\tworkspace"), listed.stderr
    assert "SLACK_" not in purge.stderr, purge.stderr
    assert (
        one_error_line(bad_retention) == "error: WORKSPACE_RETENTION_DAYS must be a whole number above 0 (got 'thirty')"
    )


# -- several workers ------------------------------------------------------------------------------------------------


def test_several_workers_on_a_port_in_use_is_the_one_line_one_worker_prints(
    tmp_path: Path, slack: FakeSlack, database_url: str, engine: Engine
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("several workers need PostgreSQL")
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    port = str(taken.getsockname()[1])
    try:
        env = {**bot_environment(slack), "DATABASE_URL": database_url}
        busy = cli(tmp_path, "run", "--http", "--host", "127.0.0.1", "--port", port, "--workers", "2", env=env)
    finally:
        taken.close()

    assert busy.returncode == 2, busy.stderr
    assert [line for line in busy.stderr.splitlines() if "ERROR" in line or "error" in line] == [
        f"error: cannot listen on 127.0.0.1:{port}: Address already in use"
    ], busy.stderr
