"""A Home Slack refuses for good when someone opens the tab: one log line saying why, and the listener goes on.

`views.publish` is refused for good when the app's Home tab is off (`not_enabled`), or when the Home breaks a Block Kit
rule (`invalid_blocks`, ours to fix: Slack names the block): https://docs.slack.dev/reference/methods/views.publish.
Slack finding nobody of the `user_id` (`invalid_arguments`, "invalid `user_id`") of someone who has just opened the
tab, whom it has just told of, is ours to fix as well (handlers/home_readers.py), and logged as an error. Publishing it
again changes nothing and the person keeps the Home they had, so nothing is retried and nobody is shown an apology for
an event they did not send; a rate limit, an outage or a refused token is the caller's to handle. The background
sender's Homes refused so tell the workspace's Home tab is off: remembered, so that none is queued there until someone
opens it or Slack takes one of them (services/home_tab.py). The Homes the sender drops unsent meanwhile (`NOT_SENT`) are
not Slack's answer, and tell nothing.
"""

import logging
from datetime import datetime

from slack_sdk.web import SlackResponse
from sqlalchemy.orm import Session

from handlers.delivery_refusals import HOME_TAB_OFF, PUBLISH, TOKEN_REFUSED, TRANSIENT_ERRORS
from handlers.home_readers import REFUSED, WRONG_TOKEN
from handlers.slack_answers import home_finds_nobody, slack_says
from models import Employee, Workspace
from services import home_tab
from services.outbox import Claimed, SendOutcome

log = logging.getLogger(__name__)

TAB_OFF = HOME_TAB_OFF
NOT_SENT = "not_sent_home_tab_off"
"""The error of a Home the background sender dropped unsent: Slack refused another in its workspace in this drain."""
TAB_OFF_SAID = (
    "a Home was not published: the Slack app's Home tab is off (views.publish: not_enabled); turn it on under "
    "App Home in the app's settings, as manifest.yml has it (home_tab_enabled: true)"
)


def refused_for_good(response: SlackResponse) -> bool:
    """Whether Slack refused the Home for good; if so, logged here, in one line with what Slack says of it."""
    code = str(response.get("error") or "")
    if response.status_code == 429 or response.status_code >= 500 or code in TRANSIENT_ERRORS | TOKEN_REFUSED:
        return False
    if code == TAB_OFF:
        log.warning(TAB_OFF_SAID)
    elif home_finds_nobody(response):  # Slack has just told of them: the app asked with the wrong token, or id
        log.error(
            "a Home was not published: Slack refused the Home of someone who opened it (%s), %s", REFUSED, WRONG_TOKEN
        )
    else:
        log.error("a Home was not published: Slack refused it for good: %s%s", code, slack_says(response))
    return True


def learn(session: Session, asked: list[tuple[Claimed, SendOutcome]], *, taken_at: datetime, now: datetime) -> None:
    """What Slack answered to the background sender's Homes (`asked` of it, taken at `taken_at`) says of each
    workspace's Home tab: off, warned once, and no Home is queued there to publish again (handlers/home_again.py)
    until someone opens the tab (`opened`) or Slack takes a Home; on, when it took one."""
    published = {d.workspace_id for d, outcome in asked if d.method == PUBLISH and outcome.ok}
    for workspace_id in home_tab.mark_on(session, workspace_ids=published, sent_from=taken_at):
        log.warning("Homes are published again in workspace #%s: Slack took one, its Home tab is on", workspace_id)
    refused = {delivery.workspace_id for delivery, outcome in asked if is_tab_off(delivery, outcome)} - published
    for workspace_id in home_tab.mark_off(session, workspace_ids=refused, taken_at=taken_at, now=now):
        log.warning(
            "no Home is published again in workspace #%s until its Home tab is on: %s", workspace_id, TAB_OFF_SAID
        )


def is_tab_off(delivery: Claimed, outcome: SendOutcome) -> bool:
    return delivery.method == PUBLISH and outcome.error == TAB_OFF


def opened(session: Session, workspace: Workspace, person: Employee, now: datetime) -> None:
    """Someone opened the Home tab: it is on, and Homes are published again there."""
    if home_tab.opened(session, workspace=workspace, person=person, now=now):
        log.warning("Homes are published again in workspace #%s: its Home tab is on", workspace.id)
