"""Forms as Slack handles them: what a submission carries, and which views `views.update` still finds."""

import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.fakeslack import FakeSlack, SlackDriver
from bot.fakeslack.blockkit import ack_problems
from bot.fakeslack.payloads import view_state
from tests.unit.fakeslack_fixtures import client
from tests.unit.test_fakeslack import error_of, modal, options, slack, text

__all__ = ["client", "slack"]


PICKED = options(3)[1]


@pytest.mark.parametrize(
    ("element", "reported"),
    [
        (
            {"type": "checkboxes", "options": options(2), "initial_options": options(1)},
            {"selected_options": options(1)},
        ),
        ({"type": "checkboxes", "options": options(2)}, {"selected_options": []}),
        ({"type": "plain_text_input", "initial_value": "as typed"}, {"value": "as typed"}),
        ({"type": "plain_text_input"}, {"value": None}),
        ({"type": "number_input", "is_decimal_allowed": False, "initial_value": "3"}, {"value": "3"}),
        ({"type": "users_select", "initial_user": "U0LEE"}, {"selected_user": "U0LEE"}),
        ({"type": "multi_users_select", "initial_users": ["U0LEE"]}, {"selected_users": ["U0LEE"]}),
        ({"type": "multi_users_select"}, {"selected_users": []}),
        ({"type": "datepicker", "initial_date": "2026-03-02"}, {"selected_date": "2026-03-02"}),
        ({"type": "timepicker", "initial_time": "09:30"}, {"selected_time": "09:30"}),
        ({"type": "channels_select", "initial_channel": "C0KUDOS"}, {"selected_channel": "C0KUDOS"}),
        ({"type": "static_select", "options": options(3), "initial_option": PICKED}, {"selected_option": PICKED}),
        ({"type": "static_select", "options": options(3)}, {"selected_option": None}),
        ({"type": "external_select", "initial_option": PICKED}, {"selected_option": PICKED}),
        ({"type": "radio_buttons", "options": options(3), "initial_option": PICKED}, {"selected_option": PICKED}),
        (
            {"type": "multi_static_select", "options": options(3), "initial_options": [PICKED]},
            {"selected_options": [PICKED]},
        ),
    ],
    ids=lambda value: str(value.get("type") or next(iter(value))),
)
def test_an_input_left_alone_is_submitted_with_its_initial_value(
    element: dict[str, Any], reported: dict[str, Any]
) -> None:
    state = view_state(modal({**element, "action_id": "field"}), {})

    assert state["values"]["field"]["field"] == {"type": element["type"], **reported}


def test_what_the_person_enters_wins_and_can_untick_every_box_or_empty_a_field() -> None:
    ticked = {"type": "checkboxes", "action_id": "public", "options": options(2), "initial_options": options(1)}
    typed = {"type": "plain_text_input", "action_id": "why", "initial_value": "because"}
    dated = {"type": "datepicker", "action_id": "when", "initial_date": "2026-03-02"}
    view = modal(ticked, typed, dated)

    entered = view_state(view, {"public": ["1"], "why": "changed", "when": "2026-03-09"})["values"]
    emptied = view_state(view, {"public": [], "why": "", "when": None})["values"]

    assert entered["public"]["public"]["selected_options"] == [options(2)[1]]
    assert (entered["why"]["why"]["value"], entered["when"]["when"]["selected_date"]) == ("changed", "2026-03-09")
    assert emptied["public"]["public"]["selected_options"] == []
    assert (emptied["why"]["why"]["value"], emptied["when"]["when"]["selected_date"]) == (None, None)


@pytest.mark.parametrize(
    ("values", "mistake"),
    [({"publc": []}, "no input ['publc'] in the view"), ({"public": ["9"]}, "no option '9' in 'public'")],
)
def test_a_submission_cannot_fill_an_input_or_pick_an_option_the_view_does_not_have(
    values: dict[str, Any], mistake: str
) -> None:
    view = modal({"type": "checkboxes", "action_id": "public", "options": options(2)})

    with pytest.raises(AssertionError, match=re.escape(mistake)):
        view_state(view, values)


def opened_view(slack: FakeSlack, client: WebClient, **more: Any) -> dict[str, Any]:
    return dict(client.views_open(trigger_id=slack.trigger_id(), view=modal(**more))["view"])


def test_views_update_knows_only_the_views_slack_issued(slack: FakeSlack, client: WebClient) -> None:
    opened = opened_view(slack, client, external_id="form-1")

    assert error_of(client.views_update, view_id="V0NEVERISSUED", view=modal()) == "not_found"
    assert error_of(client.views_update, external_id="form-2", view=modal()) == "not_found"
    assert client.views_update(view_id=opened["id"], view=modal())["view"]["id"] == opened["id"]
    assert client.views_update(external_id="form-1", view=modal())["view"]["id"] == opened["id"]
    assert error_of(client.views_open, trigger_id=slack.trigger_id(), view=modal(external_id="form-1")) == (
        "duplicate_external_id"
    )


def test_views_update_with_a_hash_that_is_no_longer_current_is_a_hash_conflict(
    slack: FakeSlack, client: WebClient
) -> None:
    opened = opened_view(slack, client)
    updated = client.views_update(view_id=opened["id"], hash=opened["hash"], view=modal())["view"]

    assert updated["hash"] != opened["hash"]
    assert error_of(client.views_update, view_id=opened["id"], hash=opened["hash"], view=modal()) == "hash_conflict"
    assert client.views_update(view_id=opened["id"], hash=updated["hash"], view=modal())["ok"]


def test_views_publish_over_a_home_no_longer_current_is_a_hash_conflict(slack: FakeSlack, client: WebClient) -> None:
    home = {"type": "home", "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Hi"}}]}
    first = client.views_publish(user_id="U0LEE", view=home)["view"]
    second = client.views_publish(user_id="U0LEE", hash=first["hash"], view=home)["view"]

    assert second["hash"] != first["hash"]
    assert error_of(client.views_publish, user_id="U0LEE", hash=first["hash"], view=home) == "hash_conflict"
    assert client.views_publish(user_id="U0LEE", hash=second["hash"], view=home)["ok"]
    assert client.views_publish(user_id="U0LEE", view=home)["ok"], "without a hash, a publish always goes"


@contextmanager
def an_app_acking(ack: dict[str, Any], received: list[bytes] | None = None) -> Iterator[str]:
    """Stands for the bot: acks every request with `ack` (empty: an empty body), keeping each in `received` when
    given; yields where to send them."""

    class Acking(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            if received is not None:
                received.append(body)
            body = json.dumps(ack).encode() if ack else b""
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Acking)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/slack/events"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(
    ("ack", "then"),
    [
        ({}, "not_found"),
        ({"response_action": "clear"}, "not_found"),
        ({"response_action": "errors", "errors": {"why": "say more"}}, None),
        ({"response_action": "update", "view": modal(title=text("Saved"))}, "hash_conflict"),
    ],
    ids=["closed", "cleared", "kept-by-errors", "updated-in-place"],
)
def test_the_ack_of_a_submission_decides_whether_views_update_still_finds_the_modal(
    slack: FakeSlack, client: WebClient, ack: dict[str, Any], then: str | None
) -> None:
    sent = modal()
    opened = client.views_open(trigger_id=slack.trigger_id(), view=sent)["view"]
    with an_app_acking(ack) as url:
        SlackDriver(url, "signing-secret", slack).submit("U0LEE", sent, {"why": "because"})

    assert error_updating(client, opened) == then


def error_updating(client: WebClient, opened: dict[str, Any]) -> str | None:
    """Slack's error for a views.update of the view at the hash it was opened with; None when it is accepted."""
    try:
        client.views_update(view_id=opened["id"], hash=opened["hash"], view=modal())
    except SlackApiError as error:
        return str(error.response["error"])
    return None


def test_a_submission_carries_the_id_and_current_hash_slack_gave_the_modal(slack: FakeSlack, client: WebClient) -> None:
    sent = modal()
    opened = client.views_open(trigger_id=slack.trigger_id(), view=sent)["view"]
    driver = SlackDriver("http://127.0.0.1:9/unused", "unused-secret", slack)

    submitted = driver.submit_payload("U0LEE", sent, {"why": "because"})["view"]

    assert (submitted["id"], submitted["hash"]) == (opened["id"], opened["hash"])


def test_a_click_in_a_modal_carries_the_views_state_as_slack_sends_it(slack: FakeSlack) -> None:
    """What the person typed so far, and the inputs they left alone at their initial values."""
    note = {"type": "plain_text_input", "action_id": "note", "initial_value": "kept"}
    reason = {"type": "plain_text_input", "action_id": "reason"}
    go = {"type": "button", "action_id": "go", "text": {"type": "plain_text", "text": "Go"}}
    view = {
        "type": "modal",
        "title": {"type": "plain_text", "text": "Hi"},
        "blocks": [
            {"type": "input", "block_id": "n", "label": {"type": "plain_text", "text": "Note"}, "element": note},
            {"type": "input", "block_id": "r", "label": {"type": "plain_text", "text": "Why"}, "element": reason},
            {"type": "actions", "elements": [go]},
        ],
    }
    driver = SlackDriver("http://127.0.0.1:9/unused", "secret", slack)
    slack.state.views.show(view, owner="U0LEE")

    payload = driver.view_click_payload("U0LEE", view, "go", reason="late parcel")

    assert payload["container"]["type"] == "view" and "response_url" not in payload
    values = payload["view"]["state"]["values"]
    assert values["n"]["note"]["value"] == "kept" and values["r"]["reason"]["value"] == "late parcel"


def test_a_view_over_250_kb_is_refused_as_too_large_by_every_views_method(slack: FakeSlack, client: WebClient) -> None:
    """Slack's views methods answer `view_too_large` for a view "greater than 250kb"; each block here is within
    Block Kit's limits, only the whole weighs too much (3-byte characters count three times)."""
    heavy = [{"type": "section", "text": text("界" * 2900)} for _ in range(30)]
    light = [{"type": "section", "text": text("界" * 2900)} for _ in range(28)]
    opened = opened_view(slack, client)

    assert client.views_publish(user_id="U0LEE", view={"type": "home", "blocks": light})["ok"]
    assert error_of(client.views_publish, user_id="U0LEE", view={"type": "home", "blocks": heavy}) == "view_too_large"
    assert error_of(client.views_open, trigger_id=slack.trigger_id(), view=modal(blocks=heavy)) == "view_too_large"
    assert error_of(client.views_update, view_id=opened["id"], view=modal(blocks=heavy)) == "view_too_large"
    in_the_modal = slack.trigger_id("U0LEE", opened["id"])
    assert error_of(client.views_push, trigger_id=in_the_modal, view=modal(blocks=heavy)) == "view_too_large"
    assert slack.violations and all("bytes (limit 250,000)" in violation for violation in slack.violations)
    assert ack_problems(modal(), {"response_action": "update", "view": modal(blocks=heavy)}) != []
    assert ack_problems(modal(), {"response_action": "push", "view": modal(blocks=light)}) == []


def test_a_view_slack_refuses_for_its_blocks_is_invalid_arguments_saying_why(slack: FakeSlack) -> None:
    client = WebClient(token=slack.token, base_url=slack.api_url)
    view = {"type": "modal", "title": {"type": "plain_text", "text": "Hi"}, "blocks": [{"type": "section"}]}

    with pytest.raises(SlackApiError) as raised:
        client.views_open(trigger_id=slack.trigger_id(), view=view)

    assert raised.value.response["error"] == "invalid_arguments"
    assert raised.value.response["response_metadata"]["messages"] == [
        "[ERROR] block 0 (section): a section needs text or fields"
    ]
    slack.reset()


def test_a_view_of_another_type_than_its_method_takes_is_refused_as_slack_refuses_it(
    slack: FakeSlack, client: WebClient
) -> None:
    home = {"type": "home", "blocks": []}

    assert error_of(client.views_publish, user_id="U0LEE", view=modal()) == "invalid_arguments"
    assert error_of(client.views_open, trigger_id=slack.trigger_id(), view=home) == "invalid_arguments"
    assert (
        error_of(client.views_open, trigger_id=slack.trigger_id(), view={**modal(), "type": None})
        == "invalid_arguments"
    )
    assert ack_problems(modal(), {"response_action": "update", "view": home}) == [
        "a view of type 'home' where Slack takes 'modal'"
    ]
    assert client.views_publish(user_id="U0LEE", view=home)["ok"]


def test_an_ack_may_push_two_views_over_a_modal_and_a_third_is_refused(slack: FakeSlack, client: WebClient) -> None:
    sent, pushed = modal(), modal(title=text("Step"))
    client.views_open(trigger_id=slack.trigger_id(), view=sent)
    with an_app_acking({"response_action": "push", "view": pushed}) as url:
        driver = SlackDriver(url, "signing-secret", slack)
        driver.submit("U0LEE", sent, {"why": "because"})
        driver.submit("U0LEE", pushed, {"why": "because"})
        assert slack.violations == []

        driver.submit("U0LEE", pushed, {"why": "because"})

    assert slack.violations == [
        "ack of a view submission: a view pushed over a stack of 3 (Slack allows 2 pushes over the modal)"
    ]
