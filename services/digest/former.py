"""Former managers: who led a team in the week a digest reports, and has nobody reporting to them when it is sent.

Nothing records who reported to whom on which day; the digests do: the weekly digest queued in the week a digest
reports (its plain `digest:` key, not a forced one) says its reader had a team that week. Such a reader, still active
but with no active report now, gets one last digest covering that week, once: keyed `<key>:last`, it is no weekly
digest of the week it is sent in, so the week after finds none and brings nothing.
"""

from collections.abc import Collection
from datetime import datetime

from models import Workspace
from services.digest.keys import LAST, digest_key, digest_key_prefix
from services.digest.org import Org
from services.digest.week import last_full_week, send_moment
from services.policy.digest import DigestSettings


def former_managers(
    workspace: Workspace, org: Org, settings: DigestSettings, now: datetime, readers: Collection[str]
) -> dict[int, tuple[str, str]]:
    """By id, each active person with no active report whose send moment has come, among `readers` (the Slack ids of
    whoever had a digest lately, keys.readers: nobody else can have had one in the week now reported): the key
    their weekly digest had in that week (queued, it says they had a team then), and the key of their last digest."""
    heads = {manager.id for manager in org.managers()}
    people = [
        p
        for p in org.people.values()
        if p.active and p.id not in heads and p.slack_id in readers and now >= send_moment(now, p.tz, settings)
    ]
    return {
        p.id: (
            f"{digest_key_prefix(workspace, p.slack_id)}{last_full_week(now, p.tz).label}",
            f"{digest_key(workspace, p, now)}{LAST}",
        )
        for p in people
    }
