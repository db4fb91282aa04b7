"""A decision request waiting on a manager whose org-file Slack id Slack has nobody of: the requester hears it, once
(in their command's reply when it can, else by DM), HR hear of the id, and the request goes to the manager once the
file is corrected and imported again."""

from datetime import timedelta

from sqlalchemy import select

from handlers.jobs.drain_outbox import drain_outbox
from handlers.jobs.follow_up_pending_requests import follow_up_pending_requests
from models import Resolution
from services import directory, messages_tab
from tests.conftest import FIXTURES, RunningBot
from tests.e2e.test_home_again_sending import queue_homes_again
from tests.e2e.test_people_leaving import reimport
from tests.e2e.test_unknown_ids import remembered
from tests.helpers import load_org, load_policy
from tests.rewards_helpers import load_policy_text

TYPO = "U0MGRTYPO"
ORG = (FIXTURES / "org.csv").read_text()
MANAGER_MISTYPED = ORG.replace("U0MGR1", TYPO)
OVER_THE_LIMIT = "refund 80 order 42 parcel lost in transit"
TOLD = "cannot reach Maya Manager in Slack yet"


def manager_marked(bot: RunningBot, *, policy: str = "resolutions") -> None:
    """The org file gives Maya a mistyped id, and the background sender finds Slack has nobody of it."""
    load_org(bot.sessions, bot.clock.now(), MANAGER_MISTYPED)
    (load_policy if policy == "resolutions" else load_policy_text)(bot.sessions, bot.clock.now())
    queue_homes_again(bot, TYPO)
    drain(bot)
    assert remembered(bot) == [TYPO]


def drain(bot: RunningBot) -> None:
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)


def replies_telling(bot: RunningBot) -> list[str]:
    return [c.text for c in bot.slack.calls("response_url") if TOLD in c.text]


def dms_telling(bot: RunningBot, person: str = "U0AGENT1") -> list[str]:
    return [c.text for c in bot.slack.messages_to(person) if TOLD in c.text]


def hr_told(bot: RunningBot) -> list[str]:
    return [c.text for c in bot.slack.messages_to("U0HR") if f"`{TYPO}`" in c.text]


def forgive_calls_to_the_typo(bot: RunningBot) -> None:
    assert all(f"{TYPO} is nobody the workspace knows" in said for said in bot.slack.violations)
    bot.slack.violations.clear()


def test_a_request_to_a_manager_slack_has_nobody_of_tells_the_requester_in_the_reply_once(bot: RunningBot) -> None:
    manager_marked(bot)
    bot.clock.advance(timedelta(days=8))  # HR last heard of the id a week ago

    bot.driver.command("U0AGENT1", "/resolve", OVER_THE_LIMIT)

    [said] = replies_telling(bot)
    assert "request to approve fix #1 waits on Maya Manager" in said and "HR and admins have been told" in said
    assert "import it again, it goes to Maya Manager" in said and "goes one level up" in said
    assert TYPO not in said, "nothing of the id itself"
    assert bot.slack.calls("chat.postMessage", channel=TYPO) == [], "withheld, not sent to be refused"
    assert dms_telling(bot) == [], "the reply said it"
    assert len(hr_told(bot)) == 2, "HR hear of the id again this week"

    for _ in range(2):  # the reminder, withheld too, tells nobody again; the escalation reaches Ada
        bot.clock.advance(timedelta(hours=24, minutes=5))
        follow_up_pending_requests(bot.runtime.deps, bot.runtime.app.client)
        drain(bot)
    assert len(replies_telling(bot)) == 1 and dms_telling(bot) == []
    escalated = [c.channel for c in bot.slack.calls("chat.postMessage") if "waited too long for Maya" in c.text]
    assert escalated == ["U0ADMIN"]
    forgive_calls_to_the_typo(bot)


def test_a_reminder_withheld_from_a_manager_slack_has_nobody_of_tells_the_requester_by_dm_once(
    bot: RunningBot,
) -> None:
    load_org(bot.sessions, bot.clock.now(), MANAGER_MISTYPED)
    load_policy(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT1", "/resolve", OVER_THE_LIMIT)  # before Slack was found to have nobody of the id
    assert replies_telling(bot) == []
    queue_homes_again(bot, TYPO)
    drain(bot)

    bot.clock.advance(timedelta(hours=24, minutes=5))
    follow_up_pending_requests(bot.runtime.deps, bot.runtime.app.client)
    drain(bot)
    drain(bot)

    [said] = dms_telling(bot)
    assert "request to approve fix #1 waits on Maya Manager" in said and TYPO not in said
    assert replies_telling(bot) == []
    forgive_calls_to_the_typo(bot)


def test_a_nomination_waiting_on_an_approver_slack_has_nobody_of_tells_the_nominator_in_the_reply(
    bot: RunningBot,
) -> None:
    manager_marked(bot, policy="rewards")

    bot.driver.command("U0AGENT1", "/nominate", "<@U0AGENT2|lee.senior> voucher_25 talked a customer out of cancelling")

    [said] = replies_telling(bot)
    assert "nomination for Coffee" in said and "waits on Maya Manager" in said
    assert dms_telling(bot) == [] and bot.slack.calls("chat.postMessage", channel=TYPO) == []
    forgive_calls_to_the_typo(bot)


def test_once_the_org_file_is_corrected_the_request_reaches_the_manager(bot: RunningBot) -> None:
    """What the requester is told holds: the request waits, and goes to the manager once their id is fixed."""
    manager_marked(bot)
    bot.driver.command("U0AGENT1", "/resolve", OVER_THE_LIMIT)
    assert len(replies_telling(bot)) == 1

    bot.clock.advance(timedelta(hours=1))
    reimport(bot.sessions, bot.clock.now(), ORG)
    drain(bot)

    [asked] = [c.text for c in bot.slack.messages_to("U0MGR1")]
    assert "Sam Agent's request now waits on you" in asked and "refund of $80" in asked
    with bot.sessions() as session:
        resolution = session.scalars(select(Resolution)).one()
        assert resolution.status == "pending" and resolution.decider.slack_id == "U0MGR1"
    forgive_calls_to_the_typo(bot)


def test_a_request_from_the_resolve_form_tells_the_requester_by_one_dm(bot: RunningBot) -> None:
    """A form's submission has no reply to say it in: one DM does."""
    manager_marked(bot)
    bot.driver.command("U0AGENT1", "/resolve")
    [opened] = bot.slack.calls("views.open")

    fields = {"category": "refund", "amount": "$80", "customer_ref": "order 42", "summary": "parcel lost"}
    assert bot.driver.submit("U0AGENT1", opened.args["view"], fields).status == 200

    [said] = dms_telling(bot)
    assert "request to approve fix #1 waits on Maya Manager" in said and TYPO not in said
    assert replies_telling(bot) == [] and bot.slack.calls("chat.postMessage", channel=TYPO) == []
    forgive_calls_to_the_typo(bot)


def test_with_the_messages_tab_off_the_reply_says_hr_could_not_be_told(bot: RunningBot) -> None:
    manager_marked(bot)
    bot.slack.state.app_home.messages_tab = False
    with bot.sessions.begin() as session:
        workspace = directory.find_workspace(session, "T0LATITUDE")
        assert workspace is not None
        messages_tab.mark_off(session, workspace_id=workspace.id, now=bot.clock.now())

    bot.driver.command("U0AGENT1", "/resolve", OVER_THE_LIMIT)

    [said] = replies_telling(bot)
    assert "HR and admins could not be told" in said and "Messages tab is turned off" in said
    assert "have been told" not in said
    forgive_calls_to_the_typo(bot)


def test_a_dm_held_while_the_messages_tab_was_off_says_hr_were_told(bot: RunningBot) -> None:
    """The DM is read only once the tab is on again, when HR can be told: only the command's reply says they could
    not be."""
    manager_marked(bot)
    bot.slack.state.app_home.messages_tab = False
    with bot.sessions.begin() as session:
        workspace = directory.find_workspace(session, "T0LATITUDE")
        assert workspace is not None
        messages_tab.mark_off(session, workspace_id=workspace.id, now=bot.clock.now())
    bot.driver.command("U0AGENT1", "/resolve")  # the form: no reply to say it in
    [opened] = bot.slack.calls("views.open")
    fields = {"category": "refund", "amount": "$80", "customer_ref": "order 42", "summary": "parcel lost"}
    assert bot.driver.submit("U0AGENT1", opened.args["view"], fields).status == 200
    assert dms_telling(bot) == []

    bot.slack.state.app_home.messages_tab = True
    assert bot.driver.open_messages_tab("U0AGENT2").status == 200
    bot.clock.advance(timedelta(hours=24, minutes=5))  # the reminder, withheld too, finds the notice unsent
    follow_up_pending_requests(bot.runtime.deps, bot.runtime.app.client)
    drain(bot)
    drain(bot)

    [said] = dms_telling(bot)
    assert "HR and admins have been told" in said and "could not be told" not in said
    forgive_calls_to_the_typo(bot)


THREE_ADMINS = ORG.replace("U0HR,Hana Reyes,People,hr,U0ADMIN", "U0HR,Hana Reyes,People,hr,") + (
    "U0TYPOA,Abe Admin,Operations,admin,,abe@example.com,Europe/London,\n"
    "U0TYPOB,Bea Admin,Operations,admin,,bea@example.com,Europe/London,\n"
)


def test_the_reply_names_as_able_to_decide_nobody_slack_has_nobody_of(bot: RunningBot) -> None:
    """Hana has no manager: her fix goes to every admin, two of whom the org file gives ids Slack has nobody of."""
    load_org(bot.sessions, bot.clock.now(), THREE_ADMINS)
    load_policy(bot.sessions, bot.clock.now())
    queue_homes_again(bot, "U0TYPOA", "U0TYPOB")
    drain(bot)

    bot.driver.command("U0HR", "/resolve", OVER_THE_LIMIT)

    said = [c.text for c in bot.slack.calls("response_url") if "cannot reach" in c.text]
    assert len(said) == 2 and all("<@U0ADMIN> too, who can decide it" in one for one in said)
    assert not any("U0TYPO" in one for one in said), "nobody unreachable named, nor their id shown"
    assert bot.slack.calls("chat.postMessage", channel="U0ADMIN")
    bot.slack.violations.clear()  # the Homes published to the mistyped ids, refused


def test_a_reply_the_response_url_refuses_is_sent_as_a_dm(bot: RunningBot) -> None:
    manager_marked(bot)
    bot.slack.fail("response_url", status=500, times=1)

    bot.driver.command("U0AGENT1", "/resolve", OVER_THE_LIMIT)

    assert replies_telling(bot) == []
    [said] = dms_telling(bot)
    assert "request to approve fix #1 waits on Maya Manager" in said and "HR and admins have been told" in said
    forgive_calls_to_the_typo(bot)
