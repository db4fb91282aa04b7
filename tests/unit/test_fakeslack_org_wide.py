"""An org-wide install in the Slack stand-in reaches only the workspaces an org admin added it to and Slack has not
removed it from since: Slack adds it to none by itself (`team_access_granted` tells of each addition)."""

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.fakeslack import FakeSlack
from bot.fakeslack.installs import CLIENT_ID, CLIENT_SECRET, Grant, Installer, Installs


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        fake.add_user("W0NIA", "Nia North", team_id="T0NORTH", enterprise_id="E0GROUP")
        fake.add_user("W0SAM", "Sam South", team_id="T0SOUTH", enterprise_id="E0GROUP")
        yield fake


@pytest.fixture
def org(slack: FakeSlack) -> WebClient:
    token = slack.state.installs.issue_token(Grant(None, "E0GROUP", org_wide=True))
    return WebClient(token=token, base_url=slack.api_url)


def error_of(org: WebClient, method: str, **args: str) -> str:
    with pytest.raises(SlackApiError) as raised:
        org.api_call(method, params=args)
    return str(raised.value.response["error"])


def change(slack: FakeSlack, action: str, *team_ids: str) -> None:
    slack.state.installs.change_team_access("E0GROUP", {"type": action, "team_ids": list(team_ids)})


def test_an_org_wide_install_added_to_no_workspace_yet_lists_and_reaches_nobody(
    slack: FakeSlack, org: WebClient
) -> None:
    assert org.auth_teams_list()["teams"] == []
    assert error_of(org, "users.list", team_id="T0NORTH") == "team_access_not_granted"
    assert error_of(org, "chat.postMessage", channel="W0NIA", text="hi") == "channel_not_found"


def test_an_org_wide_install_reaches_the_workspaces_added_to_it_until_slack_removes_them(
    slack: FakeSlack, org: WebClient
) -> None:
    change(slack, "team_access_granted", "T0NORTH", "T0SOUTH")
    change(slack, "team_access_revoked", "T0SOUTH")

    assert [team["id"] for team in org.auth_teams_list()["teams"]] == ["T0NORTH"]
    assert [member["id"] for member in org.users_list(team_id="T0NORTH")["members"]] == ["W0NIA"]
    assert org.chat_postMessage(channel="W0NIA", text="hi")["ok"]
    assert error_of(org, "users.list", team_id="T0SOUTH") == "team_access_not_granted"
    assert error_of(org, "chat.postMessage", channel="W0SAM", text="hi") == "channel_not_found"
    home = json.dumps({"type": "home", "blocks": []})
    assert org.views_publish(user_id="W0NIA", view=home)["ok"]
    assert error_of(org, "views.publish", user_id="W0SAM", view=home) == "invalid_arguments"


def test_an_org_wide_token_must_name_the_workspace_it_lists(slack: FakeSlack, org: WebClient) -> None:
    """`team_id` is "required if org token is used" (https://docs.slack.dev/reference/methods/users.list): Slack
    answers `missing_argument`, and lists no workspace of the org by itself."""
    change(slack, "team_access_granted", "T0NORTH", "T0SOUTH")

    assert error_of(org, "users.list") == "missing_argument"


def test_the_workspaces_an_org_wide_install_reaches_come_page_by_page(slack: FakeSlack, org: WebClient) -> None:
    """`auth.teams.list` pages with `limit` (at most 1000) and `cursor`, as Slack does
    (https://docs.slack.dev/reference/methods/auth.teams.list)."""
    change(slack, "team_access_granted", "T0NORTH", "T0SOUTH")

    first = org.auth_teams_list(limit=1)
    second = org.auth_teams_list(limit=1, cursor=first["response_metadata"]["next_cursor"])

    assert [team["id"] for page in (first, second) for team in page["teams"]] == ["T0NORTH", "T0SOUTH"]
    assert not second["response_metadata"]["next_cursor"]
    assert error_of(org, "auth.teams.list", limit="1001") == "invalid_limit"
    assert error_of(org, "auth.teams.list", cursor="not-a-cursor") == "invalid_cursor"


def test_a_workspace_token_lists_its_own_workspace_as_the_one_it_reaches(slack: FakeSlack) -> None:
    """`auth.teams.list` needs no scope and names "all the workspaces you have access to"
    (https://docs.slack.dev/reference/methods/auth.teams.list): a workspace's token, its own."""
    token = slack.state.installs.issue_token(Grant("T0NORTH", "E0GROUP"))

    assert [team["id"] for team in WebClient(token=token, base_url=slack.api_url).auth_teams_list()["teams"]] == [
        "T0NORTH"
    ]


def test_a_listing_without_a_limit_comes_whole(slack: FakeSlack, org: WebClient) -> None:
    """ "Providing no `limit` value will result in Slack attempting to deliver you the entire result set"
    (https://docs.slack.dev/reference/methods/users.list)."""
    for number in range(150):
        slack.add_user(f"W0N{number:03}", f"North {number}", team_id="T0NORTH", enterprise_id="E0GROUP")
    change(slack, "team_access_granted", "T0NORTH")

    answer = org.users_list(team_id="T0NORTH")

    assert len(answer["members"]) == 151 and not answer["response_metadata"]["next_cursor"]
    assert len(org.users_list(team_id="T0NORTH", limit=100)["members"]) == 100


def test_someone_removed_from_their_last_workspace_is_active_in_none(slack: FakeSlack, org: WebClient) -> None:
    """An org admin removes Sam from T0SOUTH, his only workspace: its listing shows him deactivated there, and no
    workspace shows him active."""
    change(slack, "team_access_granted", "T0NORTH", "T0SOUTH")

    slack.remove_from_workspace("W0SAM", "T0SOUTH")

    [sam] = [member for member in org.users_list(team_id="T0SOUTH")["members"] if member["id"] == "W0SAM"]
    assert sam["deleted"] is True


def test_someone_removed_from_one_workspace_shows_deactivated_there_and_active_elsewhere(
    slack: FakeSlack, org: WebClient
) -> None:
    """An org admin removes Gus from T0SOUTH: T0SOUTH's listing shows him deactivated there, T0NORTH's and
    `users.info` active, as Slack shows a workspace's view of someone of the org."""
    slack.add_user("W0GUS", "Gus Both", teams=("T0NORTH", "T0SOUTH"), enterprise_id="E0GROUP")
    change(slack, "team_access_granted", "T0NORTH", "T0SOUTH")

    slack.remove_from_workspace("W0GUS", "T0SOUTH")

    def gus_in(team_id: str) -> bool:
        [gus] = [member for member in org.users_list(team_id=team_id)["members"] if member["id"] == "W0GUS"]
        return bool(gus["deleted"])

    assert (gus_in("T0NORTH"), gus_in("T0SOUTH")) == (False, True)
    assert org.users_info(user="W0GUS")["user"]["deleted"] is False


def test_an_org_wide_install_is_answered_with_no_team_but_its_enterprise() -> None:
    """oauth.v2.access of an org-wide install: `"team": null`, the `enterprise`, `is_enterprise_install: true`
    (https://api.slack.com/enterprise/apps/reference); a workspace's own install names its team."""
    installs = Installs("xoxb-first", "T0LATITUDE")
    installs.names.update(E0GROUP="Latitude Group", T0NORTH="North")
    asked = {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}

    def installed(installer: Installer) -> dict[str, Any]:
        installs.next_installer = installer
        _status, where = installs.authorize(f"client_id={CLIENT_ID}&scope=chat:write&redirect_uri=https://x/")
        return installs.exchange({**asked, "code": parse_qs(urlsplit(where).query)["code"][0]})

    org_wide = installed(Installer(None, "E0GROUP"))
    assert org_wide["team"] is None and org_wide["is_enterprise_install"] is True
    assert org_wide["enterprise"] == {"id": "E0GROUP", "name": "Latitude Group"}
    workspace = installed(Installer("T0NORTH", "E0GROUP"))
    assert workspace["team"] == {"id": "T0NORTH", "name": "North"} and workspace["is_enterprise_install"] is False
