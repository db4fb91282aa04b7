"""What Slack says about people (`users.info`): who someone is, and whether they are of the request's workspace."""

import logging
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from services.directory import SlackPerson
from services.errors import DomainError

log = logging.getLogger(__name__)

NOT_A_MEMBER = frozenset({"user_not_found", "user_not_visible"})
"""What `users.info` answers about someone who is not (or not visibly) in the workspace."""
INSTALL_LACKS = frozenset({"missing_scope", "not_allowed_token_type", "no_permission", "ekm_access_denied"})
"""What `users.info` answers when the app's install may not ask it: no wait fixes that, a reinstall does."""


class SlackDidNotAnswer(DomainError):
    """Slack could not say who someone is just now (busy, rate limited, unreachable): nothing was done about them."""

    def __init__(self, slack_id: str) -> None:
        super().__init__(f"Slack didn't answer about <@{slack_id}> just now. Please try again in a minute.")


class SlackWillNotSay(DomainError):
    """The app's install may not ask Slack about people: waiting will not help, so nobody is told to try again."""

    def __init__(self, slack_id: str, code: str) -> None:
        self.code = code
        super().__init__(
            f"Slack won't tell Latitude who <@{slack_id}> is (`{code}`): the app's install lacks a permission it "
            "needs. Ask your Slack admin to reinstall Latitude; nothing was done meanwhile."
        )


def ask_slack(client: WebClient, slack_id: str, context: BoltContext | None = None) -> SlackPerson:
    """What `users.info` says about someone: a person Slack does not know (or shows as deleted), or, given the request's
    `context`, someone of another workspace, does not exist here. An install that may not ask is `SlackWillNotSay`; any
    other failure says nothing about them: `SlackDidNotAnswer`."""
    user = slack_user(client, slack_id)
    if user is None:
        return SlackPerson(slack_id, exists=False)
    if context is not None and not of_the_workspace(user, context):
        log.info("users.info for %s: a person of another workspace", slack_id)
        return SlackPerson(slack_id, exists=False)
    return person_of(slack_id, user)


def slack_user(client: WebClient, slack_id: str) -> dict[str, Any] | None:
    """The `users.info` user object; None for someone Slack says is not (visibly) a member."""
    try:
        user: dict[str, Any] = client.users_info(user=slack_id)["user"]
    except SlackApiError as error:
        code = error.response.get("error")
        if code in NOT_A_MEMBER:
            log.info("users.info for %s: %s", slack_id, code)
            return None
        log.warning("users.info for %s failed: %s", slack_id, code)
        if code in INSTALL_LACKS:
            raise SlackWillNotSay(slack_id, str(code)) from error
        raise SlackDidNotAnswer(slack_id) from error
    except (OSError, SlackClientError) as error:
        log.warning("users.info for %s: Slack unreachable: %s", slack_id, error)
        raise SlackDidNotAnswer(slack_id) from error
    return user


def of_the_workspace(user: dict[str, Any], context: BoltContext) -> bool:
    """Whether a `users.info` user is of the request's workspace (org-wide: of its org). Slack also answers about the
    external members of a Slack Connect channel, each with their own team; a Grid user lists every workspace of
    theirs (`enterprise_user.teams`). A user object naming no team at all is taken as one of ours."""
    grid = user.get("enterprise_user") or {}
    if user.get("is_stranger"):
        return False
    if context.is_enterprise_install:
        return grid.get("enterprise_id") == context.enterprise_id
    if of_the_org(user, context) and grid.get("teams") is not None:
        return context.team_id in grid["teams"]  # the org's own list: `team_id` may still name one they left
    teams = {team for team in (user.get("team_id"), *(grid.get("teams") or ())) if team}
    return not teams or context.team_id in teams


def of_the_org(user: dict[str, Any], context: BoltContext) -> bool:
    """Whether a user object is of the Grid org the request's workspace belongs to."""
    grid = user.get("enterprise_user") or {}
    return (
        bool(context.enterprise_id)
        and not user.get("is_stranger")
        and grid.get("enterprise_id") == context.enterprise_id
    )


def slack_people(
    client: WebClient, context: BoltContext, slack_ids: list[str], labels: Mapping[str, str]
) -> dict[str, SlackPerson]:
    """What `users.info` says about each of these people, as people of the request's workspace; when it gives no name,
    the one Slack sent with the mention in the command (`labels`). Slack's profile wins over the label."""
    people = {slack_id: ask_slack(client, slack_id, context) for slack_id in slack_ids}
    return {slack_id: _named(person, labels.get(slack_id)) for slack_id, person in people.items()}


def _named(person: SlackPerson, label: str | None) -> SlackPerson:
    return replace(person, name=label) if label and person.name in ("", person.slack_id) else person


def person_of(slack_id: str, user: dict[str, Any]) -> SlackPerson:
    """A `users.info` user object as the directory needs it: the profile's real name wins over the handle."""
    profile = user.get("profile") or {}
    return SlackPerson(
        slack_id,
        exists=not user.get("deleted"),
        is_bot=bool(user.get("is_bot")) or slack_id == "USLACKBOT",
        name=profile.get("real_name") or user.get("real_name") or user.get("name") or slack_id,
        email=profile.get("email") or None,
        tz=user.get("tz"),
        guest=bool(user.get("is_restricted") or user.get("is_ultra_restricted")),
    )
