"""Two workspaces of one Enterprise Grid org, each with an install of its own: Grid user ids are org-wide, so one
person can be in both directories, and each workspace still tells them what it needs."""

from bot.fakeslack import SlackDriver
from bot.fakeslack.browser import install
from bot.server import EVENTS_PATH
from handlers.jobs.drain_outbox import drain_outbox
from services import directory
from services.policy.versions import load_policy
from tests.conftest import SIGNING_SECRET, RunningBot
from tests.e2e.test_installs import load_org_and_policy, oauth_bot  # noqa: F401
from tests.helpers import POLICY_EXAMPLE

NORTH_ORG = """slack_id,name,team,role,manager_slack_id,email,tz,profile
W0HR,Gia HR,People,hr,,,Europe/London,
W0NMGR,Nia Manager,Support,manager,W0HR,,Europe/London,
W0NAGENT,Ned Agent,Support,frontline,W0NMGR,,Europe/London,
"""
SOUTH_ORG = NORTH_ORG.replace("W0N", "W0S").replace("Nia", "Sia").replace("Ned", "Sid")
GONE_CHANNEL = "C0GONE"
"""An org-wide channel both workspaces' policies name, deleted since: Slack refuses every post there."""


def install_in_the_org(bot: RunningBot, team_id: str, org: str) -> SlackDriver:
    """Install the app in one workspace of the Grid org (not org-wide), with its directory and a policy whose
    shout-outs go to `GONE_CHANNEL`."""
    for line in org.splitlines()[1:]:
        user_id, name = line.split(",")[:2]
        if user_id not in bot.slack.state.users:
            bot.slack.add_user(user_id, name, teams=("T0NORTH", "T0SOUTH"), enterprise_id="E0GROUP")
    bot.slack.installing(team_id=team_id, enterprise_id="E0GROUP", user_id="W0HR")
    assert install(bot.events_url).status == 200
    load_org_and_policy(bot.sessions, team_id, org, bot.clock.now())
    with bot.sessions.begin() as session:
        text = POLICY_EXAMPLE.read_text().replace("[rewards]\n", f'[rewards]\nchannel = "{GONE_CHANNEL}"\n')
        workspace = directory.find_workspace(session, team_id)
        assert workspace is not None
        load_policy(session, workspace=workspace, text=text, loaded_by="test", now=bot.clock.now())
    return SlackDriver(
        bot.events_url + EVENTS_PATH,
        SIGNING_SECRET,
        bot.slack,
        settle=bot.driver._settle,
        team_id=team_id,
        enterprise_id="E0GROUP",
    )


def test_hr_in_two_workspaces_hears_of_each_workspaces_refused_channel(oauth_bot: RunningBot) -> None:  # noqa: F811
    north = install_in_the_org(oauth_bot, "T0NORTH", NORTH_ORG)
    south = install_in_the_org(oauth_bot, "T0SOUTH", SOUTH_ORG)

    north.command("W0NAGENT", "/nominate", "<@W0NMGR> praise for covering my shift")
    south.command("W0SAGENT", "/nominate", "<@W0SMGR> praise for a calm refund")
    drain_outbox(oauth_bot.runtime.deps, oauth_bot.runtime.sender_client)

    notices = [call for call in oauth_bot.slack.messages_to("W0HR") if "refused to post a shout-out" in call.text]
    [north_token], [south_token] = oauth_bot.slack.tokens_of("T0NORTH"), oauth_bot.slack.tokens_of("T0SOUTH")
    assert sorted(call.token for call in notices) == sorted([north_token, south_token]), "one from each workspace"
