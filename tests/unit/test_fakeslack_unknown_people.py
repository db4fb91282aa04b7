"""The stand-in knows only the people added to its workspace, as Slack knows only its own: a message, an ephemeral
message, a changed message, a DM opened, a file shared or a Home published with anyone else finds nobody, and the
call is recorded as one real Slack refuses. A renewed token is answered in the shape of an install."""

from urllib.parse import parse_qs, urlsplit

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.fakeslack import FakeSlack
from bot.fakeslack.installs import CLIENT_ID, CLIENT_SECRET, Installer, Installs
from tests.unit.fakeslack_fixtures import client
from tests.unit.test_fakeslack import error_of, slack
from tests.unit.test_fakeslack_destinations import uploaded

__all__ = ["client", "slack"]


def test_a_message_to_someone_slack_does_not_know_finds_no_channel(slack: FakeSlack, client: WebClient) -> None:
    """https://docs.slack.dev/reference/methods/chat.postMessage#errors: `channel_not_found`, by their user id or
    their DM's id."""
    assert error_of(client.chat_postMessage, channel="U0GHOST", text="hi") == "channel_not_found"
    assert error_of(client.chat_postMessage, channel="D0GHOST", text="hi") == "channel_not_found"
    assert error_of(client.chat_postMessage, channel="W0GHOST", text="hi") == "channel_not_found"
    assert slack.violations == [
        f"chat.postMessage: {someone} is nobody the workspace knows" for someone in ("U0GHOST", "D0GHOST", "W0GHOST")
    ]
    assert slack.calls("chat.postMessage") == []
    assert client.chat_postMessage(channel="U0LEE", text="hi")["channel"] == "D0LEE"


def test_a_message_in_the_dm_of_someone_slack_does_not_know_cannot_be_changed(
    slack: FakeSlack, client: WebClient
) -> None:
    assert error_of(client.chat_update, channel="D0GHOST", ts="1.000001", text="hi") == "channel_not_found"
    assert error_of(client.chat_delete, channel="D0GHOST", ts="1.000001") == "channel_not_found"
    assert len(slack.violations) == 2
    posted = client.chat_postMessage(channel="U0LEE", text="hi")
    assert client.chat_update(channel=posted["channel"], ts=posted["ts"], text="hello")["ok"]


def test_no_dm_opens_with_someone_slack_does_not_know(slack: FakeSlack, client: WebClient) -> None:
    """conversations.open: `user_not_found`, "Value(s) passed for users was invalid"
    (https://docs.slack.dev/reference/methods/conversations.open#errors)."""
    assert error_of(client.conversations_open, users="U0GHOST") == "user_not_found"
    assert slack.violations == ["conversations.open: U0GHOST is nobody the workspace knows"]
    assert client.conversations_open(users="U0LEE")["channel"]["id"] == "D0LEE"


def test_no_file_is_shared_with_someone_slack_does_not_know(slack: FakeSlack, client: WebClient) -> None:
    """A user id in `channel_id` is refused by its form first (`invalid_arguments`); a DM's id or a user id in
    `channels` of nobody Slack knows is `invalid_channel`, this method's word for a channel it cannot find
    (https://docs.slack.dev/reference/methods/files.completeUploadExternal#errors)."""
    assert error_of(client.files_completeUploadExternal, files=uploaded(client), channel_id="D0GHOST") == (
        "invalid_channel"
    )
    assert error_of(client.files_completeUploadExternal, files=uploaded(client), channels=["C0GENERAL", "U0GHOST"]) == (
        "invalid_channel"
    )
    assert error_of(client.files_completeUploadExternal, files=uploaded(client), channel_id="U0GHOST") == (
        "invalid_arguments"
    )
    assert len(slack.violations) == 3
    assert client.files_completeUploadExternal(files=uploaded(client), channel_id="D0LEE")["ok"]


def test_an_ephemeral_message_is_for_a_member_of_a_conversation_slack_finds(
    slack: FakeSlack, client: WebClient
) -> None:
    """chat.postEphemeral takes "an encoded ID, or a name" for `channel` (a user id stands for the DM) and a `user`
    in it, else `user_not_in_channel` (https://docs.slack.dev/reference/methods/chat.postEphemeral#errors): in a DM,
    only its person is."""
    slack.add_user("U0SAM", "Sam Agent")

    assert error_of(client.chat_postEphemeral, channel="D0GHOST", user="U0LEE", text="hi") == "channel_not_found"
    assert error_of(client.chat_postEphemeral, channel="U0GHOST", user="U0GHOST", text="hi") == "channel_not_found"
    assert error_of(client.chat_postEphemeral, channel="C0GENERAL", user="U0GHOST", text="hi") == (
        "user_not_in_channel"
    )
    assert error_of(client.chat_postEphemeral, channel="D0LEE", user="U0SAM", text="hi") == "user_not_in_channel"
    assert error_of(client.chat_postEphemeral, channel="nowhere", user="U0LEE", text="hi") == "channel_not_found"
    assert client.chat_postEphemeral(channel="D0LEE", user="U0LEE", text="hi")["ok"]
    assert client.chat_postEphemeral(channel="U0LEE", user="U0LEE", text="hi")["ok"], "a DM by the user id"
    shown = client.chat_postEphemeral(channel="#general", user="U0SAM", text="hi")
    assert slack.state.find_ephemeral("C0GENERAL", shown["message_ts"]) is not None, "a channel by its name"
    assert len(slack.violations) == 3, "each naming someone Slack does not know"


@pytest.mark.parametrize("user_id", ["U0GHOST", "W0GHOST", "D0LEE", ""])
def test_no_home_is_published_for_someone_slack_does_not_know(
    slack: FakeSlack, client: WebClient, user_id: str
) -> None:
    """views.publish's errors list names nothing for it; Slack answers its "Common error response", `invalid_arguments`
    saying "invalid `user_id`" (https://docs.slack.dev/reference/methods/views.publish). A DM's id is no user id."""
    home = {"type": "home", "blocks": []}

    with pytest.raises(SlackApiError) as raised:
        client.views_publish(user_id=user_id, view=home)

    assert raised.value.response["error"] == "invalid_arguments"
    assert raised.value.response["response_metadata"]["messages"] == ["invalid `user_id`"]
    assert slack.violations == [f"views.publish: {user_id or 'no user_id'} is nobody the workspace knows"]
    assert slack.calls("views.publish") == [] and slack.state.home_view("U0LEE") is None
    assert client.views_publish(user_id="U0LEE", view=home)["ok"]


def test_a_lookup_by_email_finds_only_someone_of_the_workspace_with_that_email(
    slack: FakeSlack, client: WebClient
) -> None:
    """users.lookupByEmail takes "An email address belonging to a user in the workspace"; for anyone else it answers
    `users_not_found` (https://docs.slack.dev/reference/methods/users.lookupByEmail), as for someone deactivated: Lee's
    profile shows no email."""
    slack.add_user("U0SAM", "Sam Agent", email="sam@example.com")
    slack.add_user("U0NIA", "Nia North", email="nia@example.com", team_id="T0NORTH")
    slack.add_user("U0GONE", "Gus Gone", email="gus@example.com", deleted=True)

    assert client.users_lookupByEmail(email="sam@example.com")["user"]["id"] == "U0SAM"
    assert error_of(client.users_lookupByEmail, email="nia@example.com") == "users_not_found"
    assert error_of(client.users_lookupByEmail, email="ghost@example.com") == "users_not_found"
    assert error_of(client.users_lookupByEmail, email="gus@example.com") == "users_not_found", "deactivated"
    assert error_of(client.users_lookupByEmail, email="") == "users_not_found"


@pytest.mark.parametrize(
    ("installer", "org_wide"), [(Installer("T0NORTH", "E0GROUP"), False), (Installer(None, "E0GROUP"), True)]
)
def test_a_renewed_token_says_whether_the_install_is_org_wide(installer: Installer, org_wide: bool) -> None:
    """oauth.v2.access with `grant_type=refresh_token` answers as the install did, `is_enterprise_install` included
    (https://docs.slack.dev/authentication/using-token-rotation)."""
    installs = Installs("xoxb-first", "T0LATITUDE")
    installs.rotation, installs.token_lifetime = True, 43200
    installs.next_installer = installer
    asked = {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}
    _status, where = installs.authorize(f"client_id={CLIENT_ID}&scope=chat:write&redirect_uri=https://x/")
    installed = installs.exchange({**asked, "code": parse_qs(urlsplit(where).query)["code"][0]})

    renewed = installs.exchange({**asked, "grant_type": "refresh_token", "refresh_token": installed["refresh_token"]})

    assert renewed["ok"] and renewed["is_enterprise_install"] is org_wide
    assert (renewed["team"], renewed["enterprise"]) == (installed["team"], installed["enterprise"])
