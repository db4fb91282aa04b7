"""Many workspaces: OAuth installs, two workspaces that cannot see or touch each other, uninstall and purge."""

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.fakeslack import SlackDriver
from bot.fakeslack.browser import install
from bot.fakeslack.server import CLIENT_ID, CLIENT_SECRET
from bot.server import EVENTS_PATH
from handlers.jobs.drain_outbox import drain_outbox
from handlers.jobs.follow_up_pending_requests import follow_up_pending_requests
from models import Delivery, Employee, Resolution, Workspace, slack_installations
from services import directory, outbox
from services.errors import DomainError
from services.org_import import import_org, parse_org_csv
from services.policy.versions import load_policy
from services.workspace_purge import purge_plan
from tests.conftest import SIGNING_SECRET, RunningBot, StartBot, bot_settings
from tests.helpers import POLICY_EXAMPLE, around_the_clock
from tests.helpers import load_org_and_policy as load_the_test_org

ALPHA_ORG = """slack_id,name,team,role,manager_slack_id,email,tz,profile
U0AHR,Ana HR,People,hr,,,Europe/London,
U0AMGR,Al Manager,Support,manager,U0AHR,,Europe/London,
U0AAGENT,Abe Agent,Support,frontline,U0AMGR,,Europe/London,
"""
BETA_ORG = ALPHA_ORG.replace("U0A", "U0B").replace("Ana", "Bea").replace("Al ", "Bo ").replace("Abe", "Bob")


@pytest.fixture
def oauth_bot(start_bot: StartBot) -> Iterator[RunningBot]:
    yield from with_installs(start_bot)


def with_installs(start_bot: StartBot, **overrides: object) -> Iterator[RunningBot]:
    """A bot serving the workspaces that install it (no SLACK_BOT_TOKEN), Slack's install pages leading back to it."""
    for running in start_bot(
        slack_bot_token="", slack_client_id=CLIENT_ID, slack_client_secret=CLIENT_SECRET, **overrides
    ):
        running.slack.set_redirect_url(running.events_url + "/slack/oauth_redirect")
        yield running


def install_in(bot: RunningBot, team_id: str, org: str) -> SlackDriver:
    """Install the app in a workspace through Slack's OAuth pages, load its org and policy, and drive it."""
    for line in org.splitlines()[1:]:
        user_id, name = line.split(",")[:2]
        bot.slack.add_user(user_id, name, team_id=team_id)
    bot.slack.installing(team_id=team_id, user_id=org.splitlines()[1].split(",")[0])
    page = install(bot.events_url)
    assert page.status == 200, page.body
    load_org_and_policy(bot.sessions, team_id, org, bot.clock.now())
    return SlackDriver(
        bot.events_url + EVENTS_PATH, SIGNING_SECRET, bot.slack, settle=bot.driver._settle, team_id=team_id
    )


def queue(bot: RunningBot, team_id: str, channels: list[str]) -> None:
    """A message to each person or channel (a `C...` id is made a channel of that workspace in Slack)."""
    for channel in channels:
        if channel.startswith("C"):
            bot.slack.add_channel(channel, channel.lower(), team_id=team_id)
    with bot.sessions.begin() as session:
        workspace = directory.find_workspace(session, team_id)
        assert workspace is not None
        for channel in channels:
            outbox.enqueue(
                session,
                workspace=workspace,
                key=f"test:{team_id}:{channel}",
                method="chat.postMessage",
                payload={"channel": channel, "text": "hello"},
                now=bot.clock.now(),
            )


def load_org_and_policy(sessions: sessionmaker[Session], key: str, org: str, now: datetime) -> None:
    with sessions.begin() as session:
        workspace = directory.ensure_workspace(session, slack_team_id=key, now=now)
        import_org(session, workspace=workspace, rows=parse_org_csv(org), deactivate_missing=False, actor="t", now=now)
        load(session, key, now)


def load(session: Session, key: str, now: datetime) -> None:
    workspace = directory.find_workspace(session, key)
    assert workspace is not None
    load_policy(session, workspace=workspace, text=around_the_clock(), loaded_by="test", now=now)


def test_an_install_records_the_workspace_and_its_token(oauth_bot: RunningBot) -> None:
    oauth_bot.slack.add_user("U0AHR", "Ana HR", team_id="T0ALPHA")
    oauth_bot.slack.installing(team_id="T0ALPHA", user_id="U0AHR")

    page = install(oauth_bot.events_url)

    assert page.status == 200
    [exchange] = oauth_bot.slack.calls("oauth.v2.access")
    assert exchange.args["client_id"] == CLIENT_ID
    with oauth_bot.sessions() as session:
        workspace = directory.find_workspace(session, "T0ALPHA")
        assert workspace is not None and workspace.installed and not workspace.org_wide
    assert oauth_bot.runtime.deps.tokens is not None
    token = oauth_bot.runtime.deps.tokens.token_for(workspace.id)
    assert oauth_bot.slack.tokens_of("T0ALPHA") == [token]


def test_an_install_with_a_forged_state_is_refused(oauth_bot: RunningBot) -> None:
    oauth_bot.slack.installing(team_id="T0ALPHA")

    from bot.fakeslack.browser import get

    start, _cookies = get(f"{oauth_bot.events_url}/slack/install")
    allowed, _ = get(start.location)
    landed, _ = get(allowed.location)  # no state cookie: another browser

    assert landed.status == 400
    assert oauth_bot.slack.calls("oauth.v2.access") == []
    with oauth_bot.sessions() as session:
        assert directory.find_workspace(session, "T0ALPHA") is None


def test_two_workspaces_see_and_touch_nothing_of_each_other(oauth_bot: RunningBot) -> None:
    alpha = install_in(oauth_bot, "T0ALPHA", ALPHA_ORG)
    beta = install_in(oauth_bot, "T0BETA", BETA_ORG)
    alpha_token, beta_token = oauth_bot.slack.tokens_of("T0ALPHA")[0], oauth_bot.slack.tokens_of("T0BETA")[0]

    alpha.command("U0AAGENT", "/resolve", "refund 80 order 42 parcel lost in transit")
    [request] = oauth_bot.slack.calls("chat.postMessage", channel="U0AMGR")
    beta.click("U0BMGR", request, "resolution_approve", forged=True)
    beta.command("U0BAGENT", "/nominate", "<@U0AAGENT> praise for a calm refund")
    results = beta.command("U0BHR", "/pulse", "results <@U0AMGR>")
    alpha.command("U0AHR", "/pulse", "start")
    beta.command("U0BHR", "/pulse", "start")
    drain_outbox(oauth_bot.runtime.deps, oauth_bot.runtime.sender_client)

    assert request.token == alpha_token
    with oauth_bot.sessions() as session:
        assert session.scalars(select(Resolution.status)).all() == ["pending"], "beta's manager cannot decide it"
        beta_workspace = directory.find_workspace(session, "T0BETA")
        assert beta_workspace is not None
        beta_people = set(session.scalars(select(Employee.slack_id).where(Employee.workspace_id == beta_workspace.id)))
    assert not any(person.startswith("U0A") for person in beta_people), "alpha's people never enter beta"
    assert "Al Manager" not in results.text
    invitations = oauth_bot.slack.calls("chat.postMessage")
    assert {c.token for c in invitations if c.channel.startswith(("U0A", "D0A"))} == {alpha_token}
    assert {c.token for c in invitations if c.channel.startswith(("U0B", "D0B"))} == {beta_token}
    assert oauth_bot.slack.messages_to("U0AAGENT") == [c for c in invitations if c.channel in ("U0AAGENT", "D0AAGENT")]


def test_uninstall_stops_sending_at_once_and_purge_waits_for_the_retention(oauth_bot: RunningBot) -> None:
    alpha = install_in(oauth_bot, "T0ALPHA", ALPHA_ORG)
    install_in(oauth_bot, "T0BETA", BETA_ORG)
    queue(oauth_bot, "T0ALPHA", ["U0AAGENT"])

    alpha.event({"type": "app_uninstalled"})
    sent = drain_outbox(oauth_bot.runtime.deps, oauth_bot.runtime.sender_client)

    assert sent == 0 and oauth_bot.slack.messages_to("U0AAGENT") == []
    with oauth_bot.sessions() as session:
        alpha_row = directory.find_workspace(session, "T0ALPHA")
        assert alpha_row is not None and alpha_row.uninstalled_at == oauth_bot.clock.now()
        assert (
            session.scalars(select(Delivery.status).where(Delivery.idempotency_key == "test:T0ALPHA:U0AAGENT")).one()
            == "failed"
        )
        assert (
            session.scalar(
                select(func.count()).select_from(slack_installations).where(slack_installations.c.team_id == "T0ALPHA")
            )
            == 0
        )
    assert oauth_bot.runtime.deps.tokens is not None
    assert oauth_bot.runtime.deps.tokens.token_for(alpha_row.id) is None


def test_purge_refuses_an_installed_workspace_then_deletes_only_the_departed_one(
    oauth_bot: RunningBot, database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.cli import main

    alpha = install_in(oauth_bot, "T0ALPHA", ALPHA_ORG)
    install_in(oauth_bot, "T0BETA", BETA_ORG)
    alpha.command("U0AAGENT", "/resolve", "refund 80 order 42 parcel lost in transit")
    alpha.event({"type": "app_uninstalled"})
    for name, value in {
        "DATABASE_URL": database_url,
        "SLACK_CLIENT_ID": CLIENT_ID,
        "SLACK_CLIENT_SECRET": CLIENT_SECRET,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)

    installed = main(["workspace", "purge", "T0BETA", "--now"])
    refused = capsys.readouterr().err
    with oauth_bot.sessions() as session:
        alpha_row = directory.find_workspace(session, "T0ALPHA")
        assert alpha_row is not None
        with pytest.raises(DomainError, match="kept until 2026-04-01"):
            purge_plan(
                session,
                workspace=alpha_row,
                now=oauth_bot.clock.now() + timedelta(days=29),
                retention_days=30,
                force=False,
            )
    dry = main(["workspace", "purge", "T0ALPHA", "--now", "--dry-run"])
    said = capsys.readouterr().out
    purged = main(["workspace", "purge", "T0ALPHA", "--now"])

    assert installed == 2 and "still installed in T0BETA" in refused
    assert dry == 0 and "employees: 3" in said and "resolutions: 1" in said
    assert purged == 0
    with oauth_bot.sessions() as session:
        assert directory.find_workspace(session, "T0ALPHA") is None
        assert session.scalars(select(Resolution)).all() == []
        assert {w.slack_team_id for w in session.scalars(select(Workspace))} == {"T0BETA"}
        assert session.scalar(select(func.count()).select_from(Employee)) == 3


GROUP_ORG = """slack_id,name,team,role,manager_slack_id,email,tz,profile
W0HR,Gia HR,People,hr,,,Europe/London,
W0MGR,Gus Manager,Support,manager,W0HR,,Europe/London,
W0SAM,Sam Agent,Support,frontline,W0MGR,,Europe/London,
"""


def test_an_org_wide_grid_install_is_one_directory_and_a_person_in_two_workspaces_is_one_employee(
    oauth_bot: RunningBot,
) -> None:
    slack = oauth_bot.slack
    slack.name_org("E0GROUP", "Latitude Group")
    slack.add_user("W0HR", "Gia HR", team_id="T0NORTH", enterprise_id="E0GROUP")
    slack.add_user("W0MGR", "Gus Manager", team_id="T0SOUTH", enterprise_id="E0GROUP")
    slack.add_user("W0SAM", "Sam Agent", teams=("T0NORTH", "T0SOUTH"), enterprise_id="E0GROUP")
    slack.installing(enterprise_id="E0GROUP", user_id="W0HR")
    assert install(oauth_bot.events_url).status == 200
    load_org_and_policy(oauth_bot.sessions, "E0GROUP", GROUP_ORG, oauth_bot.clock.now())
    north, south = (
        SlackDriver(
            oauth_bot.events_url + EVENTS_PATH,
            SIGNING_SECRET,
            slack,
            settle=oauth_bot.driver._settle,
            team_id=team,
            enterprise_id="E0GROUP",
            org_wide=True,
        )
        for team in ("T0NORTH", "T0SOUTH")
    )
    north.org_event({"type": "team_access_granted", "team_ids": ["T0NORTH", "T0SOUTH"]})  # an org admin adds both

    north.command("W0SAM", "/resolve", "refund 80 order 42 parcel lost in transit")
    [request] = slack.calls("chat.postMessage", channel="W0MGR")
    south.click("W0MGR", request, "resolution_approve")  # an org-wide click: `team` is null
    south.command("W0SAM", "/boundaries")

    assert request.token == slack.tokens_of("E0GROUP")[0]
    with oauth_bot.sessions() as session:
        [group] = session.scalars(select(Workspace)).all()
        assert (group.slack_team_id, group.enterprise_id, group.org_wide) == ("E0GROUP", "E0GROUP", True)
        assert session.scalars(select(Employee.slack_id).where(Employee.slack_id == "W0SAM")).all() == ["W0SAM"]
        assert session.scalars(select(Resolution.status)).all() == ["approved"]


def test_with_one_bot_token_a_restart_after_reinstalling_brings_scheduled_work_back(
    bot: RunningBot, database_url: str
) -> None:
    """`app_uninstalled` marked the workspace (and Slack revoked its token); the admin installs again and
    restarts the bot with the new token."""
    load_the_test_org(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT1", "/resolve", "refund 80 order 42 parcel lost in transit")
    bot.driver.event({"type": "app_uninstalled"})
    new_token = bot.slack.add_workspace("T0LATITUDE", "Latitude")
    restarted = bot.another_runtime(bot_settings(bot.slack, database_url, slack_bot_token=new_token))
    try:
        bot.clock.advance(timedelta(hours=25))
        follow_up_pending_requests(restarted.deps, restarted.app.client)

        with restarted.deps.sessions() as session:
            installed = [w.slack_team_id for w in directory.installed_workspaces(session)]
        assert installed == ["T0LATITUDE"]
        assert len(bot.slack.calls("chat.postMessage", channel="U0MGR1")) == 2, "the request, then its reminder"
    finally:
        restarted.close()


def test_a_workspace_that_joined_a_grid_org_and_reinstalled_still_gets_its_scheduled_messages(
    oauth_bot: RunningBot,
) -> None:
    alpha = install_in(oauth_bot, "T0ALPHA", ALPHA_ORG)
    alpha.event({"type": "app_uninstalled"})
    oauth_bot.slack.add_user("U0AAGENT", "Abe Agent", team_id="T0ALPHA", enterprise_id="E0GROUP")
    oauth_bot.slack.installing(team_id="T0ALPHA", enterprise_id="E0GROUP", user_id="U0AHR")
    assert install(oauth_bot.events_url).status == 200
    with oauth_bot.sessions() as session:
        workspace = directory.find_workspace(session, "T0ALPHA")
        assert workspace is not None and workspace.installed
    queue(oauth_bot, "T0ALPHA", ["U0AAGENT"])

    drain_outbox(oauth_bot.runtime.deps, oauth_bot.runtime.sender_client)

    with oauth_bot.sessions() as session:
        delivery = session.scalars(select(Delivery).where(Delivery.idempotency_key == "test:T0ALPHA:U0AAGENT")).one()
    assert (delivery.status, delivery.last_error) == ("sent", None)


def load_policy_with_channel(bot: RunningBot, team_id: str, channel: str) -> None:
    """The workspace's policy names a channel of that workspace for its shout-outs."""
    bot.slack.add_channel(channel, "shout-outs", team_id=team_id)
    with bot.sessions.begin() as session:
        workspace = directory.find_workspace(session, team_id)
        assert workspace is not None
        text = POLICY_EXAMPLE.read_text().replace("[rewards]\n", f'[rewards]\nchannel = "{channel}"\n')
        load_policy(session, workspace=workspace, text=text, loaded_by="test", now=bot.clock.now())


def test_each_workspace_posts_its_shout_outs_to_the_channel_its_policy_names(oauth_bot: RunningBot) -> None:
    """A channel id belongs to one workspace: RECOGNITION_CHANNEL (C0KUDOS here) is not used with installs."""
    alpha, beta = install_in(oauth_bot, "T0ALPHA", ALPHA_ORG), install_in(oauth_bot, "T0BETA", BETA_ORG)
    load_policy_with_channel(oauth_bot, "T0ALPHA", "C0ALPHA")
    load_policy_with_channel(oauth_bot, "T0BETA", "C0BETA")

    alpha.command("U0AAGENT", "/nominate", "<@U0AMGR> praise for covering my shift")
    beta.command("U0BAGENT", "/nominate", "<@U0BMGR> praise for a calm refund")
    drain_outbox(oauth_bot.runtime.deps, oauth_bot.runtime.sender_client)

    [alpha_token], [beta_token] = oauth_bot.slack.tokens_of("T0ALPHA"), oauth_bot.slack.tokens_of("T0BETA")
    posts = {(c.channel, c.token) for c in oauth_bot.slack.calls("chat.postMessage") if c.channel.startswith("C")}
    assert posts == {("C0ALPHA", alpha_token), ("C0BETA", beta_token)}


def test_with_installs_and_no_channel_in_the_policy_shout_outs_are_only_dmed(oauth_bot: RunningBot) -> None:
    alpha = install_in(oauth_bot, "T0ALPHA", ALPHA_ORG)

    alpha.command("U0AAGENT", "/nominate", "<@U0AMGR> praise for covering my shift")
    drain_outbox(oauth_bot.runtime.deps, oauth_bot.runtime.sender_client)

    assert [c for c in oauth_bot.slack.calls("chat.postMessage") if c.channel.startswith("C")] == []
    assert oauth_bot.slack.messages_to("U0AMGR")


def test_an_uninstall_from_a_workspace_never_installed_leaves_no_trace(oauth_bot: RunningBot) -> None:
    """Slack may tell of an uninstall the database never saw the install of (a database restored from before it):
    nothing is served there, and `workspace list` shows no empty workspace for it."""
    install_in(oauth_bot, "T0ALPHA", ALPHA_ORG)
    stranger = SlackDriver(
        oauth_bot.events_url + EVENTS_PATH,
        SIGNING_SECRET,
        oauth_bot.slack,
        settle=oauth_bot.driver._settle,
        team_id="T0NEVER",
    )

    reply = stranger.event({"type": "app_uninstalled"})

    assert reply.status == 200
    with oauth_bot.sessions() as session:
        assert directory.find_workspace(session, "T0NEVER") is None
        alpha = directory.find_workspace(session, "T0ALPHA")
        assert alpha is not None and alpha.uninstalled_at is None
