"""Settings: a missing or malformed variable stops start-up with one line that names it."""

import os
from pathlib import Path

import pytest
from slack_bolt import App

from bot.settings import BOLT_OAUTH_VARIABLES, DEFAULT_SLACK_API_URL, SettingsError, load_settings

GOOD = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "secret"}


def test_defaults_apply_when_only_the_required_settings_are_given() -> None:
    settings = load_settings(GOOD)

    assert settings.slack_api_url == DEFAULT_SLACK_API_URL
    assert settings.database_url == "sqlite:///latitude.db"
    assert not settings.socket_mode
    assert settings.listener_threads == 32
    assert (settings.log_format, settings.max_request_bytes) == ("text", 1024 * 1024)
    assert (settings.database_lock_timeout, settings.database_statement_timeout) == (60, 120)


def test_a_statement_timeout_of_0_turns_it_off() -> None:
    assert load_settings({**GOOD, "DATABASE_STATEMENT_TIMEOUT": "0"}).database_statement_timeout == 0


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"SLACK_BOT_TOKEN": ""}, "SLACK_BOT_TOKEN is not set"),
        ({"SLACK_BOT_TOKEN": "xoxp-user"}, "SLACK_BOT_TOKEN must start with 'xoxb-'"),
        ({"SLACK_SIGNING_SECRET": "  "}, "SLACK_SIGNING_SECRET is not set"),
        ({"SLACK_APP_TOKEN": "xoxb-wrong"}, "SLACK_APP_TOKEN must start with 'xapp-'"),
        ({"SLACK_CLIENT_ID": "123.456"}, "SLACK_CLIENT_SECRET is not set but SLACK_CLIENT_ID is"),
        ({"SLACK_CLIENT_SECRET": "s"}, "SLACK_CLIENT_ID is not set but SLACK_CLIENT_SECRET is"),
        ({"SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "s"}, "SLACK_BOT_TOKEN is set beside SLACK_CLIENT_ID"),
        ({"SLACK_TOKEN_ROTATION": "maybe"}, "SLACK_TOKEN_ROTATION must be true or false"),
        (
            {"SLACK_TOKEN_ROTATION": "true"},
            "SLACK_TOKEN_ROTATION=true renews OAuth installs' tokens only, and SLACK_BOT_TOKEN is one token nothing",
        ),
        ({"SLACK_BOT_TOKEN": "xoxe.xoxb-1-abc"}, "SLACK_BOT_TOKEN is a rotating token (xoxe.)"),
        (
            {"SLACK_BOT_TOKEN": "xoxe.xoxb-1-abc", "SLACK_TOKEN_ROTATION": "true"},
            "SLACK_BOT_TOKEN is a rotating token (xoxe.)",
        ),
        ({"WORKSPACE_RETENTION_DAYS": "-1"}, "WORKSPACE_RETENTION_DAYS must be a whole number"),
        ({"SLACK_API_URL": "slack.com/api"}, "SLACK_API_URL must be an http(s) URL"),
        ({"DATABASE_URL": "not a url"}, "DATABASE_URL is not a database URL"),
        ({"DATABASE_URL": "mysql://x/y"}, "DATABASE_URL names 'mysql'"),
        ({"DATABASE_URL": "postgresql+psycopg2://x/y"}, "DATABASE_URL names the driver 'psycopg2'"),
        ({"LISTENER_THREADS": "lots"}, "LISTENER_THREADS must be a whole number"),
        ({"DATABASE_LOCK_TIMEOUT": "0"}, "DATABASE_LOCK_TIMEOUT must be a whole number above 0"),
        ({"DATABASE_STATEMENT_TIMEOUT": "-1"}, "DATABASE_STATEMENT_TIMEOUT must be a whole number of 0 or more"),
        ({"LOG_FORMAT": "xml"}, "LOG_FORMAT must be text or json"),
        ({"MAX_REQUEST_BYTES": "1e6"}, "MAX_REQUEST_BYTES must be a whole number"),
        ({"LOG_LEVEL": "chatty"}, "LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR"),
    ],
)
def test_a_bad_setting_is_named(overrides: dict[str, str], named: str) -> None:
    with pytest.raises(SettingsError) as raised:
        load_settings({**GOOD, **overrides})

    assert str(raised.value).startswith(named)
    assert "\n" not in str(raised.value)


def test_socket_mode_and_a_custom_api_url() -> None:
    settings = load_settings({**GOOD, "SLACK_APP_TOKEN": "xapp-1", "SLACK_API_URL": "http://127.0.0.1:9/api"})

    assert settings.socket_mode
    assert settings.slack_api_url == "http://127.0.0.1:9/api/"


def test_oauth_installs_need_the_client_pair_and_no_bot_token() -> None:
    oauth = {"SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "s", "SLACK_SIGNING_SECRET": "secret"}

    settings = load_settings({**oauth, "SLACK_TOKEN_ROTATION": "true", "WORKSPACE_RETENTION_DAYS": "7"})

    assert settings.oauth and settings.token_rotation
    assert (settings.slack_bot_token, settings.workspace_retention_days) == ("", 7)
    assert not load_settings(GOOD).oauth


def test_oauth_installs_refuse_socket_mode() -> None:
    oauth = {
        "SLACK_CLIENT_ID": "1.2",
        "SLACK_CLIENT_SECRET": "s",
        "SLACK_SIGNING_SECRET": "x",
        "SLACK_APP_TOKEN": "xapp-1",
    }

    with pytest.raises(SettingsError, match="OAuth installs need HTTP mode"):
        load_settings(oauth)


def test_blank_oauth_variables_from_a_copied_env_file_leave_bolt_with_the_bot_token(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Bolt takes `SLACK_CLIENT_ID=` as set and turns to OAuth installs, refusing every request; blank is unset."""
    for name in (*BOLT_OAUTH_VARIABLES, "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    dotenv = tmp_path / ".env"
    dotenv.write_text("SLACK_BOT_TOKEN=xoxb-1\nSLACK_SIGNING_SECRET=s\nSLACK_CLIENT_ID=\nSLACK_CLIENT_SECRET= \n")

    settings = load_settings(dotenv_path=dotenv)
    app = App(token=settings.slack_bot_token, signing_secret="s", token_verification_enabled=False)

    assert settings.slack_bot_token == "xoxb-1"
    assert app.oauth_flow is None
    assert not any(name in os.environ for name in BOLT_OAUTH_VARIABLES)


def test_the_example_env_file_copied_as_it_is_loads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (*BOLT_OAUTH_VARIABLES, "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    dotenv = tmp_path / ".env"
    dotenv.write_text((Path(__file__).parents[2] / ".env.example").read_text())

    settings = load_settings(dotenv_path=dotenv)

    assert settings.slack_bot_token == "xoxb-your-bot-token" and not settings.oauth
    assert not any(name in os.environ for name in BOLT_OAUTH_VARIABLES)


@pytest.mark.parametrize(
    ("line", "named"),
    [
        ("SLACK_SIGNING_SECRET s3cret-value", "SLACK_SIGNING_SECRET"),  # a space for the equals sign
        ("LOG_LEVEL: debug", "LOG_LEVEL"),  # a colon: it would be INFO, silently
        ("RELAY_SECRET='s3cret-value", "RELAY_SECRET"),  # a quote never closed: the signing secret, silently
    ],
)
def test_a_dotenv_line_that_is_not_name_equals_value_is_named_without_its_value(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, line: str, named: str
) -> None:
    for name in (*BOLT_OAUTH_VARIABLES, "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "LOG_LEVEL", "RELAY_SECRET"):
        monkeypatch.delenv(name, raising=False)
    dotenv = tmp_path / ".env"
    dotenv.write_text(f"SLACK_BOT_TOKEN=xoxb-1\n# the secret below\n{line}\nSLACK_SIGNING_SECRET=s\n")

    with pytest.raises(SettingsError) as raised:
        load_settings(dotenv_path=dotenv)

    assert str(raised.value) == (
        f".env line 3 ({named}) is not NAME=value: write each setting as NAME=value "
        "(a quoted value needs its closing quote)"
    )


def test_settings_shown_in_a_traceback_or_a_debugger_keep_their_secrets() -> None:
    settings = load_settings(
        {
            "SLACK_SIGNING_SECRET": "signing-s3cret",
            "SLACK_APP_TOKEN": "xapp-app-s3cret",
            "RELAY_SECRET": "relay-s3cret",
            "RELAY_SECRET_PREVIOUS": "old-relay-s3cret",
            "DATABASE_URL": "postgresql+psycopg://latitude:db-s3cret@db.example:5432/latitude?password=other-s3cret",
            "SLACK_BOT_TOKEN": "xoxb-bot-s3cret",
        }
    )

    shown = repr(settings)

    assert "s3cret" not in shown
    assert "slack_bot_token='***'" in shown and "relay_secret='***'" in shown
    assert "database_url='postgresql+psycopg://latitude:***@db.example:5432/latitude'" in shown
    assert "slack_team_id=None" in shown and "listener_threads=32" in shown
