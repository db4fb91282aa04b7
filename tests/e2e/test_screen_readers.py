"""What a screen reader says: buttons that repeat the same words in one message or view (several "Approve", the
same numbers under each pulse question) each name what they act on, in the `accessibility_label` Slack reads in
place of the button's text."""

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from slack_sdk.errors import SlackApiError

from bot.demo.script import ACTS, MONDAY
from bot.demo.stage import stage
from bot.fakeslack import Call
from handlers.blocks import pulse as pulse_blocks
from handlers.blocks import pulse_results as result_blocks
from handlers.jobs.send_weekly_digests import send_weekly_digests
from tests.conftest import RunningBot
from tests.e2e.test_pulse_results import answer_all, close
from tests.e2e.test_pulse_rounds import answer, questions_dm, start, tick
from tests.e2e.test_resolutions_approvals import request_over_the_limit
from tests.fixture_week import at, load_fixture_week
from tests.helpers import load_org_and_policy
from tests.pulse_org import EAST, PULSE, load_pulse_org


def buttons(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every button in the blocks: in actions blocks and as a section's accessory."""
    found = [element for block in blocks for element in block.get("elements") or [] if element["type"] == "button"]
    return found + [block["accessory"] for block in blocks if (block.get("accessory") or {}).get("type") == "button"]


def read_aloud(button: dict[str, Any]) -> str:
    return str(button.get("accessibility_label") or button["text"]["text"])


def said_alike(blocks: list[dict[str, Any]]) -> list[str]:
    """What a screen reader says for more than one button of the surface."""
    said = [read_aloud(button) for button in buttons(blocks)]
    return sorted({words for words in said if said.count(words) > 1})


def shown_blocks(call: Call) -> list[dict[str, Any]]:
    view = call.args.get("view") or {}
    return list(call.args.get("blocks") or view.get("blocks") or [])


def test_requests_waiting_in_the_home_each_name_the_request_their_buttons_decide(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    request_over_the_limit(bot, "U0AGENT1")
    request_over_the_limit(bot, "U0AGENT2")

    bot.driver.open_home("U0MGR1")

    [home] = bot.slack.calls("views.publish", user_id="U0MGR1")
    assert said_alike(shown_blocks(home)) == []
    labels = [read_aloud(b) for b in buttons(shown_blocks(home)) if b["action_id"] == "resolution_approve"]
    assert len(labels) == 2
    assert all(label.startswith("Approve ") and "refund of $80" in label for label in labels), labels
    assert all(len(read_aloud(b)) <= 75 for b in buttons(shown_blocks(home)))


def test_each_pulse_answer_button_names_its_question_and_the_answer_being_changed_is_said_not_only_coloured(
    bot: RunningBot,
) -> None:
    start(bot)
    invitation = questions_dm(bot, "U0A01")
    assert said_alike(shown_blocks(invitation)) == []
    assert "Answer 5 (strongly agree) to question 2" in [read_aloud(b) for b in buttons(shown_blocks(invitation))]

    answer(bot, "U0A01", 0, 4)
    answered = bot.slack.messages_to("U0A01")[-1]
    bot.driver.click("U0A01", answered, "pulse_change:" + answered_question(answered))

    changing = bot.slack.messages_to("U0A01")[-1]
    assert said_alike(shown_blocks(changing)) == []
    [current] = [b for b in buttons(shown_blocks(changing)) if b.get("style") == "primary"]
    assert read_aloud(current) == "Answer 4 to question 1, your answer now"


def answered_question(message: Call) -> str:
    [change] = [b for b in buttons(shown_blocks(message)) if b["action_id"].startswith("pulse_change:")]
    return str(change["action_id"].split(":", 1)[1])


def test_requests_waiting_in_the_digest_each_name_the_request_their_buttons_decide(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    request_over_the_limit(bot, "U0AGENT1")
    request_over_the_limit(bot, "U0AGENT2")

    bot.driver.command("U0MGR1", "/digest")

    [digest] = bot.slack.calls("response_url")
    assert said_alike(shown_blocks(digest)) == []
    declines = [read_aloud(b) for b in buttons(shown_blocks(digest)) if b["action_id"] == "resolution_decline"]
    assert len(declines) == 2 and all(label.startswith("Decline ") for label in declines), declines


def test_each_reply_button_under_the_anonymous_comments_names_its_comment(bot: RunningBot) -> None:
    load_pulse_org(bot.sessions, bot.clock.now())
    bot.driver.command("U0HR", "/pulse", "start")
    answer_all(bot, ["U0A01", "U0A02", "U0A03", "U0A04", "U0A05"], 4)
    for author, comment in (("U0A01", "Too few people on Saturdays"), ("U0A02", "Too few people on Sundays")):
        bot.driver.click(author, questions_dm(bot, author), pulse_blocks.COMMENT_ACTION)
        bot.driver.submit(author, bot.slack.calls("views.open")[-1].args["view"], {"comment": comment})
    bot.clock.advance(timedelta(hours=72))
    tick(bot)

    results = bot.driver.command("U0MGR1", "/pulse", "results")

    replies = [read_aloud(b) for b in buttons(results.json["blocks"]) if b["action_id"] == result_blocks.REPLY_ACTION]
    assert replies == [
        "Reply to anonymous comment 1: Too few people on Saturdays",
        "Reply to anonymous comment 2: Too few people on Sundays",
    ]


def test_in_a_week_of_latitude_every_message_says_what_it_is_about_in_its_notification_text(tmp_path: Path) -> None:
    """Phones show only a message's `text`, and screen readers read only it, not the blocks
    (https://docs.slack.dev/reference/methods/chat.postMessage): each message has one, and two messages in one
    conversation about different things never read the same ("Your request was approved", twice, says not which)."""
    with stage(tmp_path, MONDAY) as demo:
        for act in ACTS:
            act(demo)
        calls = demo.slack.calls()
    assert not demo.failures
    messages: dict[tuple[str, str], tuple[str, list[dict[str, Any]]]] = {}
    for call in calls:
        if call.method in ("chat.postMessage", "chat.update", "chat.postEphemeral", "response_url"):
            assert str(call.args.get("text") or "").strip(), f"{call.method} to {call.channel} without text"
            assert said_alike(shown_blocks(call)) == [], call.args.get("text")
        if call.method in ("chat.postMessage", "chat.update"):
            where = (str(call.response["channel"]), str(call.response["ts"]))
            messages[where] = (str(call.args["text"]), shown_blocks(call) or messages[where][1])
    read: dict[tuple[str, str], str] = {}
    for (channel, _ts), (text, blocks) in messages.items():
        content = json.dumps(blocks, sort_keys=True)
        assert read.setdefault((channel, text), content) == content, f"two different messages read {text!r}"
    said = {str(call.args.get("text")) for call in calls}
    assert {
        "Dan Diaz needs your decision: replacement of $95",
        "Nora North declined your replacement of $95 (customer order 1004). Why: Broken on arrival is a carrier "
        "claim: log it with them first",
        "Eve Evans recognised you with Coffee &amp; cake voucher (25 USD)",
        "Your nomination of Fin Ford for Coffee &amp; cake voucher was approved",
        "Reward grant #2 to fulfil: Coffee &amp; cake voucher for Fin Ford",
        "Approved by Sol South: Coffee &amp; cake voucher for Fin Ford",
        "Suggestion #1: Planned",
        "Your team's week: 1 customer fix, 0 waiting on you",
    } <= said


def test_the_digest_chart_says_its_figures_to_a_screen_reader(bot: RunningBot) -> None:
    load_fixture_week(bot.sessions)
    bot.clock.set(at(2, 14, month=3))  # 09:00 in New York

    send_weekly_digests(bot.runtime.deps, bot.runtime.app.client)

    alt = [str(c.args.get("alt_txt") or "") for c in bot.slack.calls("files.getUploadURLExternal")]
    assert any(
        said.startswith(
            "Bar chart, Customer fixes, 2026-W09, by category this week: credit 3 (last week 1); refund 2 (last week 1)"
        )
        for said in alt
    ), alt


def test_the_pulse_trend_chart_says_its_scores_to_a_screen_reader(bot: RunningBot) -> None:
    start(bot)
    answer_all(bot, ["U0A01", "U0A02", "U0A03", "U0A04", "U0A05"], 4)
    bot.clock.advance(timedelta(hours=72))
    tick(bot)

    bot.driver.command("U0MGR1", "/pulse", "results")

    [asked] = bot.slack.calls("files.getUploadURLExternal")
    assert str(asked.args["alt_txt"]).startswith("Line chart, Pulse trend — ")
    assert "round 1 4.0" in str(asked.args["alt_txt"])


def test_the_pulse_trend_chart_says_which_way_each_score_last_moved(bot: RunningBot) -> None:
    """A listener hears the slope the chart draws, not only the figures to subtract."""
    one_question = PULSE.replace("questions_per_round = 3", "questions_per_round = 1\nreplace_default_questions = true")
    question = '[[pulse.questions]]\nkey = "staffing"\ntext = "We have enough people on shift."\nscale = "agreement"\n'
    load_pulse_org(bot.sessions, bot.clock.now(), pulse=one_question + question)
    for value in (4, 3):
        bot.slack.reset()
        bot.driver.command("U0HR", "/pulse", "start")
        answer_all(bot, EAST[:5], value, questions=1)
        close(bot)

    bot.driver.command("U0MGR1", "/pulse", "results")

    [asked] = bot.slack.calls("files.getUploadURLExternal")
    assert "staffing: round 1 4.0, round 2 3.0, down 1.0 since round 1." in str(asked.args["alt_txt"])


def test_slack_refuses_alt_text_over_a_thousand_characters(bot: RunningBot) -> None:
    with pytest.raises(SlackApiError) as refused:
        bot.runtime.app.client.files_getUploadURLExternal(filename="chart.png", length=10, alt_txt="a" * 1001)
    assert refused.value.response["error"] == "alt_txt_too_large"


BARE_WORDS = {"Approve", "Decline", "Mark fulfilled", "Revoke", "Under review", "Planned", "Done", "Not doing"}


def test_in_a_week_of_latitude_no_button_is_read_aloud_as_a_bare_verb(tmp_path: Path) -> None:
    """A screen reader listing a conversation's buttons says each one alone: "Done" or "Approve" says neither
    which suggestion or reward it moves, nor that "Done" is not "close this"."""
    with stage(tmp_path, MONDAY) as demo:
        for act in ACTS:
            act(demo)
        calls = demo.slack.calls()
    said = {read_aloud(button) for call in calls for button in buttons(shown_blocks(call))}
    assert said & (BARE_WORDS | {"Me too", "Apply", "Dismiss"}) == set()
    assert {
        "Approve Coffee & cake voucher for Fin Ford",
        "Mark reward grant #2 fulfilled",
        "Mark suggestion #1 Done",
        "Me too: back suggestion #1",
        "Apply the refund limit of $85 for agent",
    } <= said, sorted(said)
