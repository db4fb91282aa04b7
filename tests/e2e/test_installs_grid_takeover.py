"""A workspace of a Grid org with its own install, then the app installed org-wide: Slack sends the workspace's
requests to the org-wide install from then on, so the org-wide install takes over and the workspace's own
directory must not go on beside it (two directories of the same people, each sending them reminders and digests)."""

from bot.fakeslack.browser import install
from handlers.jobs.drain_outbox import drain_outbox
from services import directory, outbox
from tests.conftest import RunningBot
from tests.e2e.test_installs import oauth_bot  # noqa: F401
from tests.e2e.test_installs_grid_workspaces import NORTH_ORG, install_in_the_org


def test_an_org_wide_install_takes_over_from_a_workspace_install_of_the_same_org(
    oauth_bot: RunningBot,  # noqa: F811
) -> None:
    install_in_the_org(oauth_bot, "T0NORTH", NORTH_ORG)
    with oauth_bot.sessions.begin() as session:
        north = directory.find_workspace(session, "T0NORTH")
        assert north is not None
        payload = {"channel": "W0NMGR", "text": "a reminder of the workspace's own directory"}
        now = oauth_bot.clock.now()
        outbox.enqueue(session, workspace=north, key="reminder", method="chat.postMessage", payload=payload, now=now)

    oauth_bot.slack.installing(enterprise_id="E0GROUP", user_id="W0HR")
    assert install(oauth_bot.events_url).status == 200
    drain_outbox(oauth_bot.runtime.deps, oauth_bot.runtime.sender_client)

    with oauth_bot.sessions() as session:
        assert [w.slack_team_id for w in directory.installed_workspaces(session)] == ["E0GROUP"]
    assert oauth_bot.slack.messages_to("W0NMGR") == []
