"""Only who Slack shows a message or a view to can click in it or submit it; anything else is a forged payload,
which a test must say it sends. Views stack as Slack stacks them, whichever way a view is pushed."""

import re
from collections.abc import Iterator
from typing import Any

import pytest
from slack_sdk import WebClient

from bot.fakeslack import FakeSlack, SlackDriver
from bot.fakeslack.audience import NotShown
from bot.fakeslack.entries import Unsendable
from tests.unit.fakeslack_fixtures import client, driver
from tests.unit.test_fakeslack import error_of, modal, text

__all__ = ["client", "driver"]

BUTTON = {"type": "button", "action_id": "go", "text": {"type": "plain_text", "text": "Go"}, "value": "7"}
ACTIONS = [{"type": "actions", "block_id": "act", "elements": [BUTTON]}]


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        for user, name in (("U0LEE", "Lee Senior"), ("U0KIM", "Kim Park"), ("U0SAM", "Sam Ode")):
            fake.add_user(user, name)
        fake.add_channel("C0LEADS", "leads", private=True, members=("U0LEE", "U0SAM"))
        yield fake


def test_a_message_in_a_dm_is_clicked_only_by_the_person_in_it(
    slack: FakeSlack, client: WebClient, driver: SlackDriver
) -> None:
    client.chat_postMessage(channel="U0LEE", text="Approve?", blocks=ACTIONS)
    [posted] = slack.calls("chat.postMessage")

    assert driver.click_payload("U0LEE", posted, "go")["user"]["id"] == "U0LEE"
    with pytest.raises(NotShown, match="U0KIM cannot see the message in D0LEE"):
        driver.click_payload("U0KIM", posted, "go")
    assert driver.click_payload("U0KIM", posted, "go", forged=True)["user"]["id"] == "U0KIM"


def test_a_message_in_a_channel_is_clicked_only_by_its_members(
    slack: FakeSlack, client: WebClient, driver: SlackDriver
) -> None:
    client.chat_postMessage(channel="C0LEADS", text="Approve?", blocks=ACTIONS)
    client.chat_postMessage(channel="C0GENERAL", text="Approve?", blocks=ACTIONS)
    in_leads, in_general = slack.calls("chat.postMessage")

    assert driver.click_payload("U0SAM", in_leads, "go")
    assert driver.click_payload("U0KIM", in_general, "go")
    with pytest.raises(NotShown):
        driver.click_payload("U0KIM", in_leads, "go")


def test_an_ephemeral_message_is_clicked_only_by_the_person_it_was_for(
    slack: FakeSlack, client: WebClient, driver: SlackDriver
) -> None:
    client.chat_postEphemeral(channel="C0GENERAL", user="U0LEE", text="Only you", blocks=ACTIONS)
    [posted] = slack.calls("chat.postEphemeral")

    assert driver.click_payload("U0LEE", posted, "go")
    with pytest.raises(NotShown, match="ephemeral"):
        driver.click_payload("U0KIM", posted, "go")


def test_a_home_is_clicked_only_by_the_person_it_was_published_for(
    slack: FakeSlack, client: WebClient, driver: SlackDriver
) -> None:
    home = {"type": "home", "blocks": ACTIONS}
    client.views_publish(user_id="U0LEE", view=home)

    assert driver.view_click_payload("U0LEE", home, "go")["user"]["id"] == "U0LEE"
    with pytest.raises(NotShown, match="U0KIM cannot see U0LEE's Home"):
        driver.view_click_payload("U0KIM", home, "go")
    assert driver.view_click_payload("U0KIM", home, "go", forged=True)


def test_two_people_shown_alike_homes_each_click_their_own(
    slack: FakeSlack, client: WebClient, driver: SlackDriver
) -> None:
    home = {"type": "home", "blocks": ACTIONS}
    lees = client.views_publish(user_id="U0LEE", view=home)["view"]["id"]
    kims = client.views_publish(user_id="U0KIM", view=home)["view"]["id"]

    assert driver.view_click_payload("U0LEE", home, "go")["view"]["id"] == lees
    assert driver.view_click_payload("U0KIM", home, "go")["view"]["id"] == kims


def test_a_modal_is_submitted_only_by_the_person_whose_act_opened_it(
    slack: FakeSlack, client: WebClient, driver: SlackDriver
) -> None:
    trigger = driver.command_fields("U0LEE", "/resolve")["trigger_id"]
    sent = modal()
    client.views_open(trigger_id=trigger, view=sent)

    assert driver.submit_payload("U0LEE", sent, {"why": "late"})["user"]["id"] == "U0LEE"
    with pytest.raises(NotShown, match="U0KIM cannot see U0LEE's modal"):
        driver.submit_payload("U0KIM", sent, {"why": "late"})
    assert driver.submit_payload("U0KIM", sent, {"why": "late"}, forged=True)


def test_a_home_opened_carries_the_view_with_every_field_slack_puts_there(
    slack: FakeSlack, client: WebClient, driver: SlackDriver
) -> None:
    """https://docs.slack.dev/reference/events/app_home_opened"""
    published = client.views_publish(user_id="U0LEE", view={"type": "home", "blocks": ACTIONS})["view"]

    shown = driver.home_as_sent("U0LEE")

    assert shown is not None and driver.home_as_sent("U0KIM") is None
    assert (shown["id"], shown["hash"], shown["root_view_id"]) == (published["id"], published["hash"], published["id"])
    assert (shown["app_id"], shown["bot_id"], shown["team_id"]) == ("A0LATITUDE", "B0LATBOT", slack.team_id)
    assert (shown["app_installed_team_id"], shown["previous_view_id"], shown["state"]) == (
        slack.team_id,
        None,
        {"values": {}},
    )
    assert (shown["private_metadata"], shown["callback_id"], shown["external_id"]) == ("", "", "")
    assert shown["clear_on_close"] is False and shown["notify_on_close"] is False


def test_views_push_stacks_over_the_modal_its_trigger_was_made_in_up_to_three_views(
    slack: FakeSlack, client: WebClient
) -> None:
    """views.push needs a trigger_id "generated from an interaction within the existing modal", and "After a modal
    is opened, the app is limited to pushing 2 additional views" (https://docs.slack.dev/reference/methods/views.push)."""
    opened = client.views_open(trigger_id=slack.trigger_id("U0LEE"), view=modal())["view"]
    home = client.views_publish(user_id="U0LEE", view={"type": "home", "blocks": ACTIONS})["view"]

    assert error_of(client.views_push, trigger_id=slack.trigger_id("U0LEE"), view=modal()) == "not_found"
    assert error_of(client.views_push, trigger_id=slack.trigger_id("U0LEE", home["id"]), view=modal()) == "not_found"
    second = client.views_push(trigger_id=slack.trigger_id("U0LEE", opened["id"]), view=modal(title=text("2")))
    third = client.views_push(trigger_id=slack.trigger_id("U0LEE", second["view"]["id"]), view=modal())
    over_the_top = slack.trigger_id("U0LEE", third["view"]["id"])

    assert (second["view"]["root_view_id"], second["view"]["previous_view_id"]) == (opened["id"], opened["id"])
    assert (third["view"]["root_view_id"], third["view"]["previous_view_id"]) == (opened["id"], second["view"]["id"])
    assert error_of(client.views_push, trigger_id=over_the_top, view=modal()) == "push_limit_reached"
    assert slack.state.views.find(third["view"]["id"]).owner == "U0LEE"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("element", "optional", "entered", "problem"),
    [
        ({"type": "plain_text_input"}, False, None, "is required and left empty"),
        ({"type": "plain_text_input", "max_length": 5}, False, "sixsix", "holds 6 characters, over max_length 5"),
        ({"type": "plain_text_input", "min_length": 3}, True, "ab", "holds 2 characters, under min_length 3"),
        ({"type": "number_input", "is_decimal_allowed": False}, False, "4.5", "not a whole number"),
        ({"type": "number_input", "is_decimal_allowed": True}, False, "four", "not a number"),
        ({"type": "number_input", "is_decimal_allowed": True, "max_value": "10"}, False, "11", "outside None to 10"),
        ({"type": "multi_users_select", "max_selected_items": 1}, False, ["U0LEE", "U0KIM"], "over max_selected_items"),
    ],
)
def test_slacks_client_sends_no_form_whose_entries_it_refuses(
    driver: SlackDriver, element: dict[str, Any], optional: bool, entered: Any, problem: str
) -> None:
    view = modal({**element, "action_id": "field"})
    view["blocks"][0]["optional"] = optional
    driver.slack.state.views.show(view, owner="U0LEE")

    with pytest.raises(Unsendable, match=re.escape(problem)):
        driver.submit_payload("U0LEE", view, {"field": entered})
    assert driver.submit_payload("U0LEE", view, {"field": entered}, forged=True)


def test_an_optional_input_may_be_left_empty_and_a_fitting_entry_is_sent(driver: SlackDriver) -> None:
    view = modal({"type": "plain_text_input", "action_id": "field", "max_length": 5})
    note = {"type": "plain_text_input", "action_id": "note"}
    view["blocks"].append({**view["blocks"][0], "block_id": "note", "element": note, "optional": True})
    driver.slack.state.views.show(view, owner="U0LEE")

    sent = driver.submit_payload("U0LEE", view, {"field": "five!", "note": None})

    assert sent["view"]["state"]["values"]["field"]["field"]["value"] == "five!"
