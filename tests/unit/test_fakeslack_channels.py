"""The stand-in's channels: a post goes only where Slack would let the bot post."""

import urllib.error
import urllib.request

import pytest
from slack_sdk import WebClient

from bot.fakeslack import FakeSlack
from bot.fakeslack.server import BOT_TOKEN
from tests.unit.fakeslack_fixtures import client, slack
from tests.unit.test_fakeslack import error_of

__all__ = ["client", "slack"]


def test_a_post_goes_only_to_a_channel_slack_has_and_lets_the_bot_post_in(slack: FakeSlack, client: WebClient) -> None:
    slack.add_channel("C0PRIVATE", "managers", private=True, bot_is_member=False)
    slack.add_channel("C0INVITED", "leads", private=True)
    slack.add_channel("C0OLD", "last-year", archived=True)
    slack.add_channel("C0OPEN", "wins", bot_is_member=False)
    slack.add_channel("C0ELSEWHERE", "theirs", team_id="T0OTHER")

    assert error_of(client.chat_postMessage, channel="C0NOWHERE", text="hi") == "channel_not_found"
    assert error_of(client.chat_postMessage, channel="C0PRIVATE", text="hi") == "channel_not_found"
    assert error_of(client.chat_postMessage, channel="C0OLD", text="hi") == "is_archived"
    assert error_of(client.chat_postMessage, channel="C0ELSEWHERE", text="hi") == "channel_not_found"
    assert client.chat_postMessage(channel="C0INVITED", text="hi")["ok"]
    assert client.chat_postMessage(channel="C0OPEN", text="hi")["ok"], "chat:write.public posts where not invited"
    assert client.chat_postMessage(channel="C0GENERAL", text="hi")["ok"]
    assert [c.channel for c in slack.calls("chat.postMessage:failed")] == [
        "C0NOWHERE",
        "C0PRIVATE",
        "C0OLD",
        "C0ELSEWHERE",
    ]


def test_without_chat_write_public_the_bot_posts_only_in_public_channels_it_was_invited_to() -> None:
    with FakeSlack(scopes=frozenset({"chat:write"})) as slack:
        slack.add_channel("C0OPEN", "wins", bot_is_member=False)
        client = WebClient(token=BOT_TOKEN, base_url=slack.api_url)

        assert error_of(client.chat_postMessage, channel="C0OPEN", text="hi") == "not_in_channel"
        assert client.chat_postMessage(channel="C0GENERAL", text="hi")["ok"]


def test_an_ephemeral_message_goes_only_where_a_post_would_and_to_someone_in_the_channel(
    slack: FakeSlack, client: WebClient
) -> None:
    """https://api.slack.com/methods/chat.postEphemeral#errors"""
    slack.add_channel("C0PRIVATE", "managers", private=True, bot_is_member=False)
    slack.add_channel("C0OLD", "last-year", archived=True)
    slack.add_channel("C0FEW", "leads", members=("U0LEE",))
    slack.add_user("U0LEE", "Lee Senior")
    slack.add_user("U0SAM", "Sam Agent")

    assert error_of(client.chat_postEphemeral, channel="C0NOWHERE", user="U0LEE", text="hi") == "channel_not_found"
    assert error_of(client.chat_postEphemeral, channel="C0PRIVATE", user="U0LEE", text="hi") == "channel_not_found"
    assert error_of(client.chat_postEphemeral, channel="C0OLD", user="U0LEE", text="hi") == "is_archived"
    assert error_of(client.chat_postEphemeral, channel="C0FEW", user="U0SAM", text="hi") == "user_not_in_channel"
    assert client.chat_postEphemeral(channel="C0FEW", user="U0LEE", text="hi")["ok"]
    assert client.chat_postEphemeral(channel="C0GENERAL", user="U0SAM", text="hi")["ok"], "everyone is in #general"
    assert client.chat_postEphemeral(channel="U0LEE", user="U0LEE", text="hi")["ok"], "a DM by the user id"


def test_without_chat_write_public_no_ephemeral_message_in_a_public_channel_the_bot_is_not_in() -> None:
    with FakeSlack(scopes=frozenset({"chat:write"})) as slack:
        slack.add_channel("C0OPEN", "wins", bot_is_member=False)
        client = WebClient(token=BOT_TOKEN, base_url=slack.api_url)

        assert error_of(client.chat_postEphemeral, channel="C0OPEN", user="U0LEE", text="hi") == "not_in_channel"


def test_a_message_in_a_channel_archived_or_closed_to_the_bot_since_it_was_posted_no_longer_changes(
    slack: FakeSlack, client: WebClient
) -> None:
    """https://api.slack.com/methods/chat.update#errors: `is_inactive` in an archived channel."""
    slack.add_channel("C0OLD", "last-year")
    slack.add_channel("C0INVITED", "leads", private=True)
    slack.add_channel("C0OPEN", "wins")
    archived = client.chat_postMessage(channel="C0OLD", text="hi")["ts"]
    hidden = client.chat_postMessage(channel="C0INVITED", text="hi")["ts"]
    left = client.chat_postMessage(channel="C0OPEN", text="hi")["ts"]
    slack.archive_channel("C0OLD")
    slack.remove_bot_from("C0INVITED")
    slack.remove_bot_from("C0OPEN")

    assert error_of(client.chat_update, channel="C0OLD", ts=archived, text="x") == "is_inactive"
    assert error_of(client.chat_update, channel="C0INVITED", ts=hidden, text="x") == "channel_not_found"
    assert error_of(client.chat_update, channel="C0NOWHERE", ts=left, text="x") == "channel_not_found"
    assert client.chat_update(channel="C0OPEN", ts=left, text="changed")["ok"], "a public channel stays visible"
    assert slack.message("C0OLD", archived)["text"] == "hi"


def test_the_bot_changes_only_its_own_messages_that_slack_still_has(slack: FakeSlack, client: WebClient) -> None:
    theirs = slack.post_as("U0LEE", "C0GENERAL", "my own words")
    ours = client.chat_postMessage(channel="C0GENERAL", text="hi")["ts"]

    assert error_of(client.chat_update, channel="C0GENERAL", ts=theirs, text="x") == "cant_update_message"
    assert error_of(client.chat_delete, channel="C0GENERAL", ts=theirs) == "cant_delete_message"
    assert error_of(client.chat_update, channel="C0GENERAL", ts="1.000001", text="x") == "message_not_found"
    assert client.chat_update(channel="C0GENERAL", ts=ours, text="changed")["ok"]


def test_a_file_is_shared_once_only_where_a_post_could_go_and_never_empty(slack: FakeSlack, client: WebClient) -> None:
    """https://docs.slack.dev/reference/methods/files.getUploadURLExternal (`missing_argument` for a length of 0) and
    files.completeUploadExternal ("This method can only be called once")."""
    slack.add_channel("C0OLD", "last-year", archived=True)
    slack.add_channel("C0PRIVATE", "managers", private=True, bot_is_member=False)

    assert error_of(client.files_getUploadURLExternal, filename="empty.csv", length=0) == "missing_argument"
    for channel, error in (
        ("C0NOWHERE", "channel_not_found"),
        ("C0PRIVATE", "channel_not_found"),
        ("C0OLD", "is_archived"),
    ):
        assert error_of(client.files_upload_v2, channel=channel, content=b"a,b\r\n", filename="x.csv") == error
    upload = client.files_getUploadURLExternal(filename="x.csv", length=5)
    request = urllib.request.Request(str(upload["upload_url"]), data=b"a,b\r\n", method="POST")
    with urllib.request.urlopen(request, timeout=5) as answer:
        assert answer.status == 200
    files = [{"id": upload["file_id"], "title": "x"}]
    assert client.files_completeUploadExternal(files=files)["ok"]
    assert error_of(client.files_completeUploadExternal, files=files) == "file_not_found"
    assert client.files_upload_v2(channel="C0GENERAL", content=b"a,b\r\n", filename="x.csv")["ok"]


def test_an_upload_url_takes_exactly_the_declared_length_and_only_if_slack_issued_it(
    slack: FakeSlack, client: WebClient
) -> None:
    """https://docs.slack.dev/reference/methods/files.getUploadURLExternal: the URL is made for the `length` given
    ("Size in bytes of the file being uploaded"); any answer but 200 says the upload failed."""
    upload = client.files_getUploadURLExternal(filename="x.csv", length=5)
    url = str(upload["upload_url"])
    never_issued = url.replace(str(upload["file_id"]), "F99999999")
    for target, body, status in ((url, b"a,b\r\n!", 400), (url, b"a,b", 400), (never_issued, b"a,b\r\n", 404)):
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(urllib.request.Request(target, data=body, method="POST"), timeout=5)
        assert refused.value.code == status
    files = [{"id": upload["file_id"], "title": "x"}]
    assert error_of(client.files_completeUploadExternal, files=files) == "file_not_found"
    with urllib.request.urlopen(urllib.request.Request(url, data=b"a,b\r\n", method="POST"), timeout=5) as answer:
        assert answer.status == 200
    assert client.files_completeUploadExternal(files=files)["ok"]
