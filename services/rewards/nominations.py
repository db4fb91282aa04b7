"""Peer nominations: who may recognise whom, with what, how often; shout-outs are granted at once. Callers commit."""

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models import Employee, Nomination, Resolution, RewardGrant, Workspace
from services import audit, directory, emoji
from services.calendar import moment_words
from services.directory import SlackPerson
from services.errors import AlreadyDone, InvalidInput, NotAllowed, NotFound
from services.policy.rewards import RewardItem, RewardPolicy
from services.resolutions.recent import summaries_as_shown
from services.rewards.approvals import approver_for, grant_for
from services.rewards.grants import SPENT, month_start, next_month_start, nominations_given, reward_policy
from services.rewards.monthly_most import check_item_limit
from services.rewards.nominees import nominees_of, require_nominator
from services.rewards.typed import unknown_reward
from services.text import plural

DUPLICATE_WINDOW = timedelta(minutes=1)
MAX_REASON = 2000
MAX_NOMINEES = 10
STORIES_LISTED = 50
"""Customer stories the /nominate form offers: the latest of the workspace's last 30 days."""
STORY_WINDOW = timedelta(days=30)
Checked = tuple[RewardPolicy, RewardItem, str, list[str]]
STORY_STATUSES = ("within", "approved")
"""A fix a nomination may point at: logged within the boundaries, or approved."""


@dataclass(frozen=True)
class NominationRequest:
    nominee_slack_ids: tuple[str, ...]
    item_key: str
    reason: str
    public: bool = True
    resolution_id: int | None = None


# Every nomination runs these: built once, since building a statement costs more than running it.
_SAME_NOMINATION = select(Nomination.id).where(
    Nomination.nominator_id == bindparam("nominator_id"),
    Nomination.nominee_id == bindparam("nominee_id"),
    Nomination.item_key == bindparam("item_key"),
    Nomination.reason == bindparam("reason"),
    Nomination.created_at > bindparam("since"),
)
_REPEATED = select(func.count(Nomination.id)).where(
    Nomination.nominator_id == bindparam("employee_id"),
    Nomination.nominee_id.in_(bindparam("nominee_ids", expanding=True)),
    Nomination.item_key == bindparam("item_key"),
    Nomination.reason == bindparam("reason"),
    Nomination.created_at > bindparam("repeated_since"),
)
_GIVEN_AND_REPEATED = select(SPENT.scalar_subquery(), _REPEATED.scalar_subquery())
"""What counts against the nominator's allowance, and how many of the nominees they just nominated for exactly this
(`_check_duplicate`, which then says which): one statement for a nomination's usual case."""


@dataclass(frozen=True)
class NominationOutcome:
    item: RewardItem
    nominations: list[Nomination]
    grants: list[RewardGrant]
    allowance_left: int
    renews_at: datetime

    @property
    def waiting(self) -> list[Nomination]:
        return [nomination for nomination in self.nominations if nomination.status == "pending"]


def nominate(
    session: Session,
    *,
    workspace: Workspace,
    nominator: Employee,
    request: NominationRequest,
    slack_people: Mapping[str, SlackPerson],
    bot_user_id: str | None,
    now: datetime,
) -> NominationOutcome:
    """Check every rule first, then write: shout-outs are granted at once, tangible rewards wait for approval."""
    require_nominator(nominator)
    policy, item, reason, slack_ids = checked(session, workspace, request)
    # An approval refuses a leaver; nothing else would refuse one a shout-out names: it holds its nominees.
    hold = not item.needs_approval
    nominees = nominees_of(session, workspace, nominator, slack_ids, slack_people, bot_user_id, hold=hold, now=now)
    directory.lock_people(session, [nominator, *nominees])  # by the same giver or to the same nominee
    left, repeated = _left_and_repeated(session, policy, nominator, nominees, item, reason, now)
    _check_allowance(session, policy, nominator, len(nominees), left, now)
    for nominee in nominees:
        check_item_limit(session, item, nominator, nominee, now)
        if repeated:
            _check_duplicate(session, nominator, nominee, item, reason, now)
    resolution = _resolution(session, workspace, request.resolution_id, nominees, now)
    made = [
        _write(session, workspace, nominator, nominee, item, reason, request, resolution, now) for nominee in nominees
    ]
    grants = [grant_for(session, nomination, approver=None, now=now) for nomination in made if not item.needs_approval]
    audit.record(
        session,
        workspace=workspace,
        actor=nominator.slack_id,
        action="reward.nominate",
        now=now,
        subject=", ".join(f"nomination {nomination.id}" for nomination in made),
        details={"item": item.key, "nominees": [nominee.slack_id for nominee in nominees]},
    )
    session.flush()
    # Each new nomination (pending or approved) counts against the allowance, and the lock kept others out.
    return NominationOutcome(item, made, grants, left - len(made), next_month_start(now))


def checked(session: Session, workspace: Workspace, request: NominationRequest) -> Checked:
    """Catalog, item, reason and nominees asked for, once sound (checked before Slack is asked about anyone)."""
    policy = reward_policy(session, workspace)
    item = policy.catalog.get(request.item_key)
    if item is None:
        raise NotFound(unknown_reward(policy, request.item_key))
    return policy, item, _reason(request.reason), _distinct(request.nominee_slack_ids)


def _distinct(slack_ids: tuple[str, ...]) -> list[str]:
    unique = list(dict.fromkeys(slack_ids))
    if not unique:
        raise InvalidInput("Name the colleague you want to recognise, like `/nominate @lee thanks for...`.")
    if len(unique) > MAX_NOMINEES:
        raise InvalidInput(f"Name at most {MAX_NOMINEES} people in one nomination.")
    return unique


def _reason(text: str) -> str:
    reason = text.strip()
    if not emoji.has_words(reason):  # a public `🎉` alone tells nobody what they did
        raise InvalidInput(
            "Say why you are recognising them: a sentence about what they did for a customer or the team."
        )
    if len(reason) > MAX_REASON:
        raise InvalidInput(f"Keep the reason under {MAX_REASON} characters (it has {len(reason)}).")
    return reason


def _left_and_repeated(
    session: Session,
    policy: RewardPolicy,
    nominator: Employee,
    nominees: list[Employee],
    item: RewardItem,
    reason: str,
    now: datetime,
) -> tuple[int, int]:
    """How many nominations are left this month (as `allowance_left`), and how many of these the nominator just made."""
    repeats = {"nominee_ids": [n.id for n in nominees], "item_key": item.key, "reason": reason}
    values = {
        **repeats,
        "employee_id": nominator.id,
        "since": month_start(now),
        "repeated_since": now - DUPLICATE_WINDOW,
    }
    given, repeated = session.execute(_GIVEN_AND_REPEATED, values).one()
    return max(policy.allowance_per_month - int(given or 0), 0), int(repeated or 0)


def _check_allowance(
    session: Session, policy: RewardPolicy, nominator: Employee, wanted: int, left: int, now: datetime
) -> None:
    """At least `wanted` nominations are `left` this month; else why not."""
    if left >= wanted:
        return
    renews = moment_words(next_month_start(now), nominator.tz)
    if left == 0:
        given = nominations_given(session, nominator, since=month_start(now))
        raise NotAllowed(
            f"You have used {given} of your {plural(policy.allowance_per_month, 'nomination')} this month: none left. "
            f"It renews on {renews}."
        )
    raise NotAllowed(
        f"You have {plural(left, 'nomination')} left this month but named {wanted} people. It renews on {renews}."
    )


def _check_duplicate(
    session: Session, nominator: Employee, nominee: Employee, item: RewardItem, reason: str, now: datetime
) -> None:
    same = {"nominator_id": nominator.id, "nominee_id": nominee.id, "item_key": item.key, "reason": reason}
    earlier = session.scalar(_SAME_NOMINATION, {**same, "since": now - DUPLICATE_WINDOW})
    if earlier is not None:
        raise AlreadyDone(_duplicate_message(directory.name_of(nominee)))


def _duplicate_message(nominee: str) -> str:  # mrkdwn: `directory.name_of`
    return f"You nominated {nominee} for exactly this a moment ago, so I didn't send it twice."


def _resolution(
    session: Session, workspace: Workspace, resolution_id: int | None, nominees: list[Employee], now: datetime
) -> Resolution | None:
    """The story as it is now, not as the form listed it: one declined (or undone, or grown too old) since the form
    opened may no longer be linked, as `recent_stories` would no longer offer it."""
    if resolution_id is None:
        return None
    resolution = session.get(Resolution, resolution_id)
    if resolution is None or resolution.workspace_id != workspace.id:
        raise NotFound(f"There is no customer story (resolution #{resolution_id}) here.", field="story")
    if resolution.employee_id not in {nominee.id for nominee in nominees}:
        raise InvalidInput("Link a customer story of the person you nominate, not someone else's.", field="story")
    if resolution.status not in STORY_STATUSES or resolution.created_at < now - STORY_WINDOW:
        raise InvalidInput(
            "That customer story can't be linked any more: it was declined, or is over 30 days old. "
            "Pick another story or leave it out.",
            field="story",
        )
    return resolution


def _fingerprint(nominator: Employee, nominee: Employee, item: RewardItem, reason: str, now: datetime) -> str:
    """Equal for a double submit in the same minute, so the unique index stops a concurrent duplicate."""
    minute = now.replace(second=0, microsecond=0).isoformat()
    return hashlib.sha256(f"{nominator.id}|{nominee.id}|{item.key}|{reason}|{minute}".encode()).hexdigest()


def _write(
    session: Session,
    workspace: Workspace,
    nominator: Employee,
    nominee: Employee,
    item: RewardItem,
    reason: str,
    request: NominationRequest,
    resolution: Resolution | None,
    now: datetime,
) -> Nomination:
    nomination = Nomination(
        workspace_id=workspace.id,
        nominator=nominator,
        nominee=nominee,
        item_key=item.key,
        title=item.title,
        kind=item.kind,
        value=item.value,
        unit=item.unit,
        needs_approval=item.needs_approval,
        reason=reason,
        resolution_id=resolution.id if resolution else None,
        public=request.public,
        fingerprint=_fingerprint(nominator, nominee, item, reason, now),
        status="pending" if item.needs_approval else "approved",
        created_at=now,
        approver=approver_for(session, nominee, nominator) if item.needs_approval else None,
    )
    session.add(nomination)
    name = directory.name_of(nominee)  # a failed flush expires every loaded row
    try:
        session.flush()
    except IntegrityError:
        # A double submit that raced past `_check_duplicate`: the whole nomination is refused, and the caller's
        # transaction rolls back with the error (no savepoint needed, nothing of this request is kept).
        raise AlreadyDone(_duplicate_message(name)) from None
    return nomination


@dataclass(frozen=True)
class Story:
    """A customer story a nomination may point at: its resolution, who told it, and its summary as Slack shows it
    (`@Lee Senior` for `<@U0AGENT2>`): a menu option is plain text, which would show the markup as typed."""

    id: int
    teller: str
    summary: str


def recent_stories(
    session: Session, *, workspace: Workspace, nominator: Employee, now: datetime, limit: int = STORIES_LISTED + 1
) -> list[Story]:
    """Colleagues' customer stories of the last 30 days a nomination may point at, newest first: one more than the
    form lists, so that it can say when there are more."""
    query = (
        select(Resolution)
        .where(
            Resolution.workspace_id == workspace.id,
            Resolution.employee_id != nominator.id,
            Resolution.created_at >= now - STORY_WINDOW,
            Resolution.status.in_(STORY_STATUSES),
        )
        .order_by(Resolution.created_at.desc())
        .limit(limit)
    )
    stories = session.scalars(query).all()
    summaries = summaries_as_shown(session, workspace, stories)
    return [Story(found.id, found.employee.name, summary) for found, summary in zip(stories, summaries, strict=True)]
