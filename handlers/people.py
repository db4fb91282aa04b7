"""Who is calling: the directory entry behind a Slack user, added on first use (what Slack says about people:
handlers/slack_people.py)."""

import logging
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient
from sqlalchemy import event
from sqlalchemy.orm import Session

from handlers.deps import Deps, deps_of
from handlers.middleware import PERSON_LABELS
from handlers.slack_people import (
    SlackDidNotAnswer,
    SlackWillNotSay,
    ask_slack,
    of_the_org,
    of_the_workspace,
    person_of,
    slack_user,
)
from models import Employee, Workspace
from services import departures, directory, workspaces
from services.directory import Identity, SlackPerson
from services.errors import DomainError
from services.workspaces import scope_key

log = logging.getLogger(__name__)

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
    they are not staff here, and their click must not count as a colleague's. When Slack must say (`_served_here`),
    it is asked before `session` (which listeners hand over unused) holds a connection or the newcomer's row, so a
    Slack slow to answer holds up nobody else; what it said of them is kept for `learn_if_wanted`."""
    user = body["user"]
    vetted = _vetted_by_slack(context, user)
    identity = identify_caller(
        session, context, user_id=user["id"], user_name=user.get("name") or user.get("username", "")
    )
    if not identity.newly_added:
        return identity
    deps_of(context).known_callers.discard((_scope_key(context), identity.employee.slack_id))
    if vetted is None:  # known a moment ago, or the payload says
        if not _served_here(user, context, org_wide=identity.workspace.org_wide):
            raise FromAnotherWorkspace()
        return identity
    served, person = vetted
    if not served:
        raise FromAnotherWorkspace()
    return replace(identity, slack_person=person)


def _vetted_by_slack(context: BoltContext, user: dict[str, Any]) -> tuple[bool, SlackPerson | None] | None:
    """Whether Slack says someone the directory does not know is served here, and who they are: the directory is
    read in a session closed before Slack is asked. None when the payload can say (outside Grid) or they are known.

    Someone seen known before is taken as known without that read (every click in Grid would pay for it): were their
    row gone since (a workspace purged), `action_caller` asks Slack as for one added a moment ago, and forgets them."""
    home, org = user.get("team_id"), context.enterprise_id
    if not home or not org or home == context.team_id or (home == org and context.is_enterprise_install):
        return None
    slack_id, deps = str(user["id"]), deps_of(context)
    if (_scope_key(context), slack_id) in deps.known_callers:
        return None
    with deps.sessions() as session:
        workspace = known_serving_workspace(session, context)
        org_wide = bool(context.is_enterprise_install) if workspace is None else workspace.org_wide
        if workspace is not None and directory.find_employee(session, workspace, slack_id) is not None:
            deps.known_callers.add((_scope_key(context), slack_id))
            return None
    if home == (org if org_wide else context.team_id):
        return None
    asked = slack_user(context.client, slack_id)
    if asked is None:
        return False, None
    return (of_the_org(asked, context) if org_wide else of_the_workspace(asked, context)), person_of(slack_id, asked)


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
    asked = slack_user(context.client, str(user["id"]))
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


def person_labels(context: BoltContext) -> dict[str, str]:
    """The names Slack sent with the people a command's text mentions, by Slack id (`handlers.middleware`)."""
    return dict(context.get(PERSON_LABELS) or {})


def labelled(session: Session, context: BoltContext, workspace: Workspace, text: str) -> str:
    """A command's text to store: people the directory does not know keep the name Slack sent with them."""
    return directory.labelled_for_strangers(session, workspace, text, person_labels(context))


def learn_if_wanted(client: WebClient, deps: Deps, identity: Identity) -> None:
    """After the ack: what Slack knows of a newcomer, of someone without a time zone (`slack_profile_wanted`), or
    of someone the org file does not list whom Slack was never asked whether they are a guest (`may_be_a_guest`).

    Not after a pulse answer or a suggestion: the profile's update would time-stamp who acted then.
    """
    if identity.slack_profile_wanted or identity.may_be_a_guest:
        learn_from_slack(client, deps, identity.employee, said=identity.slack_person)


def learn_from_slack(client: WebClient, deps: Deps, employee: Employee, said: SlackPerson | None = None) -> None:
    """Fill what the directory lacks of a person (a newcomer's name, email, a time zone) from `users.info`
    (after the ack), unless Slack `said` it during the request; the directory's own values win. Best effort: when
    Slack does not answer, what is missing stays so (a missing time zone is asked for again on their next request)."""
    try:
        person = said or ask_slack(client, employee.slack_id)
    except (SlackDidNotAnswer, SlackWillNotSay):
        return
    _learn(deps, employee, person)


def vet_with_slack(client: WebClient, deps: Deps, employee: Employee, said: SlackPerson | None = None) -> None:
    """Before someone the org file does not list acts (after the ack): what Slack says of them, whether they are a
    guest above all (`learn_from_slack`). Slack not answering leaves them unvetted, refused by the service until it
    answers; an install that may not ask is `SlackCannotVetYou`, and an account Slack does not know here (or shows as
    deleted) `SlackDoesNotKnowYou`, since no wait fixes either."""
    try:
        person = said or ask_slack(client, employee.slack_id)
    except SlackDidNotAnswer:
        return
    except SlackWillNotSay as error:
        raise SlackCannotVetYou(error.code) from error
    if not person.exists:
        raise SlackDoesNotKnowYou()
    _learn(deps, employee, person)


def refused_before_a_form(client: WebClient, deps: Deps, identity: Identity) -> str | None:
    """Why a form is not to open (after the ack, before it opens) for someone the org file does not list whom Slack
    has not vetted: an install that may not ask, or an account Slack does not know, is said at once rather than once
    the form is filled. Slack not answering opens it: its submission asks again. What Slack said is learnt."""
    if not identity.may_be_a_guest:
        return None
    try:
        vet_with_slack(client, deps, identity.employee, identity.slack_person)
    except (SlackCannotVetYou, SlackDoesNotKnowYou) as error:
        return str(error)
    return None


def _learn(deps: Deps, employee: Employee, person: SlackPerson) -> None:
    if not person.exists:
        return
    with deps.sessions.begin() as session:
        departures.learn_profile(session, employee_id=employee.id, person=person, now=deps.now())


class SlackCannotVetYou(DomainError):
    """Slack won't say whether the caller, whom the org file does not list, is a guest: the app's install lacks a
    permission (`missing_scope`), so they are told whom to tell rather than to try again."""

    def __init__(self, code: str) -> None:
        super().__init__(
            f"HR's org file doesn't list you, and Latitude can't check your account with Slack (Slack answers "
            f"`{code}`: the app's install lacks a permission it needs), so nothing was done. Trying again won't "
            "help: tell your Slack admin (quoting that answer), who can reinstall Latitude, or ask HR to add you to "
            "the org file."
        )


class SlackDoesNotKnowYou(DomainError):
    """Slack answered that it does not know the caller, whom the org file does not list, as a member of this
    workspace (`user_not_found`, `user_not_visible`, a deleted account): as for a click from another workspace
    (`FromAnotherWorkspace`), they may not act here, and trying again changes nothing."""

    def __init__(self) -> None:
        super().__init__(
            "HR's org file doesn't list you, and Slack says it doesn't know your account in this workspace, so "
            "Latitude can't let you act here and nothing was done. Trying again won't help: ask your Slack admin "
            "about your account, or ask HR to add you to the org file."
        )
