"""A Home Slack refuses for good when someone opens the tab: one log line saying why, and the listener goes on.

`views.publish` is refused for good when the app's Home tab is off (`not_enabled`), when the Home breaks a Block Kit
rule (`invalid_blocks`, ours to fix: Slack names the block), or when the person is not there (`user_not_found`,
`not_found`): https://docs.slack.dev/reference/methods/views.publish#errors. Publishing it again changes nothing
and the person keeps the Home they had, so nothing is retried and nobody is shown an apology for an event they
did not send; a rate limit, an outage or a refused token is the caller's to handle.
"""

import logging

from slack_sdk.web import SlackResponse

from handlers.delivery import HOME_TAB_OFF, TOKEN_REFUSED, TRANSIENT_ERRORS
from handlers.slack_answers import slack_says

log = logging.getLogger(__name__)

TAB_OFF = HOME_TAB_OFF
PERSON_GONE = frozenset({"user_not_found", "not_found"})
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
    elif code in PERSON_GONE:
        log.info("a Home was not published: Slack does not find the person (%s)", code)
    else:
        log.error("a Home was not published: Slack refused it for good: %s%s", code, slack_says(response))
    return True


def tab_off_in(workspace_id: int) -> None:
    """The background sender found a workspace's Homes refused because the Home tab is off: said once a drain, and its
    other Homes of the drain are dropped unasked (handlers/jobs/drain_outbox.py)."""
    log.warning("Homes to publish again in workspace #%s are dropped: %s", workspace_id, TAB_OFF_SAID)
