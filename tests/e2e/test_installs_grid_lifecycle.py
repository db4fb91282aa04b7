"""An install's life inside an Enterprise Grid org: a workspace that migrates into an org, and the org-level events
Slack sends an org-wide install (`team_access_revoked`, `team_access_granted`), which name the org and no team."""

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import select

from bot.fakeslack import SlackDriver
from bot.fakeslack.browser import install
from bot.server import EVENTS_PATH
from handlers.jobs.drain_outbox import drain_outbox
from models import AuditEvent
from services import directory, outbox
from tests.conftest import SIGNING_SECRET, RunningBot
from tests.e2e.test_installs import ALPHA_ORG, GROUP_ORG, install_in, load_org_and_policy, oauth_bot  # noqa: F401


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


def install_org_wide(bot: RunningBot, *, granted: tuple[str, ...] = ("T0NORTH", "T0SOUTH")) -> SlackDriver:
    """The app installed org-wide in E0GROUP, whose people work in T0NORTH and T0SOUTH, then added by an org admin to
    the workspaces `granted` (`team_access_granted`): Slack adds an org-wide install to no workspace by itself."""
    bot.slack.name_org("E0GROUP", "Latitude Group")
    bot.slack.add_user("W0HR", "Gia HR", team_id="T0NORTH", enterprise_id="E0GROUP")
    bot.slack.add_user("W0MGR", "Gus Manager", teams=("T0NORTH", "T0SOUTH"), enterprise_id="E0GROUP")
    bot.slack.add_user("W0SAM", "Sam Agent", team_id="T0SOUTH", enterprise_id="E0GROUP")
    bot.slack.installing(enterprise_id="E0GROUP", user_id="W0HR")
    assert install(bot.events_url).status == 200
    load_org_and_policy(bot.sessions, "E0GROUP", GROUP_ORG, bot.clock.now())
    org = driver_for(bot, "T0NORTH", "E0GROUP", org_wide=True)
    if granted:
        org.org_event({"type": "team_access_granted", "team_ids": list(granted)})
    return org


def test_slack_removing_a_workspace_from_an_org_wide_install_is_heard_and_written_down(
    oauth_bot: RunningBot,  # noqa: F811
) -> None:
    """The event names the org and no team: it is acked, not refused as malformed (Slack would retry it), and the
    audit trail says which workspaces left and came back."""
    org = install_org_wide(oauth_bot)

    removed = org.org_event({"type": "team_access_revoked", "team_ids": ["T0SOUTH"]})
    added = org.org_event({"type": "team_access_granted", "team_ids": ["T0SOUTH", "T0WEST"]}, event_id="EvADDED")

    assert (removed.status, added.status) == (200, 200), (removed.body, added.body)
    with oauth_bot.sessions() as session:
        trail = session.execute(
            select(AuditEvent.action, AuditEvent.details)
            .where(AuditEvent.action.startswith("team_access"))
            .order_by(AuditEvent.id)
        ).all()
    assert [(action, details["team_ids"]) for action, details in trail] == [
        ("team_access_granted", ["T0NORTH", "T0SOUTH"]),
        ("team_access_revoked", ["T0SOUTH"]),
        ("team_access_granted", ["T0SOUTH", "T0WEST"]),
    ]
    assert trail[-1][1]["event_id"] == "EvADDED" and isinstance(trail[-1][1]["event_time"], int), "as Slack sent it"


def test_hr_hear_once_which_workspaces_slack_removed_from_the_org_wide_install(
    oauth_bot: RunningBot,  # noqa: F811
) -> None:
    """The directory cannot say who works only in a removed workspace: HR, who keep the org file, are told."""
    org = install_org_wide(oauth_bot)

    org.org_event({"type": "team_access_revoked", "team_ids": ["T0SOUTH"]}, event_id="EvREMOVED")
    org.org_event({"type": "team_access_revoked", "team_ids": ["T0SOUTH"]}, event_id="EvREMOVED", retry_num=1)
    org.org_event({"type": "team_access_granted", "team_ids": ["T0SOUTH"]})

    [notice] = oauth_bot.slack.messages_to("W0HR")
    assert "T0SOUTH" in notice.text and "org import" in notice.text
    assert oauth_bot.slack.messages_to("W0MGR") == [] and oauth_bot.slack.messages_to("W0SAM") == []


def test_an_org_wide_uninstall_stops_the_whole_org_and_an_org_wide_reinstall_serves_it_again(
    oauth_bot: RunningBot,  # noqa: F811
) -> None:
    """`app_uninstalled` to an org-wide install means the app left the whole org (a workspace leaving it is
    `team_access_revoked`): Slack revokes the org's token, and what was queued for the org is dropped."""
    org = install_org_wide(oauth_bot)
    [first] = oauth_bot.slack.tokens_of("E0GROUP")
    with oauth_bot.sessions.begin() as session:
        group = directory.find_workspace(session, "E0GROUP")
        assert group is not None
        payload = {"channel": "W0MGR", "text": "queued before the uninstall"}
        outbox.enqueue(
            session,
            workspace=group,
            key="before",
            method="chat.postMessage",
            payload=payload,
            now=oauth_bot.clock.now(),
        )

    org.event({"type": "app_uninstalled"})
    with pytest.raises(SlackApiError) as refused:
        WebClient(token=first, base_url=oauth_bot.slack.api_url).auth_test()
    oauth_bot.slack.installing(enterprise_id="E0GROUP", user_id="W0HR")
    assert install(oauth_bot.events_url).status == 200
    org.org_event({"type": "team_access_granted", "team_ids": ["T0NORTH", "T0SOUTH"]})  # added anew, as Slack tells
    driver_for(oauth_bot, "T0SOUTH", "E0GROUP", org_wide=True).command("W0SAM", "/resolve", "refund 80 order 42 lost")
    drain_outbox(oauth_bot.runtime.deps, oauth_bot.runtime.sender_client)

    assert refused.value.response["error"] == "token_revoked"
    [request] = oauth_bot.slack.calls("chat.postMessage", channel="W0MGR")
    assert request.token == oauth_bot.slack.tokens_of("E0GROUP")[-1] != first
    assert "queued before" not in request.text


def test_messages_queued_while_a_workspace_migrates_into_a_grid_org_wait_and_go_once_it_is_done(
    oauth_bot: RunningBot,  # noqa: F811
) -> None:
    """Slack asks apps to stop calling a migrating workspace's API until `grid_migration_finished`; it keeps the
    install and its token through the migration."""
    alpha = install_in(oauth_bot, "T0ALPHA", ALPHA_ORG)
    alpha.event({"type": "grid_migration_started", "enterprise_id": "E0GROUP"})
    with oauth_bot.sessions.begin() as session:
        workspace = directory.find_workspace(session, "T0ALPHA")
        assert workspace is not None
        payload = {"channel": "U0AMGR", "text": "queued during the migration"}
        now = oauth_bot.clock.now()
        outbox.enqueue(
            session, workspace=workspace, key="meanwhile", method="chat.postMessage", payload=payload, now=now
        )

    drain_outbox(oauth_bot.runtime.deps, oauth_bot.runtime.sender_client)
    held = oauth_bot.slack.calls("chat.postMessage", channel="U0AMGR")
    for line in ALPHA_ORG.splitlines()[1:]:
        user_id, name = line.split(",")[:2]
        oauth_bot.slack.add_user(user_id, name, team_id="T0ALPHA", enterprise_id="E0GROUP")
    driver_for(oauth_bot, "T0ALPHA", "E0GROUP").event({"type": "grid_migration_finished", "enterprise_id": "E0GROUP"})
    drain_outbox(oauth_bot.runtime.deps, oauth_bot.runtime.sender_client)

    assert held == []
    [sent] = oauth_bot.slack.calls("chat.postMessage", channel="U0AMGR")
    assert sent.text == "queued during the migration" and sent.token == oauth_bot.slack.tokens_of("T0ALPHA")[0]
    with oauth_bot.sessions() as session:
        migrated = directory.find_workspace(session, "T0ALPHA")
        assert migrated is not None and migrated.enterprise_id == "E0GROUP"


def test_a_migration_whose_end_slack_never_told_ends_with_the_first_request_naming_the_org(
    oauth_bot: RunningBot,  # noqa: F811
) -> None:
    """`grid_migration_finished` missed (the bot down past Slack's retries): a request from the workspace that names
    the org shows the migration is done, so what waited goes, and the request's own messages go at once."""
    alpha = install_in(oauth_bot, "T0ALPHA", ALPHA_ORG)
    alpha.event({"type": "grid_migration_started", "enterprise_id": "E0GROUP"})
    with oauth_bot.sessions.begin() as session:
        workspace = directory.find_workspace(session, "T0ALPHA")
        assert workspace is not None
        payload = {"channel": "U0AMGR", "text": "queued during the migration"}
        now = oauth_bot.clock.now()
        outbox.enqueue(
            session, workspace=workspace, key="meanwhile", method="chat.postMessage", payload=payload, now=now
        )
    for line in ALPHA_ORG.splitlines()[1:]:
        user_id, name = line.split(",")[:2]
        oauth_bot.slack.add_user(user_id, name, team_id="T0ALPHA", enterprise_id="E0GROUP")

    driver_for(oauth_bot, "T0ALPHA", "E0GROUP").command("U0AAGENT", "/resolve", "refund 80 order 42 parcel lost")
    at_once = [call.text for call in oauth_bot.slack.calls("chat.postMessage", channel="U0AMGR")]
    drain_outbox(oauth_bot.runtime.deps, oauth_bot.runtime.sender_client)

    assert len(at_once) == 1 and "refund" in at_once[0]
    sent = [call.text for call in oauth_bot.slack.calls("chat.postMessage", channel="U0AMGR")]
    assert sent[1:] == ["queued during the migration"]
    with oauth_bot.sessions() as session:
        trail = session.scalars(
            select(AuditEvent.action).where(AuditEvent.action.startswith("grid_")).order_by(AuditEvent.id)
        ).all()
    assert trail == ["grid_migration_started", "grid_migration_seen_finished"]
