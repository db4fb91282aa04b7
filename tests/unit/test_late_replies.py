"""A command's late answer goes through its response URL, and in a DM only when Slack surely did not show it there."""

import socket

import pytest
from slack_bolt import Respond
from slack_sdk import WebClient

from bot.app import create_sender_client
from bot.fakeslack import FakeSlack
from handlers.late_replies import reply_or_dm
from handlers.timely import respond_late
from tests.conftest import bot_settings

ANSWER = "Your export of 12 rewards is ready."


@pytest.fixture
def client(slack: FakeSlack) -> WebClient:
    slack.add_user("U0AGENT1", "Sam Agent")
    return create_sender_client(bot_settings(slack, "sqlite://"))


def dms(slack: FakeSlack) -> list[str]:
    return [call.text for call in slack.messages_to("U0AGENT1")]


def test_an_answer_slack_may_have_shown_before_the_connection_dropped_is_not_said_again_in_a_dm(
    slack: FakeSlack, client: WebClient
) -> None:
    slack.fail("response_url", hang_up_after_acting=True, times=2)  # slack_sdk tries a dropped connection twice

    reply_or_dm(Respond(response_url=slack.response_url("C0SUPPORT")), client, "U0AGENT1", ANSWER)

    assert slack.calls("response_url"), "Slack showed it"
    assert dms(slack) == []


def test_an_answer_whose_connection_failed_before_it_was_sent_goes_in_a_dm(slack: FakeSlack, client: WebClient) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        nobody_listens = f"http://127.0.0.1:{closed.getsockname()[1]}/respond/gone"

    reply_or_dm(Respond(response_url=nobody_listens), client, "U0AGENT1", ANSWER)

    assert dms(slack) == [ANSWER]


def test_an_answer_for_the_channel_slack_no_longer_takes_goes_to_the_person_in_a_dm(
    slack: FakeSlack, client: WebClient
) -> None:
    respond = Respond(response_url=slack.response_url("C0SUPPORT"))
    slack.expire_response_urls()

    respond_late(respond, {"text": ANSWER, "response_type": "in_channel"}, client, "U0AGENT1")

    assert dms(slack) == [ANSWER]
