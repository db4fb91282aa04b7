"""A post Slack refuses in a channel: the HR people and admins of the workspace hear what to fix, once a week.

Latitude posts in channels the policy names: shout-outs in the recognition channel, and new suggestions
and "you said, we did" in a team's channel. Slack refuses every post in a channel that does not exist or
is private without the app in it (`channel_not_found`), one the app must first be invited to
(`not_in_channel`), or an archived one (`is_archived`), and refuses each later one the same way. The
notice's key names the workspace, the channel, the error, the person and the week, so each HR person is told
once a week while it lasts, not once per post; someone in two workspaces of a Grid org is told by each (Grid
user ids, and an org-wide channel's id, are the same in both). The DMs that go with each post are sent anyway.
A message Slack will no longer update in a channel (`chat.update`: `channel_not_found` once the channel is closed to
the app, `is_inactive` once it is archived) is told the same way, named for what it is: a suggestion's post, whose
team goes on reading a stale status, or any other message of Latitude's there.
"""

from datetime import datetime
from typing import Any, Literal, NamedTuple

from sqlalchemy.orm import Session

from handlers import request_refusals, unknown_ids
from handlers.blocks.channel_refusals import ChannelUse, refused_channel_notice
from handlers.messages_tab import NOT_SENT, TAB_OFF
from models import Workspace
from services import messages_tab, outbox
from services.outbox import Claimed, SendOutcome
from services.rewards import approvals

SHOUTOUT_KEY = "reward-shoutout:"
SUGGESTION_KEY = "suggestion:"
SUGGESTION_POSTS = (":channel", ":we_did")
"""A suggestion's post in its team's channel, and "you said, we did" there (one per teammate has a longer key)."""
CHANNEL_REFUSALS = frozenset({"channel_not_found", "not_in_channel", "is_archived", "is_inactive"})
NOTICE_KEY = "channel-refused:"
POST = "chat.postMessage"
UPDATE = "chat.update"
UPDATE_KEY = "update:"
CHANNEL_PREFIXES = ("C", "G")
"""A channel's id, as opposed to a DM's (`D...`) or a person's, where an owner's or a decider's card is."""
USE_NOTE = "latitude_channel_use"
"""A queued update's note of what the message is (`ChannelUse`); it starts with services.outbox_keys.OUR_OWN, so it is
never sent to Slack."""
Act = Literal["post", "update"]


class Refusal(NamedTuple):
    workspace_id: int
    use: ChannelUse
    channel: str
    error: str
    act: Act = "post"


def use_of(delivery: Claimed) -> ChannelUse | None:
    """What a post in a channel was for, by its outbox key (a channel may be named by id or by name); None for
    anything else, DMs included."""
    key = delivery.idempotency_key
    if key.startswith(SHOUTOUT_KEY):
        return "shout-outs"
    if delivery.method == UPDATE and key.startswith(UPDATE_KEY):
        # Queued before updates carried the note: a suggestion's post, the only message Latitude then changed in one.
        return updated_use(str(delivery.payload.get("channel")), delivery.payload.get(USE_NOTE, "suggestions"))
    return "suggestions" if key.startswith(SUGGESTION_KEY) and key.endswith(SUGGESTION_POSTS) else None


def updated_use(channel: str, use: object = "messages") -> ChannelUse | None:
    """What a message Latitude updates in `channel` is, as its updater said (a suggestion's post), else any message
    of Latitude's; None in a DM."""
    if not channel.startswith(CHANNEL_PREFIXES):
        return None
    return "suggestions" if use == "suggestions" else "shout-outs" if use == "shout-outs" else "messages"


def refusals(sends: list[tuple[Claimed, SendOutcome]]) -> list[Refusal]:
    """The channel posts Slack refused because of their channel, once each per workspace, channel and error."""
    found = [
        Refusal(delivery.workspace_id, use, str(delivery.payload["channel"]), outcome.error or "", _act(delivery))
        for delivery, outcome in sends
        if outcome.error in CHANNEL_REFUSALS and (use := use_of(delivery)) is not None
    ]
    return list(dict.fromkeys(found))


def _act(delivery: Claimed) -> Act:
    return "update" if delivery.method == UPDATE else "post"


class Notice(NamedTuple):
    workspace: Workspace
    key: str
    payload: dict[str, Any]


def notices(session: Session, sends: list[tuple[Claimed, SendOutcome]], now: datetime) -> list[Notice]:
    """A DM to each HR person and admin of the workspace for each refusal among `sends` (`notices_of`), and those owed
    for a decision request that never reached its decider (handlers/request_refusals.py) or an org-file Slack id Slack
    has nobody of (handlers/unknown_ids.py)."""
    owed = request_refusals.notices(session, sends, now) + unknown_ids.notices(session, sends, now)
    unreached = [Notice(told.workspace, told.key, told.payload) for told in owed]
    return notices_of(session, refusals(sends), now) + unreached


def notices_of(session: Session, found: list[Refusal], now: datetime) -> list[Notice]:
    """A DM to each HR person and admin of the workspace for each refusal, keyed by workspace, channel, error, person
    and ISO week: a notice queued this week is not queued again. None while the workspace's Messages tab is known off:
    no DM could reach them (`queue_again`)."""
    week = f"{now:%G-W%V}"
    told = []
    for refusal in dict.fromkeys(found):
        workspace = session.get_one(Workspace, refusal.workspace_id)
        if workspace.dms_off_since is not None:
            continue
        for person in approvals.hr_people(session, workspace.id):
            key = f"{NOTICE_KEY}{workspace.slack_team_id}:{refusal.channel}:{refusal.error}:{person.slack_id}:{week}"
            notice = refused_channel_notice(
                person.slack_id, refusal.use, refusal.channel, refusal.error, updating=refusal.act == "update"
            )
            told.append(Notice(workspace, key, notice))
    return told


def queue_held(session: Session, sends: list[tuple[Claimed, SendOutcome]], *, now: datetime) -> list[Claimed]:
    """The new notices, for a listener to send right after its commit (`send_now`)."""
    return hold(session, notices(session, sends, now), now=now)


def queue_again(session: Session, told: list[Notice], *, now: datetime) -> int:
    """Those of these notices given up unsent for the Messages tab (queued before it was found off) are due again: their
    key would keep HR from hearing of the refusal that week once the tab is on."""
    keys = [notice.key for notice in told]
    return messages_tab.queue_again(session, keys=keys, given_up_as=(NOT_SENT, TAB_OFF), now=now)


def hold(session: Session, told: list[Notice], *, now: datetime) -> list[Claimed]:
    """The new notices, held for `send_now`; any given up for the Messages tab, due again for the background sender."""
    queue_again(session, told, now=now)
    held = [
        outbox.enqueue_held(
            session, workspace_id=notice.workspace.id, key=notice.key, method=POST, payload=notice.payload, now=now
        )
        for notice in told
    ]
    return [claimed for claimed in held if claimed is not None]


def queue_due(session: Session, sends: list[tuple[Claimed, SendOutcome]], *, now: datetime) -> int:
    """The new notices, and any given up for the Messages tab, due now for the background sender; how many there are."""
    told = notices(session, sends, now)
    again = queue_again(session, told, now=now)
    return again + sum(
        outbox.enqueue(
            session, workspace=notice.workspace, key=notice.key, method=POST, payload=notice.payload, now=now
        )
        for notice in told
    )
