"""People Slack deactivates, brings back or renames (`user_change`): the directory follows (services/departures.py),
and what a departure or a return hands over is told as after an org import (handlers/handover.py).

Slack sends the event for every profile change (a status, an avatar) of everyone in the workspace: a bot, someone of
another workspace (a Slack Connect guest, another workspace of a Grid org) or someone the directory does not know
changes nothing, at the cost of a read at most. Someone of the Grid org the directory has, whose teams no longer list
this workspace (an org admin removed them from it; they stay active in the org), has left it, as if deactivated.

Slack retries an event it could not deliver (about 1 and 5 minutes on) with its first content, and promises no order:
an event says how someone was when it was sent. So a departure (work handed over, HR told) is made only on how Slack
shows them now (`users.info`), and so is Slack's retry or the app's own try; an event sent before the last change of
theirs followed is old news, and a read a change followed meanwhile overtook is made once more (services/departures.py);
overtaken again, the event is tried again later (handlers/event_retries.py).
"""

import logging
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from slack_bolt import App, BoltContext, BoltRequest
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from handlers.blocks.departures import DEACTIVATED, REMOVED, left_slack_notice
from handlers.deps import Deps, deps_of
from handlers.event_retries import tried_again
from handlers.handover import queue_handover_messages
from handlers.people import known_serving_workspace, known_workspace
from handlers.slack_people import NOT_A_MEMBER, of_the_org, of_the_workspace, person_of
from models import Workspace
from services import outbox, workspaces
from services.departures import (
    UNDATED,
    Departure,
    ReadOvertaken,
    Return,
    SlackChange,
    changes_followed,
    follow_slack,
)
from services.directory import SlackPerson
from services.handover import reported

log = logging.getLogger(__name__)
WHERE = ("team_id", "enterprise_user", "is_stranger")
"""What of a user object says which workspaces and org they are of."""
SLACK_RETRY_NUM = "x-slack-retry-num"
"""The header of Slack's retry of a delivery (mirrored by Bolt in Socket Mode): sent with the first one's content."""
READS = 2
"""How many times a person is read from Slack for one change, when a change followed meanwhile overtakes the read."""


def register(app: App) -> None:
    app.event("user_change")(user_changed)


def user_changed(body: dict[str, Any], event: dict[str, Any], context: BoltContext, request: BoltRequest) -> None:
    user = event.get("user") or {}
    slack_id = user.get("id")
    if not isinstance(slack_id, str):
        return
    said = person_of(slack_id, user)
    ours = of_the_workspace(user, context)
    deactivated = ours and not said.exists and not said.is_bot  # work moves, HR is told: only if Slack still says so
    stamp = sent_at(body, event)
    if deactivated or tried_again(context) or retried_by_slack(request):
        read_and_follow(context, slack_id, user, stamp)
        return
    person, how = what_slack_says(slack_id, user, context)
    if person is not None and not person.is_bot:
        follow_person(context, person, how, SlackChange(stamp))


def read_and_follow(context: BoltContext, slack_id: str, sent: dict[str, Any], stamp: datetime | None) -> None:
    """Follow the person as Slack shows them now; a read overtaken by a change followed meanwhile (which may be older
    than what it found: a late profile change) is made once more. A second one overtaken raises `ReadOvertaken`, which
    may pass: the kept event is tried again later (handlers/event_retries.py) and reads Slack afresh, so a deactivation
    is never lost to late changes."""
    for _ in range(READS):
        taken = _changes_followed(context, slack_id)  # before asking: a change followed meanwhile overtakes the read
        person, how = what_slack_says(slack_id, as_slack_has_them_now(context, slack_id, sent), context)
        if person is None or person.is_bot:
            return
        try:
            follow_person(context, person, how, SlackChange(stamp, read_after=taken))
            return
        except ReadOvertaken:
            continue
    raise ReadOvertaken(f"{slack_id} changed in Slack while read {READS} times: the event is tried again later")


def _changes_followed(context: BoltContext, slack_id: str) -> int:
    with deps_of(context).sessions() as session:
        workspace = known_serving_workspace(session, context)
        return 0 if workspace is None else changes_followed(session, workspace_id=workspace.id, slack_id=slack_id)


def retried_by_slack(request: BoltRequest) -> bool:
    """Whether this delivery is Slack's retry (Socket Mode numbers its first delivery 0)."""
    number = (request.headers.get(SLACK_RETRY_NUM) or ["0"])[0]
    return number.strip() not in ("", "0")


def what_slack_says(slack_id: str, user: dict[str, Any], context: BoltContext) -> tuple[SlackPerson | None, str]:
    """The person a user object shows, and how they would leave (`DEACTIVATED`, or `REMOVED` from this workspace while
    still of its Grid org); None for someone of another workspace or org."""
    person = person_of(slack_id, user)
    if of_the_workspace(user, context):
        return person, DEACTIVATED
    if of_the_org(user, context):
        return replace(person, exists=False), REMOVED
    return None, DEACTIVATED


def sent_at(body: dict[str, Any], event: dict[str, Any]) -> datetime | None:
    """When Slack sent the event, on its clock: its `event_ts` (to the microsecond), else the delivery's `event_time`
    (to the second). A retry carries the first delivery's."""
    for stamp in (event.get("event_ts"), body.get("event_time")):
        if isinstance(stamp, str | int | float) and not isinstance(stamp, bool):
            try:
                return datetime.fromtimestamp(float(stamp), UTC)
            except (ValueError, OverflowError, OSError):
                continue
    return None


def as_slack_has_them_now(context: BoltContext, slack_id: str, sent: dict[str, Any]) -> dict[str, Any]:
    """The person as `users.info` shows them now: for a departure, for Slack's retry (sent with the first delivery's
    content) and for the app's own try of a change kept since (it keeps no profile); a newer change may have come
    meanwhile. One Slack no longer shows is gone, of the workspaces the event `sent` named; any other failure of
    Slack's is raised, for the next try (handlers/event_retries.py)."""
    try:
        user: dict[str, Any] = context.client.users_info(user=slack_id)["user"]
    except SlackApiError as error:
        if error.response.get("error") in NOT_A_MEMBER:
            return {**{key: sent[key] for key in WHERE if key in sent}, "id": slack_id, "deleted": True}
        raise
    return user


def follow_person(context: BoltContext, person: SlackPerson, how: str, change: SlackChange = UNDATED) -> None:
    """The directory follows what Slack says of one person in the request's workspace; `how` they left, if they
    did (handlers/blocks/departures.py): someone no longer in the workspace keeps their old DMs as they are."""
    deps = deps_of(context)
    with deps.sessions.begin() as session:
        made_under = known_workspace(session, context)
        workspace = None if made_under is None else workspaces.serving(session, made_under)
        if workspace is None or workspace.uninstalled_at is not None:
            return
        if how == REMOVED and workspace is not made_under:
            return  # still of the org that serves them: leaving one of its workspaces is not leaving Latitude
        followed = follow_in(session, workspace, person, how, change, deps.now())
    if followed is not None:
        left_or_back(deps, person.slack_id, how, followed)


def follow_in(
    session: Session, workspace: Workspace, person: SlackPerson, how: str, change: SlackChange, now: datetime
) -> Departure | Return | None:
    """`follow_slack`, with what a departure or a return hands over (and a departure tells HR) queued in the same
    transaction."""
    followed = follow_slack(session, workspace=workspace, person=person, now=now, change=change)
    if isinstance(followed, Departure):
        gone = None if how == DEACTIVATED else person.slack_id
        queue_handover_messages(session, workspace=workspace, handovers=followed.handovers, now=now, gone=gone)
        _tell_hr(session, workspace, followed, now, how)
    elif followed is not None and followed.handovers:
        queue_handover_messages(session, workspace=workspace, handovers=followed.handovers, now=now)
    return followed


def left_or_back(deps: Deps, slack_id: str, how: str, followed: Departure | Return) -> None:
    """Once a departure or a return is committed: logged, and what it queued sent."""
    moved = len(reported(followed.handovers))
    if isinstance(followed, Departure):
        log.info("%s left (%s): deactivated, %d item(s) handed over", slack_id, how, moved)
    else:
        log.info("%s is back in Slack: active again, %d item(s) handed over", slack_id, moved)
    deps.sender_bell.ring()


def _tell_hr(session: Session, workspace: Workspace, departure: Departure, now: datetime, how: str) -> None:
    person, moved = departure.person, len(reported(departure.handovers))
    for hr in departure.tell:
        notice = left_slack_notice(hr.slack_id, person.name, person.slack_id, departure.needs, moved, how=how)
        key = f"left-slack:{person.id}:{now.isoformat()}:{hr.slack_id}"
        outbox.enqueue(session, workspace=workspace, key=key, method="chat.postMessage", payload=notice, now=now)
    if departure.needs and not departure.tell:
        log.warning("%s left Slack and nobody in HR or admin is left to tell: %s", person.slack_id, departure.needs)
