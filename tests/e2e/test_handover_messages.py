"""A request that changes hands: the new decider gets the buttons every time it does, and the notification text is
mrkdwn, so the requester's name is escaped."""

from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from handlers.handover import queue_handover_messages
from handlers.jobs.drain_outbox import drain_outbox
from services import directory
from services.org_import import import_org, parse_org_csv
from tests.conftest import FIXTURES, RunningBot
from tests.e2e.test_people_leaving import SAM_MOVES_WEST, decider_of_the_request, reimport
from tests.e2e.test_rewards_approval import action_ids
from tests.helpers import load_org, load_org_and_policy, load_policy

ORG_CSV = (FIXTURES / "org.csv").read_text().replace("Sam Agent", "Ana <&> Co")
WITHOUT_MAYA = "\n".join(
    line.replace(",U0MGR1,", ",U0ADMIN,") for line in ORG_CSV.splitlines() if not line.startswith("U0MGR1,")
)


def import_without_maya(sessions: sessionmaker[Session], now: datetime) -> None:
    """What `python -m bot org import FILE --deactivate-missing` does when Maya has left."""
    with sessions.begin() as session:
        workspace = directory.ensure_workspace(session, slack_team_id="T0LATITUDE", now=now)
        report = import_org(
            session, workspace=workspace, rows=parse_org_csv(WITHOUT_MAYA), deactivate_missing=True, actor="hr", now=now
        )
        queue_handover_messages(session, workspace=workspace, handovers=report.handovers, now=now)


def test_a_request_handed_over_names_its_requester_escaped_in_the_notification(bot: RunningBot) -> None:
    load_org(bot.sessions, bot.clock.now(), ORG_CSV)
    load_policy(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT1", "/resolve", "refund 80 order 42 parcel lost in transit")

    import_without_maya(bot.sessions, bot.clock.now())
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)

    [new_request] = bot.slack.calls("chat.postMessage", channel="U0ADMIN")
    assert new_request.args["text"] == "Ana &lt;&amp;&gt; Co needs your decision: refund of $80"
    assert "*Ana &lt;&amp;&gt; Co's request now waits on you*" in new_request.text


def test_a_request_handed_back_and_forth_reaches_its_decider_with_buttons_each_time(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT1", "/resolve", "refund 80 order 42 parcel lost in transit")
    original = (FIXTURES / "org.csv").read_text()

    for org in (SAM_MOVES_WEST, original, SAM_MOVES_WEST):  # moved by mistake, moved back, then moved for real
        reimport(bot.sessions, bot.clock.now(), org)
        drain_outbox(bot.runtime.deps, bot.runtime.app.client)

    assert decider_of_the_request(bot) == "U0MGR2"
    shown = {
        channel: [action_ids(bot.slack.message(c.response["channel"], c.response["ts"])) for c in calls]
        for channel in ("U0MGR1", "U0MGR2")
        if (calls := bot.slack.calls("chat.postMessage", channel=channel))
    }
    assert shown == {"U0MGR1": [[], []], "U0MGR2": [[], ["resolution_approve", "resolution_decline"]]}
