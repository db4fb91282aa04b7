"""The stand-in reads where a call posts as Slack does: a file is shared in a conversation by its id, never a user id;
a message goes to a channel id, a person's DM by their id, or a channel's name, and nothing else."""

import urllib.request
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.fakeslack import FakeSlack
from tests.unit.fakeslack_fixtures import client, slack
from tests.unit.test_fakeslack import error_of

__all__ = ["client", "slack"]


def uploaded(client: WebClient) -> list[dict[str, Any]]:
    """A file's bytes sent to its upload URL, ready for files.completeUploadExternal."""
    reply = client.files_getUploadURLExternal(filename="report.csv", length=3)
    urllib.request.urlopen(urllib.request.Request(str(reply["upload_url"]), data=b"a,b", method="POST")).read()
    return [{"id": reply["file_id"], "title": "Report"}]


def test_a_file_is_refused_with_a_user_id_as_its_channel_id_as_slack_does(slack: FakeSlack, client: WebClient) -> None:
    """https://github.com/slackapi/bolt-js/issues/2115: `invalid_arguments`, the id not of the form
    `^[CGDZ][A-Z0-9]{8,}$`; the DM's `D…` id is taken."""
    slack.add_user("U0LEE", "Lee Senior")
    files = uploaded(client)

    with pytest.raises(SlackApiError) as refused:
        client.files_completeUploadExternal(files=files, channel_id="U0LEE")
    answer = refused.value.response
    assert answer["error"] == "invalid_arguments"
    refusal = "input must match regex pattern: ^[CGDZ][A-Z0-9]{8,}$ [json-pointer:/channel_id]"
    assert answer["response_metadata"]["messages"] == [f"[ERROR] {refusal}"]
    assert error_of(client.files_completeUploadExternal, files=files, channel_id="#general") == "invalid_arguments"
    assert slack.violations == [f"files.completeUploadExternal: {refusal}"] * 2
    assert client.files_completeUploadExternal(files=files, channel_id="D0LEE")["ok"]
    assert [call.channel for call in slack.files()] == ["D0LEE"]


def test_a_file_shared_in_a_channel_goes_only_where_a_post_would(slack: FakeSlack, client: WebClient) -> None:
    slack.add_channel("C0OLD", "last-year", archived=True)

    assert error_of(client.files_completeUploadExternal, files=uploaded(client), channel_id="C0NOWHERE") == (
        "channel_not_found"
    )
    assert error_of(client.files_completeUploadExternal, files=uploaded(client), channel_id="C0OLD") == "is_archived"
    assert client.files_completeUploadExternal(files=uploaded(client), channel_id="C0GENERAL")["ok"]


def test_the_channels_list_takes_channel_and_user_ids_and_at_most_a_hundred(
    slack: FakeSlack, client: WebClient
) -> None:
    """`channels`: "Comma-separated string of channel IDs or user IDs", `channels_limit_exceeded` past 100
    (https://docs.slack.dev/reference/methods/files.completeUploadExternal)."""
    slack.add_channel("C0OLD", "last-year", archived=True)
    slack.add_user("U0LEE", "Lee Senior")
    many = [f"C0{n:03d}" for n in range(101)]

    assert error_of(client.files_completeUploadExternal, files=uploaded(client), channels=many) == (
        "channels_limit_exceeded"
    )
    assert error_of(client.files_completeUploadExternal, files=uploaded(client), channels=["C0GENERAL", "C0OLD"]) == (
        "is_archived"
    )
    assert error_of(client.files_completeUploadExternal, files=uploaded(client), channels=["general"]) == (
        "invalid_channel"
    )
    assert client.files_completeUploadExternal(files=uploaded(client), channels=["C0GENERAL", "U0LEE"])["ok"]


def test_a_message_goes_to_a_channel_by_its_name_and_answers_with_its_id(slack: FakeSlack, client: WebClient) -> None:
    """chat.postMessage's `channel`: "An encoded ID or channel name"
    (https://docs.slack.dev/reference/methods/chat.postMessage); a name Slack has no channel of is not a DM."""
    slack.add_channel("C0WINS", "wins")

    assert client.chat_postMessage(channel="#wins", text="hi")["channel"] == "C0WINS"
    assert client.chat_postMessage(channel="wins", text="hi")["channel"] == "C0WINS"
    assert error_of(client.chat_postMessage, channel="#nowhere", text="hi") == "channel_not_found"
    assert error_of(client.chat_postMessage, channel="nowhere", text="hi") == "channel_not_found"


def test_a_message_is_changed_only_by_the_id_of_the_conversation_it_is_in(slack: FakeSlack, client: WebClient) -> None:
    """chat.update takes no channel name (https://github.com/slackapi/python-slack-sdk/issues/696), as it takes no
    user id."""
    slack.add_channel("C0WINS", "wins")
    posted = client.chat_postMessage(channel="#wins", text="hi")

    assert error_of(client.chat_update, channel="#wins", ts=posted["ts"], text="x") == "channel_not_found"
    assert error_of(client.chat_delete, channel="wins", ts=posted["ts"]) == "channel_not_found"
    assert client.chat_update(channel="C0WINS", ts=posted["ts"], text="changed")["ok"]
    assert client.chat_delete(channel="C0WINS", ts=posted["ts"])["ok"]
