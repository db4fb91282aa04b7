"""An anonymous comment's author answers each of a manager's replies once: one reply opens no way to send the manager
any number of anonymous DMs until replies end."""

import json
from pathlib import Path

from sqlalchemy import select, text, update

from bot.fakeslack.server import Call
from handlers.blocks import pulse_results as result_blocks
from models import Delivery, PulseReply
from models.schema import migrate, upgrade
from tests.conftest import MONDAY_MORNING, RunningBot
from tests.e2e.test_pulse_relay import after_the_relay_delay, answer_form_reply, commented_round, reply_from_results
from tests.e2e.test_upgrades import add_workspace, at_revision
from tests.helpers import as_an_older_version_sent_it


def reply_reaching_the_author(bot: RunningBot, text: str) -> Call:
    reply_from_results(bot, "U0MGR1", text)
    return bot.slack.calls("chat.postMessage")[-1]


def answer_form(bot: RunningBot, to_author: Call) -> dict[str, object]:
    bot.driver.click("U0A01", to_author, result_blocks.ANSWER_REPLY_ACTION)
    return dict(bot.slack.calls("views.open")[-1].args["view"])


def answers_to_the_manager(bot: RunningBot) -> list[str]:
    return [str(call.text) for call in bot.slack.calls("chat.postMessage") if call.channel == "U0MGR1"]


def test_an_author_answering_the_same_reply_again_is_told_and_nothing_more_reaches_the_manager(
    bot: RunningBot,
) -> None:
    commented_round(bot)
    to_author = reply_reaching_the_author(bot, "Which shifts?")
    first, second = answer_form(bot, to_author), answer_form(bot, to_author)
    bot.driver.submit("U0A01", first, {"message": "Saturday mornings"})

    again = bot.driver.submit("U0A01", second, {"message": "You are the worst manager ever"})
    told = answer_form_reply(bot, "U0A01", to_author)
    after_the_relay_delay(bot)

    assert "already answered this reply" in again.json["errors"][result_blocks.MESSAGE_BLOCK]
    assert "already answered this reply" in told
    [answer] = answers_to_the_manager(bot)
    assert "answered your reply" in answer


def test_a_new_reply_from_the_manager_can_be_answered(bot: RunningBot) -> None:
    commented_round(bot)
    first_reply = reply_reaching_the_author(bot, "Which shifts?")
    bot.driver.submit("U0A01", answer_form(bot, first_reply), {"message": "Saturday mornings"})
    after_the_relay_delay(bot)

    [answer] = [call for call in bot.slack.calls("chat.postMessage") if call.channel == "U0MGR1"]
    bot.driver.click("U0MGR1", answer, result_blocks.REPLY_ACTION)
    bot.driver.submit("U0MGR1", bot.slack.calls("views.open")[-1].args["view"], {"message": "Early or late ones?"})
    after_the_relay_delay(bot)
    second_reply = bot.slack.calls("chat.postMessage")[-1]
    bot.driver.submit("U0A01", answer_form(bot, second_reply), {"message": "Early ones"})
    after_the_relay_delay(bot)

    assert len(answers_to_the_manager(bot)) == 2


def test_an_answer_slack_refused_for_good_may_be_sent_again(bot: RunningBot) -> None:
    commented_round(bot)
    to_author = reply_reaching_the_author(bot, "Which shifts?")
    bot.driver.submit("U0A01", answer_form(bot, to_author), {"message": "Saturday mornings"})
    bot.slack.fail("chat.postMessage", error="channel_not_found", channel="U0MGR1")
    after_the_relay_delay(bot)
    assert "Slack would not deliver your answer" in bot.slack.messages_to("U0A01")[-1].text

    sent = bot.driver.submit("U0A01", answer_form(bot, to_author), {"message": "Saturday mornings, again"})
    after_the_relay_delay(bot)

    assert "errors" not in sent.json
    [answer] = answers_to_the_manager(bot)
    assert "answered your reply" in answer


def as_the_earlier_release_queued_it(bot: RunningBot) -> str:
    """The author's answer, waiting under the key the release before migration 0048 gave it: its reply's own."""
    with bot.sessions.begin() as session:
        answer = session.scalars(select(Delivery).where(Delivery.idempotency_key.contains(":answer:"))).one()
        answer.idempotency_key = answer.idempotency_key.replace(":answer:", ":")
        return answer.idempotency_key


def relayed_keys(bot: RunningBot) -> list[str]:
    with bot.sessions() as session:
        keys = session.scalars(select(Delivery.idempotency_key).order_by(Delivery.created_at))
        return [key for key in keys if key.startswith("pulse-relay:")]


def as_the_earlier_release_replied(bot: RunningBot, to_author: Call) -> Call:
    """The reply under the id a release before migration 0053 counted up for it (1), in its row, the key its message
    waited under and its Answer button: a reply's id is drawn below zero since."""
    with bot.sessions.begin() as session:
        drawn = session.scalars(select(PulseReply.id)).one()
        session.execute(update(PulseReply).values(id=1))
        for delivery in session.scalars(select(Delivery).where(Delivery.idempotency_key.startswith("pulse-relay:"))):
            delivery.idempotency_key = delivery.idempotency_key.replace(f":{drawn}:", ":1:")
    [button] = [e for b in to_author.args["blocks"] for e in b.get("elements") or [] if e.get("value")]
    counted = button["value"].replace(str(drawn), "1", 1)
    return as_an_older_version_sent_it(bot.slack, to_author, result_blocks.ANSWER_REPLY_ACTION, counted)


def test_an_answer_queued_before_the_upgrade_still_counts_as_the_replys_one_answer(bot: RunningBot) -> None:
    commented_round(bot)
    to_author = as_the_earlier_release_replied(bot, reply_reaching_the_author(bot, "Which shifts?"))
    second = answer_form(bot, to_author)
    bot.driver.submit("U0A01", answer_form(bot, to_author), {"message": "Saturday mornings"})
    older = as_the_earlier_release_queued_it(bot)
    [reply_key] = [key for key in relayed_keys(bot) if key != older]

    migrate(bot.runtime.engine, "downgrade", "0047")
    upgrade(bot.runtime.engine)
    again = bot.driver.submit("U0A01", second, {"message": "You are the worst manager ever"})
    after_the_relay_delay(bot)

    assert relayed_keys(bot) == [reply_key, older.replace(":1:1:", ":1:1:answer:")]
    assert "already answered this reply" in again.json["errors"][result_blocks.MESSAGE_BLOCK]
    [answer] = answers_to_the_manager(bot)
    assert "answered your reply" in answer


def test_the_upgrade_moves_an_earlier_answer_and_its_not_delivered_notice_and_leaves_replies_alone(
    tmp_path: Path,
) -> None:
    engine = at_revision(tmp_path, "0047")
    workspace = add_workspace(engine, "T0LATITUDE")
    rows = {
        "pulse-relay:3:7:00aa11bb22cc33dd": {"latitude_relayed": {"kind": "reply", "reply": "7"}},
        "pulse-relay:3:7:0123456789abcdef": {"latitude_relayed": {"kind": "answer", "reply": "7"}},
        "pulse-relay:3:7:0123456789abcdef:not-delivered": {"text": "Slack would not deliver your answer"},
        "pulse-relay:3:7:00aa11bb22cc33dd:not-delivered": {"text": "Slack would not deliver your reply"},
        "pulse-relay:3:8:answer:fedcba9876543210": {"latitude_relayed": {"kind": "answer", "reply": "8"}},
    }
    with engine.begin() as connection:
        for key, payload in rows.items():
            connection.execute(
                text(
                    "INSERT INTO deliveries (workspace_id, idempotency_key, method, payload, status, attempts, "
                    "next_attempt_at, created_at) VALUES (:workspace, :key, 'chat.postMessage', :payload, 'sent', 1, "
                    ":at, :at)"
                ),
                {"workspace": workspace, "key": key, "payload": json.dumps(payload), "at": MONDAY_MORNING},
            )

    upgrade(engine, "0048")

    with engine.begin() as connection:
        keys = list(connection.scalars(text("SELECT idempotency_key FROM deliveries ORDER BY id")))
    engine.dispose()
    assert keys == [
        "pulse-relay:3:7:00aa11bb22cc33dd",
        "pulse-relay:3:7:answer:0123456789abcdef",
        "pulse-relay:3:7:answer:0123456789abcdef:not-delivered",
        "pulse-relay:3:7:00aa11bb22cc33dd:not-delivered",
        "pulse-relay:3:8:answer:fedcba9876543210",
    ]
