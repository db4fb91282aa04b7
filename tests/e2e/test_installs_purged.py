"""A workspace purged while the bot runs leaves nothing behind in the bot's process for the next one to find."""

from datetime import timedelta
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from bot.fakeslack import SlackDriver
from bot.fakeslack.browser import install
from bot.server import EVENTS_PATH
from handlers.jobs.run_pulse_rounds import run_pulse_rounds
from models.engine import make_session_factory
from services import directory
from services.org_import import import_org, parse_org_csv
from services.policy.versions import load_policy
from services.pulse import rounds as pulse_rounds
from services.workspace_purge import purge, purge_plan
from tests.conftest import SIGNING_SECRET, RunningBot
from tests.e2e.test_config_cache import GENEROUS_CREDIT
from tests.e2e.test_installs import ALPHA_ORG, BETA_ORG, install_in, oauth_bot  # noqa: F401

GAMMA_ORG = ALPHA_ORG.replace("U0A", "U0G")


def purge_from_the_command_line(bot: RunningBot, team_id: str) -> None:
    """`python -m bot workspace purge T.. --now`: another process, with copies of its own."""
    with make_session_factory(bot.runtime.engine).begin() as session:
        workspace = directory.find_workspace(session, team_id)
        assert workspace is not None
        purge(session, purge_plan(session, workspace=workspace, now=bot.clock.now(), retention_days=30, force=True))


def install_with_policy(bot: RunningBot, team_id: str, org: str, policy: str) -> SlackDriver:
    """Install the app in a workspace, import its org file and load its own policy, as its HR would."""
    for line in org.splitlines()[1:]:
        user_id, name = line.split(",")[:2]
        bot.slack.add_user(user_id, name, team_id=team_id)
    bot.slack.installing(team_id=team_id, user_id=org.splitlines()[1].split(",")[0])
    assert install(bot.events_url).status == 200
    now = bot.clock.now()
    with bot.sessions.begin() as session:
        workspace = directory.find_workspace(session, team_id)
        assert workspace is not None
        import_org(session, workspace=workspace, rows=parse_org_csv(org), deactivate_missing=False, actor="t", now=now)
        load_policy(session, workspace=workspace, text=policy, loaded_by="test", now=now)
    return SlackDriver(
        bot.events_url + EVENTS_PATH, SIGNING_SECRET, bot.slack, settle=bot.driver._settle, team_id=team_id
    )


def test_a_workspace_installed_after_another_was_purged_is_judged_by_its_own_policy(
    oauth_bot: RunningBot,  # noqa: F811
) -> None:
    beta = install_in(oauth_bot, "T0BETA", BETA_ORG)
    beta.command("U0BAGENT", "/resolve", "credit 5 order 1 late")  # the bot now keeps beta's policy at hand
    beta.event({"type": "app_uninstalled"})
    purge_from_the_command_line(oauth_bot, "T0BETA")
    oauth_bot.clock.advance(timedelta(days=1))

    gamma = install_with_policy(oauth_bot, "T0GAMMA", GAMMA_ORG, GENEROUS_CREDIT)
    within = gamma.command("U0GAGENT", "/resolve", "credit 30 order 2 late")

    assert "over your boundary" not in within.text and "$30" in within.text, within.text


def test_a_workspace_purged_while_the_pulse_tick_runs_is_left_out_and_the_others_carry_on(
    oauth_bot: RunningBot,  # noqa: F811
) -> None:
    """`workspace purge` in another process, between the tick listing the workspaces and reaching this one."""
    for team_id, org in (("T0ALPHA", ALPHA_ORG), ("T0BETA", BETA_ORG)):
        driver = install_in(oauth_bot, team_id, org)
        with oauth_bot.sessions.begin() as session:
            workspace = directory.find_workspace(session, team_id)
            assert workspace is not None
            pulse_rounds.start_round(session, workspace=workspace, by=None, actor="cli", now=oauth_bot.clock.now())
    driver.event({"type": "app_uninstalled"})
    oauth_bot.clock.advance(timedelta(minutes=10))
    purge_beta_after_the_tick_lists_the_workspaces(oauth_bot)

    run_pulse_rounds(oauth_bot.runtime.deps, oauth_bot.runtime.sender_client)

    assert len(oauth_bot.slack.messages_to("U0AAGENT")) == 1, "Alpha's people are still asked"
    with oauth_bot.sessions() as session:
        assert directory.find_workspace(session, "T0BETA") is None


def purge_beta_after_the_tick_lists_the_workspaces(bot: RunningBot) -> None:
    """Once the tick has read which workspaces there are, the next transaction it commits lets the purge in."""
    listed: list[bool] = []

    def read(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if " ".join(statement.split()).startswith("SELECT workspaces.id FROM workspaces ORDER BY"):
            listed.append(True)

    def committed(session: Session) -> None:
        if listed and listed.pop():
            event.remove(bot.runtime.engine, "after_cursor_execute", read)
            purge_from_the_command_line(bot, "T0BETA")

    event.listen(bot.runtime.engine, "after_cursor_execute", read)
    event.listen(bot.runtime.deps.sessions, "after_commit", committed)
