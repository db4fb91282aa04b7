"""People who leave or move: their powers end, what waited on them moves, and the last admin stays."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.cli.org import describe_report
from bot.fakeslack import Call
from handlers.handover import queue_import_messages
from handlers.jobs.drain_outbox import drain_outbox
from models import Employee, Nomination, Resolution, RewardGrant, Suggestion, SuggestionBacker
from services import directory
from services.digest.access import preview_for
from services.errors import NotAllowed
from services.org_import import ImportReport, OrgFileError, import_org, parse_org_csv
from services.pulse.results import team_results
from services.pulse.rounds import start_round
from services.pulse.trees import ORG
from tests.conftest import FIXTURES, MONDAY_MORNING, RunningBot
from tests.helpers import count, employee, load_org, load_org_and_policy, load_policy
from tests.rewards_helpers import set_up
from tests.suggestions_helpers import EXTRA_AGENTS, SUGGESTIONS_POLICY, after_the_release, load_suggestion_org

ORG_CSV = (FIXTURES / "org.csv").read_text()
WITHOUT_MAYA = "\n".join(
    line.replace(",U0MGR1,", ",U0ADMIN,") for line in ORG_CSV.splitlines() if not line.startswith("U0MGR1,")
)
SAM_MOVES_WEST = ORG_CSV.replace(
    "U0AGENT1,Sam Agent,Support East,frontline,U0MGR1", "U0AGENT1,Sam Agent,Support West,frontline,U0MGR2"
)
WITHOUT_HANA = "\n".join(line for line in ORG_CSV.splitlines() if not line.startswith("U0HR,"))
WITHOUT_SAM = "\n".join(line for line in ORG_CSV.splitlines() if not line.startswith("U0AGENT1,"))


def reimport(sessions: sessionmaker[Session], now: datetime, csv_text: str) -> ImportReport:
    """What `python -m bot org import FILE --deactivate-missing` does."""
    with sessions.begin() as session:
        workspace = directory.ensure_workspace(session, slack_team_id="T0LATITUDE", now=now)
        report = import_org(
            session, workspace=workspace, rows=parse_org_csv(csv_text), deactivate_missing=True, actor="hr", now=now
        )
        queue_import_messages(session, workspace=workspace, report=report, now=now)
    return report


def decider_of_the_request(bot: RunningBot) -> str:
    with bot.sessions() as session:
        resolution = session.scalars(select(Resolution)).one()
        assert resolution.status == "pending"
        return resolution.decider.slack_id if resolution.decider else ""


@pytest.fixture
def waiting_on_maya(bot: RunningBot) -> RunningBot:
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT1", "/resolve", "refund 80 order 42 parcel lost in transit")
    return bot


def test_a_manager_who_left_cannot_approve_and_the_request_moves_to_the_next_one_up(
    waiting_on_maya: RunningBot,
) -> None:
    bot = waiting_on_maya
    [old_request] = bot.slack.calls("chat.postMessage", channel="U0MGR1")

    report = reimport(bot.sessions, bot.clock.now(), WITHOUT_MAYA)
    on_mayas_screen = bot.driver.click_payload("U0MGR1", old_request, "resolution_approve")
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)
    bot.driver.send_click(on_mayas_screen)  # clicked before the update of her copy reached her

    assert "re-routed" in describe_report(report).splitlines()[0]
    assert "Sam Agent: Maya Manager -> Ada Admin" in describe_report(report)
    [refused] = bot.slack.calls("response_url")
    assert "no longer active" in refused.text
    assert decider_of_the_request(bot) == "U0ADMIN"
    [moved] = bot.slack.calls("chat.update", channel=old_request.response["channel"])
    assert moved.args["ts"] == old_request.response["ts"]
    assert "now waits on *Ada Admin*" in moved.text
    [new_request] = bot.slack.calls("chat.postMessage", channel="U0ADMIN")
    assert "now waits on you" in new_request.text

    bot.driver.click("U0ADMIN", new_request, "resolution_approve")

    with bot.sessions() as session:
        assert session.scalars(select(Resolution.status)).one() == "approved"


def test_a_manager_who_no_longer_manages_the_requester_is_told_where_it_went(waiting_on_maya: RunningBot) -> None:
    bot = waiting_on_maya
    [old_request] = bot.slack.calls("chat.postMessage", channel="U0MGR1")

    reimport(bot.sessions, bot.clock.now(), SAM_MOVES_WEST)
    bot.driver.click("U0MGR1", old_request, "resolution_approve")

    assert decider_of_the_request(bot) == "U0MGR2"
    [refused] = bot.slack.calls("response_url")
    assert "It waits on Omar Manager" in refused.text


def test_the_requester_hears_who_decides_their_fix_once_it_moves(waiting_on_maya: RunningBot) -> None:
    """They were told Maya Manager would decide it; they hear once that Omar Manager does now."""
    bot = waiting_on_maya

    reimport(bot.sessions, bot.clock.now(), SAM_MOVES_WEST)
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)

    told = [
        call.text for call in bot.slack.calls("chat.postMessage", channel="U0AGENT1") if "now waits on" in call.text
    ]
    [moved] = told
    assert "Your *refund* of $80 now waits on Omar Manager to decide" in moved and "outcome here" in moved


def test_a_reward_waiting_on_a_manager_who_left_moves_up(bot: RunningBot) -> None:
    set_up(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT1", "/nominate", "<@U0AGENT2|lee> voucher_25 calmed an angry customer")
    with bot.sessions() as session:
        assert session.scalars(select(Nomination)).one().approver.slack_id == "U0MGR1"

    report = reimport(bot.sessions, bot.clock.now(), WITHOUT_MAYA)
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)

    assert [(h.kind, h.current.slack_id) for h in report.handovers] == [("nomination", "U0ADMIN")]
    with bot.sessions() as session:
        assert session.scalars(select(Nomination)).one().approver.slack_id == "U0ADMIN"
    told = bot.slack.calls("chat.postMessage", channel="U0AGENT1")[-1].text
    assert "Your nomination of Lee Senior" in told and "now waits for approval by Ada Admin" in told, told


def test_someone_who_left_can_no_longer_log_a_fix_nominate_suggest_or_back_a_suggestion(bot: RunningBot) -> None:
    load_suggestion_org(bot.sessions, bot.clock.now())
    assert "Sent your suggestion" in bot.driver.command("U0AGENT2", "/suggest", "a second card reader").text
    [posted] = bot.slack.calls("chat.postMessage", channel="C0EAST")
    reimport(bot.sessions, bot.clock.now(), WITHOUT_SAM + "\n" + EXTRA_AGENTS)
    messages_before = len(bot.slack.calls("chat.postMessage"))

    for command, text in [
        ("/resolve", "refund 20 order 7 late"),
        ("/resolve", ""),
        ("/nominate", "<@U0AGENT2|lee.senior> thanks for the cover"),
        ("/nominate", ""),
        ("/suggest", "a third card reader"),
        ("/suggest", ""),
    ]:
        assert "no longer active" in bot.driver.command("U0AGENT1", command, text).text, command
    bot.driver.click("U0AGENT1", posted, "suggestion_back")

    assert "no longer active" in bot.slack.calls("response_url")[-1].args["text"]
    assert bot.slack.calls("views.open") == []
    assert len(bot.slack.calls("chat.postMessage")) == messages_before
    with bot.sessions() as session:
        assert [count(session, table) for table in (Resolution, Nomination, SuggestionBacker)] == [0, 0, 0]
        assert count(session, Suggestion) == 1


def test_someone_who_left_reads_their_rewards_history_without_an_allowance_they_cannot_use(bot: RunningBot) -> None:
    set_up(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT1", "/nominate", "<@U0AGENT2|lee> shoutout calmed an angry customer")
    reimport(bot.sessions, bot.clock.now(), WITHOUT_SAM)

    history = bot.driver.command("U0AGENT1", "/rewards")
    bot.driver.open_home("U0AGENT1")

    assert "no longer active" in history.text and "Lee Senior" in history.text
    assert "nominations left" not in history.text
    [home] = bot.slack.calls("views.publish")
    assert "no longer active" in home.text
    assert "Nominations left" not in home.text and "with `/nominate`" not in home.text


def test_someone_who_left_is_told_so_by_boundaries_not_invited_to_log_a_fix(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT1", "/resolve", "refund 20 order 7 late")
    reimport(bot.sessions, bot.clock.now(), WITHOUT_SAM)

    boundaries = bot.driver.command("U0AGENT1", "/boundaries")
    bot.driver.open_home("U0AGENT1")

    assert "no longer active" in boundaries.text
    assert "/resolve" not in boundaries.text and "Left:" not in boundaries.text
    [home] = bot.slack.calls("views.publish")
    assert "refund $20" in home.text, "their history stays readable"
    assert "My allowance" not in home.text


def test_hr_who_left_can_no_longer_start_a_round_read_a_digest_or_see_org_results(
    sessions: sessionmaker[Session], session: Session
) -> None:
    now = MONDAY_MORNING
    load_org_and_policy(sessions, now)
    reimport(sessions, now, WITHOUT_HANA)
    hana = employee(session, "U0HR")
    workspace = directory.ensure_workspace(session, slack_team_id="T0LATITUDE", now=now)

    with pytest.raises(NotAllowed, match="no longer active"):
        start_round(session, workspace=workspace, by=hana, actor="U0HR", now=now)
    with pytest.raises(NotAllowed, match="no longer active"):
        preview_for(session, caller=hana, team_name="Support East", now=now)
    with pytest.raises(NotAllowed, match="no longer active"):
        team_results(session, workspace=workspace, viewer=hana, team=ORG, now=now)


def test_an_import_that_would_leave_no_active_admin_is_refused_with_the_line(
    sessions: sessionmaker[Session], session: Session
) -> None:
    now = MONDAY_MORNING
    load_org_and_policy(sessions, now)

    with pytest.raises(OrgFileError) as demoted:
        reimport(
            sessions, now, ORG_CSV.replace("U0ADMIN,Ada Admin,Operations,admin", "U0ADMIN,Ada Admin,Operations,hr")
        )
    with pytest.raises(OrgFileError) as dropped:
        reimport(
            sessions,
            now,
            "\n".join(line for line in ORG_CSV.splitlines() if not line.startswith("U0ADMIN,")).replace(
                ",U0ADMIN,", ",,"
            ),
        )

    why = "which would leave no active admin: keep at least one row with role admin"
    assert demoted.value.problems == [f"line 2: makes Ada Admin (U0ADMIN) hr, {why}"], "each line says what is wrong"
    assert dropped.value.problems == [
        f"Ada Admin (U0ADMIN) is not in the file and --deactivate-missing would deactivate them, {why}"
    ]
    assert session.scalars(select(Employee.role).where(Employee.slack_id == "U0ADMIN")).one() == "admin"
    assert employee(session, "U0ADMIN").active


def test_a_suggestion_with_a_manager_who_left_goes_to_the_next_owner_and_its_author_is_told(bot: RunningBot) -> None:
    load_suggestion_org(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT1", "/suggest", "a second card reader at the returns desk")
    [old_card] = bot.slack.calls("chat.postMessage", channel="U0MGR1")

    report = reimport(
        bot.sessions, bot.clock.now(), WITHOUT_MAYA + "\n" + EXTRA_AGENTS.replace(",U0MGR1,", ",U0ADMIN,")
    )
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)

    assert [line for line in describe_report(report).splitlines() if "suggestion #1" in line] == [
        "  > suggestion #1 by Sam Agent: Maya Manager -> Ada Admin"
    ]
    assert "now goes to Ada Admin" in bot.slack.message(old_card.response["channel"], old_card.response["ts"])["text"]
    [new_card] = bot.slack.calls("chat.postMessage", channel="U0ADMIN")
    bot.driver.click("U0ADMIN", new_card, "suggestion_planned")
    told = [call.text for call in bot.slack.calls("chat.postMessage", channel="U0AGENT1")]
    assert any("now goes to Ada Admin" in text for text in told) and "plans to do" in told[-1]


def test_the_author_of_a_suggestion_handed_over_is_not_told_once_they_have_left_too(bot: RunningBot) -> None:
    """Who left is sent nothing, as a nominator who left is not told where their nomination went."""
    load_suggestion_org(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT1", "/suggest", "a second card reader at the returns desk")
    without_sam = "\n".join(line for line in WITHOUT_MAYA.splitlines() if not line.startswith("U0AGENT1,"))

    reimport(bot.sessions, bot.clock.now(), without_sam + "\n" + EXTRA_AGENTS.replace(",U0MGR1,", ",U0ADMIN,"))
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)

    assert [call.channel for call in bot.slack.calls("chat.postMessage") if "now comes to you" in call.text] == ["U0HR"]
    assert not [call for call in bot.slack.calls("chat.postMessage", channel="U0AGENT1") if "now goes to" in call.text]


def test_backing_a_handed_over_suggestion_leaves_the_old_owners_card_saying_where_it_went(bot: RunningBot) -> None:
    load_suggestion_org(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT1", "/suggest", "a second card reader at the returns desk")
    [old_card] = bot.slack.calls("chat.postMessage", channel="U0MGR1")
    [post] = bot.slack.calls("chat.postMessage", channel="C0EAST")
    reimport(bot.sessions, bot.clock.now(), WITHOUT_MAYA + "\n" + EXTRA_AGENTS.replace(",U0MGR1,", ",U0ADMIN,"))
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)

    bot.driver.click("U0AGENT2", post, "suggestion_back")

    old = bot.slack.message(old_card.response["channel"], old_card.response["ts"])
    assert "now goes to Ada Admin" in old["text"] and "suggestion_planned" not in str(old["blocks"])
    [new_card] = bot.slack.calls("chat.postMessage", channel="U0ADMIN")
    assert "1 colleague" in str(bot.slack.message(new_card.response["channel"], new_card.response["ts"])["blocks"])


def test_an_anonymous_author_made_hr_is_not_passed_by_when_the_owner_leaves(bot: RunningBot) -> None:
    """Hana and Sam each send Maya an anonymous idea; Hana is then made HR, first in line for anonymous ideas
    whose owner left. Ada, who reads the import and would receive one passed by, sees both go the same way,
    so neither names its author. Hana still cannot answer her own; Ada can."""
    hana_under_maya = "U0HR,Hana Reyes,Support East,frontline,U0MGR1"  # in Maya's team, to hide among it
    org = ORG_CSV.replace("U0HR,Hana Reyes,People,hr,U0ADMIN", hana_under_maya) + "\n" + EXTRA_AGENTS
    load_org(bot.sessions, bot.clock.now(), org)
    load_policy(bot.sessions, bot.clock.now(), SUGGESTIONS_POLICY)
    for author, idea in (("U0HR", "Fewer surveys, please"), ("U0AGENT1", "A second card reader")):
        bot.driver.command(author, "/suggest")
        view = bot.slack.calls("views.open")[-1].args["view"]
        assert bot.driver.submit(author, view, {"what": idea, "anonymous": ["yes"]}).json == {}
        after_the_release(bot)
    without_maya = "\n".join(
        line.replace(hana_under_maya, "U0HR,Hana Reyes,People,hr,U0MGR1").replace(",U0MGR1,", ",U0ADMIN,")
        for line in org.splitlines()
        if not line.startswith("U0MGR1,")
    )

    report = reimport(bot.sessions, bot.clock.now(), without_maya)
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)

    lines = [line for line in describe_report(report).splitlines() if line.startswith("  > ")]
    assert [line.replace("#1", "#N").replace("#2", "#N") for line in lines] == [
        "  > suggestion #N by an anonymous author: Maya Manager -> Hana Reyes"
    ] * 2
    assert bot.slack.calls("chat.postMessage", channel="U0ADMIN") == []
    come = [c for c in bot.slack.calls("chat.postMessage", channel="U0HR") if "now comes to you" in c.text]
    [hanas], [sams] = ([c for c in come if idea in str(c.args)] for idea in ("Fewer surveys", "A second card reader"))
    bot.driver.click("U0HR", hanas, "suggestion_planned")
    told = bot.slack.calls("response_url")[-1].text
    hanas_number = hanas.text.split(" ")[1]
    assert (
        f"can't answer your own suggestion, though {hanas_number} now comes to you: any other HR person or admin"
        in told
    )
    bot.driver.click("U0HR", sams, "suggestion_planned")
    listed = Call("ack", bot.driver.command("U0ADMIN", "/suggest", "list").json, 0, response={"ephemeral": True})
    bot.driver.click("U0ADMIN", listed, "suggestion_answer", value=hanas_number.strip("#"))
    bot.driver.click("U0ADMIN", bot.slack.calls("chat.postMessage", channel="U0ADMIN")[-1], "suggestion_planned")
    with bot.sessions() as session:
        assert {s.what: s.status for s in session.scalars(select(Suggestion))} == {
            "Fewer surveys, please": "planned",
            "A second card reader": "planned",
        }


def test_a_newcomer_the_file_does_not_list_yet_keeps_working_until_the_next_import(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.clock.advance(timedelta(hours=1))
    bot.slack.add_user("U0NEWBIE", "Nora Newbie")
    bot.driver.command("U0NEWBIE", "/resolve", "refund 20 order 7 late")
    assert "no longer active" not in bot.slack.calls("response_url")[-1].text, "answered once Slack was asked"
    bot.clock.advance(timedelta(days=7))

    weekly = reimport(bot.sessions, bot.clock.now(), ORG_CSV)
    later = bot.driver.command("U0NEWBIE", "/resolve", "refund 20 order 8 late")
    bot.clock.advance(timedelta(days=7))
    reimport(bot.sessions, bot.clock.now(), ORG_CSV)

    assert weekly.deactivated == [] and "Sent your refund" in later.text, later.text
    assert "no longer active" in bot.driver.command("U0NEWBIE", "/resolve", "refund 20 order 9 late").text


WITHOUT_LEE = "\n".join(line for line in ORG_CSV.splitlines() if not line.startswith("U0AGENT2,"))


def test_a_reward_for_someone_who_left_while_it_waited_cannot_be_approved(bot: RunningBot) -> None:
    set_up(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT1", "/nominate", "<@U0AGENT2|lee> voucher_25 calmed an angry customer")
    [request] = bot.slack.calls("chat.postMessage", channel="U0MGR1")
    reimport(bot.sessions, bot.clock.now(), WITHOUT_LEE)

    bot.driver.click("U0MGR1", request, "reward_approve")

    told = bot.slack.calls("response_url")[-1].text
    assert "Lee Senior is no longer active" in told and "decline" in told, told
    with bot.sessions() as session:
        assert session.scalars(select(Nomination)).one().status == "pending"
        assert count(session, RewardGrant) == 0
