"""A busy workspace's surfaces keep within Slack's limits: long lists and long texts are cut where the reader
sees it, never refused by Slack."""

import json
import re
from datetime import timedelta

from sqlalchemy import select

from bot.fakeslack.state import Call
from handlers.blocks.pulse_results import MORE_COMMENTS_ACTION, more_value
from models import PulseRound
from services import directory
from services.workspace_purge import purge, purge_plan
from services.workspaces import record_uninstall
from tests.conftest import RunningBot
from tests.e2e.test_pulse_rounds import answer, questions_dm, start, tick
from tests.helpers import add_org_people, load_org, load_policy, shown
from tests.pulse_org import EAST, POLICY, PULSE, org_csv
from tests.rewards_helpers import set_up


def comment(bot: RunningBot, user: str, text: str) -> None:
    bot.driver.click(user, questions_dm(bot, user), "pulse_comment")
    opened = bot.slack.calls("views.open")[-1]
    bot.driver.submit(user, opened.args["view"], {"comment": text})


def test_pulse_results_of_a_team_that_wrote_long_comments_fit_one_message(bot: RunningBot) -> None:
    a_round_with_a_comment_from_each_of(bot, EAST, "we need more people on the late shift. " * 45)

    reply = bot.driver.command("U0MGR1", "/pulse", "results")

    assert bot.slack.violations == []
    assert "Average *4.0* of 5" in reply.text
    assert all(f"> Comment of {user}: we need more people" in reply.text for user in EAST)
    assert reply.text.count("…\nReply") == len(EAST), "each comment cut short so that all eight are read"


def ten_long_questions() -> str:
    asked = "".join(
        f'[[pulse.questions]]\nkey = "q{n}"\ntext = "{n}. '
        + "Our shift handovers leave me what I need to help. " * 5
        + '"\nscale = "agreement"\n'
        for n in range(10)
    )
    return PULSE.replace("questions_per_round = 3", "questions_per_round = 10") + (
        "replace_default_questions = true\n" + asked
    )


def test_the_organisations_pulse_results_with_ten_long_questions_and_sixty_long_named_teams_fit_one_message(
    bot: RunningBot,
) -> None:
    long = "Customer Care Night Shift and Weekend Escalations Desk " * 3
    teams = "".join(
        f"U0M{n:02},Manager {n:02} {long},{long}{n:02},manager,U0ADMIN,,Europe/London,\n"
        f"U0R{n:02},Agent {n:02},{long}{n:02},frontline,U0M{n:02},,Europe/London,\n"
        for n in range(60)
    )
    load_org(bot.sessions, bot.clock.now(), org_csv() + teams)
    add_org_people(bot.slack, org_csv() + teams)
    load_policy(bot.sessions, bot.clock.now(), POLICY + ten_long_questions())
    bot.driver.command("U0HR", "/pulse", "start")
    for n in range(6):
        for question in range(10):
            answer(bot, f"U0R{n:02}", question, 4)
    bot.clock.advance(timedelta(hours=73))
    tick(bot)

    reply = bot.driver.command("U0ADMIN", "/pulse", "results org")

    assert bot.slack.violations == []
    assert reply.text.count("Average *4.0* of 5") == 10
    named = re.findall(r"^• (.+?)'s team", reply.text, re.MULTILINE)
    [left_out] = re.findall(r"…and (\d+) more: `/pulse results @manager` shows any of them", reply.text)
    assert len(named) > 10 and len(set(named)) + int(left_out) == 63, "the sixty teams, Ada's, Maya's and Omar's"


def test_rewards_history_of_a_long_recognised_person_shows_the_latest_and_counts_the_earlier(bot: RunningBot) -> None:
    set_up(bot.sessions, bot.clock.now())
    for month in range(3):
        for n in range(5):
            bot.driver.command("U0AGENT1", "/nominate", f"<@U0AGENT2|lee> calm with customer {month}-{n}")
        bot.clock.advance(timedelta(days=31))

    received = bot.driver.command("U0AGENT2", "/rewards")
    given = bot.driver.command("U0AGENT1", "/rewards")

    assert "customer 2-4" in received.text and "customer 0-4" not in received.text
    assert received.text.count("• ") == 10 and "_…and 5 earlier._" in received.text
    assert given.text.count("• ") == 10 and "_…and 5 earlier._" in given.text


def a_round_with_a_comment_from_each_of(
    bot: RunningBot, people: list[str], words: str = "the late shift needs more people. " * 20
) -> None:
    """A closed round: everyone answered 4 to each question and commented `Comment of <id>: <words>`."""
    start(bot)
    for user in people:
        for question in range(3):
            answer(bot, user, question, 4)
        comment(bot, user, f"Comment of {user}: {words}")
    bot.clock.advance(timedelta(hours=73))
    tick(bot)


def with_twenty_more_in_east(bot: RunningBot) -> list[str]:
    more = [f"U0E{n:02}" for n in range(20)]
    rows = "".join(f"{user},Agent {user},Support East,frontline,U0MGR1,,Europe/London,\n" for user in more)
    load_org(bot.sessions, bot.clock.now(), org_csv() + rows)
    add_org_people(bot.slack, org_csv() + rows)
    return [*EAST, *more]


def test_comments_a_results_message_has_no_room_for_are_shown_by_its_button(bot: RunningBot) -> None:
    """Twenty-eight people commented: the results show what fits, and "Show more" the rest, each comment once."""
    people = with_twenty_more_in_east(bot)
    a_round_with_a_comment_from_each_of(bot, people)

    pages = [bot.driver.command("U0MGR1", "/pulse", "results").json]
    while "Show more" in Call("page", pages[-1], 0).text:
        bot.driver.click("U0MGR1", Call("ack", pages[-1], 0, response={"ephemeral": True}), MORE_COMMENTS_ACTION)
        pages.append(bot.slack.calls("response_url")[-1].args)
        assert len(pages) < 10, "the pages never end"

    assert bot.slack.violations == []
    shown = [re.findall(r"Comment of (U0\w+)", Call("page", page, 0).text) for page in pages]
    assert len(pages) > 1 and all(shown)
    assert sorted(user for page in shown for user in page) == sorted(people)
    assert "Pulse comments — round 1" in Call("page", pages[1], 0).text


def test_show_more_after_a_new_round_closed_says_so_instead_of_mixing_rounds(bot: RunningBot) -> None:
    a_round_with_a_comment_from_each_of(bot, with_twenty_more_in_east(bot))
    first = shown(bot.driver.command("U0MGR1", "/pulse", "results"))
    bot.driver.command("U0HR", "/pulse", "start")
    bot.driver.command("U0HR", "/pulse", "close")

    bot.driver.click("U0MGR1", first, MORE_COMMENTS_ACTION)

    answer_text = bot.slack.calls("response_url")[-1].text
    assert "These results are no longer the latest: `/pulse results` shows round 2." in answer_text
    assert "Comment of" not in answer_text


def test_show_more_for_a_team_whose_results_are_not_shown_says_so_and_nothing_of_them(bot: RunningBot) -> None:
    """A button value naming another team (made up, or from an older message) is read again under today's rule."""
    a_round_with_a_comment_from_each_of(bot, with_twenty_more_in_east(bot))
    first = bot.driver.command("U0ADMIN", "/pulse", "results <@U0MGR1|maya>").json

    with bot.sessions() as session:
        forged = more_value(session.scalars(select(PulseRound.id)).one(), 20, "U0MGR2")
    message = Call("ack", first, 0, response={"ephemeral": True})
    bot.driver.click("U0ADMIN", message, MORE_COMMENTS_ACTION, value=forged, forged=True)

    answer_text = bot.slack.calls("response_url")[-1].text
    assert "Round 1's results for" in answer_text and "are not shown" in answer_text
    assert "no longer the latest" not in answer_text and "Comment of" not in answer_text


def test_show_more_from_before_a_purge_shows_nothing_of_the_new_installs_round_of_the_same_number(
    bot: RunningBot,
) -> None:
    a_round_with_a_comment_from_each_of(bot, with_twenty_more_in_east(bot))
    first = shown(bot.driver.command("U0MGR1", "/pulse", "results"))
    with bot.sessions.begin() as session:  # uninstalled (Slack's token left alone: the bot keeps it), then purged
        workspace = directory.find_workspace(session, "T0LATITUDE")
        assert workspace is not None
        record_uninstall(session, workspace=workspace, now=bot.clock.now())
        purge(session, purge_plan(session, workspace=workspace, now=bot.clock.now(), retention_days=30, force=True))
    bot.slack.reset()
    a_round_with_a_comment_from_each_of(bot, with_twenty_more_in_east(bot), "words of the new install. " * 20)

    bot.driver.click("U0MGR1", first, MORE_COMMENTS_ACTION)

    answer_text = bot.slack.calls("response_url")[-1].text
    assert "These results are no longer the latest: `/pulse results` shows round 1." in answer_text
    assert "words of the new install" not in answer_text


def test_show_more_sent_before_buttons_named_the_round_by_id_still_shows_the_next_comments(bot: RunningBot) -> None:
    """A results message already in Slack at the upgrade names its round by number (`1:20:`): it still pages on."""
    a_round_with_a_comment_from_each_of(bot, with_twenty_more_in_east(bot))
    first = bot.driver.command("U0MGR1", "/pulse", "results").json
    [value] = re.findall(r'"value": "(r\d+:\d+:)"', json.dumps(first))
    by_number = f"1:{value.split(':')[1]}:"  # the button's value as the app sent it before the upgrade

    before_the_upgrade = json.loads(json.dumps(first).replace(f'"{value}"', f'"{by_number}"'))
    message = Call("ack", before_the_upgrade, 0, response={"ephemeral": True})
    bot.driver.click("U0MGR1", message, MORE_COMMENTS_ACTION)

    answer_text = bot.slack.calls("response_url")[-1].text
    assert "Pulse comments — round 1" in answer_text and "Comment of" in answer_text
    assert "no longer the latest" not in answer_text
