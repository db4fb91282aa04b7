"""Replying to an anonymous comment: the author gets the reply, answers, and the manager never learns who."""

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.fakeslack.driver import Reply
from bot.fakeslack.server import Call
from handlers.blocks import pulse as blocks
from handlers.blocks import pulse_results as result_blocks
from handlers.form_seals import sealed
from handlers.jobs.drain_outbox import drain_outbox
from models import PulseComment, PulseRelay, PulseReply, PulseRound
from services import directory
from services.pulse.relay import RELAY_DELAY_MINUTES
from services.workspace_purge import purge, purge_plan
from services.workspaces import record_uninstall
from tests.conftest import RunningBot
from tests.e2e.test_pulse_results import answer_all, close
from tests.e2e.test_pulse_rounds import questions_dm, start, tick
from tests.helpers import as_an_older_version_sent_it, shown
from tests.pulse_org import PULSE, load_pulse_org

COMMENT = "Too few people on Saturdays"
RELAYED = "reply, and the bot relays it"
ANSWER = result_blocks.ANSWER_REPLY_ACTION


def commented_round(
    bot: RunningBot, pulse: str = PULSE, sealed_late_by: timedelta = timedelta(0), comment: str = COMMENT
) -> None:
    """A round with one comment, sealed by the tick at its end (72 hours), or `sealed_late_by` after it when the bot
    was down then."""
    load_pulse_org(bot.sessions, bot.clock.now(), pulse=pulse)
    assert "Pulse round 1 is open" in bot.driver.command("U0HR", "/pulse", "start").text
    answer_all(bot, ["U0A01", "U0A02", "U0A03", "U0A04", "U0A05"], 4)
    bot.driver.click("U0A01", questions_dm(bot, "U0A01"), blocks.COMMENT_ACTION)
    [opened] = bot.slack.calls("views.open")
    bot.driver.submit("U0A01", opened.args["view"], {"comment": comment})
    bot.clock.advance(timedelta(hours=72) + sealed_late_by)
    tick(bot)
    bot.slack.reset()


def reply_from_results(bot: RunningBot, manager: str, text: str, *, delivered: bool = True) -> Reply:
    """The manager replies from their results; with `delivered`, the relay's random wait passes and it is sent."""
    results = bot.driver.command(manager, "/pulse", "results")
    bot.driver.click(manager, shown(results), result_blocks.REPLY_ACTION)
    [modal] = bot.slack.calls("views.open")
    sent = bot.driver.submit(manager, modal.args["view"], {"message": text})
    if delivered:
        after_the_relay_delay(bot)
    return sent


def sealed_for(bot: RunningBot, modal: dict[str, Any], user: str) -> dict[str, Any]:
    """The form sealed for `user` as if Latitude had opened it for them: what the service still refuses."""
    return sealed(bot.runtime.deps, modal, user)


def after_the_relay_delay(bot: RunningBot) -> None:
    """The longest wait a relayed message may draw passes, and the background sender sends what waited."""
    bot.clock.advance(timedelta(minutes=RELAY_DELAY_MINUTES[1], seconds=1))
    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)


def test_a_manager_replies_to_a_comment_and_the_author_answers_without_being_named(bot: RunningBot) -> None:
    commented_round(bot)

    reply_from_results(bot, "U0MGR1", "Thanks — which shifts?")

    [to_author] = bot.slack.calls("chat.postMessage")
    assert to_author.channel == "U0A01"
    assert "Maya Manager replied to your anonymous pulse comment" in to_author.text
    assert COMMENT in to_author.text and "Thanks — which shifts?" in to_author.text
    bot.driver.click("U0A01", to_author, result_blocks.ANSWER_REPLY_ACTION)
    answer_modal = bot.slack.calls("views.open")[-1]
    bot.driver.submit("U0A01", answer_modal.args["view"], {"message": "Saturday mornings"})
    after_the_relay_delay(bot)

    to_manager = bot.slack.calls("chat.postMessage")[-1]
    assert to_manager.channel == "U0MGR1"
    assert "Saturday mornings" in to_manager.text and COMMENT in to_manager.text
    assert "U0A01" not in str(to_manager.args) and "East Agent" not in str(to_manager.args)


def test_a_manager_cannot_reply_to_another_teams_comment(bot: RunningBot) -> None:
    commented_round(bot)
    with bot.sessions() as session:
        [comment] = session.scalars(select(PulseComment))
    modal = result_blocks.message_modal(result_blocks.REPLY_CALLBACK, comment.id, "Reply to a comment", "intro")

    reply = bot.driver.submit("U0MGR2", sealed_for(bot, modal, "U0MGR2"), {"message": "Hello?"}, forged=True)

    assert "only to comments shown in your team's results" in reply.json["errors"][result_blocks.MESSAGE_BLOCK]
    assert bot.slack.calls("chat.postMessage") == []
    with bot.sessions() as session:
        assert session.scalars(select(PulseReply)).all() == []


def test_only_the_author_can_answer_a_reply(bot: RunningBot) -> None:
    commented_round(bot)
    reply_from_results(bot, "U0MGR1", "Which shifts?")
    with bot.sessions() as session:
        [reply_row] = session.scalars(select(PulseReply))
    modal = result_blocks.message_modal(
        result_blocks.ANSWER_REPLY_CALLBACK, reply_row.id, "Answer anonymously", "intro"
    )

    reply = bot.driver.submit("U0A02", sealed_for(bot, modal, "U0A02"), {"message": "It was me!"}, forged=True)

    assert "not yours" in reply.json["errors"][result_blocks.MESSAGE_BLOCK]
    assert [c.channel for c in bot.slack.calls("chat.postMessage")] == ["U0A01"]


@pytest.mark.parametrize("sealed_late_by", [timedelta(0), timedelta(days=3)], ids=["on time", "after an outage"])
def test_results_offer_reply_until_the_relay_ends_then_show_the_comments_without_it(
    bot: RunningBot, sealed_late_by: timedelta
) -> None:
    """`relay_days` after the round's end, even when the bot was down then and sealed it days later."""
    commented_round(bot, sealed_late_by=sealed_late_by)
    bot.clock.advance(timedelta(days=14) - sealed_late_by - timedelta(minutes=1))
    during = bot.driver.command("U0MGR1", "/pulse", "results")
    bot.clock.advance(timedelta(minutes=1))

    after = bot.driver.command("U0MGR1", "/pulse", "results")

    assert RELAYED in during.text and result_blocks.REPLY_ACTION in during.body
    assert COMMENT in after.text
    assert RELAYED not in after.text and result_blocks.REPLY_ACTION not in after.body


def test_with_relay_days_zero_results_never_offer_a_reply(bot: RunningBot) -> None:
    commented_round(bot, PULSE + "relay_days = 0\n")

    results = bot.driver.command("U0MGR1", "/pulse", "results")

    assert COMMENT in results.text
    assert RELAYED not in results.text and result_blocks.REPLY_ACTION not in results.body


def test_a_reply_button_clicked_after_the_relay_ended_says_so_and_opens_no_form(bot: RunningBot) -> None:
    commented_round(bot)
    results = bot.driver.command("U0MGR1", "/pulse", "results")
    bot.clock.advance(timedelta(days=15))
    tick(bot)

    bot.driver.click("U0MGR1", shown(results), result_blocks.REPLY_ACTION)

    assert bot.slack.calls("views.open") == []
    [told] = bot.slack.calls("response_url")
    assert "Replies to round 1's comments have ended" in told.args["text"]
    assert told.args["response_type"] == "ephemeral"


def test_the_authors_answer_button_after_the_relay_ended_opens_no_form(bot: RunningBot) -> None:
    commented_round(bot)
    reply_from_results(bot, "U0MGR1", "Which shifts?")
    [to_author] = bot.slack.calls("chat.postMessage")
    bot.clock.advance(timedelta(days=14))

    bot.driver.click("U0A01", to_author, result_blocks.ANSWER_REPLY_ACTION)

    assert len(bot.slack.calls("views.open")) == 1, "only the manager's reply form opened"
    [told] = bot.slack.calls("response_url")
    assert "Replies to round 1's comments have ended" in told.args["text"]


def answer_form_reply(
    bot: RunningBot, user: str, to_author: Call, value: str | None = None, *, forged: bool = False
) -> str:
    """What `user` is told on clicking the Answer button of `to_author` (its value replaced by `value`, if given);
    `forged`: someone else's button, which only a hand-made payload clicks."""
    bot.slack.reset()
    bot.driver.click(user, to_author, result_blocks.ANSWER_REPLY_ACTION, value=value, forged=forged)
    assert bot.slack.calls("views.open") == [], "no answer form opened"
    assert bot.slack.calls("chat.postMessage") == []
    [told] = bot.slack.calls("response_url")
    assert told.args["response_type"] == "ephemeral"
    return str(told.args["text"])


def test_once_the_route_is_deleted_the_authors_answer_button_says_since_when_replies_ended(bot: RunningBot) -> None:
    commented_round(bot)
    reply_from_results(bot, "U0MGR1", "Which shifts?")
    [to_author] = bot.slack.calls("chat.postMessage")
    bot.clock.advance(timedelta(days=15))
    tick(bot)
    with bot.sessions() as session:
        assert session.scalars(select(PulseReply)).all() == [], "the route is gone"

    told = answer_form_reply(bot, "U0A01", to_author)

    assert told.startswith(
        "Replies to round 1's comments have ended (since Thursday 19 March at 05:00 New York time, "
        "14 days after the round closed)"
    )
    assert "to keep them anonymous" in told and "not yours" not in told


def test_an_answer_form_sent_after_the_route_is_deleted_says_replies_ended_and_sends_nothing(bot: RunningBot) -> None:
    commented_round(bot)
    reply_from_results(bot, "U0MGR1", "Which shifts?")
    [to_author] = bot.slack.calls("chat.postMessage")
    bot.driver.click("U0A01", to_author, result_blocks.ANSWER_REPLY_ACTION)
    answer_form = bot.slack.calls("views.open")[-1]
    bot.clock.advance(timedelta(days=15))
    tick(bot)

    sent = bot.driver.submit("U0A01", answer_form.args["view"], {"message": "Saturday mornings"})

    assert "Replies to round 1's comments have ended" in sent.json["errors"][result_blocks.MESSAGE_BLOCK]
    assert [c.channel for c in bot.slack.calls("chat.postMessage")] == ["U0A01"], "only the manager's reply"
    with bot.sessions() as session:
        assert session.scalars(select(PulseReply)).all() == []
        assert session.scalars(select(PulseRelay)).all() == []


STAGES = {"replies open": timedelta(0), "ended, route not yet deleted": timedelta(days=14), "route deleted": None}


def forwarded_and_made_up(bot: RunningBot, bare: bool) -> list[tuple[str, str]]:
    """What U0B01 (in Tokyo, not the author) is told at each stage of the relay window (the hourly tick deletes
    the routes) on clicking the author's forwarded Answer button, and one naming a reply that never existed;
    when `bare`, both carry only the reply id, as buttons sent before they carried the round."""
    commented_round(bot)
    reply_from_results(bot, "U0MGR1", "Which shifts?")
    [to_author] = bot.slack.calls("chat.postMessage")
    with bot.sessions() as session:
        real = session.scalars(select(PulseReply.id)).one()
        round_id = session.scalars(select(PulseRound.id)).one()
    told = []
    for later in STAGES.values():
        if later is None:
            tick(bot)
        else:
            bot.clock.advance(later)
        forwarded = answer_form_reply(bot, "U0B01", to_author, value=str(real) if bare else None, forged=True)
        made_up_value = str(real + 1000) + ("" if bare else f":r{round_id}")
        made_up = answer_form_reply(bot, "U0B01", to_author, value=made_up_value, forged=True)
        told.append((forwarded, made_up))
    with bot.sessions() as session:
        assert session.scalars(select(PulseReply)).all() == []
    return told


def test_someone_clicking_a_forwarded_answer_button_is_told_what_a_made_up_one_would_tell(bot: RunningBot) -> None:
    told = forwarded_and_made_up(bot, bare=False)

    for stage, (forwarded, made_up) in zip(STAGES, told, strict=True):
        assert forwarded == made_up, stage
        assert "East" not in forwarded and "U0A01" not in forwarded and "Saturday" not in forwarded
    assert told[0][0] == "That conversation does not exist, or it is not yours."
    assert told[-1][0].startswith("Replies to round 1's comments have ended (since Thursday 19 March at 18:00 Tokyo")


def test_an_older_answer_button_without_the_round_tells_someone_else_nothing_about_the_reply(bot: RunningBot) -> None:
    told = forwarded_and_made_up(bot, bare=True)

    for stage, (forwarded, made_up) in zip(STAGES, told, strict=True):
        assert forwarded == made_up, stage
    assert told[-1][0].startswith("Replies to round 1's comments have ended (since Thursday 19 March at 18:00 Tokyo")


def test_an_older_answer_button_says_since_when_replies_ended_from_the_comment_its_message_quotes(
    bot: RunningBot,
) -> None:
    """A button sent before it carried the round holds only the reply's id; its message quotes the comment, which
    names the round once the reply's route is deleted."""
    commented_round(bot)
    reply_from_results(bot, "U0MGR1", "Which shifts?")
    [to_author] = bot.slack.calls("chat.postMessage")
    with bot.sessions() as session:
        bare = str(session.scalars(select(PulseReply.id)).one())
    bot.clock.advance(timedelta(days=15))
    tick(bot)

    told = answer_form_reply(bot, "U0A01", as_an_older_version_sent_it(bot.slack, to_author, ANSWER, bare))

    assert told.startswith(
        "Replies to round 1's comments have ended (since Thursday 19 March at 05:00 New York time, "
        "14 days after the round closed)"
    )


ENDED_IN_NEW_YORK = (
    "Replies to round 1's comments have ended (since Thursday 19 March at 05:00 New York time, 14 days after the "
    "round closed)"
)


@pytest.mark.parametrize(
    "comment",
    ["Too few of us on Saturdays: @here knows", "&&&&&&&& on Sundays " * 90],
    ids=["a broadcast word its quote defuses", "longer than its quote shows"],
)
def test_an_answer_button_that_carried_the_rounds_number_says_since_when_replies_ended_whatever_its_quote(
    bot: RunningBot, comment: str
) -> None:
    """Buttons sent before they carried the round's id carried its number (`reply:number`): that names the round,
    as an older Show more button's number does, where the comment's quote does not read back as written."""
    commented_round(bot, comment=comment)
    reply_from_results(bot, "U0MGR1", "Which shifts?")
    [to_author] = bot.slack.calls("chat.postMessage")
    with bot.sessions() as session:
        numbered = f"{session.scalars(select(PulseReply.id)).one()}:1"
    bot.clock.advance(timedelta(days=15))
    tick(bot)

    told = answer_form_reply(bot, "U0A01", as_an_older_version_sent_it(bot.slack, to_author, ANSWER, numbered))

    assert told.startswith(ENDED_IN_NEW_YORK), told


def test_a_bare_answer_button_finds_its_round_from_a_quote_with_a_broadcast_word_defused(bot: RunningBot) -> None:
    commented_round(bot, comment="Too few of us on Saturdays: @here knows")
    reply_from_results(bot, "U0MGR1", "Which shifts?")
    [to_author] = bot.slack.calls("chat.postMessage")
    with bot.sessions() as session:
        bare = str(session.scalars(select(PulseReply.id)).one())
    bot.clock.advance(timedelta(days=15))
    tick(bot)

    told = answer_form_reply(bot, "U0A01", as_an_older_version_sent_it(bot.slack, to_author, ANSWER, bare))

    assert told.startswith(ENDED_IN_NEW_YORK), told


def commented_by_admin(bot: RunningBot) -> int:
    """A closed round in which Ada, the admin at the top (Maya's and Omar's manager), left the only comment."""
    start(bot)
    answer_all(bot, ["U0A01", "U0A02", "U0A03", "U0A04", "U0ADMIN"], 4)
    bot.driver.click("U0ADMIN", questions_dm(bot, "U0ADMIN"), blocks.COMMENT_ACTION)
    [opened] = bot.slack.calls("views.open")
    bot.driver.submit("U0ADMIN", opened.args["view"], {"comment": COMMENT})
    close(bot)
    bot.slack.reset()
    with bot.sessions() as session:
        return int(session.scalars(select(PulseComment.id)).one())


def test_a_manager_opening_a_reply_to_their_own_comment_is_told_at_once_and_no_form_opens(bot: RunningBot) -> None:
    commented_by_admin(bot)
    results = bot.driver.command("U0ADMIN", "/pulse", "results")
    assert COMMENT in results.text

    bot.driver.click("U0ADMIN", shown(results), result_blocks.REPLY_ACTION)

    assert bot.slack.calls("views.open") == []
    [told] = bot.slack.calls("response_url")
    assert told.args["text"].startswith("That comment is your own")
    assert told.args["response_type"] == "ephemeral"
    assert bot.slack.calls("chat.postMessage") == []
    with bot.sessions() as session:
        assert session.scalars(select(PulseReply)).all() == []


def test_a_reply_to_ones_own_comment_is_still_refused_at_send(bot: RunningBot) -> None:
    comment_id = commented_by_admin(bot)
    modal = result_blocks.message_modal(result_blocks.REPLY_CALLBACK, comment_id, "Reply to a comment", "intro")

    sent = bot.driver.submit("U0ADMIN", sealed_for(bot, modal, "U0ADMIN"), {"message": "Hello me"}, forged=True)

    assert sent.json["errors"][result_blocks.MESSAGE_BLOCK].startswith("That comment is your own")
    assert bot.slack.calls("chat.postMessage") == []
    with bot.sessions() as session:
        assert session.scalars(select(PulseReply)).all() == []


def test_someone_else_who_sees_that_comment_gets_the_form_and_is_not_told_whose_it_is(bot: RunningBot) -> None:
    commented_by_admin(bot)
    results = bot.driver.command("U0HR", "/pulse", "results")

    bot.driver.click("U0HR", shown(results), result_blocks.REPLY_ACTION)

    assert len(bot.slack.calls("views.open")) == 1
    assert bot.slack.calls("response_url") == []


def test_an_answer_button_from_before_a_purge_is_not_read_as_the_new_installs_round_of_that_number(
    bot: RunningBot,
) -> None:
    commented_round(bot)
    reply_from_results(bot, "U0MGR1", "Which shifts?")
    [to_author] = bot.slack.calls("chat.postMessage")
    with bot.sessions.begin() as session:  # uninstalled (Slack's token left alone: the bot keeps it), then purged
        workspace = directory.find_workspace(session, "T0LATITUDE")
        assert workspace is not None
        record_uninstall(session, workspace=workspace, now=bot.clock.now())
        purge(session, purge_plan(session, workspace=workspace, now=bot.clock.now(), retention_days=30, force=True))
    bot.slack.reset()
    commented_round(bot)  # installed again: its first round is round 1 too
    bot.clock.advance(timedelta(days=15))
    tick(bot)

    told = answer_form_reply(bot, "U0A01", to_author)

    assert "have ended" not in told, "the new round 1's replies, not the purged one's"
