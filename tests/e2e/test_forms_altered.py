"""A form whose hidden part (`private_metadata`) was altered after Latitude opened it: refused, and nothing changes.

The hidden part says which item a form is about and which message to refresh after it; a client that alters it must
not reach another item, another message, or a web address of its choosing. The form then says why it was refused, in
place of Slack's "We had some trouble connecting".
"""

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from sqlalchemy import select

from bot.fakeslack import Call, Reply
from handlers.blocks import nominations as nomination_blocks
from handlers.blocks import pulse_results as result_blocks
from handlers.blocks import rewards as reward_blocks
from handlers.form_seals import SEAL_REFUSED
from models import PulseComment, PulseReply, Resolution, RewardGrant, Suggestion
from tests.conftest import RunningBot
from tests.e2e.test_pulse_relay import after_the_relay_delay, commented_round, reply_from_results
from tests.e2e.test_pulse_rounds import questions_dm, start
from tests.helpers import load_org_and_policy, shown
from tests.rewards_helpers import set_up
from tests.suggestions_helpers import load_suggestion_org


@pytest.fixture
def ready(bot: RunningBot) -> RunningBot:
    load_org_and_policy(bot.sessions, bot.clock.now())
    return bot


@pytest.fixture
def elsewhere() -> Iterator[tuple[str, list[bytes]]]:
    """A web server outside Slack: its address, and what was posted to it."""
    posted: list[bytes] = []

    class Record(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            posted.append(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Record)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hook", posted
    finally:
        server.shutdown()
        server.server_close()


def request_from(bot: RunningBot, user: str) -> Call:
    bot.driver.command(user, "/resolve", "refund 80 order 42 parcel lost in transit")
    return bot.slack.calls("chat.postMessage")[-1]


def statuses(bot: RunningBot) -> list[str]:
    with bot.sessions() as session:
        return list(session.scalars(select(Resolution.status).order_by(Resolution.id)))


def altered(view: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """The view with fields of its JSON hidden part changed, and what follows its last `~` (a seal) kept as it was."""
    metadata = view["private_metadata"]
    shown, _, seal = metadata.rpartition("~") if "~" in metadata else (metadata, "", "")
    changed = json.dumps({**json.loads(shown), **changes})
    return {**view, "private_metadata": f"{changed}~{seal}" if seal else changed}


def assert_refused_in_the_form(reply: Reply) -> None:
    """The form became the reason it was refused, with nothing to send again."""
    assert reply.status == 200
    assert reply.json["response_action"] == "update"
    view = reply.json["view"]
    assert "submit" not in view
    assert SEAL_REFUSED in json.dumps(view)


def test_a_decline_form_altered_to_refresh_another_managers_request_is_refused(ready: RunningBot) -> None:
    mine = request_from(ready, "U0AGENT1")
    theirs = request_from(ready, "U0AGENT3")
    ready.driver.click("U0MGR1", mine, "resolution_decline")
    view = ready.slack.calls("views.open")[-1].args["view"]
    before = len(ready.slack.calls())

    forged = altered(view, channel=theirs.response["channel"], ts=theirs.response["ts"])
    reply = ready.driver.submit("U0MGR1", forged, {"reason": "no"}, forged=True)

    assert_refused_in_the_form(reply)
    assert statuses(ready) == ["pending", "pending"]
    assert [call.method for call in ready.slack.calls()[before:]] == []


def test_a_decline_form_altered_to_post_to_another_address_posts_nothing_there(
    ready: RunningBot, elsewhere: tuple[str, list[bytes]]
) -> None:
    address, posted = elsewhere
    request = request_from(ready, "U0AGENT1")
    ready.driver.click("U0MGR1", request, "resolution_decline")
    view = ready.slack.calls("views.open")[-1].args["view"]

    forged = altered(view, respond=address)
    reply = ready.driver.submit("U0MGR1", forged, {"reason": "no"}, forged=True)

    assert_refused_in_the_form(reply)
    assert statuses(ready) == ["pending"]
    assert posted == []


def test_an_unaltered_decline_form_still_declines(ready: RunningBot) -> None:
    request = request_from(ready, "U0AGENT1")
    ready.driver.click("U0MGR1", request, "resolution_decline")
    view = ready.slack.calls("views.open")[-1].args["view"]

    reply = ready.driver.submit("U0MGR1", view, {"reason": "Lost parcels go to the carrier claim"})

    assert reply.status == 200
    assert statuses(ready) == ["declined"]
    [update] = ready.slack.calls("chat.update")
    assert (update.args["channel"], update.args["ts"]) == (request.response["channel"], request.response["ts"])


def test_a_decline_form_opened_for_one_manager_is_refused_to_another(ready: RunningBot) -> None:
    request = request_from(ready, "U0AGENT1")
    ready.driver.click("U0MGR1", request, "resolution_decline")
    view = ready.slack.calls("views.open")[-1].args["view"]

    reply = ready.driver.submit("U0ADMIN", view, {"reason": "no"}, forged=True)

    assert_refused_in_the_form(reply)
    assert statuses(ready) == ["pending"]


def test_a_revoke_form_altered_to_overwrite_a_managers_message_is_refused(bot: RunningBot) -> None:
    set_up(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT1", "/nominate", "<@U0AGENT2|lee.senior> voucher_25 saved a key account")
    [to_manager] = [call for call in bot.slack.messages_to("U0MGR1") if call.method == "chat.postMessage"]
    bot.driver.click("U0MGR1", to_manager, nomination_blocks.APPROVE)
    [to_hr] = [call for call in bot.slack.messages_to("U0HR") if call.method == "chat.postMessage"]
    bot.driver.click("U0HR", to_hr, reward_blocks.REVOKE)
    view = bot.slack.calls("views.open")[-1].args["view"]
    before = len(bot.slack.calls())

    forged = altered(view, channel=to_manager.response["channel"], ts=to_manager.response["ts"])
    reply = bot.driver.submit("U0HR", forged, {reward_blocks.DECISION_REASON: "no"}, forged=True)

    assert_refused_in_the_form(reply)
    with bot.sessions() as session:
        assert list(session.scalars(select(RewardGrant.status))) == ["approved"]
    assert [call.method for call in bot.slack.calls()[before:]] == []


def test_a_pulse_comment_form_altered_to_overwrite_a_colleagues_questions_is_refused(bot: RunningBot) -> None:
    start(bot)
    theirs = questions_dm(bot, "U0A02")
    bot.driver.click("U0A01", questions_dm(bot, "U0A01"), "pulse_comment")
    view = bot.slack.calls("views.open")[-1].args["view"]
    before = len(bot.slack.calls())
    placement = view["private_metadata"].rpartition("~")[0] or view["private_metadata"]
    seal = view["private_metadata"][len(placement) :]
    round_id = placement.split(":", 1)[0]

    forged = {**view, "private_metadata": f"{round_id}:{theirs.response['channel']}:{theirs.response['ts']}{seal}"}
    reply = bot.driver.submit("U0A01", forged, {"comment": "more people on the late shift"}, forged=True)

    assert_refused_in_the_form(reply)
    with bot.sessions() as session:
        assert list(session.scalars(select(PulseComment.id))) == []
    assert [call.method for call in bot.slack.calls()[before:]] == []


def test_a_suggestion_note_form_altered_to_overwrite_another_ideas_card_is_refused(bot: RunningBot) -> None:
    load_suggestion_org(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT1", "/suggest", "the returns desk needs a second card reader")
    first = bot.slack.calls("chat.postMessage", channel="U0MGR1")[-1]
    bot.driver.command("U0AGENT2", "/suggest", "a rota for the late shift")
    second = bot.slack.calls("chat.postMessage", channel="U0MGR1")[-1]
    bot.driver.click("U0MGR1", first, "suggestion_not_doing")
    view = bot.slack.calls("views.open")[-1].args["view"]
    before = len(bot.slack.calls())

    forged = altered(view, channel=second.response["channel"], ts=second.response["ts"])
    reply = bot.driver.submit("U0MGR1", forged, {"note": "The new tills next month have two readers"}, forged=True)

    assert_refused_in_the_form(reply)
    with bot.sessions() as session:
        assert list(session.scalars(select(Suggestion.status))) == ["open", "open"]
    assert [call.method for call in bot.slack.calls()[before:]] == []


def forged_subject(view: dict[str, Any], subject: str) -> dict[str, Any]:
    """The form with its hidden part (a comment id, or a reply and its round) replaced, any seal after it kept."""
    metadata = view["private_metadata"]
    seal = metadata[metadata.rindex("~") :] if "~" in metadata else ""
    return {**view, "private_metadata": f"{subject}{seal}"}


def test_a_pulse_reply_form_altered_to_reply_to_another_comment_is_refused(bot: RunningBot) -> None:
    commented_round(bot)
    results = bot.driver.command("U0MGR1", "/pulse", "results")
    bot.driver.click("U0MGR1", shown(results), result_blocks.REPLY_ACTION)
    view = bot.slack.calls("views.open")[-1].args["view"]
    with bot.sessions() as session:
        [comment] = session.scalars(select(PulseComment.id))
    before = len(bot.slack.calls())

    forged = forged_subject(view, str(comment - 1))
    reply = bot.driver.submit("U0MGR1", forged, {"message": "Which shifts?"}, forged=True)

    assert_refused_in_the_form(reply)
    with bot.sessions() as session:
        assert list(session.scalars(select(PulseReply.id))) == []
    assert [call.method for call in bot.slack.calls()[before:]] == []


def test_an_answer_form_altered_to_name_its_reply_as_an_older_button_did_is_refused(bot: RunningBot) -> None:
    commented_round(bot)
    reply_from_results(bot, "U0MGR1", "Which shifts?")
    [to_author] = bot.slack.calls("chat.postMessage", channel="U0A01")
    bot.driver.click("U0A01", to_author, result_blocks.ANSWER_REPLY_ACTION)
    view = bot.slack.calls("views.open")[-1].args["view"]
    with bot.sessions() as session:
        [reply_id] = session.scalars(select(PulseReply.id))
    before = len(bot.slack.calls())

    forged = forged_subject(view, str(reply_id))
    reply = bot.driver.submit("U0A01", forged, {"message": "Saturday mornings"}, forged=True)

    assert_refused_in_the_form(reply)
    after_the_relay_delay(bot)
    assert [call.method for call in bot.slack.calls()[before:]] == []
