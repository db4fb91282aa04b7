"""People who left and the pulse: no longer asked, answering or closing, nor replying to anonymous comments (nor
answered there); what they answered before stays counted."""

from sqlalchemy import select

from bot.fakeslack.server import Call
from handlers.blocks import pulse_results as result_blocks
from models import PulseReply, PulseResponse, PulseRound
from services.pulse.replies_ended import NOT_YOURS
from tests.conftest import RunningBot
from tests.e2e.test_people_leaving import WITHOUT_HANA, WITHOUT_SAM, reimport
from tests.e2e.test_pulse_relay import after_the_relay_delay, answer_form_reply, commented_round, reply_from_results
from tests.e2e.test_pulse_rounds import answer
from tests.helpers import count, load_org_and_policy
from tests.pulse_org import load_pulse_org, org_csv


def without(*slack_ids: str) -> str:
    return "\n".join(line for line in org_csv().splitlines() if not line.startswith(tuple(f"{i}," for i in slack_ids)))


def test_someone_who_left_is_told_so_by_pulse_not_promised_the_next_round(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    reimport(bot.sessions, bot.clock.now(), WITHOUT_SAM)

    reply = bot.driver.command("U0AGENT1", "/pulse")

    assert "no longer active" in reply.text
    assert "next round" not in reply.text


def test_someone_who_left_during_a_round_can_no_longer_answer_with_the_buttons_in_their_dm(bot: RunningBot) -> None:
    load_pulse_org(bot.sessions, bot.clock.now())
    bot.driver.command("U0HR", "/pulse", "start")
    answer(bot, "U0A01", 0, 4)
    reimport(bot.sessions, bot.clock.now(), without("U0A01"))

    answer(bot, "U0A01", 1, 5)

    assert "no longer active" in bot.slack.calls("response_url")[-1].args["text"]
    with bot.sessions() as session:
        assert count(session, PulseResponse) == 1, "what they gave before stays; nothing new"


def test_hr_who_left_can_no_longer_close_the_round_early(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    assert "is open" in bot.driver.command("U0HR", "/pulse", "start").text
    reimport(bot.sessions, bot.clock.now(), WITHOUT_HANA)

    assert "no longer active" in bot.driver.command("U0HR", "/pulse", "close").text
    with bot.sessions() as session:
        assert session.scalars(select(PulseRound.status)).one() == "open"


def test_the_app_home_does_not_send_someone_who_left_to_answer_with_pulse(bot: RunningBot) -> None:
    load_pulse_org(bot.sessions, bot.clock.now())
    bot.driver.command("U0HR", "/pulse", "start")
    answer(bot, "U0A01", 0, 4)
    reimport(bot.sessions, bot.clock.now(), without("U0A01"))

    bot.driver.open_home("U0A01")

    [home] = bot.slack.calls("views.publish")
    assert "waiting for you" not in home.text


def test_a_manager_who_left_can_no_longer_reply_to_an_anonymous_comment_from_the_relayed_dm(bot: RunningBot) -> None:
    commented_round(bot)
    reply_from_results(bot, "U0MGR1", "Which shifts?")
    [to_author] = bot.slack.calls("chat.postMessage")
    bot.driver.click("U0A01", to_author, result_blocks.ANSWER_REPLY_ACTION)
    bot.driver.submit("U0A01", bot.slack.calls("views.open")[-1].args["view"], {"message": "Saturday mornings"})
    after_the_relay_delay(bot)
    to_manager = bot.slack.calls("chat.postMessage")[-1]
    reimport(bot.sessions, bot.clock.now(), without("U0A08"))  # an earlier leaver, still filed under Maya
    moved = "\n".join(line.replace(",U0MGR1,", ",U0ADMIN,") for line in without("U0MGR1", "U0A08").splitlines())
    reimport(bot.sessions, bot.clock.now(), moved)

    bot.driver.click("U0MGR1", to_manager, result_blocks.REPLY_ACTION)

    assert "no longer active" in bot.slack.calls("response_url")[-1].args["text"]
    with bot.sessions() as session:
        assert count(session, PulseReply) == 1, "only the reply she sent before she left"


def test_an_author_who_left_can_no_longer_answer_a_managers_reply(bot: RunningBot) -> None:
    commented_round(bot)
    reply_from_results(bot, "U0MGR1", "Which shifts?")
    [to_author] = bot.slack.calls("chat.postMessage")
    reimport(bot.sessions, bot.clock.now(), without("U0A01"))

    bot.driver.click("U0A01", to_author, result_blocks.ANSWER_REPLY_ACTION)

    assert "no longer active" in bot.slack.calls("response_url")[-1].args["text"]
    assert len(bot.slack.calls("views.open")) == 1, "only the manager's reply form, before"


def maya_replied_then_left(bot: RunningBot) -> Call:
    """Maya replies to U0A01's anonymous comment, then leaves (East moves under Ada); the author's DM with the
    Answer button."""
    commented_round(bot)
    reply_from_results(bot, "U0MGR1", "Which shifts?")
    [to_author] = bot.slack.calls("chat.postMessage")
    moved = "\n".join(line.replace(",U0MGR1,", ",U0ADMIN,") for line in without("U0MGR1").splitlines())
    reimport(bot.sessions, bot.clock.now(), moved)
    return to_author


def test_an_author_is_told_the_manager_who_replied_has_left_and_no_answer_form_opens(bot: RunningBot) -> None:
    to_author = maya_replied_then_left(bot)

    told = answer_form_reply(bot, "U0A01", to_author)

    assert told.startswith("The manager who replied to your comment has left the organisation"), told


def test_an_answer_form_sent_after_the_manager_left_reaches_nobody(bot: RunningBot) -> None:
    commented_round(bot)
    reply_from_results(bot, "U0MGR1", "Which shifts?")
    [to_author] = bot.slack.calls("chat.postMessage")
    bot.driver.click("U0A01", to_author, result_blocks.ANSWER_REPLY_ACTION)
    answer_form = bot.slack.calls("views.open")[-1]
    moved = "\n".join(line.replace(",U0MGR1,", ",U0ADMIN,") for line in without("U0MGR1").splitlines())
    reimport(bot.sessions, bot.clock.now(), moved)

    sent = bot.driver.submit("U0A01", answer_form.args["view"], {"message": "Saturday mornings"})

    assert "has left the organisation" in sent.json["errors"][result_blocks.MESSAGE_BLOCK]
    assert [c.channel for c in bot.slack.calls("chat.postMessage")] == ["U0A01"], "only Maya's reply, before"


def test_someone_else_clicking_the_answer_button_of_a_manager_who_left_learns_nothing_of_it(bot: RunningBot) -> None:
    to_author = maya_replied_then_left(bot)
    with bot.sessions() as session:
        real = session.scalars(select(PulseReply.id)).one()
        round_id = session.scalars(select(PulseRound.id)).one()

    forwarded = answer_form_reply(bot, "U0A02", to_author, forged=True)
    made_up = answer_form_reply(bot, "U0A02", to_author, value=f"{real + 1000}:r{round_id}", forged=True)

    assert forwarded == made_up == NOT_YOURS
