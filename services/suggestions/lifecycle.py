"""A suggestion's life: sent to its owner, backed by colleagues, moved through its statuses. Callers commit."""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Employee, Resolution, Suggestion, Workspace
from services import audit, directory, org_takeover, outbox
from services.emoji import without_codes
from services.errors import AlreadyDone, InvalidInput, NotAllowed, NotFound
from services.letters import letters
from services.policy.suggestions import SuggestionSettings
from services.policy.versions import current_policy
from services.rereading import as_now
from services.rewards.grants import HR_ROLES
from services.suggestions.anonymity import make_anonymous, refuse_too_many_a_day
from services.suggestions.numbers import add_unnumbered, give_numbers, numbered_elsewhere
from services.suggestions.owners import owner_for, still_fits
from services.suggestions.relay import Relay
from services.suggestions.release import hold
from services.text import echoed, without_mentions

MAX_WHAT = 1000
MIN_WHAT = 3
"""Letters or digits an idea needs besides the people it names: `x` or a bare `@Sam` leaves nothing to act on. A
wide character (Chinese, Japanese, Korean) counts two: `加薪` is a whole idea."""
_TYPED_NAME = re.compile(r"(?<!\S)@\S+")
"""`@Sam` typed in the form, where it stays text rather than a mention."""
MAX_WHY = 2000
MAX_REASON = 500
DUPLICATE_WINDOW = timedelta(minutes=1)
STATUS_WORDS = {
    "open": "New",
    "under_review": "Under review",
    "planned": "Planned",
    "done": "Done",
    "not_doing": "Not doing",
}
DECISIONS = ("under_review", "planned", "done", "not_doing")


@dataclass(frozen=True)
class SuggestionRequest:
    what: str
    why: str = ""
    category: str | None = None
    resolution_id: int | None = None
    anonymous: bool = False


def settings_of(session: Session, workspace: Workspace) -> tuple[SuggestionSettings, int]:
    """The `[suggestions]` section in force and the anonymity threshold (the pulse's: one rule for both)."""
    active = current_policy(session, workspace)
    if active is None:
        return SuggestionSettings(), 5
    return active.policy.suggestions, active.policy.pulse.anonymity_threshold


def submit(
    session: Session,
    *,
    workspace: Workspace,
    author: Employee,
    request: SuggestionRequest,
    relay: Relay | None,
    now: datetime,
) -> Suggestion:
    """Check the text, the category and the link; route to the owner; an anonymous one keeps no person."""
    directory.require_active(author)
    settings, threshold = settings_of(session, workspace)
    what, why = _what(request.what), request.why.strip()
    if len(why) > MAX_WHY:
        raise InvalidInput(f"Keep the why under {MAX_WHY} characters (it has {len(why)}).", field="why")
    category = _category(settings, request.category)
    owner = owner_for(session, workspace, settings, author, category)
    suggestion = Suggestion(
        workspace_id=workspace.id,
        anonymous=request.anonymous,
        team_manager_id=author.manager_id,
        owner_id=owner.id,
        category=category,
        what=what,
        why=why or None,
        status="open",
        created_at=now,
        updated_at=now,
    )
    if request.anonymous:
        make_anonymous(
            session,
            suggestion,
            author=author,
            owner=owner,
            settings=settings,
            resolution_id=request.resolution_id,
            relay=relay,
            threshold=threshold,
        )
    else:
        suggestion.author_id, suggestion.team_id = author.id, author.team_id
        suggestion.resolution_id = _resolution(session, workspace, author, request.resolution_id)
    directory.lock_people(session, [author])  # the same idea sent twice at once: the second finds the first
    _refuse_duplicate(session, suggestion, author, relay, now)
    if request.anonymous and relay is not None:  # counted after the lock, so two sent at once count each other
        refuse_too_many_a_day(session, suggestion, author, relay, now)
    hold(suggestion, now)
    if request.anonymous:  # numbered on release (release.py), its number and id saying nothing of its sending
        add_unnumbered(session, suggestion)
    else:
        give_numbers(session, [suggestion])
        session.add(suggestion)
        session.flush()
    if not request.anonymous:  # an anonymous one's is written on release (release.py), not dated to its sending
        audit.record(
            session,
            workspace=workspace,
            actor=author.slack_id,
            action="suggestion.submit",
            now=now,
            subject=f"#{suggestion.number}",
        )
    return suggestion


def _text(raw: str, limit: int, field: str, what: str) -> str:
    text = raw.strip()
    if not text:
        raise InvalidInput(f"{what}: the text is empty.", field=field)
    if len(text) > limit:
        raise InvalidInput(f"Keep it under {limit} characters (it has {len(text)}).", field=field)
    return text


def _what(raw: str) -> str:
    what = _text(raw, MAX_WHAT, "what", "Say what you suggest")
    words = _TYPED_NAME.sub(" ", without_mentions(what))
    if letters(words) == 0 and words != what:
        raise InvalidInput(
            "Say what you suggest, not only who it concerns: the idea itself, in a few words.", field="what"
        )
    if letters(without_codes(words)) < MIN_WHAT:  # `:bulb:` is a picture, as `💡` is, not a word
        raise InvalidInput(
            f"Say what you suggest in a few words: `{echoed(what)}` is too short for anyone to act on.",
            field="what",
        )
    return what


def _category(settings: SuggestionSettings, category: str | None) -> str | None:
    if not category:
        return None
    if category not in settings.categories:
        known = ", ".join(settings.categories) or "none are set in the policy"
        raise InvalidInput(f"There is no suggestion category `{category}` (categories: {known}).", field="category")
    return category


def _resolution(session: Session, workspace: Workspace, author: Employee, resolution_id: int | None) -> int | None:
    if resolution_id is None:
        return None
    found = session.get(Resolution, resolution_id)
    if found is None or found.workspace_id != workspace.id or found.employee_id != author.id:
        raise InvalidInput("Link one of your own logged fixes, or none.", field="resolution")
    return found.id


def _refuse_duplicate(
    session: Session, suggestion: Suggestion, author: Employee, relay: Relay | None, now: datetime
) -> None:
    recent = session.scalars(
        select(Suggestion).where(
            Suggestion.workspace_id == suggestion.workspace_id,
            Suggestion.anonymous == suggestion.anonymous,
            Suggestion.what == suggestion.what,
            Suggestion.created_at > now - DUPLICATE_WINDOW,
        )
    )
    earlier = next((found for found in recent if is_author(found, author, relay)), None)
    if earlier is not None:
        which = f"suggestion #{earlier.number}" if earlier.number is not None else "it is on its way to its owner"
        raise AlreadyDone(f"You sent exactly this a moment ago ({which}), so I didn't send it twice.")


def is_author(suggestion: Suggestion, employee: Employee, relay: Relay | None) -> bool:
    if not suggestion.anonymous:
        return suggestion.author_id == employee.id
    return relay is not None and relay.matches(suggestion.author_token, suggestion.workspace_id, employee.id)


def find(
    session: Session, workspace: Workspace, number: int, *, lock: bool = False, shared: bool = False
) -> Suggestion:
    """The suggestion numbered `number` (#N, as shown and typed): one held back has no number yet, so it is
    told apart from none. `lock`: held until the caller commits; `shared`: held against a change of status only
    (backers share it)."""
    query = select(Suggestion).where(Suggestion.workspace_id == workspace.id, Suggestion.number == number)
    if lock or shared:
        query = query.with_for_update(read=not lock, of=Suggestion.__table__)
    suggestion = session.scalar(query)
    if suggestion is None:
        elsewhere = numbered_elsewhere(session, workspace, number)
        left = any(org_takeover.left_behind(session, Suggestion, found.id, workspace.id) for found in elsewhere)
        missing = f"There is no suggestion #{number} here."
        raise NotFound(org_takeover.suggestion_left_behind() if left else missing)
    return suggestion


def decidable(
    session: Session,
    *,
    workspace: Workspace,
    number: int,
    decider: Employee,
    relay: Relay | None,
    clicked: tuple[str, str] | None = None,
) -> Suggestion:
    """The suggestion, if this person may move it: its owner or an active HR/admin, never its author.

    Anyone else, with a forwarded card or a made-up id, is told the same words whether it exists, is closed or
    never was, and not who holds it: an anonymous idea's owner names the author's team. One not yet released is
    seen by nobody else, so nobody answers it yet. `clicked`: the card the buttons were on, which must be one of
    its own: a card left in Slack from a workspace's purged data names a number its new data may give again."""
    try:
        suggestion = find(session, workspace, number, lock=True)
    except NotFound:
        suggestion = None
    decider = as_now(session, decider)  # the idea is locked: who they are now (HR, its owner) is what they may answer
    if suggestion is not None and clicked is not None and clicked not in _cards(session, suggestion):
        suggestion = None
    if suggestion is None or not suggestion.is_released or not may_decide(session, suggestion, decider):
        raise NotAllowed(f"Suggestion #{number} is not yours to answer, or there is no such suggestion here.")
    if is_author(suggestion, decider, relay):
        if suggestion.owner_id == decider.id:  # an anonymous one handed to its author, now HR or its owner
            raise NotAllowed(
                f"You can't answer your own suggestion, though #{suggestion.number} now comes to you: any other HR "
                "person or admin can answer it. Whether to tell them it is yours is up to you."
            )
        raise NotAllowed("You can't answer your own suggestion; it is with someone else to decide.")
    if suggestion.is_closed:
        raise AlreadyDone(
            f"Suggestion #{suggestion.number} is already marked {STATUS_WORDS[suggestion.status]}; nothing changed."
        )
    return suggestion


def _cards(session: Session, suggestion: Suggestion) -> list[tuple[str, str]]:
    """Every card with buttons its owners were sent, a hand-over's included (handlers/suggestions.py, handover.py)."""
    return outbox.sent_messages(session, key_prefix=f"suggestion:{suggestion.id}:owner")


def may_decide(session: Session, suggestion: Suggestion, decider: Employee) -> bool:
    """Active HR and admins; its owner while they still fit the reason they hold it (services/suggestions/owners)."""
    if directory.acts_as(decider, HR_ROLES):
        return True
    settings, _threshold = settings_of(session, session.get_one(Workspace, suggestion.workspace_id))
    return suggestion.owner_id == decider.id and still_fits(session, settings, suggestion, decider)


def set_status(
    session: Session,
    *,
    workspace: Workspace,
    number: int,
    decider: Employee,
    status: str,
    note: str = "",
    relay: Relay | None,
    now: datetime,
    clicked: tuple[str, str] | None = None,
) -> Suggestion:
    """Move a suggestion on. *Not doing* needs a reason, *Done* a line on what changed; both close it."""
    if status not in DECISIONS:
        raise InvalidInput(f"Unknown status {status!r}.")
    suggestion = decidable(session, workspace=workspace, number=number, decider=decider, relay=relay, clicked=clicked)
    if suggestion.status == status:
        raise AlreadyDone(f"Suggestion #{suggestion.number} is already {STATUS_WORDS[status]}; nothing changed.")
    if status == "not_doing":
        suggestion.reason = _text(note, MAX_REASON, "reason", "Say why it won't be done")
    if status == "done":
        suggestion.change = _text(note, MAX_REASON, "change", "Say in one line what changed")
    suggestion.status, suggestion.updated_at, suggestion.decided_by_id = status, now, decider.id
    suggestion.closed_at = now if suggestion.is_closed else None
    audit.record(
        session,
        workspace=workspace,
        actor=decider.slack_id,
        action=f"suggestion.{status}",
        now=now,
        subject=f"#{suggestion.number}",
        details={"note": note.strip()} if note.strip() else None,
    )
    session.flush()
    return suggestion
