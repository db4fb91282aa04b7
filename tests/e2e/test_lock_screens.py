"""What a lock screen and a screen reader say of a message with blocks: its `text`, where mrkdwn's marks are not
drawn. It says plainly which thing it is about, with no `*` around words and no date token left raw."""

from datetime import timedelta

from handlers.jobs.drain_outbox import drain_outbox
from handlers.jobs.follow_up_pending_requests import follow_up_pending_requests
from tests.conftest import RunningBot
from tests.e2e.test_answers_in_time import open_resolve_form, ready
from tests.e2e.test_handover_messages import ORG_CSV, import_without_maya
from tests.e2e.test_pulse_rounds import answer, start
from tests.helpers import holding_the_workspaces, load_org, load_org_and_policy, load_policy

__all__ = ["ready"]


def notified(bot: RunningBot, method: str, channel: str) -> list[str]:
    return [str(call.args.get("text")) for call in bot.slack.calls(method) if call.channel == channel]


def test_a_request_gone_up_tells_its_requester_in_plain_words_on_the_lock_screen(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT1", "/resolve", "refund 80 order 42 parcel lost in transit")
    deps, client = bot.runtime.deps, bot.runtime.app.client

    for _ in range(2):  # reminded after a day, gone up after another
        bot.clock.advance(timedelta(hours=25))
        follow_up_pending_requests(deps, client)

    told = notified(bot, "chat.postMessage", "U0AGENT1")[-1]
    assert told.startswith("Your refund of $80 has waited 2 days for Maya Manager without a decision"), told
    [dm] = [call for call in bot.slack.calls("chat.postMessage", channel="U0AGENT1") if call.args["text"] == told]
    assert "*refund of $80*" in dm.args["blocks"][0]["text"]["text"], "the message itself keeps its bold"


def test_the_old_deciders_copy_of_a_request_handed_over_says_which_request_went_and_to_whom(bot: RunningBot) -> None:
    load_org(bot.sessions, bot.clock.now(), ORG_CSV)
    load_policy(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT1", "/resolve", "refund 80 order 42 parcel lost in transit")

    import_without_maya(bot.sessions, bot.clock.now())
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)

    [update] = [call for call in bot.slack.calls("chat.update") if call.channel.endswith("MGR1")]
    assert update.args["text"] == (
        ":arrow_right: Ana &lt;&amp;&gt; Co's refund of $80 now waits on Ada Admin, who decides it."
    )
    told = notified(bot, "chat.postMessage", "U0AGENT1")[-1]
    assert told.startswith("Your refund of $80 now waits on Ada Admin to decide"), told


def test_a_form_saved_late_is_told_in_a_dm_whose_notification_has_no_mrkdwn_marks(ready: RunningBot) -> None:
    form = open_resolve_form(ready)
    ready.slack.fail("views.update", hang_up=True, times=3)
    with holding_the_workspaces(ready.runtime.engine):
        values = {"category": "credit", "amount": "$20", "summary": "Sorry for the wait", "outcome": "happy"}
        assert ready.driver.submit("U0AGENT1", form, values, settle=False).json["response_action"] == "update"
    ready.driver.settle()

    [told] = [text for text in notified(ready, "chat.postMessage", "U0AGENT1") if "went through" in text]
    assert told.startswith(":white_check_mark: Your Log a fix went through: no need to send it again"), told


def test_the_pulse_dm_read_aloud_says_how_many_questions_are_answered_not_that_they_are_still_to_answer(
    bot: RunningBot,
) -> None:
    start(bot)

    answer(bot, "U0A01", 0, 4)
    after_one = notified(bot, "chat.update", "D0A01")[-1]
    for question in (1, 2):
        answer(bot, "U0A01", question, 5)
    after_all = notified(bot, "chat.update", "D0A01")[-1]

    assert after_one.startswith("Team pulse — round 1: 1 of 3 answered, 2 to go. Open until "), after_one
    assert after_all.startswith("Team pulse — round 1: All 3 answered, thank you; you can change an answer."), after_all
