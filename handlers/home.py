"""App Home: publish the caller's home view when they open the tab, unless the tab already shows it."""

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from slack_bolt import App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from handlers import home_refusals, unknown_ids
from handlers.blocks import home as blocks
from handlers.blocks import nominations_waiting, resolutions_waiting
from handlers.blocks import resolutions as resolution_blocks
from handlers.blocks.kit import Block
from handlers.delivery_refusals import HOME_SUPERSEDED, PUBLISH
from handlers.deps import Deps, deps_of
from handlers.people import action_caller, identify_caller, known_serving_workspace, learn_if_wanted
from handlers.pulse import pulse_home_section
from handlers.rewards import recognition_section
from handlers.slack_answers import retry_after_seconds
from models import Employee, Workspace
from services import directory, messages_tab, outbox, unlisted
from services.errors import DomainError
from services.outbox_keys import OUR_OWN, home_key_prefix
from services.policy.versions import current_policy
from services.resolutions import decisions, recent
from services.resolutions import fixes as resolutions
from services.rewards import waiting as nominations

HomeSection = Callable[[Session, Employee, datetime], list[Block]]
Render = Callable[[], dict[str, Any]]
HASH_CONFLICT = HOME_SUPERSEDED
RENDER_WHEN_SENT = f"{OUR_OWN}home_again"
"""On a queued Home: render it when it is sent (handlers/home_again.py); its payload names whose Home it is, and the
`hash` of the Home it is published over when that person opened the tab."""

log = logging.getLogger(__name__)


def greeting_section(session: Session, employee: Employee, _now: datetime) -> list[Block]:
    imported = employee.in_directory or unlisted.org_file_imported(session, employee.workspace_id)
    return blocks.greeting(employee, org_imported=imported)


def dms_off_section(session: Session, employee: Employee, _now: datetime) -> list[Block]:
    """For HR and admins while Slack refuses every DM of the app (handlers/messages_tab.py)."""
    off = session.get_one(Workspace, employee.workspace_id).dms_off_since is not None
    return blocks.dms_off_section() if off and directory.acts_as(employee, ("hr", "admin")) else []


def resolutions_section(session: Session, employee: Employee, now: datetime) -> list[Block]:
    """Nothing of fixes before a policy is loaded, except for HR and admins: how to load one."""
    try:
        active, lines = resolutions.allowance_for(session, employee, now)
    except DomainError:
        workspace = session.get_one(Workspace, employee.workspace_id)
        policy_missing = directory.acts_as(employee, ("hr", "admin")) and current_policy(session, workspace) is None
        return blocks.no_policy_section() if policy_missing else []
    currency, listed = active.policy.currency, employee.in_directory
    no_admin = resolutions.unlisted_with_no_admin(session, employee)
    allowance = blocks.allowance_section(lines, currency, listed=listed, no_admin=no_admin) if employee.active else []
    return [
        *resolution_blocks.recent_section(recent.recent_lines(session, employee)),
        *allowance,
        *resolutions_waiting.waiting_section(decisions.waiting_for(session, employee)),
    ]


def nominations_section(session: Session, employee: Employee, _now: datetime) -> list[Block]:
    """The nominations only this person may approve, beside the requests they decide: handed many at once (their
    predecessor left), they are told to find them here (handlers/handover_summary.py)."""
    shown = resolutions_waiting.HOME_WAITING
    return nominations_waiting.waiting_section(nominations.waiting_for(session, employee, shown=shown))


SECTIONS: list[HomeSection] = [
    greeting_section,
    dms_off_section,
    resolutions_section,
    nominations_section,
    recognition_section,
    pulse_home_section,
]


def build_home(session: Session, employee: Employee, now: datetime, notice: str | None = None) -> dict[str, Any]:
    """A guest of the Slack workspace the org file leaves out is told what the commands tell them, and no more: an
    employee's sections would offer an allowance and nominations they do not have."""
    if directory.unlisted_guest(employee):
        return blocks.home_view([blocks.guest_greeting(employee)], notice)
    return blocks.home_view([section(session, employee, now) for section in SECTIONS], notice)


def publish_over(
    client: WebClient, user_id: str, view: dict[str, Any], *, seen: dict[str, Any] | None, again: Render
) -> None:
    """Publish `view` over the Home the person was last seen with (`seen`, from the event or the click; a modal
    submitted is no Home): with its hash, Slack refuses it (`hash_conflict`) if another publish came in between,
    whose Home may be newer than this one, rendered earlier. The Home is then rendered `again` from what is stored
    now and published over that."""
    home = seen if seen and seen.get("type") == "home" else {}
    try:
        client.views_publish(user_id=user_id, view=view, hash=home.get("hash"))
    except SlackApiError as error:
        if error.response.get("error") != HASH_CONFLICT:
            raise
        client.views_publish(user_id=user_id, view=again())


def republish_home(context: Any, client: WebClient, body: dict[str, Any], notice: str | None = None) -> None:
    """The clicker's Home again, after a decision made from it (a click there has no message to update)."""
    deps = deps_of(context)

    def home_now() -> dict[str, Any]:
        with deps.sessions.begin() as session:
            return build_home(session, action_caller(session, context, body).employee, deps.now(), notice=notice)

    publish_over(client, body["user"]["id"], home_now(), seen=body.get("view"), again=home_now)


def in_a_view(body: dict[str, Any]) -> bool:
    """Whether a click came from a view (the App Home), not a message."""
    return (body.get("container") or {}).get("type") == "view"


def tell_clicker(context: Any, client: WebClient, body: dict[str, Any], respond: Respond, text: str) -> None:
    """Answer in the surface the click came from: a click in the App Home has no response URL, so the Home is
    published again with the answer on top (https://api.slack.com/reference/interaction-payloads/block-actions)."""
    if not in_a_view(body):
        respond(text=text, response_type="ephemeral", replace_original=False)
        return
    republish_home(context, client, body, notice=text)


def publish_home(event: dict[str, Any], body: dict[str, Any], context: Any, client: WebClient) -> None:
    deps = deps_of(context)
    if event.get("tab", "home") != "home":
        messages_tab_opened(deps, context, event)
        return
    with deps.sessions.begin() as session:
        identity = identify_caller(session, context, user_id=event["user"])
        unknown_ids.opened(session, identity.workspace, identity.employee, deps.now())  # before the opening is noted
        home_refusals.opened(session, identity.workspace, identity.employee, deps.now())
        view = None if identity.slack_profile_wanted else build_home(session, identity.employee, deps.now())
        workspace_id = identity.workspace.id

    def home_now() -> dict[str, Any]:
        with deps.sessions.begin() as session:
            return build_home(session, identify_caller(session, context, user_id=event["user"]).employee, deps.now())

    if view is None:  # a newcomer, or someone without a time zone: greeted by name, their day on their clock
        learn_if_wanted(client, deps, identity)
        view = home_now()
    if not blocks.already_shown(view, event.get("view")):
        try:
            publish_over(client, event["user"], view, seen=event.get("view"), again=home_now)
        except SlackApiError as error:
            if error.response.status_code == 429:
                publish_later(deps, workspace_id, event, retry_after_seconds(error.response))
            elif not home_refusals.refused_for_good(error.response):
                raise


def messages_tab_opened(deps: Deps, context: Any, event: dict[str, Any]) -> None:
    """Someone opened the app's Messages tab: it is on, and DMs are sent again where they were given up."""
    if event.get("tab") != "messages":
        return
    with deps.sessions.begin() as session:
        workspace = known_serving_workspace(session, context)  # whose messages the flag is on (an org's install)
        if workspace is not None and workspace.dms_off_since is not None:
            messages_tab.mark_on(session, workspace_ids={workspace.id})
            log.warning("Slack delivers Latitude's DMs in workspace #%s again: its Messages tab is on", workspace.id)


def publish_later(deps: Deps, workspace_id: int, event: dict[str, Any], wait: float) -> None:
    """Slack rate-limits views.publish when many open their Home at once (a shift starting): the Home goes out through
    the outbox once Slack allows, rendered then from what is stored (handlers/home_again.py: a fix logged meanwhile
    shows), over the Home the person was seen with, so that one published meanwhile is kept (`hash_conflict`:
    handlers/delivery_refusals.py takes it as done). Opened again meanwhile, it is queued once. Someone seen with no
    Home yet has no hash to publish over: a Home queued blind could replace a newer one, so theirs waits for their next
    visit. A round's seal forgets queued Homes (services/pulse/closing.py)."""
    seen = event.get("view") or {}
    seen_hash = seen.get("hash") if seen.get("type") == "home" else None
    if not seen_hash:
        log.warning("a first Home was not published (rate limited): it is published when the person opens it again")
        return
    payload = {"user_id": event["user"], "hash": seen_hash, RENDER_WHEN_SENT: True}
    now = deps.now()
    with deps.sessions.begin() as session:
        workspace = session.get_one(Workspace, workspace_id)
        key = home_key_prefix(workspace.slack_team_id, event["user"]) + seen_hash
        send_at = now + timedelta(seconds=wait)
        outbox.enqueue(session, workspace=workspace, key=key, method=PUBLISH, payload=payload, now=now, send_at=send_at)
    log.warning("a Home was not published now (rate limited): the outbox publishes it in %.0f s", wait)


def register(app: App) -> None:
    app.event("app_home_opened")(publish_home)
