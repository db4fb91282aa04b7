"""A closed round is read through its reporting tree at close: a lead moved since takes no answers along.

Bo manages Sub A (Ann's five), Sub B (Ben's five) and Lee. After round 1 closes, Ben moves under Lee (now a team
lead), alone (his agents stay in Bo's team, directly under Bo) or with his team. Lee never led any of them.
"""

import pytest
from sqlalchemy import select

from handlers.blocks import pulse_results as result_blocks
from handlers.blocks.digest import as_text
from models import PulseComment, PulseReply
from tests.conftest import RunningBot
from tests.e2e.test_digest_command import digest_command
from tests.e2e.test_people_leaving import reimport
from tests.e2e.test_people_leaving_pulse import without
from tests.e2e.test_pulse_anonymity import SUB_B, bo_round, comment, org_csv
from tests.e2e.test_pulse_relay import COMMENT, after_the_relay_delay, commented_round, reply_from_results, sealed_for
from tests.e2e.test_pulse_results import close
from tests.helpers import add_org_people, count, load_org, shown
from tests.pulse_org import org_csv as pulse_org_csv

SUB_B_COMMENT = "Our queue tool keeps crashing"
BEN_UNDER_LEE = (
    org_csv()
    .replace("U0BEN,Ben Lead,Sub B,manager,U0BO,", "U0BEN,Ben Lead,Sub B,manager,U0LEE,")
    .replace(",Sub B,frontline,U0BEN,", ",Sub B,frontline,U0BO,")
)

SUB_B_UNDER_LEE = org_csv().replace("U0BEN,Ben Lead,Sub B,manager,U0BO,", "U0BEN,Ben Lead,Sub B,manager,U0LEE,")


def round_then_ben_moves(bot: RunningBot, moved: str = BEN_UNDER_LEE) -> None:
    bo_round(bot)  # Sub B (all answering 5) is shown and sealed as its own cell, filed under Ben
    comment(bot, SUB_B[0], SUB_B_COMMENT)
    close(bot)
    load_org(bot.sessions, bot.clock.now(), moved)
    add_org_people(bot.slack, moved)
    bot.slack.reset()


def test_a_lead_moved_under_a_new_manager_does_not_show_them_the_old_teams_answers(bot: RunningBot) -> None:
    round_then_ben_moves(bot)

    lee = bot.driver.command("U0LEE", "/pulse", "results").text

    assert "5.0" not in lee and "5 of" not in lee and SUB_B_COMMENT not in lee, lee
    assert bot.slack.files() == [], "no trend chart of Sub B's scores goes to Lee"


def test_a_team_moved_whole_under_a_new_manager_is_not_theirs_in_rounds_closed_before(bot: RunningBot) -> None:
    round_then_ben_moves(bot, SUB_B_UNDER_LEE)

    lee = bot.driver.command("U0LEE", "/pulse", "results").text
    lee_on_ben = bot.driver.command("U0LEE", "/pulse", "results <@U0BEN>").text
    ben = bot.driver.command("U0BEN", "/pulse", "results").text

    assert "Ben Lead's team" in lee_on_ben, lee_on_ben
    for seen in (lee, lee_on_ben):
        assert "5.0" not in seen and "5 of" not in seen and SUB_B_COMMENT not in seen, seen
    assert "5.0" in ben and SUB_B_COMMENT in ben, "Ben led Sub B when the round closed"
    assert [upload.args["channel_id"] for upload in bot.slack.files()] == ["D0BEN"]


def test_the_manager_of_the_team_at_close_still_sees_it(bot: RunningBot) -> None:
    round_then_ben_moves(bot)

    bo = bot.driver.command("U0BO", "/pulse", "results").text

    assert "5.0" in bo and SUB_B_COMMENT in bo, bo


def test_a_new_manager_s_digest_carries_no_pulse_of_a_team_they_did_not_lead(bot: RunningBot) -> None:
    round_then_ben_moves(bot)

    lee = as_text(digest_command(bot, "U0LEE").args["blocks"])
    bot.slack.reset()
    bo = as_text(digest_command(bot, "U0BO").args["blocks"])

    assert "*Team pulse, round 1:* not shown: you had no team of your own when it closed" in lee
    assert "5.0" not in lee, lee
    assert "*Team pulse, round 1:*" in bo


def test_a_manager_moved_above_another_team_cannot_reply_to_its_comments(bot: RunningBot) -> None:
    commented_round(bot)  # East Agent 01's comment, in Maya's team; Maya and Omar were peers under Ada
    maya_under_omar = pulse_org_csv().replace(
        "U0MGR1,Maya Manager,Support East,manager,U0ADMIN,", "U0MGR1,Maya Manager,Support East,manager,U0MGR2,"
    )
    load_org(bot.sessions, bot.clock.now(), maya_under_omar)
    add_org_people(bot.slack, maya_under_omar)

    omar = bot.driver.command("U0MGR2", "/pulse", "results").text
    with bot.sessions() as session:
        [comment_row] = session.scalars(select(PulseComment))
    modal = result_blocks.message_modal(result_blocks.REPLY_CALLBACK, comment_row.id, "Reply to a comment", "intro")
    refused = bot.driver.submit("U0MGR2", sealed_for(bot, modal, "U0MGR2"), {"message": "Hello?"}, forged=True)

    assert COMMENT not in omar and "4.0" not in omar, omar
    assert "only to comments shown in your team's results" in refused.json["errors"][result_blocks.MESSAGE_BLOCK]
    assert bot.slack.calls("chat.postMessage") == []
    reply_from_results(bot, "U0MGR1", "Which shifts?")  # Maya led the team when the round closed
    assert [call.channel for call in bot.slack.calls("chat.postMessage")] == ["U0A01"]


def maya_made_frontline_under_omar(*leavers: str) -> str:
    """Maya's East agents (but those who left) move under Omar, and Maya becomes one of his agents."""
    return "\n".join(
        line.replace(",Support East,frontline,U0MGR1,", ",Support East,frontline,U0MGR2,").replace(
            "U0MGR1,Maya Manager,Support East,manager,U0ADMIN,", "U0MGR1,Maya Manager,Support East,frontline,U0MGR2,"
        )
        for line in without(*leavers).splitlines()
    )


LEAVERS = {"nobody left": (), "an East agent leaves then": ("U0A08",), "an East agent left before": ("U0A08",)}


@pytest.mark.parametrize("case", LEAVERS)
def test_a_manager_made_frontline_no_longer_reads_the_old_teams_results(bot: RunningBot, case: str) -> None:
    """Someone who left stays filed under their last manager: that must not keep Maya a manager today."""
    commented_round(bot)
    if case == "an East agent left before":
        reimport(bot.sessions, bot.clock.now(), without(*LEAVERS[case]))

    reimport(bot.sessions, bot.clock.now(), maya_made_frontline_under_omar(*LEAVERS[case]))
    maya = bot.driver.command("U0MGR1", "/pulse", "results").text

    assert "Nobody reports to you" in maya and COMMENT not in maya, maya


def maya_s_agents_moved_under_omar() -> str:
    """Maya stays a manager, but every East agent now reports to Omar: nobody reports to her."""
    return without().replace(",Support East,frontline,U0MGR1,", ",Support East,frontline,U0MGR2,")


NOBODY_UNDER_MAYA = {"made frontline": maya_made_frontline_under_omar, "her team moved": maya_s_agents_moved_under_omar}


@pytest.mark.parametrize("case", NOBODY_UNDER_MAYA)
def test_a_manager_nobody_reports_to_now_cannot_reply_from_an_old_results_message(bot: RunningBot, case: str) -> None:
    commented_round(bot)
    results = bot.driver.command("U0MGR1", "/pulse", "results")
    reimport(bot.sessions, bot.clock.now(), NOBODY_UNDER_MAYA[case]())
    bot.slack.reset()

    bot.driver.click("U0MGR1", shown(results), result_blocks.REPLY_ACTION)

    assert bot.slack.calls("views.open") == [], "no reply form"
    assert bot.slack.calls("response_url")[-1].args["text"].startswith("Nobody reports to you now")
    with bot.sessions() as session:
        assert count(session, PulseReply) == 0


def test_a_reply_form_sent_after_the_manager_leads_nobody_reaches_nobody(bot: RunningBot) -> None:
    commented_round(bot)
    results = bot.driver.command("U0MGR1", "/pulse", "results")
    bot.driver.click("U0MGR1", shown(results), result_blocks.REPLY_ACTION)
    [form] = bot.slack.calls("views.open")
    reimport(bot.sessions, bot.clock.now(), maya_made_frontline_under_omar())

    sent = bot.driver.submit("U0MGR1", form.args["view"], {"message": "Who is this? Come see me."})
    after_the_relay_delay(bot)

    assert "Nobody reports to you now" in sent.json["errors"][result_blocks.MESSAGE_BLOCK]
    assert bot.slack.calls("chat.postMessage") == []
    with bot.sessions() as session:
        assert count(session, PulseReply) == 0


def test_a_manager_nobody_reports_to_now_cannot_reply_again_from_the_relayed_answer(bot: RunningBot) -> None:
    commented_round(bot)
    reply_from_results(bot, "U0MGR1", "Which shifts?")
    [to_author] = bot.slack.calls("chat.postMessage")
    bot.driver.click("U0A01", to_author, result_blocks.ANSWER_REPLY_ACTION)
    bot.driver.submit("U0A01", bot.slack.calls("views.open")[-1].args["view"], {"message": "Saturday mornings"})
    after_the_relay_delay(bot)
    to_manager = bot.slack.calls("chat.postMessage")[-1]
    reimport(bot.sessions, bot.clock.now(), maya_s_agents_moved_under_omar())
    bot.slack.reset()

    bot.driver.click("U0MGR1", to_manager, result_blocks.REPLY_ACTION)

    assert bot.slack.calls("views.open") == []
    assert bot.slack.calls("response_url")[-1].args["text"].startswith("Nobody reports to you now")
    with bot.sessions() as session:
        assert count(session, PulseReply) == 1, "only the reply she sent while she led the team"


def test_a_lead_who_had_no_team_at_close_is_told_so_not_that_answers_were_too_few(bot: RunningBot) -> None:
    round_then_ben_moves(bot)

    lee = bot.driver.command("U0LEE", "/pulse", "results").text
    on_lee = bot.driver.command("U0BO", "/pulse", "results <@U0LEE>").text

    assert "Not shown: you had no team of your own when round 1 closed" in lee, lee
    assert "Not shown: they had no team of their own when round 1 closed" in on_lee, on_lee
    for seen in (lee, on_lee):
        assert "anonymous" not in seen and "5.0" not in seen, seen


def test_a_team_that_was_not_the_viewers_at_close_is_said_to_be_so(bot: RunningBot) -> None:
    round_then_ben_moves(bot, SUB_B_UNDER_LEE)

    lee_on_ben = bot.driver.command("U0LEE", "/pulse", "results <@U0BEN>").text

    assert "Not shown: this team was neither yours nor inside yours when round 1 closed" in lee_on_ben, lee_on_ben
    assert "anonymous" not in lee_on_ben
