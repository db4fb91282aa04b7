"""A workspace of a Grid org with an install of its own, then the app installed org-wide: Slack adds the org-wide
install to no workspace until an org admin does (`team_access_granted` naming it), so the workspace's own install
serves it until then, and the org's from then on: one directory of its people, not two sending them reminders."""

from datetime import timedelta

from sqlalchemy import select

from bot.fakeslack import SlackDriver
from bot.fakeslack.browser import install
from handlers.jobs.drain_outbox import drain_outbox
from models import Employee
from services import directory, outbox
from tests.conftest import RunningBot
from tests.e2e.test_installs import load_org_and_policy, oauth_bot  # noqa: F401
from tests.e2e.test_installs_grid_lifecycle import driver_for
from tests.e2e.test_installs_grid_workspaces import NORTH_ORG, install_in_the_org

GROUP_ORG = """slack_id,name,team,role,manager_slack_id,email,tz,profile
W0HR,Gia HR,People,hr,,,Europe/London,
W0GMGR,Gus Manager,Support,manager,W0HR,,Europe/London,
W0NAGENT,Ned Agent,Support,frontline,W0GMGR,,Europe/London,
"""


def installed(bot: RunningBot) -> list[str]:
    with bot.sessions() as session:
        return sorted(workspace.slack_team_id for workspace in directory.installed_workspaces(session))


def test_an_org_wide_install_serves_a_workspace_with_its_own_install_once_slack_grants_it_that_workspace(
    oauth_bot: RunningBot,  # noqa: F811
) -> None:
    north = install_in_the_org(oauth_bot, "T0NORTH", NORTH_ORG)
    with oauth_bot.sessions.begin() as session:
        workspace = directory.find_workspace(session, "T0NORTH")
        assert workspace is not None
        payload = {"channel": "W0NMGR", "text": "a reminder of the workspace's own directory"}
        now = oauth_bot.clock.now()
        later = now + timedelta(hours=1)
        outbox.enqueue(
            session,
            workspace=workspace,
            key="reminder",
            method="chat.postMessage",
            payload=payload,
            now=now,
            send_at=later,
        )
    oauth_bot.slack.add_user("W0GMGR", "Gus Manager", teams=("T0NORTH",), enterprise_id="E0GROUP")
    oauth_bot.slack.installing(enterprise_id="E0GROUP", user_id="W0HR")
    assert install(oauth_bot.events_url).status == 200
    load_org_and_policy(oauth_bot.sessions, "E0GROUP", GROUP_ORG, oauth_bot.clock.now())
    org = driver_for(oauth_bot, "T0NORTH", "E0GROUP", org_wide=True)

    north.command("W0NAGENT", "/resolve", "refund 80 order 42 parcel lost in transit")
    before_the_grant = installed(oauth_bot)
    org.org_event({"type": "team_access_granted", "team_ids": ["T0NORTH"]})
    north.command("W0NAGENT", "/resolve", "refund 70 order 43 parcel lost in transit")  # still through its own
    org.command("W0NAGENT", "/resolve", "refund 60 order 44 parcel lost in transit")
    oauth_bot.clock.advance(timedelta(hours=2))
    drain_outbox(oauth_bot.runtime.deps, oauth_bot.runtime.sender_client)

    assert before_the_grant == ["E0GROUP", "T0NORTH"], "the org-wide install alone takes over nothing"
    assert installed(oauth_bot) == ["E0GROUP"]
    [first] = oauth_bot.slack.messages_to("W0NMGR")
    assert "order 42" in first.text, "the reminder queued by the workspace's own directory was dropped"
    taken_over = [call.text for call in oauth_bot.slack.messages_to("W0GMGR")]
    assert [("order 43" in text, "order 44" in text) for text in taken_over] == [(True, False), (False, True)]


def test_installing_again_in_a_workspace_the_org_took_over_brings_back_no_second_directory(
    oauth_bot: RunningBot,  # noqa: F811
) -> None:
    """A workspace admin installs the app in T0NORTH again after the org took it over: the org goes on serving it
    while Slack has not removed T0NORTH from the org-wide install; once Slack has, the workspace's own install is
    its own again."""
    north = install_in_the_org(oauth_bot, "T0NORTH", NORTH_ORG)
    oauth_bot.slack.add_user("W0GMGR", "Gus Manager", teams=("T0NORTH",), enterprise_id="E0GROUP")
    oauth_bot.slack.installing(enterprise_id="E0GROUP", user_id="W0HR")
    assert install(oauth_bot.events_url).status == 200
    load_org_and_policy(oauth_bot.sessions, "E0GROUP", GROUP_ORG, oauth_bot.clock.now())
    org = driver_for(oauth_bot, "T0NORTH", "E0GROUP", org_wide=True)
    org.org_event({"type": "team_access_granted", "team_ids": ["T0NORTH", "T0SOUTH"]})

    oauth_bot.slack.installing(team_id="T0NORTH", enterprise_id="E0GROUP", user_id="W0HR")
    assert install(oauth_bot.events_url).status == 200
    north.command("W0NAGENT", "/resolve", "refund 70 order 43 parcel lost in transit")
    still_the_orgs = installed(oauth_bot)
    org.org_event({"type": "team_access_revoked", "team_ids": ["T0NORTH"]})
    oauth_bot.slack.installing(team_id="T0NORTH", enterprise_id="E0GROUP", user_id="W0HR")
    assert install(oauth_bot.events_url).status == 200

    assert still_the_orgs == ["E0GROUP"]
    assert [call.text for call in oauth_bot.slack.messages_to("W0NMGR")] == []
    assert ["order 43" in call.text for call in oauth_bot.slack.messages_to("W0GMGR")] == [True]
    assert installed(oauth_bot) == ["E0GROUP", "T0NORTH"], "removed from the org's install, it is its own again"


def taken_over(bot: RunningBot, teams: tuple[str, ...]) -> SlackDriver:
    """T0NORTH's own install, then the org-wide install granted `teams` (Gus works in them): the driver of T0NORTH's
    own install, through which Slack may still send."""
    north = install_in_the_org(bot, "T0NORTH", NORTH_ORG)
    bot.slack.add_user("W0GMGR", "Gus Manager", teams=teams, enterprise_id="E0GROUP")
    bot.slack.installing(enterprise_id="E0GROUP", user_id="W0HR")
    assert install(bot.events_url).status == 200
    load_org_and_policy(bot.sessions, "E0GROUP", GROUP_ORG, bot.clock.now())
    driver_for(bot, "T0NORTH", "E0GROUP", org_wide=True).org_event(
        {"type": "team_access_granted", "team_ids": list(teams)}
    )
    return north


def test_someone_slack_deactivates_through_a_workspaces_own_install_after_the_takeover_leaves_the_org(
    oauth_bot: RunningBot,  # noqa: F811
) -> None:
    north = taken_over(oauth_bot, ("T0NORTH",))

    assert north.user_change("W0NAGENT", deleted=True).status == 200  # Slack still sends it through the old install

    with oauth_bot.sessions() as session:
        org_directory = directory.find_workspace(session, "E0GROUP")
        assert org_directory is not None
        in_the_org = select(Employee).where(Employee.workspace_id == org_directory.id, Employee.slack_id == "W0NAGENT")
        ned = session.scalars(in_the_org).one()
        assert not ned.active, "the org's directory, which serves Ned, still has him after Slack deactivated him"


def test_someone_removed_through_its_own_install_from_a_workspace_the_org_took_over_stays_while_in_the_org(
    oauth_bot: RunningBot,  # noqa: F811
) -> None:
    north = taken_over(oauth_bot, ("T0NORTH", "T0SOUTH"))  # Ned works in T0NORTH and T0SOUTH

    assert north.event(oauth_bot.slack.remove_from_workspace("W0NAGENT", "T0NORTH")).status == 200

    with oauth_bot.sessions() as session:
        org_directory = directory.find_workspace(session, "E0GROUP")
        assert org_directory is not None
        in_the_org = select(Employee).where(Employee.workspace_id == org_directory.id, Employee.slack_id == "W0NAGENT")
        assert session.scalars(in_the_org).one().active, "Ned still works in T0SOUTH, which the org serves"
    assert oauth_bot.slack.messages_to("W0HR") == []
