"""What was still open in a workspace's own directory when the org's org-wide install took the workspace over stays
with that stopped directory: its buttons say so and what to do, and HR hears what was left so it is logged again."""

import pytest
from sqlalchemy import select

from bot.fakeslack import SlackDriver
from bot.fakeslack.browser import install
from handlers.jobs.drain_outbox import drain_outbox
from models import Employee, Nomination, Resolution, Suggestion, Workspace
from services import directory, request_viewers
from services.errors import NotFound
from services.suggestions import lifecycle
from tests.conftest import RunningBot
from tests.e2e.test_installs import load_org_and_policy, oauth_bot  # noqa: F401
from tests.e2e.test_installs_grid_lifecycle import driver_for
from tests.e2e.test_installs_grid_takeover import GROUP_ORG
from tests.e2e.test_installs_grid_workspaces import NORTH_ORG, install_in_the_org

WITH_NIA = GROUP_ORG + "W0NMGR,Nia Manager,Support,manager,W0HR,,Europe/London,\n"
"""The org's file names Nia too, who managed Ned in T0NORTH's own directory."""


def left_open_when_taken_over(
    bot: RunningBot,
    *,
    ideas: tuple[str, ...] = (),
    leaving: tuple[str, ...] = (),
    org_file: str = WITH_NIA,
    north_org: str = NORTH_ORG,
) -> SlackDriver:
    """In T0NORTH's own install Ned logs a refund over his limit and Gia nominates him for a voucher, both waiting on
    Nia, Ned sends each of `ideas` with `/suggest`, and a pulse round opens; Slack deactivates those `leaving`; then
    the org-wide install is granted T0NORTH, its people read from `org_file`. The driver of T0NORTH's own install."""
    north = install_in_the_org(bot, "T0NORTH", north_org)
    north.command("W0NAGENT", "/resolve", "refund 80 order 42 parcel lost in transit")
    for idea in ideas:
        assert "#" in north.command("W0NAGENT", "/suggest", idea).text
    north.command("W0HR", "/nominate", "<@W0NAGENT|ned> voucher_25 calmed an angry customer")
    assert "Pulse round 1 is open" in north.command("W0HR", "/pulse", "start").text
    for slack_id in leaving:
        north.user_change(slack_id, deleted=True)
    bot.slack.add_user("W0GMGR", "Gus Manager", teams=("T0NORTH",), enterprise_id="E0GROUP")
    bot.slack.installing(enterprise_id="E0GROUP", user_id="W0HR")
    assert install(bot.events_url).status == 200
    load_org_and_policy(bot.sessions, "E0GROUP", org_file, bot.clock.now())
    org = driver_for(bot, "T0NORTH", "E0GROUP", org_wide=True)
    org.org_event({"type": "team_access_granted", "team_ids": ["T0NORTH"]})
    return north


def test_an_approve_button_of_a_request_made_before_the_takeover_says_to_log_it_again(
    oauth_bot: RunningBot,  # noqa: F811
) -> None:
    north = left_open_when_taken_over(oauth_bot)
    to_nia = oauth_bot.slack.calls("chat.postMessage", channel="W0NMGR")
    [request] = [call for call in to_nia if "resolution_approve" in str(call.args)]
    [nomination] = [call for call in to_nia if "reward_approve" in str(call.args)]

    north.click("W0NMGR", request, "resolution_approve")  # Slack sends it through T0NORTH's own install
    north.click("W0NMGR", nomination, "reward_approve")

    [on_request, on_nomination] = [call.text for call in oauth_bot.slack.calls("response_url")]
    assert "before your org's Latitude took this workspace over" in on_request, on_request
    assert "Ask <@W0NAGENT> to log it again" in on_request, on_request
    assert "Ask <@W0HR> to nominate <@W0NAGENT> again" in on_nomination, on_nomination
    with oauth_bot.sessions() as session:
        assert session.scalars(select(Resolution.status)).all() == ["pending"]
        assert session.scalars(select(Nomination.status)).all() == ["pending"]


def test_a_forged_click_on_what_was_left_open_names_nobody_to_one_who_never_saw_it(
    oauth_bot: RunningBot,  # noqa: F811
) -> None:
    """Oli, an agent of the org who was never in T0NORTH's own directory, forging Approve with the ids of the request
    and the nomination left there hears what ids that never were get: not who asked nor for whom, nor that they were."""
    oauth_bot.slack.add_user("W0OLI", "Oli Agent", teams=("T0NORTH",), enterprise_id="E0GROUP")
    with_oli = WITH_NIA + "W0OLI,Oli Agent,Sales,frontline,W0HR,,Europe/London,\n"
    north = left_open_when_taken_over(oauth_bot, org_file=with_oli)
    to_nia = oauth_bot.slack.calls("chat.postMessage", channel="W0NMGR")
    [request] = [call for call in to_nia if "resolution_approve" in str(call.args)]
    [nomination] = [call for call in to_nia if "reward_approve" in str(call.args)]

    north.click("W0OLI", request, "resolution_approve", forged=True)  # Nia's buttons, carrying their ids
    north.click("W0OLI", nomination, "reward_approve", forged=True)

    [on_request, on_nomination] = [call.text for call in oauth_bot.slack.calls("response_url")]
    assert on_request == f":warning: {request_viewers.NOT_YOUR_REQUEST}", on_request
    assert on_nomination == f":warning: {request_viewers.NOT_YOUR_NOMINATION}", on_nomination
    assert not any(name in text for text in (on_request, on_nomination) for name in ("W0NAGENT", "W0HR", "Ned", "Gia"))
    with oauth_bot.sessions() as session:
        assert session.scalars(select(Resolution.status)).all() == ["pending"]
        assert session.scalars(select(Nomination.status)).all() == ["pending"]


def test_a_colleague_there_who_never_saw_what_was_left_open_hears_no_names_either(
    oauth_bot: RunningBot,  # noqa: F811
) -> None:
    """Noa worked beside Ned in T0NORTH's own directory, but the request and the nomination never reached her: being
    in that directory is not having seen them."""
    with_noa = "W0NOA,Noa Agent,Support,frontline,W0NMGR,,Europe/London,\n"
    north = left_open_when_taken_over(oauth_bot, north_org=NORTH_ORG + with_noa, org_file=WITH_NIA + with_noa)
    to_nia = oauth_bot.slack.calls("chat.postMessage", channel="W0NMGR")
    [request] = [call for call in to_nia if "resolution_approve" in str(call.args)]
    [nomination] = [call for call in to_nia if "reward_approve" in str(call.args)]

    north.click("W0NOA", request, "resolution_approve", forged=True)
    north.click("W0NOA", nomination, "reward_approve", forged=True)

    [on_request, on_nomination] = [call.text for call in oauth_bot.slack.calls("response_url")]
    assert on_request == f":warning: {request_viewers.NOT_YOUR_REQUEST}", on_request
    assert on_nomination == f":warning: {request_viewers.NOT_YOUR_NOMINATION}", on_nomination
    assert not any(name in text for text in (on_request, on_nomination) for name in ("W0NAGENT", "W0HR", "Ned", "Gia"))


def test_hr_of_the_org_hears_what_was_left_open_in_a_workspace_taken_over(
    oauth_bot: RunningBot,  # noqa: F811
) -> None:
    left_open_when_taken_over(oauth_bot)
    drain_outbox(oauth_bot.runtime.deps, oauth_bot.runtime.sender_client)

    notices = [str(call.args) for call in oauth_bot.slack.messages_to("W0HR") if "T0NORTH" in str(call.args)]
    assert len(notices) == 1, [call.text for call in oauth_bot.slack.messages_to("W0HR")]
    assert "1 request waiting for a decision" in notices[0] and "1 nomination waiting for approval" in notices[0]
    assert "an open pulse round" in notices[0] and "`/resolve`" in notices[0], notices[0]


def test_hrs_notice_counts_the_suggestions_left_open_without_naming_who_sent_them(
    oauth_bot: RunningBot,  # noqa: F811
) -> None:
    left_open_when_taken_over(oauth_bot, ideas=("a second card reader", "longer breaks on Saturdays"))
    drain_outbox(oauth_bot.runtime.deps, oauth_bot.runtime.sender_client)

    [notice] = [str(call.args) for call in oauth_bot.slack.messages_to("W0HR") if "T0NORTH" in str(call.args)]
    assert "2 open suggestions" in notice and "`/suggest`" in notice, notice
    assert "W0NAGENT" not in notice.replace("/resolve", ""), "who sent a suggestion stays unsaid"


def test_the_requester_of_a_request_left_waiting_is_told_to_log_it_again(
    oauth_bot: RunningBot,  # noqa: F811
) -> None:
    left_open_when_taken_over(oauth_bot)
    drain_outbox(oauth_bot.runtime.deps, oauth_bot.runtime.sender_client)

    told = [call.text for call in oauth_bot.slack.messages_to("W0NAGENT")]
    [notice] = [text for text in told if "log it again" in text]
    assert "order 42" in notice and "nobody can decide it any more" in notice, notice


def test_a_requester_who_left_before_the_takeover_is_not_told_to_log_it_again(
    oauth_bot: RunningBot,  # noqa: F811
) -> None:
    left_open_when_taken_over(oauth_bot, leaving=("W0NAGENT",))
    drain_outbox(oauth_bot.runtime.deps, oauth_bot.runtime.sender_client)

    told = [str(call.args) for call in oauth_bot.slack.calls("chat.postMessage") if "log it again" in str(call.args)]
    assert told == [], told
    [notice] = [str(call.args) for call in oauth_bot.slack.messages_to("W0HR") if "T0NORTH" in str(call.args)]
    assert "1 request waiting for a decision" in notice, "HR still hears of it"
    assert "Those who logged the requests and have not left are each told" in notice, notice


def test_a_suggestion_left_in_a_workspace_taken_over_is_said_to_be_so_without_naming_its_author(
    oauth_bot: RunningBot,  # noqa: F811
) -> None:
    left_open_when_taken_over(oauth_bot)
    now = oauth_bot.clock.now()
    with oauth_bot.sessions.begin() as session:
        north = directory.find_workspace(session, "T0NORTH")
        org = directory.find_workspace(session, "E0GROUP")
        assert north is not None and org is not None
        ned = session.scalars(select(Employee).where(Employee.workspace_id == north.id)).first()
        assert ned is not None
        idea = Suggestion(
            workspace_id=north.id,
            number=1000,
            anonymous=True,
            author_token="0" * 64,
            owner_id=ned.id,
            what="a card reader",
        )
        idea.created_at = idea.updated_at = now
        session.add(idea)
        session.flush()
        org_id = org.id

    with oauth_bot.sessions() as session, pytest.raises(NotFound) as told:
        lifecycle.find(session, session.get_one(Workspace, org_id), 1000)  # #1000 as its card in T0NORTH shows it

    assert "before your org's Latitude took this workspace over" in str(told.value)
    assert "<@" not in str(told.value), "an anonymous idea's author must stay unnamed"
