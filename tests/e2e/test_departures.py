"""People Slack deactivates (`user_change` with `deleted: true`): Latitude follows at once, as an org import would."""

import pytest
from sqlalchemy import select

from bot.cli.org import describe_report
from models import AuditEvent, Employee, Nomination, Resolution, Suggestion
from services import directory
from services.org_import import import_org, parse_org_csv
from tests.conftest import FIXTURES, RunningBot
from tests.helpers import count, employee, load_org_and_policy
from tests.rewards_helpers import set_up
from tests.suggestions_helpers import load_suggestion_org

ORG_CSV = (FIXTURES / "org.csv").read_text()
PEOPLE = {line.split(",")[0]: line.split(",")[1] for line in ORG_CSV.splitlines()[1:]}


def in_slack(bot: RunningBot, *slack_ids: str) -> None:
    for slack_id in slack_ids:
        bot.slack.add_user(slack_id, PEOPLE.get(slack_id, slack_id), tz="America/New_York")


def is_active(bot: RunningBot, slack_id: str) -> bool:
    with bot.sessions() as session:
        return employee(session, slack_id).active


def audit_actions(bot: RunningBot) -> list[str]:
    with bot.sessions() as session:
        return list(
            session.scalars(select(AuditEvent.action).where(AuditEvent.actor == "slack").order_by(AuditEvent.id))
        )


@pytest.fixture
def waiting_on_maya(bot: RunningBot) -> RunningBot:
    load_org_and_policy(bot.sessions, bot.clock.now())
    in_slack(bot, "U0MGR1", "U0AGENT1")
    bot.driver.command("U0AGENT1", "/resolve", "refund 80 order 42 parcel lost in transit")
    return bot


def test_a_manager_deactivated_in_slack_is_deactivated_and_the_request_moves_up(waiting_on_maya: RunningBot) -> None:
    bot = waiting_on_maya
    [old_request] = bot.slack.calls("chat.postMessage", channel="U0MGR1")

    bot.driver.user_change("U0MGR1", deleted=True)

    assert not is_active(bot, "U0MGR1")
    with bot.sessions() as session:
        assert session.scalars(select(Resolution)).one().decider.slack_id == "U0ADMIN"  # type: ignore[union-attr]
    [moved] = bot.slack.calls("chat.update", channel=old_request.response["channel"])
    assert "now waits on *Ada Admin*" in moved.text
    [new_request] = [c for c in bot.slack.calls("chat.postMessage", channel="U0ADMIN") if "now waits on you" in c.text]
    assert audit_actions(bot) == ["person.left_slack"]
    bot.driver.click("U0ADMIN", new_request, "resolution_approve")
    with bot.sessions() as session:
        assert session.scalars(select(Resolution.status)).one() == "approved"


def test_hr_and_admins_are_told_once_what_a_departure_leaves_them_to_do(waiting_on_maya: RunningBot) -> None:
    bot = waiting_on_maya

    bot.driver.event(bot.slack.change_user("U0MGR1", deleted=True), event_id="EvMAYA")
    bot.driver.event(bot.slack.change_user("U0MGR1"), event_id="EvMAYA", retry_num=1)
    bot.driver.user_change("U0MGR1", real_name="Maya M.")  # Slack tells of later changes to her too

    for person in ("U0HR", "U0ADMIN"):
        [notice] = [c for c in bot.slack.calls("chat.postMessage", channel=person) if "Slack deactivated" in c.text]
        assert "Maya Manager" in notice.text and "2 people report to them" in notice.text
        assert notice.args["text"] == "Maya Manager left Slack and Latitude needs you", "what the phone shows"
    assert audit_actions(bot) == ["person.left_slack"]
    with bot.sessions() as session:
        assert employee(session, "U0MGR1").name == "Maya Manager"


def test_a_frontline_employee_leaving_needs_nobody(waiting_on_maya: RunningBot) -> None:
    bot = waiting_on_maya
    in_slack(bot, "U0AGENT3")

    bot.driver.user_change("U0AGENT3", deleted=True)

    assert not is_active(bot, "U0AGENT3")
    assert bot.slack.calls("chat.postMessage", channel="U0HR") == []
    assert audit_actions(bot) == ["person.left_slack"]


def test_a_reward_waiting_on_a_manager_deactivated_in_slack_moves_up_and_the_nominator_hears(
    bot: RunningBot,
) -> None:
    set_up(bot.sessions, bot.clock.now())
    in_slack(bot, "U0MGR1")
    bot.driver.command("U0AGENT1", "/nominate", "<@U0AGENT2|lee> voucher_25 calmed an angry customer")

    bot.driver.user_change("U0MGR1", deleted=True)

    with bot.sessions() as session:
        assert session.scalars(select(Nomination)).one().approver.slack_id == "U0ADMIN"  # type: ignore[union-attr]
    told = bot.slack.calls("chat.postMessage", channel="U0AGENT1")[-1].text
    assert "now waits for approval by Ada Admin" in told, told


def test_people_deactivated_in_slack_no_longer_hide_an_anonymous_author(bot: RunningBot) -> None:
    load_suggestion_org(bot.sessions, bot.clock.now())
    in_slack(bot, "U0AGENT6", "U0AGENT7")
    bot.driver.user_change("U0AGENT6", deleted=True)
    bot.driver.user_change("U0AGENT7", deleted=True)

    bot.driver.command("U0AGENT1", "/suggest")
    view = bot.slack.calls("views.open")[-1].args["view"]
    reply = bot.driver.submit("U0AGENT1", view, {"what": "a second card reader", "anonymous": ["yes"]}).json

    assert "fewer than 5 people" in reply["errors"]["anonymous"]  # type: ignore[index]
    with bot.sessions() as session:
        assert count(session, Suggestion) == 0


def test_slack_deactivating_the_last_admin_deactivates_them_and_hr_is_told_to_name_one(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    in_slack(bot, "U0ADMIN")

    bot.driver.user_change("U0ADMIN", deleted=True)

    assert not is_active(bot, "U0ADMIN")
    [notice] = bot.slack.calls("chat.postMessage", channel="U0HR")
    assert "no active admin" in notice.text


def test_unknown_people_bots_and_people_of_other_workspaces_change_nothing(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0STRANGER", "Stan Ger")
    bot.slack.add_user("B0HELPER", "Helper Bot", is_bot=True)
    bot.slack.add_user("U0MGR2", "Omar Manager", team_id="T0OTHER")  # as Slack shows him: of another workspace

    for slack_id in ("U0STRANGER", "B0HELPER", "U0MGR2"):
        bot.driver.user_change(slack_id, deleted=True)

    with bot.sessions() as session:
        assert count(session, Employee) == len(PEOPLE)
        assert employee(session, "U0MGR2").active
    assert audit_actions(bot) == []
    assert bot.slack.calls("chat.postMessage") == []


def test_slack_reactivating_someone_it_deactivated_brings_them_back_but_not_whom_hr_removed(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    in_slack(bot, "U0AGENT1", "U0AGENT3")
    bot.driver.user_change("U0AGENT1", deleted=True)
    with bot.sessions.begin() as session:
        employee(session, "U0AGENT3").active = False  # as `org import --deactivate-missing` leaves him

    bot.driver.user_change("U0AGENT1", deleted=False)
    bot.driver.user_change("U0AGENT3", deleted=False)

    assert is_active(bot, "U0AGENT1") and not is_active(bot, "U0AGENT3")
    assert audit_actions(bot) == ["person.left_slack", "person.back_in_slack"]


def test_an_org_import_listing_someone_slack_deactivated_leaves_them_inactive(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    in_slack(bot, "U0AGENT1")
    bot.driver.user_change("U0AGENT1", deleted=True)

    with bot.sessions.begin() as session:
        workspace = directory.ensure_workspace(session, slack_team_id="T0LATITUDE", now=bot.clock.now())
        rows = parse_org_csv(ORG_CSV)
        report = import_org(
            session, workspace=workspace, rows=rows, deactivate_missing=True, actor="hr", now=bot.clock.now()
        )

    assert not is_active(bot, "U0AGENT1")
    assert "! Sam Agent (U0AGENT1): deactivated in Slack" in describe_report(report)
    bot.driver.user_change("U0AGENT1", deleted=False)
    assert is_active(bot, "U0AGENT1")


def test_a_name_slack_taught_the_directory_follows_slack_but_the_org_files_does_not(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    in_slack(bot, "U0AGENT1")
    bot.slack.add_user("U0NEWBIE", "Nora Newbie", tz="Europe/Paris")
    bot.driver.command("U0NEWBIE", "/boundaries")

    bot.driver.user_change("U0NEWBIE", real_name="Nora Nouvelle")
    bot.driver.user_change("U0AGENT1", real_name="Samuel Agent")

    with bot.sessions() as session:
        assert employee(session, "U0NEWBIE").name == "Nora Nouvelle"
        assert employee(session, "U0NEWBIE").tz == "Europe/Paris"
        assert employee(session, "U0AGENT1").name == "Sam Agent"
