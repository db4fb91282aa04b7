"""Slack deactivating someone of an Enterprise Grid org whose app is installed org-wide: the event comes from any of
the org's workspaces, about someone whose home may be another one of them."""

from bot.fakeslack import SlackDriver
from tests.conftest import RunningBot
from tests.e2e.test_installs import oauth_bot  # noqa: F401
from tests.e2e.test_installs_grid_lifecycle import install_org_wide
from tests.helpers import employee


def test_someone_of_the_org_deactivated_in_slack_is_deactivated_whichever_workspace_tells(
    oauth_bot: RunningBot,  # noqa: F811
) -> None:
    org: SlackDriver = install_org_wide(oauth_bot)  # the event comes through T0NORTH; Sam works in T0SOUTH

    org.user_change("W0SAM", deleted=True)

    with oauth_bot.sessions() as session:
        assert not employee(session, "W0SAM").active
        assert employee(session, "W0MGR").active
