"""An install's life inside an Enterprise Grid org: a workspace that migrates into an org."""

from bot.fakeslack import SlackDriver
from bot.server import EVENTS_PATH
from tests.conftest import SIGNING_SECRET, RunningBot
from tests.e2e.test_installs import ALPHA_ORG, install_in, oauth_bot  # noqa: F401


def driver_for(bot: RunningBot, team_id: str, enterprise_id: str, *, org_wide: bool = False) -> SlackDriver:
    return SlackDriver(
        bot.events_url + EVENTS_PATH,
        SIGNING_SECRET,
        bot.slack,
        settle=bot.driver._settle,
        team_id=team_id,
        enterprise_id=enterprise_id,
        org_wide=org_wide,
    )


def test_a_workspace_that_migrated_into_a_grid_org_is_served_without_installing_again(
    oauth_bot: RunningBot,  # noqa: F811
) -> None:
    """Slack keeps the workspace's install and token through a migration; its requests name the org from then on."""
    install_in(oauth_bot, "T0ALPHA", ALPHA_ORG)
    for line in ALPHA_ORG.splitlines()[1:]:
        user_id, name = line.split(",")[:2]
        oauth_bot.slack.add_user(user_id, name, team_id="T0ALPHA", enterprise_id="E0GROUP")
    migrated = driver_for(oauth_bot, "T0ALPHA", "E0GROUP")

    migrated.command("U0AAGENT", "/resolve", "refund 80 order 42 parcel lost in transit")

    [request] = oauth_bot.slack.calls("chat.postMessage", channel="U0AMGR")
    assert request.token == oauth_bot.slack.tokens_of("T0ALPHA")[0]
