"""The app's own life in a workspace: uninstalled, or its bot token revoked, either of which stops all sending at once;
workspaces joining or leaving an org-wide install."""

import logging
from datetime import UTC, datetime
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from handlers import org_access
from handlers.blocks.installs import left_open_notice, log_again_notice, not_sent_notice, workspaces_removed_notice
from handlers.deps import deps_of
from handlers.event_attempts import EVENT_ATTEMPT, Attempt
from handlers.event_retries import may_pass, tried_again
from handlers.people import known_workspace
from models import Workspace
from services import anonymous_dms, event_order, event_retries, org_takeover, outbox, workspaces
from services.event_order import Sent
from services.rewards import approvals
from services.suggestions import release

log = logging.getLogger(__name__)
REVOKED = "team_access_revoked"
GRANTED = "team_access_granted"
POST = "chat.postMessage"


def register(app: App) -> None:
    app.event("app_uninstalled")(app_uninstalled)
    app.event("tokens_revoked")(tokens_revoked)
    app.event(GRANTED)(team_access_changed)
    app.event(REVOKED)(team_access_changed)
    app.event(workspaces.GRID_MIGRATION_STARTED)(grid_migration)
    app.event("grid_migration_finished")(grid_migration)


def app_uninstalled(body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    if not _own_token_still_works(context, client, "app_uninstalled"):
        stop_workspace(context, "app_uninstalled", sent_at=_sent_at(body))


def tokens_revoked(body: dict[str, Any], event: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    """Only the bot's tokens matter: Latitude holds no user tokens."""
    if (event.get("tokens") or {}).get("bot") and not _own_token_still_works(context, client, "tokens_revoked"):
        stop_workspace(context, "tokens_revoked", sent_at=_sent_at(body))


def _own_token_still_works(context: BoltContext, client: WebClient, reason: str) -> bool:
    """With one `SLACK_BOT_TOKEN`, which stores no install to date the event against: whether Slack still takes the
    token this process serves with. Slack revokes a token before it tells of it, so an event whose token still works
    told of an older one (a late retry, after a reinstall and a restart with the new token). Slack refusing the token
    (`invalid_auth`, `token_revoked`, `token_expired`, `not_authed`...) stops the workspace, whose token no longer
    serves; a failure that may pass (Slack busy or down, no answer) is raised, for the event to be tried again later
    (handlers/event_retries.py)."""
    if deps_of(context).tokens is not None:
        return False
    try:
        client.auth_test()
    except SlackApiError as error:
        if not may_pass(error):
            return False
        raise
    log.info("%s told of an earlier bot token: the one served with still works, so nothing stops", reason)
    return True


def _sent_at(body: dict[str, Any]) -> datetime | None:
    """When Slack first sent the event (`event_time`); a retry comes minutes later with the same."""
    event_time = body.get("event_time")
    return datetime.fromtimestamp(event_time, UTC) if isinstance(event_time, int) else None


def stop_workspace(context: BoltContext, reason: str, *, sent_at: datetime | None) -> None:
    """Mark the workspace uninstalled, drop its queued messages and its installation; its data stays for now.

    Slack sends `app_uninstalled` and `tokens_revoked` in no set order and retries one not acked for minutes: one
    sent before the workspace's current install was made tells of the install before it, and is ignored.
    """
    deps = deps_of(context)
    with deps.sessions.begin() as session:
        workspace = known_workspace(session, context)
        if workspace is None:
            log.info("%s in a workspace never installed here: nothing to stop", reason)
            return
        if sent_at is not None and workspaces.installed_since(session, workspace=workspace, moment=sent_at):
            log.info("%s in %s, sent before its current install: ignored", reason, workspace.slack_team_id)
            return
        dropped = workspaces.record_uninstall(session, workspace=workspace, now=deps.now(), reason=reason)
        workspace_id, key = workspace.id, workspace.slack_team_id
    if deps.tokens is not None:
        deps.tokens.forget(workspace_id)
    log.info("%s in %s: stopped sending, %d queued message(s) dropped; data kept until purged", reason, key, dropped)


def team_access_changed(body: dict[str, Any], event: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    """Workspaces of a Grid org were added to or removed from the org-wide install: noted in the org's audit trail,
    and HR and admins are told of a removal. A workspace added that had an install of its own is served by the org
    from then on, its own install stopped (services/workspaces.py `take_over_granted_workspaces`). Then the install
    learns who works in the workspaces added, or lets go of those who worked only in those removed
    (handlers/org_access.py), in the background after the ack.

    Slack sends these with the org and no team, and Bolt hands them over without the org's token: the background
    sender, which finds it, sends the notices. The org stays one workspace here, installed while its install
    lasts.
    """
    team_ids = [str(team) for team in event.get("team_ids") or []]
    deps = deps_of(context)
    with deps.sessions.begin() as session:
        workspace = known_workspace(session, context)
        if workspace is None:
            log.info("%s for an org never installed here: nothing to note", event["type"])
            return
        sent = _as_sent(session, body, context, deps.now())
        if sent is None:
            return
        workspaces.hold(session, workspace)
        named, team_ids = team_ids, _not_changed_since(session, workspace, team_ids, sent, context)
        if not team_ids and (named or tried_again(context)):
            return
        workspaces.record_team_access(
            session, workspace=workspace, action=event["type"], team_ids=team_ids, sent=sent, now=deps.now()
        )
        taken = []
        if event["type"] == GRANTED:
            taken = workspaces.take_over_granted_workspaces(session, org=workspace, team_ids=team_ids, now=deps.now())
            _tell_what_was_left_open(session, workspace, [taken_one for taken_one, _ in taken], body, deps.now())
        taken_over = [(taken_workspace.slack_team_id, dropped) for taken_workspace, dropped in taken]
        if event["type"] == REVOKED:
            for person in approvals.hr_people(session, workspace.id):
                key = f"{REVOKED}:{body.get('event_id')}:{person.slack_id}"  # Slack's retry queues none again
                notice = workspaces_removed_notice(person.slack_id, team_ids)
                outbox.enqueue(session, workspace=workspace, key=key, method=POST, payload=notice, now=deps.now())
        key, workspace_id, follows = workspace.slack_team_id, workspace.id, workspace.installed and workspace.org_wide
    log.info("%s in %s: %s", event["type"], key, ", ".join(team_ids) or "no workspace named")
    _log_taken_over(key, taken_over)
    deps.sender_bell.ring()
    if follows:
        follow = org_access.learn_added if event["type"] == GRANTED else org_access.follow_removal
        org_access.follow_in_background(follow, context, client, workspace_id, team_ids)


def _as_sent(session: Session, body: dict[str, Any], context: BoltContext, now: datetime) -> Sent | None:
    """The event with when Slack sent it and when its delivery reached the app: now, or on the app's own try, when
    the delivery kept was received. None, with nothing to do, on a try whose event is no longer kept (an earlier run of
    it, past its lease, finished it meanwhile)."""
    attempt = context.get(EVENT_ATTEMPT)
    received: datetime | None = now
    if isinstance(attempt, Attempt):  # kept from its arrival (handlers/event_retries.py): dated then, on every run
        received = event_retries.received_at(session, event_id=attempt.event_id)
        if received is None and not tried_again(context):
            received = now
    if received is None:
        log.info("%s tried late: done meanwhile by an earlier run, left as it is", body.get("event_id"))
        return None
    event_time = body.get("event_time")
    return Sent(str(body.get("event_id") or ""), event_time if isinstance(event_time, int) else None, received)


def _not_changed_since(
    session: Session, org: Workspace, team_ids: list[str], sent: Sent, context: BoltContext
) -> list[str]:
    """The workspaces no change Slack sent after this one named (a removal run after the workspace was added again
    would remove it): on the app's own try of a change whose listener failed, and on Slack's retry of one the app
    failed in front of its listener, which may come after the change that followed it; on those alone, the app's own
    changes count too (an install made again, whose grants Slack may date to the same second)."""
    changed = org_takeover.changed_since(session, org, team_ids, sent, ours_too=tried_again(context))
    if changed:
        log.info("%s tried late: %s changed since, left as they are", sent.event_id, ", ".join(sorted(changed)))
    return [team_id for team_id in team_ids if team_id not in changed]


def _tell_what_was_left_open(
    session: Session, org: Workspace, taken: list[Workspace], body: dict[str, Any], now: datetime
) -> None:
    """HR and admins of the org hear of the requests, nominations and pulse round still open in each workspace taken
    over: they stay with its stopped directory, so people must log them again in the org. Each requester of a request
    still waiting there, unless they have left, hears that it must be logged again."""
    for taken_workspace in taken:
        _tell_authors_of_held_ideas(session, org, taken_workspace, now)
        left = org_takeover.left_open(session, taken_workspace)
        if not left.anything:
            continue
        for person in approvals.hr_people(session, org.id):
            key = f"{org_takeover.TAKEN_OVER}:{body.get('event_id')}:{taken_workspace.slack_team_id}:{person.slack_id}"
            notice = left_open_notice(person.slack_id, taken_workspace.slack_team_id, left)
            outbox.enqueue(session, workspace=org, key=key, method=POST, payload=notice, now=now)
        for request in org_takeover.requests_to_log_again(session, taken_workspace, org):
            key = f"{org_takeover.TAKEN_OVER}:{body.get('event_id')}:resolution:{request.id}"
            notice = log_again_notice(request)
            outbox.enqueue(session, workspace=org, key=key, method=POST, payload=notice, now=now)


def _tell_authors_of_held_ideas(session: Session, org: Workspace, taken: Workspace, now: datetime) -> None:
    """Sent from the org, which serves them now, under the prefix forgotten within the hour (services/anonymous_dms.py):
    a row kept would say that someone was told something just then. A retry of Slack's event takes nothing over
    again, so nobody is told twice."""
    for suggestion in release.held_in(session, taken):
        if suggestion.author_seal is None:
            continue
        key = f"{anonymous_dms.key_prefix(org)}not-sent:{taken.slack_team_id}:{suggestion.id}"
        payload = not_sent_notice(suggestion.author_seal, suggestion)
        outbox.enqueue(session, workspace=org, key=key, method=POST, payload=payload, now=now)


def _log_taken_over(org: str, taken: list[tuple[str, int]]) -> None:
    for team_id, dropped in taken:
        log.warning(
            "the org-wide install of %s now serves %s, which had an install of its own: that one stopped, %d queued "
            "message(s) dropped, its data kept until `python -m bot workspace purge %s`; import its people into the "
            "org's directory (`org import --workspace %s`)",
            org,
            team_id,
            dropped,
            team_id,
            org,
        )


def grid_migration(body: dict[str, Any], event: dict[str, Any], context: BoltContext) -> None:
    """Slack is migrating the workspace into an Enterprise Grid org, or has finished, and asks apps to stop calling
    its API meanwhile (https://docs.slack.dev/reference/events/grid_migration_started): its messages, scheduled
    ones included, wait in the outbox and go once it is done. The install and its token are kept through it."""
    deps = deps_of(context)
    with deps.sessions.begin() as session:
        workspace = known_workspace(session, context)
        if workspace is None:
            log.info("%s in a workspace never installed here: nothing to do", event["type"])
            return
        sent = _as_sent(session, body, context, deps.now())
        if sent is None:
            return
        workspaces.hold(session, workspace)
        if _migration_moved_on(session, workspace, sent, context):
            log.info("%s tried late: the migration moved on since, left as it is", event["type"])
            return
        enterprise_id = event.get("enterprise_id")
        workspaces.record_grid_migration(
            session, workspace=workspace, action=event["type"], enterprise_id=enterprise_id, now=deps.now(), sent=sent
        )
        key = workspace.slack_team_id
    log.info("%s in %s (org %s): its messages %s", event["type"], key, enterprise_id, _migrating(event["type"]))
    deps.sender_bell.ring()


def _migration_moved_on(session: Session, workspace: Workspace, sent: Sent, context: BoltContext) -> bool:
    """Whether a start or finish Slack sent after this one was recorded (a start run after its finish would make every
    message wait): Slack's retry of one the app failed in front of its listener may come after it too. The app's own
    (a migration seen finished) count on its own tries alone."""
    actions = workspaces.MIGRATION_ACTIONS
    later = event_order.recorded_after(session, workspace=workspace, actions=actions, sent=sent)
    return any(tried_again(context) or event_order.slacks(row) for row in later)


def _migrating(action: str) -> str:
    return "wait until it is finished" if action == workspaces.GRID_MIGRATION_STARTED else "go again"
