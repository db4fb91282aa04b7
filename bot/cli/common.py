"""What CLI commands share: a database session and the workspace they act on."""

import argparse
import getpass
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from bot.logs import web_client_errors_silenced
from bot.settings import DEFAULT_SLACK_API_URL, database_url_from
from bot.startup import StartupError, auth_test_failed, open_database, require_current_schema, slack_unreachable
from models import Workspace
from models.engine import make_session_factory
from services import directory

CLI_ACTOR = "cli"


def database(*, check_schema: bool = True, create: bool = False) -> Engine:
    """The database the environment names; only `create` (`db upgrade`) may make a new SQLite file."""
    engine = open_database(database_url_from(), create=create)
    if check_schema:
        require_current_schema(engine)
    return engine


@contextmanager
def transaction() -> Iterator[Session]:
    with make_session_factory(database()).begin() as session:
        yield session


def team_id(text: str) -> str:
    """A workspace's id as typed or pasted: spaces around it are no part of it, and an empty one (a script's unset
    variable) names no workspace, rather than whichever one the default would pick."""
    typed = text.strip()
    if not typed:
        raise argparse.ArgumentTypeError("it is empty: a Slack team id looks like T0123ABCD")
    return typed


def add_workspace_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--workspace",
        type=team_id,
        metavar="TEAM_ID",
        help="Slack team id (like T0123ABCD); default SLACK_TEAM_ID, else the only workspace in the database",
    )


def resolve_workspace(
    session: Session, requested: str | None, *, create: bool, now: datetime | None = None
) -> Workspace:
    team_id = requested or os.environ.get("SLACK_TEAM_ID", "").strip() or None
    if team_id:
        found = directory.find_workspace(session, team_id)
        if found is not None:
            return found
        first = session.scalar(select(Workspace.id).limit(1)) is None
        if create and now is not None and first and not os.environ.get("SLACK_CLIENT_ID"):
            name = token_workspace_named(team_id, from_setting=requested is None) or ""
            return directory.ensure_workspace(session, slack_team_id=team_id, name=name, now=now)
        raise StartupError(unknown_workspace(session, team_id, from_setting=requested is None))
    known = list(session.scalars(select(Workspace).order_by(Workspace.id)))
    if len(known) == 1:
        return known[0]
    learned = token_workspace() if not known and create and now is not None else None
    if learned is not None:
        return directory.ensure_workspace(session, slack_team_id=learned[0], name=learned[1], now=now)  # type: ignore[arg-type]
    if not known and not create:
        raise StartupError("no workspace yet: `org import FILE` or running the bot once adds it")
    if not known:
        raise StartupError(
            "no workspace yet: pass --workspace T0123ABCD (your Slack team id), set SLACK_TEAM_ID, or run the bot once"
        )
    raise StartupError(
        f"several workspaces ({', '.join(w.slack_team_id for w in known)}): pass --workspace, or set SLACK_TEAM_ID"
    )


def unknown_workspace(session: Session, team_id: str, *, from_setting: bool = False) -> str:
    """Why a workspace id is not one the command can act on, and which are: a mistyped id must not start a
    directory nobody can reach (with OAuth installs a workspace exists once the app is installed there; with
    one bot token, once it is known, it is the only one)."""
    known = list(session.scalars(select(Workspace).order_by(Workspace.id)))
    names = ", ".join(w.slack_team_id for w in known) or "none yet"
    check = "check SLACK_TEAM_ID, or leave it empty" if from_setting else "check the id"
    if not os.environ.get("SLACK_CLIENT_ID"):
        return (
            f"no workspace {team_id} in the database (known: {names}): with SLACK_BOT_TOKEN the bot serves the one "
            f"workspace its token belongs to; {check}"
        )
    org_wide = [w.slack_team_id for w in known if w.org_wide]
    hint = f"; a workspace inside an org-wide install is its org's: {', '.join(org_wide)}" if org_wide else ""
    return f"the app is not installed in {team_id}: install it there first, or {check} (known: {names}{hint})"


def token_workspace_named(team_id: str, *, from_setting: bool = False) -> str | None:
    """The name of the workspace SLACK_BOT_TOKEN belongs to, once Slack says it is `team_id` (None without a
    token): a mistyped id on a fresh database would start a directory the bot never serves. `from_setting`: the
    id came from SLACK_TEAM_ID rather than --workspace, and the fix is there."""
    learned = token_workspace()
    if learned is None:
        return None
    if learned[0] != team_id:
        fix = (
            f"set SLACK_TEAM_ID={learned[0]}, or leave it empty"
            if from_setting
            else f"pass --workspace {learned[0]}, or leave it out"
        )
        raise StartupError(
            f"SLACK_BOT_TOKEN belongs to workspace {learned[0]} ({learned[1] or 'no name'}), not {team_id}: {fix}"
        )
    return learned[1]


def token_workspace() -> tuple[str, str] | None:
    """(team id, name) of the workspace SLACK_BOT_TOKEN belongs to, asked of Slack (`auth.test`); None without a token.

    A fresh database does not know the workspace yet; with one workspace the bot token already names it.
    """
    token = os.environ.get("SLACK_BOT_TOKEN", "").strip()
    if not token:
        return None
    from slack_sdk.errors import SlackApiError, SlackClientError

    from bot.slack_pool import PooledWebClient
    from bot.slack_tls import slack_tls

    api_url = os.environ.get("SLACK_API_URL", "").strip() or DEFAULT_SLACK_API_URL
    api_url = api_url if api_url.endswith("/") else api_url + "/"
    try:
        with web_client_errors_silenced():
            identity = PooledWebClient(token=token, base_url=api_url, ssl=slack_tls()).auth_test()
    except SlackApiError as error:
        raise auth_test_failed(api_url, error, error.response.status_code, error.response.get("error")) from None
    except (SlackClientError, OSError) as error:
        raise slack_unreachable(api_url, error) from None
    return str(identity["team_id"]), str(identity.get("team") or "")


def actor() -> str:
    """Who ran the command, for the audit trail: cron, systemd and containers often leave USER unset."""
    return f"{CLI_ACTOR}:{_login_name()}"


def _login_name() -> str:
    """The login name the environment gives (LOGNAME, USER...), else the name of the process's uid."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # a uid with no name, as in some containers
        return "unknown"
