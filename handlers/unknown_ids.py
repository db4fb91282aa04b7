"""An org-file Slack id Slack has nobody of in the workspace: the HR people and admins hear what to fix, once a week.

The background sender asks Slack of someone a Home was refused for (handlers/home_reader_asks.py); when `users.info`
answers `user_not_found`, the Home's outcome says so (`CONFIRMED_UNKNOWN`, our word: Slack's own `user_not_found` to a
send proves nothing), the id is marked (services/unknown_ids.py), and until the next org import no Home is published
to it (one queued meanwhile is dropped unsent with the same outcome: handlers/home_again.py) and the DMs to it are
given up unsent (`withhold_dms`, here and in a listener's own sends: Slack would refuse each). Each such outcome
tells every HR person and admin of the workspace, in one DM listing every id marked there (whose, as written, since
when), under a key naming the workspace, the person told, the calendar week and the day: once a week while Latitude
still has something for one of them, never once a drain nor once an id, whatever org imports clear and make the marks
again meanwhile; again within the week only when an id they were not told of that week is found, at most once a day
(never for a mark lifted). A person Slack only deactivated is a departure (handlers/departures.py), not a mistyped
id: nobody is told here. A Home to a marked id that Slack accepts (one asked for when the person opened it), or the
person opening their Home, lifts the mark (`found_again`, `opened`): DMs to a marked id are withheld, so none reaches
Slack to show it. Only the requests withheld from them that still wait on them are sent again then, past a few in
one summary (handlers/withheld_summary.py). The marks are read once a batch (`marked_in`), for the workspaces with a
DM or Home in it.
"""

import logging
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from handlers import withheld_summary
from handlers.blocks.unknown_ids import UnknownId, unknown_ids_notice
from handlers.delivery_refusals import PUBLISH
from handlers.home_readers import CONFIRMED_UNKNOWN, DM_WITHHELD_UNKNOWN, WITHHELD_UNKNOWN
from handlers.messages_tab import held_back, is_dm
from handlers.request_refusals import Told
from models import Employee, Workspace
from services import directory, home_tab, unknown_ids
from services.outbox import Claimed, SendOutcome
from services.outbox_keys import SLACK_ID_UNKNOWN_TOLD
from services.rewards import approvals
from services.unknown_ids import Marked

log = logging.getLogger(__name__)

DM_NOT_SENT = SendOutcome(ok=False, error=DM_WITHHELD_UNKNOWN, permanent=True)
"""A DM given up unsent: Slack has confirmed it has nobody of its reader's id, since the last org import."""


def notices(session: Session, sends: list[tuple[Claimed, SendOutcome]], now: datetime) -> list[Told]:
    """The DMs owed, this week, to the HR people and admins of the workspaces where `sends` show Latitude had
    something for an org-file id Slack has nobody of: a Home Slack had nobody to publish to, or one or a DM withheld
    for a mark. Only `users.info`'s confirmation marks an id (until the next org import); one withheld for a mark
    read when the batch began tells HR only if that mark still stands (a Home Slack took in the same batch, or the
    person opening theirs meanwhile, may have lifted it)."""
    confirmed: dict[int, set[str]] = {}
    withheld: dict[int, set[str]] = {}
    for delivery, outcome in sends:
        if delivery.method == PUBLISH and outcome.error in (CONFIRMED_UNKNOWN, WITHHELD_UNKNOWN):
            of = confirmed if outcome.error == CONFIRMED_UNKNOWN else withheld
            of.setdefault(delivery.workspace_id, set()).add(str(delivery.payload.get("user_id")))
        elif outcome.error == DM_WITHHELD_UNKNOWN:
            withheld.setdefault(delivery.workspace_id, set()).add(str(delivery.payload.get("channel")))
    return [
        told
        for workspace_id in sorted(confirmed.keys() | withheld.keys())
        for told in _told_in(
            session,
            session.get_one(Workspace, workspace_id),
            confirmed.get(workspace_id, set()),
            withheld.get(workspace_id, set()),
            now,
        )
    ]


def _told_in(
    session: Session, workspace: Workspace, confirmed: set[str], withheld: set[str], now: datetime
) -> list[Told]:
    """One DM to each HR person and admin (not marked themselves) listing every id marked in the workspace, unless
    every one was listed to them this week already."""
    marked = unknown_ids.remember_unknown(session, workspace, confirmed, now=now)
    if workspace.dms_off_since is not None:  # no DM could reach HR: the Messages tab's own warning says why
        return []
    if not confirmed and not withheld & marked.keys():
        return []
    names = directory.names_of(session, workspace, sorted(marked))
    listed = {one for one in marked if one in names}
    weeks = [
        (person, f"{SLACK_ID_UNKNOWN_TOLD}{workspace.slack_team_id}:{person.slack_id}:{now:%G-W%V}:")
        for person in approvals.hr_people(session, workspace.id)
        if person.slack_id not in marked
    ]
    to_tell = [(person, week) for person, week in weeks if not listed <= unknown_ids.listed_under(session, week)]
    if not to_tell:  # every one of them was told of each id this week: since when is not read
        return []
    since = unknown_ids.first_marked(session, workspace, sorted(listed))
    unknown = [
        UnknownId(names[one], one, (now - since.get(one, at)).days // 7) for one, at in marked.items() if one in listed
    ]
    return [_notice(workspace, f"{week}{now:%Y-%m-%d}", person, unknown) for person, week in to_tell]


def _notice(workspace: Workspace, key: str, person: Employee, unknown: list[UnknownId]) -> Told:
    """Keyed on the calendar week and the day: once a day at most. The ids listed are kept with it, unsent, for a
    later one that week to list only if another id is found (`unknown_ids.LISTED`)."""
    payload = unknown_ids_notice(person.slack_id, unknown)
    payload[unknown_ids.LISTED] = sorted(u.slack_id for u in unknown)
    return Told(workspace, key, payload)


def marked_in(session: Session, claimed: list[Claimed]) -> Marked:
    """The marks of the workspaces with a DM or a Home in the batch: one statement."""
    workspaces = {d.workspace_id for d in claimed if held_back(d) or d.method == PUBLISH}
    return unknown_ids.marked_among(session, workspaces)


def withhold_dms(claimed: list[Claimed], marked: Marked) -> tuple[list[Claimed], list[tuple[Claimed, SendOutcome]]]:
    """(to send, not sent): the DMs of the batch to an org-file id Slack has nobody of, given up (`DM_NOT_SENT`), in
    one line a batch rather than Slack's refusal of each."""
    withheld = {delivery.id for delivery in to_marked(claimed, marked)}
    to_send = [delivery for delivery in claimed if delivery.id not in withheld]
    kept = [(delivery, DM_NOT_SENT) for delivery in claimed if delivery.id in withheld]
    for workspace_id in sorted({delivery.workspace_id for delivery, _ in kept}):
        count = sum(delivery.workspace_id == workspace_id for delivery, _ in kept)
        log.info(
            "%d DMs in workspace #%s given up unsent: Slack has nobody of their reader's id (the org file's to fix)",
            count,
            workspace_id,
        )
    return to_send, kept


def to_marked(claimed: list[Claimed], marked: Marked) -> list[Claimed]:
    """The DMs among `claimed` to an id `marked` as Slack's nobody."""
    return [
        delivery
        for delivery in claimed
        if held_back(delivery) and str(delivery.payload.get("channel")) in marked.get(delivery.workspace_id, {})
    ]


def withhold_in(
    sessions: sessionmaker[Session], claimed: list[Claimed], marked: Marked | None = None
) -> tuple[list[Claimed], list[tuple[Claimed, SendOutcome]]]:
    """`withhold_dms` for a listener's own sends: the marks the caller just read, else read in a transaction of their
    own, only when a DM is among them."""
    if not any(held_back(delivery) for delivery in claimed):
        return claimed, []
    if marked is None:
        with sessions() as session:
            marked = marked_in(session, claimed)
    return withhold_dms(claimed, marked)


def found_again(session: Session, sends: list[tuple[Claimed, SendOutcome]], marked: Marked, now: datetime) -> None:
    """Lift the marks of the ids `marked` that Slack accepted a Home or a DM to among `sends` (each answered by Slack,
    none taken as done unsent): it knows them, and the requests withheld from them that still wait on them go out now
    (handlers/withheld_summary.py)."""
    found: dict[int, set[str]] = {}
    for delivery, outcome in sends:
        reader = _reader(delivery)
        if outcome.ok and not outcome.error and reader in marked.get(delivery.workspace_id, {}):
            found.setdefault(delivery.workspace_id, set()).add(reader)
    for workspace_id, slack_ids in sorted(found.items()):
        workspace = session.get_one(Workspace, workspace_id)
        unknown_ids.found_again(session, workspace, slack_ids, now=now)
        marks = marked[workspace_id]
        again = withheld_summary.send_again(session, workspace, {one: marks[one] for one in slack_ids}, now)
        log.info(
            "workspace #%s: Slack took a Home or DM to %d id(s) marked as nobody's: unmarked, %d DMs due again",
            workspace_id,
            len(slack_ids),
            again,
        )


def _reader(delivery: Claimed) -> str | None:
    if delivery.method == PUBLISH:
        return str(delivery.payload.get("user_id"))
    return str(delivery.payload.get("channel")) if is_dm(delivery) else None


def opened(session: Session, workspace: Workspace, person: Employee, now: datetime) -> None:
    """Someone opened their Home: Slack knows their id, and a mark on it is lifted. Asked only when the opening is
    noted (services/home_tab.opening_due, once in 10 minutes a person), not at every opening. The requests withheld
    from them that still wait on them go out now; their Home, published as they opened it, shows the rest."""
    if home_tab.opening_due(person, now) and (
        marked_at := unknown_ids.lift(session, workspace, person.slack_id, now=now)
    ):
        again = withheld_summary.send_again(session, workspace, {person.slack_id: marked_at}, now)
        log.info(
            "workspace #%s: someone opened their Home, their id marked as nobody's: unmarked, %d DMs due again",
            workspace.id,
            again,
        )
