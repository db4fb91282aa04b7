"""The views methods of the fake Slack: a modal opened, updated or pushed, a Home published (see `views`).

A modal opens for the person whose act gave the trigger_id, and `views.push` needs a trigger_id made in an open
modal, over which at most 2 views are pushed (`push_limit_reached`: https://docs.slack.dev/reference/methods/views.push).
"""

import json

from bot.fakeslack.blockkit import view_refusal
from bot.fakeslack.methods import Answer, Args, method, refused_for
from bot.fakeslack.payloads import view_as_sent
from bot.fakeslack.state import SlackState
from bot.fakeslack.triggers import Trigger
from bot.fakeslack.views import ShownView


@method("views.open")
def views_open(state: SlackState, args: Args) -> Answer:
    trigger = state.triggers.use(str(args.get("trigger_id") or ""))
    if not isinstance(trigger, Trigger):
        return {"ok": False, "error": trigger}
    return _view(state, args, "views.open", owner=trigger.user)


@method("views.update")
def views_update(state: SlackState, args: Args) -> Answer:
    """Only a view Slack issued and still shows, at its current `hash` when one is given (see `views`)."""
    shown = state.views.find(args.get("view_id"), args.get("external_id"))
    if shown is None:
        return {"ok": False, "error": "not_found"}
    if args.get("hash") and args["hash"] != shown.hash:
        return {"ok": False, "error": "hash_conflict"}
    return _view(state, args, "views.update", shown.view_id)


@method("views.push")
def views_push(state: SlackState, args: Args) -> Answer:
    """Over the modal the trigger_id was made in, within its stack's 3 views."""
    trigger = state.triggers.use(str(args.get("trigger_id") or ""))
    if not isinstance(trigger, Trigger):
        return {"ok": False, "error": trigger}
    problem = state.views.push_problem(trigger.view_id)
    if problem:
        return {"ok": False, "error": problem}
    return _view(state, args, "views.push", over=state.views.find(trigger.view_id))


@method("views.publish")
def views_publish(state: SlackState, args: Args) -> Answer:
    """The published Home comes back in the person's next `app_home_opened` (https://api.slack.com/events/app_home_opened).
    A `hash` that is not the Home's current one is refused (https://docs.slack.dev/reference/methods/views.publish);
    a `user_id` of nobody the workspace has was refused before (`access.INVALID_USER_ID`)."""
    user = str(args["user_id"])
    return state.publish_home(user, args.get("hash"), lambda: _view(state, args, "views.publish", owner=user))


def _view(
    state: SlackState,
    args: Args,
    name: str,
    view_id: str | None = None,
    *,
    owner: str | None = None,
    over: ShownView | None = None,
) -> Answer:
    """Show the view (a new one for `owner` or pushed `over` another, or a new version of `view_id`): it comes back
    as Slack holds it, with its id and a fresh hash."""
    view = args.get("view")
    view = json.loads(view) if isinstance(view, str) else view or {}
    refused = refused_for(state, name, *view_refusal(view, "home" if name == "views.publish" else "modal"))
    if refused:
        return refused
    external_id = view.get("external_id")
    if external_id and view_id is None and state.views.find(external_id=external_id):
        return {"ok": False, "error": "duplicate_external_id"}
    shown = state.views.show(view, view_id, owner=owner, over=over)
    stack = {"root_view_id": shown.root_view_id, "previous_view_id": shown.previous_view_id}
    held = view_as_sent(view, shown.view_id, shown.hash, state.team_id, installed_by=state.team_id, **stack)
    return {"ok": True, "view": held}
