"""Pulse results end to end: the anonymity threshold, who may see which team, targets, change, comments."""

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from models import PulseComment
from services import directory
from services.policy.versions import load_policy
from tests.conftest import RunningBot
from tests.e2e.test_pulse_rounds import answer, questions_dm, start, tick
from tests.pulse_org import EAST, POLICY, PULSE, WEST, load_pulse_org


def close(bot: RunningBot) -> None:
    bot.clock.advance(timedelta(hours=73))
    tick(bot)


def answer_all(bot: RunningBot, users: list[str], value: int, questions: int = 3) -> None:
    for user in users:
        for question in range(questions):
            answer(bot, user, question, value)


def test_results_are_shown_at_five_answers_and_hidden_at_four(bot: RunningBot) -> None:
    start(bot)
    answer_all(bot, EAST[:5], 4)
    answer_all(bot, [*WEST[:4], "U0HR"], 2)
    close(bot)

    east = bot.driver.command("U0MGR1", "/pulse", "results")
    west = bot.driver.command("U0MGR2", "/pulse", "results")

    assert "Maya Manager's team (Support East)" in east.text
    assert "Average *4.0* of 5" in east.text
    assert "Response rate: 5 of 8 (63%)" in east.text, "62.5% reads 63%, as HR's spreadsheet rounds it"
    assert "`1: 0  2: 0  3: 0  4: 5  5: 0`" in east.text
    assert "Omar Manager's team (Support West)" in west.text
    assert "Not shown, so that answers stay anonymous" in west.text
    assert "Average" not in west.text and "Response rate" not in west.text and " 4 " not in west.text


def test_results_wait_for_the_round_to_close(bot: RunningBot) -> None:
    start(bot)
    answer_all(bot, EAST[:5], 4)

    reply = bot.driver.command("U0MGR1", "/pulse", "results")

    assert "No pulse round has closed yet" in reply.text


def test_a_manager_asking_for_another_team_is_refused(bot: RunningBot) -> None:
    start(bot)
    answer_all(bot, WEST[:5], 3)
    close(bot)

    other = bot.driver.command("U0MGR1", "/pulse", "results <@U0MGR2|omar>")
    org = bot.driver.command("U0MGR1", "/pulse", "results org")
    frontline = bot.driver.command("U0A01", "/pulse", "results")

    assert "not for other teams" in other.text
    assert "Only HR and admins see the whole organisation" in org.text
    assert "Nobody reports to you" in frontline.text
    assert "Average" not in other.text + org.text + frontline.text


def test_hr_sees_any_team_but_a_sub_team_is_hidden_when_the_team_around_it_would_single_out_the_rest(
    bot: RunningBot,
) -> None:
    start(bot)
    answer_all(bot, EAST[:5], 4)
    answer_all(bot, WEST[:4], 2)
    close(bot)

    east = bot.driver.command("U0HR", "/pulse", "results <@U0MGR1>")
    org = bot.driver.command("U0HR", "/pulse", "results")
    ada = bot.driver.command("U0ADMIN", "/pulse", "results <@U0ADMIN>")

    assert "Not shown, so that answers stay anonymous" in east.text and "Average" not in east.text
    for shown in (org, ada):
        assert "Response rate: 9 of" in shown.text
    assert "Maya Manager's team (Support East): not shown, so that answers stay anonymous" in org.text
    assert "Omar Manager's team (Support West): not shown, so that answers stay anonymous" in org.text


def test_the_org_is_shown_when_no_visible_team_would_leave_a_small_remainder(bot: RunningBot) -> None:
    start(bot)
    answer_all(bot, EAST[:5], 4)
    answer_all(bot, WEST[:5], 2)
    close(bot)

    org = bot.driver.command("U0ADMIN", "/pulse", "results org")

    assert "the whole organisation" in org.text
    assert "Average *3.0* of 5" in org.text
    assert "Response rate: 10 of 20 (50%)" in org.text


def test_results_show_targets_gaps_enps_and_the_change_since_the_last_round(bot: RunningBot) -> None:
    load_pulse_org(
        bot.sessions, bot.clock.now(), pulse=PULSE.replace("questions_per_round = 3", "questions_per_round = 6")
    )
    bot.driver.command("U0HR", "/pulse", "start")
    answer_all(bot, EAST[:5], 3, questions=5)
    for user, score in zip(EAST[:5], (10, 9, 8, 5, 2), strict=True):
        answer(bot, user, 5, score)
    close(bot)
    bot.slack.reset()
    bot.driver.command("U0HR", "/pulse", "start")
    answer_all(bot, EAST[:5], 4, questions=5)
    close(bot)

    reply = bot.driver.command("U0MGR1", "/pulse", "results")

    assert "Pulse results — round 2" in reply.text
    assert "Average *4.0* of 5 · 5 answers · target 4.5, gap -0.5 · ▲ +1.0 since last time" in reply.text
    assert "eNPS" not in reply.text, "nobody answered the eNPS question in round 2"
    assert "1 question had fewer than 5 answers and is not shown" in reply.text


def test_a_question_the_policy_moved_to_another_scale_shows_no_change_from_its_old_scale(bot: RunningBot) -> None:
    """Asked 1–5 in round 1 and 0–10 in round 2: an eNPS of +100 less an average of 4 is no change of +96."""
    asked_as = PULSE.replace("questions_per_round = 3", "questions_per_round = 1\nreplace_default_questions = true")
    question = '[[pulse.questions]]\nkey = "recommend"\ntext = "Would you recommend us?"\nscale = "{}"\n'
    load_pulse_org(bot.sessions, bot.clock.now(), pulse=asked_as + question.format("agreement"))
    bot.driver.command("U0HR", "/pulse", "start")
    answer_all(bot, EAST[:5], 4, questions=1)
    close(bot)
    bot.slack.reset()
    with bot.sessions.begin() as session:
        workspace = directory.ensure_workspace(session, slack_team_id="T0LATITUDE", now=bot.clock.now())
        policy = POLICY + asked_as + question.format("nps")
        load_policy(session, workspace=workspace, text=policy, loaded_by="test", now=bot.clock.now())
    bot.driver.command("U0HR", "/pulse", "start")
    answer_all(bot, EAST[:5], 9, questions=1)
    close(bot)

    reply = bot.driver.command("U0MGR1", "/pulse", "results")

    assert "Pulse results — round 2" in reply.text
    assert "eNPS *+100*" in reply.text, reply.text
    assert "since last time" not in reply.text, reply.text
    [asked] = bot.slack.calls("files.getUploadURLExternal")
    said = str(asked.args["alt_txt"])
    assert "recommend: round 1 4.0; recommend (eNPS): round 2 100.0." in said, "round 1 was no eNPS of +4"


def test_the_change_since_last_time_is_the_difference_of_the_scores_as_shown(bot: RunningBot) -> None:
    """23/6 reads 3.8 and 27/7 reads 3.9: the change is +0.1 as read, not +0.0 from the unseen 3.833 and 3.857."""
    one_question = PULSE.replace("questions_per_round = 3", "questions_per_round = 1\nreplace_default_questions = true")
    question = '[[pulse.questions]]\nkey = "staffing"\ntext = "We have enough people on shift."\nscale = "agreement"\n'
    load_pulse_org(bot.sessions, bot.clock.now(), pulse=one_question + question)
    for answers in ((4, 4, 4, 4, 4, 3), (4, 4, 4, 4, 4, 4, 3)):
        bot.slack.reset()
        bot.driver.command("U0HR", "/pulse", "start")
        for user, value in zip(EAST, answers, strict=False):
            answer(bot, user, 0, value)
        close(bot)

    reply = bot.driver.command("U0MGR1", "/pulse", "results")

    assert "Average *3.9* of 5 · 7 answers · ▲ +0.1 since last time" in reply.text, reply.text


def test_an_average_on_a_half_reads_as_people_round_it(bot: RunningBot) -> None:
    """26 of 8 answers is 3.25, which HR working it out from the distribution rounds to 3.3 (Python's round: 3.2)."""
    one_question = PULSE.replace("questions_per_round = 3", "questions_per_round = 1\nreplace_default_questions = true")
    question = '[[pulse.questions]]\nkey = "staffing"\ntext = "We have enough people on shift."\nscale = "agreement"\n'
    load_pulse_org(bot.sessions, bot.clock.now(), pulse=one_question + question + "target = 3.3\n")
    bot.driver.command("U0HR", "/pulse", "start")
    for user, value in zip(EAST, (4, 4, 4, 3, 3, 3, 3, 2), strict=True):
        answer(bot, user, 0, value)
    close(bot)

    reply = bot.driver.command("U0MGR1", "/pulse", "results")

    assert "Average *3.3* of 5 · 8 answers · target 3.3, gap +0.0" in reply.text, reply.text


def test_enps_is_promoters_minus_detractors(bot: RunningBot) -> None:
    load_pulse_org(
        bot.sessions, bot.clock.now(), pulse=PULSE.replace("questions_per_round = 3", "questions_per_round = 6")
    )
    bot.driver.command("U0HR", "/pulse", "start")
    for user, score in zip(EAST[:5], (10, 9, 8, 5, 2), strict=True):
        answer(bot, user, 5, score)
    close(bot)

    reply = bot.driver.command("U0MGR1", "/pulse", "results")

    assert "eNPS *+0* (average 6.8 of 10) · 5 answers · target 30, gap -30.0" in reply.text


def test_an_enps_on_a_half_rounds_away_from_zero_as_the_distribution_shown_works_out_by_hand(bot: RunningBot) -> None:
    """3 promoters and 2 detractors of 8: 12.5, which HR working it out from the distribution rounds to 13."""
    load_pulse_org(
        bot.sessions, bot.clock.now(), pulse=PULSE.replace("questions_per_round = 3", "questions_per_round = 6")
    )
    bot.driver.command("U0HR", "/pulse", "start")
    for user, score in zip(EAST, (10, 10, 9, 8, 8, 7, 6, 2), strict=True):
        answer(bot, user, 5, score)
    close(bot)

    reply = bot.driver.command("U0MGR1", "/pulse", "results")

    assert "eNPS *+13* (average 7.5 of 10) · 8 answers · target 30, gap -17.0" in reply.text, reply.text


def test_an_anonymous_comment_is_stored_without_the_person_and_shown_escaped_with_the_results(bot: RunningBot) -> None:
    start(bot)
    answer_all(bot, EAST[:5], 4)
    bot.driver.click("U0A01", questions_dm(bot, "U0A01"), "pulse_comment")
    [opened] = bot.slack.calls("views.open")

    bot.driver.submit("U0A01", opened.args["view"], {"comment": "We need <!channel> more staff & tools"})

    update = [c for c in bot.slack.messages_to("U0A01") if c.method == "chat.update"][-1]
    assert "Edit your anonymous comment" in update.text
    with bot.sessions() as session:
        [comment] = session.scalars(select(PulseComment))
        assert comment.text == "We need <!channel> more staff & tools"
    close(bot)
    reply = bot.driver.command("U0MGR1", "/pulse", "results")
    assert "&gt; We need &lt;!channel&gt; more staff &amp; tools" not in reply.text
    assert "> We need &lt;!channel&gt; more staff &amp; tools" in reply.text


def test_an_empty_comment_gets_a_field_error_and_stores_nothing(bot: RunningBot) -> None:
    start(bot)
    bot.driver.click("U0A01", questions_dm(bot, "U0A01"), "pulse_comment")
    [opened] = bot.slack.calls("views.open")

    reply = bot.driver.submit("U0A01", opened.args["view"], {"comment": "   "})

    assert reply.json["response_action"] == "errors"
    assert "The comment is empty" in reply.json["errors"]["pulse_comment_text"]
    with bot.sessions() as session:
        assert session.scalars(select(PulseComment)).all() == []


def test_the_comment_button_of_a_closed_round_says_it_closed_and_opens_no_form(bot: RunningBot) -> None:
    start(bot)
    invitation = questions_dm(bot, "U0A01")
    close(bot)

    bot.driver.click("U0A01", invitation, "pulse_comment")

    assert bot.slack.calls("views.open") == []
    [told] = bot.slack.calls("response_url")
    assert "Pulse round 1 has closed" in told.args["text"]
    assert told.args["response_type"] == "ephemeral"


def test_results_come_with_a_trend_chart_in_the_managers_dm_but_hidden_results_do_not(bot: RunningBot) -> None:
    start(bot)
    answer_all(bot, EAST[:5], 4)
    answer_all(bot, [*WEST[:4], "U0HR"], 2)
    close(bot)

    bot.driver.command("U0MGR1", "/pulse", "results")
    bot.driver.command("U0MGR2", "/pulse", "results")

    [upload] = bot.slack.files()
    assert upload.args["channel_id"] == "D0MGR1"
    [png] = upload.files.values()
    assert png.startswith(b"\x89PNG") and len(png) > 2000


@pytest.mark.parametrize(
    "failure", [{"status": 503, "times": 3}, {"error": "ratelimited", "status": 429, "retry_after": 30}]
)
def test_a_trend_chart_slack_would_not_take_is_told_to_the_manager_not_left_out_in_silence(
    bot: RunningBot, failure: dict[str, Any]
) -> None:
    start(bot)
    answer_all(bot, EAST[:5], 4)
    close(bot)
    bot.slack.reset()
    bot.slack.fail("files.getUploadURLExternal", **failure)

    reply = bot.driver.command("U0MGR1", "/pulse", "results")

    assert "Pulse results" in reply.text
    assert bot.slack.files() == []
    [told] = bot.slack.calls("response_url")
    assert told.args["text"].startswith(
        "Your results were shown where you typed the command, but the trend chart may not have reached our DM."
    ), told
    assert "reference" in told.args["text"]


def test_results_for_something_that_is_not_a_person_explain_the_usage_escaped(bot: RunningBot) -> None:
    reply = bot.driver.command("U0MGR1", "/pulse", "results <b>east</b>")

    assert "`&lt;b&gt;east&lt;/b&gt;` is not a person" in reply.text
    assert "/pulse results @manager" in reply.text


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("results Support East", "`Support East` is not a person: mention the team's manager"),
        ("results team:Support East", "`team:Support East` is not a person: mention the team's manager"),
        ("results <#C0SUPPORT|support-east>", "the channel #support-east is not a person"),
        ("results <@U0MGR1|maya> <@U0MGR2|omar>", "Name one manager and nothing else after `results`"),
        ("results <@U0MGR1|maya> and omar", "Name one manager and nothing else after `results`"),
    ],
)
def test_results_for_a_team_by_name_a_channel_or_several_people_say_what_to_type(
    bot: RunningBot, typed: str, said: str
) -> None:
    reply = bot.driver.command("U0HR", "/pulse", typed)

    assert said in reply.text and "like `/pulse results @maya`" in reply.text
    assert "<@" not in reply.text and "<#" not in reply.text


def test_results_for_someone_not_in_the_directory_say_so_and_nothing_of_results(bot: RunningBot) -> None:
    start(bot)
    answer_all(bot, EAST[:5], 4)
    close(bot)

    ghost = bot.driver.command("U0HR", "/pulse", "results <@U0GHOST|ghost>")
    frontline = bot.driver.command("U0HR", "/pulse", "results <@U0A01|a01>")

    assert "That person is not in Latitude's directory" in ghost.text
    assert "nobody reporting" not in ghost.text and "Average" not in ghost.text
    assert "That person has nobody reporting to them" in frontline.text
