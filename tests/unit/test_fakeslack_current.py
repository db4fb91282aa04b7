"""Only what the person sees now is clicked or submitted: a button the app replaced or deleted is gone from every
screen, a button sends its own value, a modal closed or replaced is submitted no more; anything else is forged."""

import json
import threading
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from slack_sdk import WebClient

from bot.fakeslack import FakeSlack, SlackDriver
from bot.fakeslack.current import Outdated
from tests.unit.fakeslack_fixtures import client, driver
from tests.unit.test_fakeslack import modal, slack, text
from tests.unit.test_fakeslack_views import an_app_acking

__all__ = ["client", "driver", "slack"]

BUTTON = {"type": "button", "action_id": "go", "text": text("Go"), "value": "7"}
ACTIONS = [{"type": "actions", "block_id": "act", "elements": [BUTTON]}]
DONE = [{"type": "section", "text": text("Approved", "mrkdwn")}]


def test_a_button_the_app_took_away_with_chat_update_is_clicked_only_in_a_forged_payload(
    slack: FakeSlack, client: WebClient, driver: SlackDriver
) -> None:
    posted = client.chat_postMessage(channel="U0LEE", text="Approve?", blocks=ACTIONS)
    [sent] = slack.calls("chat.postMessage")
    before = driver.click_payload("U0LEE", sent, "go")

    client.chat_update(channel=posted["channel"], ts=posted["ts"], text="Approved", blocks=DONE)

    with pytest.raises(Outdated, match="'go' as the test's copy shows it is no longer in message"):
        driver.click_payload("U0LEE", sent, "go")
    assert driver.click_payload("U0LEE", sent, "go", forged=True)["message"]["text"] == "Approve?"
    assert before["message"]["text"] == "Approve?", "a click built before the update: a race Slack allows"


def test_a_click_on_a_message_updated_around_its_button_carries_the_message_as_it_is_now(
    slack: FakeSlack, client: WebClient, driver: SlackDriver
) -> None:
    posted = client.chat_postMessage(channel="U0LEE", text="Approve?", blocks=ACTIONS)
    [sent] = slack.calls("chat.postMessage")

    client.chat_update(channel=posted["channel"], ts=posted["ts"], text="Still waiting", blocks=[*DONE, *ACTIONS])

    shown = driver.click_payload("U0LEE", sent, "go")["message"]
    assert shown["text"] == "Still waiting" and len(shown["blocks"]) == 2


def test_a_click_on_a_copy_kept_from_before_an_update_carries_that_copy(
    slack: FakeSlack, client: WebClient, driver: SlackDriver
) -> None:
    """The screen the update had not reached yet: the click sends what the person was looking at."""
    posted = client.chat_postMessage(channel="U0LEE", text="Approve?", blocks=ACTIONS)
    [sent] = slack.calls("chat.postMessage")
    on_screen = driver.seen(sent)

    client.chat_update(channel=posted["channel"], ts=posted["ts"], text="Approved", blocks=DONE)

    clicked = driver.click_payload_on("U0LEE", on_screen, "go")
    assert clicked["message"]["text"] == "Approve?" and clicked["actions"][0]["value"] == "7"
    assert clicked["message"]["blocks"][0]["block_id"] == "act"


def test_a_deleted_message_is_clicked_no_more(slack: FakeSlack, client: WebClient, driver: SlackDriver) -> None:
    posted = client.chat_postMessage(channel="U0LEE", text="Approve?", blocks=ACTIONS)
    [sent] = slack.calls("chat.postMessage")

    client.chat_delete(channel=posted["channel"], ts=posted["ts"])

    with pytest.raises(Outdated, match="was deleted"):
        driver.click_payload("U0LEE", sent, "go")


def test_an_ephemeral_message_replaced_through_its_response_url_loses_its_buttons(
    slack: FakeSlack, client: WebClient, driver: SlackDriver
) -> None:
    client.chat_postEphemeral(channel="C0GENERAL", user="U0LEE", text="Approve?", blocks=ACTIONS)
    [sent] = slack.calls("chat.postEphemeral")
    click = driver.click_payload("U0LEE", sent, "go")

    answer = json.dumps({"replace_original": True, "text": "Done"}).encode()
    request = urllib.request.Request(click["response_url"], data=answer, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=5) as response:
        assert response.status == 200

    with pytest.raises(Outdated):
        driver.click_payload("U0LEE", sent, "go")


def test_a_button_sends_its_own_value_and_of_several_alike_the_one_whose_value_is_named(
    slack: FakeSlack, client: WebClient, driver: SlackDriver
) -> None:
    rows = [{"type": "actions", "elements": [{**BUTTON, "value": value}]} for value in ("7", "8")]
    client.chat_postMessage(channel="U0LEE", text="Approve?", blocks=rows)
    [sent] = slack.calls("chat.postMessage")

    assert driver.click_payload("U0LEE", sent, "go", value="8")["actions"][0]["value"] == "8"
    with pytest.raises(Outdated, match="sends '7', not '9'"):
        driver.click_payload("U0LEE", sent, "go", value="9")
    assert driver.click_payload("U0LEE", sent, "go", value="9", forged=True)["actions"][0]["value"] == "9"


def test_a_modal_replaced_or_closed_is_submitted_no_more(
    slack: FakeSlack, client: WebClient, driver: SlackDriver
) -> None:
    first, second = modal(), modal({"type": "plain_text_input", "action_id": "note"})
    opened = client.views_open(trigger_id=slack.trigger_id("U0LEE"), view=first)["view"]

    client.views_update(view_id=opened["id"], view=second)

    with pytest.raises(Outdated, match="closed or replaced"):
        driver.submit_payload("U0LEE", first, {"why": "late"})
    with pytest.raises(Outdated, match="was updated since"):
        driver.submit_payload("U0LEE", opened, {"why": "late"})
    assert driver.submit_payload("U0LEE", second, {"note": "late"})
    driver.close_modal(second)
    with pytest.raises(Outdated, match="closed or replaced"):
        driver.submit_payload("U0LEE", second, {"note": "late"})
    assert driver.submit_payload("U0LEE", second, {"note": "late"}, forged=True)


def test_clear_closes_every_view_of_the_stack(slack: FakeSlack, client: WebClient, driver: SlackDriver) -> None:
    """https://docs.slack.dev/surfaces/modals#close_all_views"""
    below = modal(title=text("Below"))
    opened = client.views_open(trigger_id=slack.trigger_id("U0LEE"), view=below)["view"]
    pushed = client.views_push(trigger_id=slack.trigger_id("U0LEE", opened["id"]), view=modal())["view"]

    assert slack.state.views.answered(pushed["id"], {"response_action": "clear"}) == []

    with pytest.raises(Outdated, match="closed or replaced"):
        driver.submit_payload("U0LEE", below, {"why": "late"})


def test_a_home_published_again_replaces_the_one_shown(
    slack: FakeSlack, client: WebClient, driver: SlackDriver
) -> None:
    home = {"type": "home", "blocks": ACTIONS}
    client.views_publish(user_id="U0LEE", view=home)
    client.views_publish(user_id="U0LEE", view={"type": "home", "blocks": DONE})

    with pytest.raises(Outdated, match="Home was published again"):
        driver.view_click_payload("U0LEE", home, "go")


def test_a_click_on_an_old_copy_is_sent_for_the_button_clicked_not_an_alike_one_added_above_it(
    slack: FakeSlack, client: WebClient, driver: SlackDriver
) -> None:
    clicked = {"type": "actions", "block_id": "b1", "elements": [{**BUTTON, "value": "1"}]}
    added = {"type": "actions", "block_id": "b0", "elements": [{**BUTTON, "value": "0"}]}
    posted = client.chat_postMessage(channel="U0LEE", text="Approve?", blocks=[clicked])
    [sent] = slack.calls("chat.postMessage")

    client.chat_update(channel=posted["channel"], ts=posted["ts"], text="Approve?", blocks=[added, clicked])

    [action] = driver.click_payload("U0LEE", sent, "go")["actions"]
    assert (action["block_id"], action["value"]) == ("b1", "1")


def test_a_button_moved_to_another_block_of_the_app_is_not_the_one_clicked(
    slack: FakeSlack, client: WebClient, driver: SlackDriver
) -> None:
    posted = client.chat_postMessage(channel="U0LEE", text="Approve?", blocks=ACTIONS)
    [sent] = slack.calls("chat.postMessage")

    client.chat_update(
        channel=posted["channel"], ts=posted["ts"], text="Again", blocks=[{**ACTIONS[0], "block_id": "new"}]
    )

    with pytest.raises(Outdated, match="no longer in message"):
        driver.click_payload("U0LEE", sent, "go")


def test_a_submission_carries_the_view_as_slack_holds_it_and_a_changed_copy_is_forged(
    slack: FakeSlack, client: WebClient, driver: SlackDriver
) -> None:
    opened = client.views_open(trigger_id=slack.trigger_id("U0LEE"), view=modal(private_metadata="42"))["view"]
    tampered = {**opened, "private_metadata": "43"}

    with pytest.raises(Outdated, match=r"was updated since the test's copy \(its \['private_metadata'\]\)"):
        driver.submit_payload("U0LEE", tampered, {"why": "late"})
    with pytest.raises(Outdated, match="private_metadata"):
        driver.view_click_payload("U0LEE", tampered, "why")
    assert driver.submit_payload("U0LEE", tampered, {"why": "x"}, forged=True)["view"]["private_metadata"] == "43"
    bare = {"id": opened["id"]}
    assert driver.submit_payload("U0LEE", bare, {"why": "x"})["view"]["private_metadata"] == "42"


def test_a_view_with_another_pushed_over_it_is_submitted_no_more_until_that_one_closes(
    slack: FakeSlack, client: WebClient, driver: SlackDriver
) -> None:
    opened = client.views_open(trigger_id=slack.trigger_id("U0LEE"), view=modal(title=text("Below")))["view"]
    pushed = client.views_push(trigger_id=slack.trigger_id("U0LEE", opened["id"]), view=modal())["view"]

    with pytest.raises(Outdated, match="has another pushed over it"):
        driver.submit_payload("U0LEE", opened, {"why": "hidden"})
    assert driver.submit_payload("U0LEE", opened, {"why": "hidden"}, forged=True)
    driver.close_modal(pushed)
    assert driver.submit_payload("U0LEE", opened, {"why": "shown again"})


def test_closing_a_view_with_clear_on_close_closes_its_whole_stack(
    slack: FakeSlack, client: WebClient, driver: SlackDriver
) -> None:
    """https://docs.slack.dev/reference/views/modal-views: clear_on_close closes all views of the stack."""
    below = client.views_open(trigger_id=slack.trigger_id("U0LEE"), view=modal(title=text("Below")))["view"]
    pushed = client.views_push(trigger_id=slack.trigger_id("U0LEE", below["id"]), view=modal(clear_on_close=True))

    driver.close_modal(pushed["view"])

    with pytest.raises(Outdated, match="closed or replaced"):
        driver.submit_payload("U0LEE", below, {"why": "late"})


def test_a_commands_ack_is_a_message_its_response_url_replaces_and_its_old_copy_is_clicked_no_more(
    slack: FakeSlack,
) -> None:
    received: list[bytes] = []
    with an_app_acking({"text": "Approve?", "blocks": ACTIONS}, received) as url:
        reply = SlackDriver(url, "secret", slack).command("U0LEE", "/resolve", "refund 80")
    driver = SlackDriver("http://127.0.0.1:9/unused", "secret", slack)
    assert reply.shown is not None
    assert driver.click_payload("U0LEE", reply.shown, "go")["container"]["is_ephemeral"]
    [response_url] = urllib.parse.parse_qs(received[0].decode())["response_url"]

    answer = json.dumps({"replace_original": True, "text": "Done"}).encode()
    request = urllib.request.Request(response_url, data=answer, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=5) as response:
        assert response.status == 200

    with pytest.raises(Outdated, match="no longer in message"):
        driver.click_payload("U0LEE", reply.shown, "go")
    assert [c.response.get("replaced") for c in slack.calls("response_url")] == [True]


def test_a_commands_ack_replaced_before_slack_showed_it_is_a_violation(slack: FakeSlack) -> None:
    """Slack documents nothing of a response URL replacing an ack it has not shown yet: the app must not rely on it."""

    class ReplacingFirst(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            [response_url] = urllib.parse.parse_qs(body.decode())["response_url"]
            answer = json.dumps({"replace_original": True, "text": "Done"}).encode()
            request = urllib.request.Request(response_url, data=answer, headers={"Content-Type": "application/json"})
            urllib.request.urlopen(request, timeout=5).close()
            ack = json.dumps({"text": "Working on it"}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(ack)))
            self.end_headers()
            self.wfile.write(ack)

        def log_message(self, *_args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), ReplacingFirst)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    try:
        SlackDriver(f"http://127.0.0.1:{server.server_address[1]}/slack/events", "secret", slack).command(
            "U0LEE", "/resolve", "refund 80"
        )
    finally:
        server.shutdown()
        server.server_close()

    assert [v for v in slack.state.violations if "before Slack showed it" in v]
    slack.state.violations.clear()
