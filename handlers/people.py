"""Who is calling: the directory entry behind a Slack user, added on first use; what Slack says about people."""

import logging
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlalchemy import event
from sqlalchemy.orm import Session

from handlers.deps import Deps, deps_of
from handlers.middleware import PERSON_LABELS
from models import Employee, Workspace
from services import departures, directory, workspaces
from services.directory import Identity, SlackPerson
from services.errors import DomainError
from services.workspaces import scope_key

log = logging.getLogger(__name__)

NOT_A_MEMBER = frozenset({"user_not_found", "user_not_visible"})
"""What `users.info` answers about someone who is not (or not visibly) in the workspace."""
INSTALL_LACKS = frozenset({"missing_scope", "not_allowed_token_type", "no_permission", "ekm_access_denied"})
"""What `users.info` answers when the app's install may not ask it: no wait fixes that, a reinstall does."""
ADDED_NOTE = (
    ":wave: You weren't in Latitude's directory yet, so I've added you as a frontline employee without a manager."
)
NEW_EMPLOYEE_NOTE = (
    f"{ADDED_NOTE} Until HR adds you to the org file, every fix you log goes to the admins to decide: ask HR "
    "to add you, so that your fixes within the limits are logged at once and your requests reach your manager."
)


def request_workspace(session: Session, context: BoltContext) -> Workspace:
    """The workspace a request belongs to, as Bolt's context says (never raw payload fields).

    In an org-wide Grid install it is the whole org, whichever of its workspaces the person acted in:
    interactivity payloads may have a null `team`, and `user.team_id` may name another workspace. So it is for a
    request Slack still sends through a workspace's own install once the org-wide install took that workspace over.
    """
    org_wide = bool(context.is_enterprise_install)
    now = deps_of(context).now()
    made_under = directory.ensure_workspace(
        session, slack_team_id=_scope_key(context), now=now, enterprise_id=context.enterprise_id, org_wide=org_wide
    )
    workspace = workspaces.serving(session, made_under)
    org = context.enterprise_id
    if workspaces.end_migration_seen_finished(session, workspace=workspace, enterprise_id=org, now=now):
        key = workspace.slack_team_id
        _once_committed(session, lambda: _warn_migration_seen_finished(key, org))
    return workspace


def _warn_migration_seen_finished(team_id: str, org: str | None) -> None:
    log.warning(
        "a request from %s names the Grid org %s: its migration is done, though Slack's grid_migration_finished "
        "never came; its waiting messages go again",
        team_id,
        org,
    )


def _once_committed(session: Session, action: Callable[[], None]) -> None:
    """Run `action` once the session's transaction commits; never if it rolls back (a request that failed, or one
    tried again, would otherwise say twice what happened once, or what did not happen)."""
    pending = [action]

    def committed(_session: Session) -> None:
        if pending:
            pending.pop()()

    event.listen(session, "after_commit", committed, once=True)
    event.listen(session, "after_rollback", lambda _session: pending.clear(), once=True)


def known_workspace(session: Session, context: BoltContext) -> Workspace | None:
    """The workspace a request was made under, without adding one the database lacks: the install's own, for what
    happens to that install (uninstalled, tokens revoked)."""
    return directory.find_workspace(session, _scope_key(context))


def known_serving_workspace(session: Session, context: BoltContext) -> Workspace | None:
    """The workspace that serves a request, as `request_workspace` finds it (the org, for one Slack still sends
    through a workspace's own install the org took over), without adding one the database lacks."""
    made_under = known_workspace(session, context)
    return None if made_under is None else workspaces.serving(session, made_under)


def _scope_key(context: BoltContext) -> str:
    org_wide = bool(context.is_enterprise_install)
    return scope_key(team_id=context.team_id, enterprise_id=context.enterprise_id, org_wide=org_wide)


def identify_caller(session: Session, context: BoltContext, *, user_id: str, user_name: str = "") -> Identity:
    workspace = request_workspace(session, context)
    now = deps_of(context).now()
    return directory.identify(session, workspace=workspace, slack_id=user_id, name=user_name, now=now)


def command_caller(session: Session, context: BoltContext, command: dict[str, Any]) -> Identity:
    return identify_caller(session, context, user_id=command["user_id"], user_name=command.get("user_name", ""))


def action_caller(session: Session, context: BoltContext, body: dict[str, Any]) -> Identity:
    """The person who clicked or submitted. Someone the directory does not know who is not one of the people served
    here (an external member of a Slack Connect channel clicking a post's button) is refused before they are added:
    they are not staff here, and their click must not count as a colleague's."""
    user = body["user"]
    identity = identify_caller(
        session, context, user_id=user["id"], user_name=user.get("name") or user.get("username", "")
    )
    if identity.newly_added and not _served_here(user, context, org_wide=identity.workspace.org_wide):
        raise FromAnotherWorkspace()
    return identity


def _served_here(user: dict[str, Any], context: BoltContext, *, org_wide: bool) -> bool:
    """Whether a newcomer is of the workspace serving the request (`org_wide`: of its org, also through a workspace's
    own install the org took over). A payload's `user.team_id` naming that workspace (or org) is enough. In a Grid org
    it names the org (`E…`), whichever workspace the person is in, so there `users.info` decides, as for someone met
    in a command; outside Grid, another workspace named there is another workspace."""
    home = user.get("team_id")
    if not home or home == (context.enterprise_id if org_wide else context.team_id):
        return True
    if not context.enterprise_id:
        return False
    asked = _slack_user(context.client, str(user["id"]))
    return asked is not None and (of_the_org(asked, context) if org_wide else of_the_workspace(asked, context))


class FromAnotherWorkspace(DomainError):
    """A click or form from someone Slack says belongs to another workspace and the directory does not know."""

    def __init__(self) -> None:
        super().__init__(
            "Latitude here is for the people of this workspace, and Slack says you belong to another one, so nothing "
            "was done. If you work here too, use a Latitude command here first (`/boundaries`), then try again."
        )


def with_newcomer_note(text: str, identity: Identity) -> str:
    return f"{NEW_EMPLOYEE_NOTE}\n\n{text}" if identity.newly_added else text


class SlackDidNotAnswer(DomainError):
    """Slack could not say who someone is just now (busy, rate limited, unreachable): nothing was done about them."""

    def __init__(self, slack_id: str) -> None:
        super().__init__(f"Slack didn't answer about <@{slack_id}> just now. Please try again in a minute.")


class SlackWillNotSay(DomainError):
    """The app's install may not ask Slack about people: waiting will not help, so nobody is told to try again."""

    def __init__(self, slack_id: str, code: str) -> None:
        super().__init__(
            f"Slack won't tell Latitude who <@{slack_id}> is (`{code}`): the app's install lacks a permission it "
            "needs. Ask your Slack admin to reinstall Latitude; nothing was done meanwhile."
        )


def ask_slack(client: WebClient, slack_id: str, context: BoltContext | None = None) -> SlackPerson:
    """What `users.info` says about someone: a person Slack does not know (or shows as deleted), or, given the request's
    `context`, someone of another workspace, does not exist here. An install that may not ask is `SlackWillNotSay`; any
    other failure says nothing about them: `SlackDidNotAnswer`."""
    user = _slack_user(client, slack_id)
    if user is None:
        return SlackPerson(slack_id, exists=False)
    if context is not None and not of_the_workspace(user, context):
        log.info("users.info for %s: a person of another workspace", slack_id)
        return SlackPerson(slack_id, exists=False)
    return person_of(slack_id, user)


def _slack_user(client: WebClient, slack_id: str) -> dict[str, Any] | None:
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


def person_labels(context: BoltContext) -> dict[str, str]:
    """The names Slack sent with the people a command's text mentions, by Slack id (`handlers.middleware`)."""
    return dict(context.get(PERSON_LABELS) or {})


def labelled(session: Session, context: BoltContext, workspace: Workspace, text: str) -> str:
    """A command's text to store: people the directory does not know keep the name Slack sent with them."""
    return directory.labelled_for_strangers(session, workspace, text, person_labels(context))


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


def learn_if_wanted(client: WebClient, deps: Deps, identity: Identity) -> None:
    """After the ack: what Slack knows of a newcomer, of someone without a time zone (`slack_profile_wanted`), or
    of someone the org file does not list whom Slack was never asked whether they are a guest (`may_be_a_guest`).

    Not after a pulse answer or a suggestion: the profile's update would time-stamp who acted then.
    """
    if identity.slack_profile_wanted or identity.may_be_a_guest:
        learn_from_slack(client, deps, identity.employee)


def learn_from_slack(client: WebClient, deps: Deps, employee: Employee) -> None:
    """Fill what the directory lacks of a person (a newcomer's name, email, a time zone) from `users.info`
    (after the ack); the directory's own values win. Best effort: when Slack does not answer, what is missing
    stays so (a missing time zone is asked for again on the person's next request)."""
    try:
        person = ask_slack(client, employee.slack_id)
    except (SlackDidNotAnswer, SlackWillNotSay):
        return
    if not person.exists:
        return
    with deps.sessions.begin() as session:
        departures.learn_profile(session, employee_id=employee.id, person=person, now=deps.now())
