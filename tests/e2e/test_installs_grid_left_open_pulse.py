"""A pulse round still open in a workspace's own directory when the org's org-wide install took the workspace over takes
no more answers: its buttons, which Slack still sends through the workspace's own install, say why and point at the
org's round, the one that counts now. Said only to whom that round asked there: anyone else of the org, with a click
forged with its ids, hears what a missing id gets, not even the round's number."""

from sqlalchemy import Engine, func, select

from bot.fakeslack.browser import install
from bot.fakeslack.driver import SlackDriver
from bot.fakeslack.server import Call
from handlers.blocks import pulse as blocks
from handlers.jobs.drain_outbox import drain_outbox
from models import Employee, PulseComment, PulseReceipt, PulseResponse, Workspace
from services.pulse.taken_over import NOT_YOUR_QUESTION, NOT_YOUR_ROUND
from tests.conftest import RunningBot
from tests.e2e.test_decisions_forged_ids import stored
from tests.e2e.test_installs import load_org_and_policy, oauth_bot  # noqa: F401
from tests.e2e.test_installs_grid_left_open import WITH_NIA
from tests.e2e.test_installs_grid_lifecycle import driver_for
from tests.e2e.test_installs_grid_workspaces import NORTH_ORG, install_in_the_org
from tests.e2e.test_pulse_forged_ids import change_id
from tests.e2e.test_pulse_rounds import answer_ids, questions_dm

BEFORE = "Pulse round 1 was opened before your org's Latitude took this workspace over"


def asked_then_taken_over(
    bot: RunningBot, *, org_file: str = WITH_NIA, answering: bool = False, typing: tuple[str, ...] = ()
) -> tuple[SlackDriver, SlackDriver, Call]:
    """T0NORTH's own install asks Ned the questions of its round 1 (and, `answering`, he answers the first), and each
    of `typing` types `/pulse` there; then the org-wide install is granted T0NORTH, its people read from `org_file`.
    The drivers of T0NORTH's own install and of the org's, and Ned's questions DM as he last saw it."""
    north = install_in_the_org(bot, "T0NORTH", NORTH_ORG)
    assert "Pulse round 1 is open" in north.command("W0HR", "/pulse", "start").text
    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)
    asked = questions_dm(bot, "W0NAGENT")
    if answering:
        north.click("W0NAGENT", asked, answer_ids(asked)[0][2])
        asked = [call for call in bot.slack.messages_to("W0NAGENT") if call.method == "chat.update"][-1]
    for slack_id in typing:
        north.command(slack_id, "/pulse")
    bot.slack.add_user("W0GMGR", "Gus Manager", teams=("T0NORTH",), enterprise_id="E0GROUP")
    bot.slack.installing(enterprise_id="E0GROUP", user_id="W0HR")
    assert install(bot.events_url).status == 200
    load_org_and_policy(bot.sessions, "E0GROUP", org_file, bot.clock.now())
    org = driver_for(bot, "T0NORTH", "E0GROUP", org_wide=True)
    org.org_event({"type": "team_access_granted", "team_ids": ["T0NORTH"]})
    bot.slack.reset()
    return north, org, asked


def asked_in_north(bot: RunningBot) -> dict[str, bool]:
    """Whether T0NORTH's own round asked each of the people of its own directory."""
    with bot.sessions() as session:
        rows = session.execute(
            select(Employee.slack_id, PulseReceipt.id)
            .join(Workspace, Workspace.id == Employee.workspace_id)
            .outerjoin(PulseReceipt, PulseReceipt.employee_id == Employee.id)
            .where(Workspace.slack_team_id == "T0NORTH")
        )
        return {slack_id: receipt is not None for slack_id, receipt in rows}


def told(bot: RunningBot) -> str:
    [answer] = bot.slack.calls("response_url")
    assert answer.args["response_type"] == "ephemeral"
    return str(answer.args["text"])


def test_an_answer_to_the_workspaces_own_round_after_the_takeover_points_at_the_orgs_round(
    oauth_bot: RunningBot,  # noqa: F811
) -> None:
    north, org, asked = asked_then_taken_over(oauth_bot)
    assert "Pulse round 1 is open" in org.command("W0HR", "/pulse", "start").text
    oauth_bot.slack.reset()

    north.click("W0NAGENT", asked, answer_ids(asked)[0][3])

    said = told(oauth_bot)
    assert said.startswith(BEFORE) and "takes no more answers" in said, said
    assert "Your org's pulse round 1 is open and asks you too: type `/pulse`" in said, said
    with oauth_bot.sessions() as session:
        assert session.scalar(select(func.count()).select_from(PulseResponse)) == 0


def test_a_comment_to_the_workspaces_own_round_after_the_takeover_says_it_takes_none_and_no_form_opens(
    oauth_bot: RunningBot,  # noqa: F811
) -> None:
    north, _org, asked = asked_then_taken_over(oauth_bot)

    north.click("W0NAGENT", asked, blocks.COMMENT_ACTION)

    said = told(oauth_bot)
    assert said.startswith(BEFORE), said
    assert "Your org's next pulse round will come to you in a DM" in said, said
    assert oauth_bot.slack.calls("views.open") == []
    with oauth_bot.sessions() as session:
        assert session.scalar(select(func.count()).select_from(PulseComment)) == 0


def test_a_click_forged_with_the_ids_of_the_workspaces_own_round_by_one_it_never_asked_is_told_as_a_missing_id(
    oauth_bot: RunningBot,  # noqa: F811
    engine: Engine,
) -> None:
    """Oli, of the org but never in T0NORTH's own directory, forges *Change*, an answer and the comment button with the
    ids of Ned's questions DM there: each is told what a missing id gets, without the round's number, and nothing is
    written. Ned's own *Change* is still pointed at the org's round."""
    oauth_bot.slack.add_user("W0OLI", "Oli Agent", teams=("T0NORTH",), enterprise_id="E0GROUP")
    with_oli = WITH_NIA + "W0OLI,Oli Agent,Sales,frontline,W0HR,,Europe/London,\n"
    north, _org, answered = asked_then_taken_over(oauth_bot, org_file=with_oli, answering=True)
    before = stored(engine)

    said = []
    for action in (change_id(answered), answer_ids(answered)[1][3], blocks.COMMENT_ACTION):
        oauth_bot.slack.reset()
        north.click("W0OLI", answered, action, forged=True)
        said.append(told(oauth_bot))
        assert oauth_bot.slack.calls("views.open") == [], action
    oauth_bot.slack.reset()
    north.click("W0NAGENT", answered, change_id(answered))

    assert said == [NOT_YOUR_QUESTION, NOT_YOUR_QUESTION, NOT_YOUR_ROUND], said
    assert stored(engine) == before, "a refused click writes nothing"
    assert told(oauth_bot).startswith(BEFORE)


def test_one_there_whom_the_round_had_not_reached_is_told_as_of_a_missing_id(
    oauth_bot: RunningBot,  # noqa: F811
    engine: Engine,
) -> None:
    """Noa, whom T0NORTH's own org file did not list, typed `/pulse` there while its round was open: the round had not
    asked her when the org, whose file lists her, took the workspace over. Her comment forged with its id is told what
    a missing id gets: being in that directory is not being asked."""
    oauth_bot.slack.add_user("W0NOA", "Noa Agent", teams=("T0NORTH",), enterprise_id="E0GROUP")
    with_noa = WITH_NIA + "W0NOA,Noa Agent,Support,frontline,W0HR,,Europe/London,\n"
    north, _org, asked = asked_then_taken_over(oauth_bot, org_file=with_noa, typing=("W0NOA",))
    assert asked_in_north(oauth_bot) == {"W0HR": True, "W0NMGR": True, "W0NAGENT": True, "W0NOA": False}
    before = stored(engine)

    north.click("W0NOA", asked, blocks.COMMENT_ACTION, forged=True)

    assert told(oauth_bot) == NOT_YOUR_ROUND
    assert stored(engine) == before, "a refused click writes nothing"
