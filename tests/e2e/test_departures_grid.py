"""Slack deactivating someone of an Enterprise Grid org whose app is installed org-wide: the event comes from any of
the org's workspaces, about someone whose home may be another one of them."""

from sqlalchemy import select

from bot.fakeslack import SlackDriver
from models import Resolution
from tests.conftest import RunningBot
from tests.e2e.test_installs import oauth_bot  # noqa: F401
from tests.e2e.test_installs_grid_lifecycle import install_org_wide
from tests.e2e.test_installs_grid_workspaces import NORTH_ORG, install_in_the_org
from tests.helpers import employee


def test_someone_of_the_org_deactivated_in_slack_is_deactivated_whichever_workspace_tells(
    oauth_bot: RunningBot,  # noqa: F811
) -> None:
    org: SlackDriver = install_org_wide(oauth_bot)  # the event comes through T0NORTH; Sam works in T0SOUTH

    org.user_change("W0SAM", deleted=True)

    with oauth_bot.sessions() as session:
        assert not employee(session, "W0SAM").active
        assert employee(session, "W0MGR").active


def test_someone_removed_from_the_workspace_but_still_in_the_org_leaves_it(
    oauth_bot: RunningBot,  # noqa: F811
) -> None:
    """A workspace's own install in a Grid org: an org admin removes Nia from T0NORTH; she stays active in the org
    (in T0SOUTH), so Slack's `user_change` says `deleted: false` and no longer lists T0NORTH among her teams. She has
    left this workspace: she decides nothing here any more, and what waited on her moves up."""
    north = install_in_the_org(oauth_bot, "T0NORTH", NORTH_ORG)
    north.command("W0NAGENT", "/resolve", "refund 900 order 42 parcel lost in transit")

    north.event(oauth_bot.slack.remove_from_workspace("W0NMGR", "T0NORTH"))

    with oauth_bot.sessions() as session:
        assert not employee(session, "W0NMGR").active
        assert session.scalars(select(Resolution)).one().decider.slack_id == "W0HR"  # type: ignore[union-attr]
    assert [c for c in oauth_bot.slack.calls("chat.postMessage", channel="W0HR") if "now waits on you" in c.text]


def test_someone_added_back_to_the_workspace_is_active_again(oauth_bot: RunningBot) -> None:  # noqa: F811
    north = install_in_the_org(oauth_bot, "T0NORTH", NORTH_ORG)
    north.event(oauth_bot.slack.remove_from_workspace("W0NMGR", "T0NORTH"))
    oauth_bot.slack.users["W0NMGR"]["enterprise_user"]["teams"] = ["T0SOUTH", "T0NORTH"]

    north.user_change("W0NMGR", teams=["T0SOUTH", "T0NORTH"])

    with oauth_bot.sessions() as session:
        assert employee(session, "W0NMGR").active
