"""In an Enterprise Grid org a click's `user.team_id` names the org (`E…`), not a workspace: whether a newcomer is one
of the people served here is Slack's to say (`users.info`), and an external member of a Slack Connect channel is
refused there too."""

from sqlalchemy import select

from bot.fakeslack import SlackDriver
from handlers.blocks import resolutions as resolution_blocks
from models import Employee, Resolution
from tests.conftest import RunningBot
from tests.e2e.test_installs import oauth_bot  # noqa: F401
from tests.e2e.test_installs_grid_lifecycle import driver_for
from tests.e2e.test_installs_grid_takeover import taken_over
from tests.e2e.test_installs_grid_workspaces import NORTH_ORG, install_in_the_org

REFUSED = "Slack says you belong to another one"
REQUEST = "refund 80 order 42 parcel lost in transit"


def clicked_approve(bot: RunningBot, driver: SlackDriver, clicker: str, requester: str, manager: str) -> list[str]:
    """What the app answered `clicker` approving `requester`'s request (which waits on `manager`)."""
    driver.command(requester, "/resolve", REQUEST)
    [request] = bot.slack.calls("chat.postMessage", channel=manager)
    before = len(bot.slack.calls("response_url"))
    driver.click(clicker, request, resolution_blocks.APPROVE, forged=clicker != manager)
    return [call.text for call in bot.slack.calls("response_url")[before:]]


def in_the_directory(bot: RunningBot, slack_id: str) -> bool:
    with bot.sessions() as session:
        return session.scalar(select(Employee).where(Employee.slack_id == slack_id)) is not None


def still_pending(bot: RunningBot) -> None:
    with bot.sessions() as session:
        assert session.scalars(select(Resolution.status)).all() == ["pending"]


def test_a_newcomer_of_a_grid_workspace_clicking_through_its_own_install_is_served(
    oauth_bot: RunningBot,  # noqa: F811
) -> None:
    north = install_in_the_org(oauth_bot, "T0NORTH", NORTH_ORG)
    oauth_bot.slack.add_user("W0NEW", "Nora New", teams=("T0NORTH",), enterprise_id="E0GROUP")

    said = clicked_approve(oauth_bot, north, "W0NEW", "W0NAGENT", "W0NMGR")

    assert not any(REFUSED in text for text in said), said
    assert any("You can't decide this request, or it no longer exists. Nothing changed." in text for text in said), said
    still_pending(oauth_bot)


def test_an_org_member_not_in_the_workspace_is_still_refused_there(oauth_bot: RunningBot) -> None:  # noqa: F811
    north = install_in_the_org(oauth_bot, "T0NORTH", NORTH_ORG)
    oauth_bot.slack.add_user("W0SOUTH", "Sol South", teams=("T0SOUTH",), enterprise_id="E0GROUP")

    said = clicked_approve(oauth_bot, north, "W0SOUTH", "W0NAGENT", "W0NMGR")

    assert any(REFUSED in text for text in said), said
    assert not in_the_directory(oauth_bot, "W0SOUTH")


def test_an_outsider_in_a_shared_channel_of_a_grid_workspace_is_refused(oauth_bot: RunningBot) -> None:  # noqa: F811
    north = install_in_the_org(oauth_bot, "T0NORTH", NORTH_ORG)
    oauth_bot.slack.add_user("U0EXT", "Eve Elsewhere", team_id="T0OTHER", connected_to=("T0NORTH",))

    said = clicked_approve(oauth_bot, north, "U0EXT", "W0NAGENT", "W0NMGR")

    assert any(REFUSED in text for text in said), said
    assert not in_the_directory(oauth_bot, "U0EXT")


def test_an_org_member_clicking_through_a_workspace_install_the_org_took_over_is_served(
    oauth_bot: RunningBot,  # noqa: F811
) -> None:
    """The org serves the request: someone of the org is one of its people, whichever workspace is their home."""
    north = taken_over(oauth_bot, ("T0NORTH", "T0SOUTH"))
    oauth_bot.slack.add_user("W0NEW", "Nora New", teams=("T0SOUTH", "T0NORTH"), enterprise_id="E0GROUP")
    org = driver_for(oauth_bot, "T0NORTH", "E0GROUP", org_wide=True)
    org.command("W0NAGENT", "/resolve", REQUEST)
    [request] = oauth_bot.slack.calls("chat.postMessage", channel="W0GMGR")

    north.click("W0NEW", request, resolution_blocks.APPROVE, forged=True)

    said = [call.text for call in oauth_bot.slack.calls("response_url")]
    assert not any(REFUSED in text for text in said), said
    assert any("You can't decide this request, or it no longer exists. Nothing changed." in text for text in said), said


def test_an_outsider_in_a_shared_channel_is_refused_by_an_org_wide_install(oauth_bot: RunningBot) -> None:  # noqa: F811
    taken_over(oauth_bot, ("T0NORTH",))
    oauth_bot.slack.add_user("U0EXT", "Eve Elsewhere", team_id="T0OTHER", connected_to=("T0NORTH",))
    org = driver_for(oauth_bot, "T0NORTH", "E0GROUP", org_wide=True)

    said = clicked_approve(oauth_bot, org, "U0EXT", "W0NAGENT", "W0GMGR")

    assert any(REFUSED in text for text in said), said
    assert not in_the_directory(oauth_bot, "U0EXT")
