"""The Slack stand-in refuses what Slack refuses: a test of ours must fail where Slack would."""

import json
import os
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.fakeslack import FakeSlack, SlackDriver
from bot.fakeslack import state as fake_state
from bot.fakeslack.blockkit import ack_problems, message_problems, view_problems
from bot.fakeslack.payloads import slack_escaped
from bot.fakeslack.server import BOT_TOKEN
from bot.fakeslack.socket_mode import SocketModeServer
from bot.fakeslack.state import SlackState
from tests.unit.fakeslack_fixtures import client

__all__ = ["client"]


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        fake.add_user("U0LEE", "Lee Senior")
        yield fake


def error_of(call: Any, **kwargs: Any) -> str:
    with pytest.raises(SlackApiError) as raised:
        call(**kwargs)
    return str(raised.value.response["error"])


def test_a_message_to_a_user_id_answers_with_the_dm_channel_which_chat_update_needs(client: WebClient) -> None:
    posted = client.chat_postMessage(channel="U0LEE", text="hi")

    assert posted["channel"] == "D0LEE"
    assert error_of(client.chat_update, channel="U0LEE", ts=posted["ts"], text="x") == "channel_not_found"
    assert client.chat_update(channel="D0LEE", ts=posted["ts"], text="changed")["ok"]
    assert error_of(client.chat_delete, channel="U0LEE", ts=posted["ts"]) == "channel_not_found"
    assert client.chat_delete(channel="D0LEE", ts=posted["ts"])["ok"]


def test_chat_update_with_only_text_keeps_the_blocks_and_an_empty_list_removes_them(
    slack: FakeSlack, client: WebClient
) -> None:
    """Without `blocks`, Slack keeps the message's blocks; `[]` removes them
    (https://api.slack.com/methods/chat.update#arg_blocks)."""
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "*Approve?*"}}]
    posted = client.chat_postMessage(channel="U0LEE", text="approve?", blocks=blocks)

    client.chat_update(channel="D0LEE", ts=posted["ts"], text="approved")
    assert slack.message("D0LEE", posted["ts"])["blocks"] == blocks
    assert slack.message("D0LEE", posted["ts"])["text"] == "approved"

    client.chat_update(channel="D0LEE", ts=posted["ts"], text="gone", blocks=[])
    assert slack.message("D0LEE", posted["ts"])["blocks"] == []


def test_an_ephemeral_message_cannot_be_updated_or_deleted(client: WebClient) -> None:
    ts = client.chat_postEphemeral(channel="C0GENERAL", user="U0LEE", text="only you")["message_ts"]

    assert error_of(client.chat_update, channel="C0GENERAL", ts=ts, text="x") == "message_not_found"
    assert error_of(client.chat_delete, channel="C0GENERAL", ts=ts) == "message_not_found"


def test_users_info_knows_only_the_workspaces_people(client: WebClient) -> None:
    assert client.users_info(user="U0LEE")["user"]["real_name"] == "Lee Senior"
    assert error_of(client.users_info, user="U0NOBODY") == "user_not_found"


def test_a_trigger_id_opens_one_view_within_three_seconds(
    slack: FakeSlack, client: WebClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = {"type": "modal", "title": {"type": "plain_text", "text": "Hi"}, "blocks": []}
    trigger = slack.trigger_id()
    assert client.views_open(trigger_id=trigger, view=view)["ok"]
    assert error_of(client.views_open, trigger_id=trigger, view=view) == "exchanged_trigger_id"
    assert error_of(client.views_open, trigger_id="1.2.unknown", view=view) == "invalid_trigger_id"

    late = slack.trigger_id()
    issued = fake_state.time.monotonic()
    monkeypatch.setattr(fake_state.time, "monotonic", lambda: issued + 3.5)
    assert error_of(client.views_open, trigger_id=late, view=view) == "expired_trigger_id"


def post(url: str, body: dict[str, Any]) -> int:
    request = urllib.request.Request(url, json.dumps(body).encode(), {"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


def test_a_response_url_works_five_times_within_thirty_minutes(
    slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = slack.response_url("C0GENERAL")
    assert [post(url, {"text": f"answer {n}"}) for n in range(6)] == [200] * 5 + [404]

    later = slack.response_url("C0GENERAL")
    issued = fake_state.time.monotonic()
    monkeypatch.setattr(fake_state.time, "monotonic", lambda: issued + 31 * 60)
    assert post(later, {"text": "too late"}) == 404


def test_a_response_url_body_meets_block_kit_too(slack: FakeSlack) -> None:
    assert post(slack.response_url("C0GENERAL"), {"blocks": [{"type": "section"}]}) == 400
    assert slack.violations == ["response_url: block 0 (section): a section needs text or fields"]
    slack.reset()


def test_a_message_whose_blocks_hold_too_much_text_in_all_is_refused_as_slack_does(
    slack: FakeSlack, client: WebClient
) -> None:
    """Each section is within its 3,000 characters, 50 blocks are allowed, yet Slack refuses about 12,000
    characters of block text in all (https://github.com/slackapi/bolt-js/issues/2509)."""
    section = {"type": "section", "text": {"type": "mrkdwn", "text": "x" * 2900}}
    context = {"type": "context", "elements": [{"type": "mrkdwn", "text": "y" * 1000}]}
    fits, too_long = [section] * 3 + [context] * 2, [section] * 3 + [context] * 3
    assert message_problems({"blocks": too_long}) == []

    posted = client.chat_postMessage(channel="U0LEE", text="fits", blocks=fits)
    assert error_of(client.chat_postMessage, channel="U0LEE", text="long", blocks=too_long) == "msg_blocks_too_long"
    assert error_of(client.chat_update, channel="D0LEE", ts=posted["ts"], text="long", blocks=too_long) == (
        "msg_blocks_too_long"
    )
    assert error_of(client.chat_postEphemeral, channel="C0GENERAL", user="U0LEE", text="long", blocks=too_long) == (
        "msg_blocks_too_long"
    )
    assert post(slack.response_url("C0GENERAL"), {"text": "long", "blocks": too_long}) == 400
    assert slack.message("D0LEE", posted["ts"])["blocks"] == fits
    assert [problem.split(":")[0] for problem in slack.violations] == [
        "chat.postMessage",
        "chat.update",
        "chat.postEphemeral",
        "response_url",
    ]
    slack.reset()


@pytest.mark.filterwarnings("ignore:The top-level `text` argument is missing")
def test_a_message_text_over_40000_characters_is_refused_as_too_long_as_slack_names_it(
    slack: FakeSlack, client: WebClient
) -> None:
    assert client.chat_postMessage(channel="U0LEE", text="a" * 40_000)["ok"]
    assert error_of(client.chat_postMessage, channel="U0LEE", text="a" * 40_001) == "msg_too_long"
    slack.reset()


def test_a_message_with_neither_text_nor_blocks_is_refused_with_no_text_as_slack_does(
    slack: FakeSlack, client: WebClient
) -> None:
    posted = client.chat_postMessage(channel="U0LEE", text="A first message")
    assert error_of(client.chat_postMessage, channel="U0LEE", text="") == "no_text"
    assert error_of(client.chat_postMessage, channel="U0LEE", blocks=[]) == "no_text"
    assert error_of(client.chat_postEphemeral, channel="C0GENERAL", user="U0LEE", text="") == "no_text"
    assert error_of(client.chat_update, channel="D0LEE", ts=posted["ts"], text="") == "no_text"
    assert slack.message("D0LEE", posted["ts"])["text"] == "A first message"
    slack.reset()


def test_a_method_whose_scope_the_manifest_does_not_grant_is_refused() -> None:
    with FakeSlack(scopes=frozenset({"chat:write"})) as slack:
        slack.add_user("U0LEE", "Lee Senior")
        client = WebClient(token=BOT_TOKEN, base_url=slack.api_url)
        with pytest.raises(SlackApiError) as raised:
            client.users_lookupByEmail(email="lee@example.com")
        assert (raised.value.response["error"], raised.value.response["needed"]) == (
            "missing_scope",
            "users:read.email",
        )
        assert client.chat_postMessage(channel="U0LEE", text="hi")["ok"]


def test_the_manifest_grants_every_method_the_bot_calls(slack: FakeSlack) -> None:
    assert slack.state.scopes is not None
    assert {"chat:write", "im:write", "users:read", "users:read.email", "files:write"} <= slack.state.scopes


def test_the_app_token_opens_socket_mode_and_nothing_else(slack: FakeSlack) -> None:
    app = WebClient(token=slack.state.app_token, base_url=slack.api_url)
    assert error_of(app.chat_postMessage, channel="U0LEE", text="hi") == "not_allowed_token_type"
    bot = WebClient(token=BOT_TOKEN, base_url=slack.api_url)
    assert error_of(bot.apps_connections_open, app_token=BOT_TOKEN) == "not_allowed_token_type"


def test_command_text_is_escaped_as_slack_sends_it_keeping_slacks_own_markup() -> None:
    assert slack_escaped("<@U0LEE> B&Q <lost> <!channel> <https://x.io|x>") == (
        "<@U0LEE> B&amp;Q &lt;lost&gt; <!channel> <https://x.io|x>"
    )


def test_an_ampersand_in_a_link_slack_wrote_is_escaped_as_slack_sends_it() -> None:
    assert (
        slack_escaped("see <https://x.io/?a=1&b=2|x.io/?a=1&b=2>")
        == "see <https://x.io/?a=1&amp;b=2|x.io/?a=1&amp;b=2>"
    )


def text(value: str, kind: str = "plain_text", **more: Any) -> dict[str, Any]:
    return {"type": kind, "text": value, **more}


def button(**more: Any) -> dict[str, Any]:
    return {"type": "button", "action_id": "a", "text": text("Go"), "value": "1", **more}


def options(count: int) -> list[dict[str, Any]]:
    return [{"text": text(f"o{n}"), "value": str(n)} for n in range(count)]


def mrkdwn_options(count: int) -> list[dict[str, Any]]:
    return [{"text": text(f"*o{n}*", "mrkdwn"), "value": str(n)} for n in range(count)]


def group(grouped: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"label": text("Group"), "options": grouped or options(2)}


def actions(element: dict[str, Any]) -> dict[str, Any]:
    return {"blocks": [{"type": "actions", "elements": [element]}]}


def confirm(**more: Any) -> dict[str, Any]:
    """A button asking "Decline it?" before it acts: a confirmation dialog with every part given, but for `more`."""
    dialog = {
        "title": text("Decline it?"),
        "text": text("They will be told."),
        "confirm": text("Yes"),
        "deny": text("No"),
    }
    return button(confirm={key: value for key, value in {**dialog, **more}.items() if value is not None})


@pytest.mark.parametrize(
    ("message", "problem"),
    [
        ({"blocks": [{"type": "divider", "block_id": "b" * 256}]}, "block_id over 255"),
        (actions(button(action_id="a" * 256)), "action_id over 255"),
        (actions({"type": "radio_buttons", "action_id": "r", "options": options(11)}), "11 options in a radio_buttons"),
        (actions({"type": "checkboxes", "action_id": "c", "options": options(11)}), "11 options in a checkboxes"),
        (actions({"type": "overflow", "action_id": "o", "options": options(1)}), "1 options in a overflow (2 to 5)"),
        (actions({"type": "overflow", "action_id": "o", "options": options(6)}), "6 options in a overflow"),
        (
            actions(
                {"type": "static_select", "action_id": "s", "options": options(2), "initial_option": options(3)[2]}
            ),
            "initial option that is not among",
        ),
        (
            actions(
                {
                    "type": "static_select",
                    "action_id": "s",
                    "options": options(2),
                    "initial_option": {"text": text("renamed"), "value": "1"},
                }
            ),
            "initial option that is not among the options, text and value alike",
        ),
        (
            actions(
                {
                    "type": "radio_buttons",
                    "action_id": "s",
                    "options": [{**options(1)[0], "description": text("d" * 76)}],
                }
            ),
            "text of 76 characters (limit 75)",
        ),
        (actions({"type": "static_select", "action_id": "s", "options": mrkdwn_options(2)}), "must be plain_text"),
        (actions({"type": "overflow", "action_id": "o", "options": mrkdwn_options(2)}), "must be plain_text"),
        (
            actions({"type": "multi_static_select", "action_id": "m", "options": mrkdwn_options(2)}),
            "option '0' in a multi_static_select: this text must be plain_text",
        ),
        (
            actions({"type": "static_select", "action_id": "s", "option_groups": [group(mrkdwn_options(1))]}),
            "must be plain_text",
        ),
        (actions({"type": "static_select", "action_id": "s", "options": []}), "a static_select needs options"),
        (actions({"type": "static_select", "action_id": "s", "option_groups": []}), "needs options or option_groups"),
        (
            actions({"type": "static_select", "action_id": "s", "options": options(1), "option_groups": [group()]}),
            "options or option_groups, not both",
        ),
        (actions(button(style="default")), "button style 'default'"),
        (
            {"blocks": [{"type": "actions", "elements": [button(), button(value="2")]}]},
            "action_id 'a' repeated in the block",
        ),
        (actions(button(url="https://x.io/" + "a" * 3000)), "url over 3000"),
        (actions(button(accessibility_label="a" * 76)), "accessibility_label of 76 characters (limit 75)"),
        (actions(button(accessibility_label=["Approve"])), "accessibility_label must be a string"),
        ({"blocks": [{"type": "context", "elements": [button()]}]}, "context element must be text or an image"),
        ({"blocks": [{"type": "section", "text": text("hi", "mrkdwn", emoji=True)}]}, "`emoji` is only for plain_text"),
        ({"blocks": [{"type": "section", "text": text("hi", verbatim=True)}]}, "`verbatim` is only for mrkdwn"),
        ({"blocks": [{"type": "header"}]}, "a header needs text"),
        (actions({"type": "button", "action_id": "b", "value": "1"}), "a button needs text"),
        ({"blocks": [{"type": "input", "element": {"type": "plain_text_input"}}]}, "an input needs its label"),
        ({"blocks": [{"type": "input", "label": text("Why")}]}, "an input needs its element"),
        (actions(confirm(title=text("t" * 101))), "confirm title: text of 101 characters (limit 100)"),
        (actions(confirm(text=text("t" * 301))), "confirm text: text of 301 characters (limit 300)"),
        (actions(confirm(confirm=text("y" * 31))), "confirm confirm: text of 31 characters (limit 30)"),
        (actions(confirm(deny=text("n" * 31))), "confirm deny: text of 31 characters (limit 30)"),
        (actions(confirm(deny=None)), "a confirmation dialog needs its deny"),
        (actions(confirm(title=text("Sure?", "mrkdwn"))), "confirm title: this text must be plain_text"),
        (actions(confirm(confirm=text("Yes", "mrkdwn"))), "confirm confirm: this text must be plain_text"),
        (actions(confirm(deny=text("No", "mrkdwn"))), "confirm deny: this text must be plain_text"),
        (actions(confirm(text=text("<!here> sure?", "mrkdwn"))), "confirm text: <!here> would notify everyone"),
        (actions(confirm(style="warning")), "confirm style 'warning'"),
    ],
)
def test_block_kit_refuses(message: dict[str, Any], problem: str) -> None:
    assert any(problem in found for found in message_problems(message)), message_problems(message)


@pytest.mark.parametrize(
    "element",
    [
        {"type": "checkboxes", "action_id": "c", "options": mrkdwn_options(2)},
        {"type": "radio_buttons", "action_id": "r", "options": mrkdwn_options(2)},
        {"type": "static_select", "action_id": "s", "option_groups": [group(), group()]},
        button(accessibility_label="a" * 75),
        confirm(title=text("t" * 100), text=text("t" * 300), confirm=text("y" * 30), style="danger"),
    ],
)
def test_block_kit_accepts_mrkdwn_in_checkboxes_and_radios_and_menus_of_option_groups(element: dict[str, Any]) -> None:
    assert message_problems(actions(element)) == []


def test_a_confirmation_dialog_may_say_its_text_in_mrkdwn() -> None:
    """Slack's @slack/types and the reference's earlier version take either kind for `text`; the rest is plain."""
    assert message_problems(actions(confirm(text=text("*They* will be told.", "mrkdwn")))) == []


def modal(*elements: dict[str, Any], **more: Any) -> dict[str, Any]:
    """A modal with an input for each element (action_id = block_id), by default one text input `why`."""
    inputs = [
        {"type": "input", "block_id": e["action_id"], "label": text("Field"), "element": e}
        for e in elements or [{"type": "plain_text_input", "action_id": "why"}]
    ]
    return {"type": "modal", "title": text("Hi"), "submit": text("Send"), "blocks": inputs, **more}


@pytest.mark.parametrize(
    ("view", "problem"),
    [
        (modal(title=text("Hi", "mrkdwn")), "modal title: this text must be plain_text"),
        (modal(submit=None), "a modal with inputs needs a submit button"),
        (modal(close=text("x" * 25)), "modal close: text of 25 characters"),
        (modal(callback_id="c" * 256), "callback_id over 255"),
        (
            modal({"type": "plain_text_input", "action_id": "why", "max_length": 5, "initial_value": "sixsix"}),
            "initial_value longer than max_length 5",
        ),
        (
            modal(blocks=[{**modal()["blocks"][0], "hint": text("h" * 2001)}]),
            "text of 2001 characters (limit 2000)",
        ),
        (modal({"type": "plain_text_input", "action_id": "why", "max_length": 3001}), "max_length 3001 (1 to 3000)"),
        (modal({"type": "plain_text_input", "action_id": "why", "max_length": 0}), "max_length 0 (1 to 3000)"),
        (modal({"type": "plain_text_input", "action_id": "why", "min_length": 3001}), "min_length 3001 (0 to 3000)"),
        (
            modal({"type": "plain_text_input", "action_id": "why", "min_length": 10, "max_length": 5}),
            "min_length 10 over max_length 5",
        ),
        (
            modal(
                {"type": "plain_text_input", "action_id": "why", "focus_on_load": True},
                {"type": "plain_text_input", "action_id": "how", "focus_on_load": True},
            ),
            "2 elements set to focus_on_load (one at most)",
        ),
    ],
)
def test_a_modal_is_refused_when(view: dict[str, Any], problem: str) -> None:
    assert any(problem in found for found in view_problems(view)), view_problems(view)


def test_a_view_submissions_errors_must_name_an_input_of_the_view() -> None:
    assert ack_problems(modal(), {"response_action": "errors", "errors": {"why": "say more"}}) == []
    assert ack_problems(modal(), {"response_action": "errors", "errors": {"reason": "?"}}) == [
        "errors for block(s) ['reason'] that are not inputs of the view"
    ]


def test_an_initial_value_may_fill_max_length() -> None:
    full = {"type": "plain_text_input", "action_id": "why", "max_length": 3, "initial_value": "abc"}

    assert view_problems(modal(full)) == []


def test_a_modal_may_focus_one_input_and_bound_its_length_from_0_to_3000() -> None:
    focused = {"type": "plain_text_input", "action_id": "why", "focus_on_load": True, "min_length": 0}
    bounded = {"type": "plain_text_input", "action_id": "how", "min_length": 3000, "max_length": 3000}

    assert view_problems(modal(focused, bounded)) == []


def test_the_socket_mode_server_stops_even_when_its_listening_socket_was_replaced_under_it() -> None:
    server = SocketModeServer(SlackState(token="xoxb-x", team_id="T1", scopes=frozenset())).start()
    not_a_socket_any_more(server._server.socket.fileno())

    server.stop()

    assert not server._thread.is_alive()


def not_a_socket_any_more(descriptor: int) -> None:
    """Put something that is not a socket where the listening socket was, keeping its number taken.

    Closing it outright would free the number for the next socket any thread opens, and the server would
    close that socket later when it closes what it believes is its own.
    """
    placeholder = os.open(os.devnull, os.O_RDONLY)
    os.dup2(placeholder, descriptor)
    os.close(placeholder)


def test_slack_retries_events_but_never_a_click_or_a_command(slack: FakeSlack) -> None:
    """Only Events API deliveries come again with `X-Slack-Retry-Num` (or a Socket Mode `retry_attempt`); a click
    or a command Slack sends once, and a double click is two payloads."""
    driver = SlackDriver("http://127.0.0.1:9/unused", "secret", slack)
    retried = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}

    with pytest.raises(ValueError, match="never retries"):
        driver.post_payload({"type": "block_actions"}, headers=retried)
    with pytest.raises(ValueError, match="never retries"):
        driver.post_form({"command": "/resolve"}, headers={"x-slack-retry-num": "2"})
    with pytest.raises(ValueError, match="never retries"):
        slack.socket_mode().send("interactive", {"type": "block_actions"}, retry_attempt=1)


def test_blocks_slack_refuses_are_named_in_response_metadata_as_slack_does(slack: FakeSlack, client: WebClient) -> None:
    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="U0LEE", text="x", blocks=[{"type": "section"}])

    assert raised.value.response["error"] == "invalid_blocks"
    assert raised.value.response["response_metadata"]["messages"] == [
        "[ERROR] block 0 (section): a section needs text or fields"
    ]
    slack.reset()


def test_a_fault_may_say_why_as_slack_does(slack: FakeSlack, client: WebClient) -> None:
    said = "[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]"
    slack.fail("chat.postMessage", error="invalid_blocks", messages=(said,))

    with pytest.raises(SlackApiError) as raised:
        client.chat_postMessage(channel="U0LEE", text="x")

    assert raised.value.response["response_metadata"]["messages"] == [said]


def test_no_dm_opens_with_a_deactivated_account_but_a_message_to_their_id_is_taken(
    slack: FakeSlack, client: WebClient
) -> None:
    """As Slack: conversations.open refuses them (`user_disabled`), chat.postMessage to their user id answers ok and
    reaches nobody (https://github.com/slackapi/python-slack-sdk/issues/1156, a Slack maintainer's answer)."""
    slack.add_user("U0GONE", "Gone Person", deleted=True)

    assert client.conversations_open(users="U0LEE")["channel"]["id"] == "D0LEE"
    assert error_of(client.conversations_open, users="U0GONE") == "user_disabled"
    assert client.chat_postMessage(channel="U0GONE", text="x")["ok"]


def test_no_dm_opens_or_is_posted_with_a_bot_user(slack: FakeSlack, client: WebClient) -> None:
    slack.add_user("U0ROBOT", "Robot", is_bot=True)

    assert error_of(client.conversations_open, users="U0ROBOT") == "cannot_dm_bot"
    assert error_of(client.chat_postMessage, channel="U0ROBOT", text="x") == "cannot_dm_bot"


def test_with_the_messages_tab_off_dms_are_refused_and_channel_posts_are_not(
    slack: FakeSlack, client: WebClient
) -> None:
    slack.add_channel("C0TEAM", "team")
    slack.state.app_home.messages_tab = False

    assert error_of(client.chat_postMessage, channel="U0LEE", text="x") == "messages_tab_disabled"
    assert error_of(client.chat_postMessage, channel="D0LEE", text="x") == "messages_tab_disabled"
    assert client.chat_postMessage(channel="C0TEAM", text="x")["ok"]


def test_with_the_home_tab_off_no_home_is_published(slack: FakeSlack, client: WebClient) -> None:
    slack.state.app_home.home_tab = False

    assert error_of(client.views_publish, user_id="U0LEE", view={"type": "home", "blocks": []}) == "not_enabled"


CHART = "https://example.com/chart.png"


@pytest.mark.parametrize(
    ("blocks", "problem"),
    [
        ([{"type": "image", "image_url": CHART}], "block 0 (image): an image needs alt_text"),
        ([{"type": "image", "image_url": CHART, "alt_text": ""}], "block 0 (image): an image needs alt_text"),
        (
            [{"type": "image", "image_url": CHART, "alt_text": "a" * 2001}],
            "block 0 (image): alt_text of 2001 characters (limit 2000)",
        ),
        ([{"type": "image", "alt_text": "A chart"}], "block 0 (image): an image needs image_url or slack_file"),
        (
            [{"type": "context", "elements": [{"type": "image", "image_url": CHART}]}],
            "block 0 (context): an image needs alt_text",
        ),
    ],
)
def test_an_image_a_screen_reader_could_say_nothing_of_is_refused_as_slack_does(
    blocks: list[dict[str, Any]], problem: str
) -> None:
    """`alt_text` is required on an image block and a context's image element, at most 2,000 characters
    (https://docs.slack.dev/reference/block-kit/blocks/image-block)."""
    assert message_problems({"text": "Your team's week", "blocks": blocks}) == [problem]


def test_an_image_with_its_words_is_taken(slack: FakeSlack, client: WebClient) -> None:
    slack.add_user("U0AGENT1", "Sam Agent")
    blocks = [{"type": "image", "image_url": CHART, "alt_text": "Bar chart: refunds 3, credits 2"}]
    assert client.chat_postMessage(channel="U0AGENT1", text="Your team's week", blocks=blocks)["ok"]
    with pytest.raises(SlackApiError) as refused:
        client.chat_postMessage(
            channel="U0AGENT1", text="Your team's week", blocks=[{"type": "image", "image_url": CHART}]
        )
    assert refused.value.response["error"] == "invalid_blocks"
    slack.reset()
