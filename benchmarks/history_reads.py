"""Time two reads whose cost could grow with the history: the App Home's latest public shout-outs and `/rewards`.
Run by hand, not a test.

    python -m benchmarks.generate --database-url sqlite:///bench-3y.db --years 3
    python -m benchmarks.history_reads --database-url sqlite:///bench-3y.db

The latest shout-outs are read from the partial index of public grants not revoked (migration 0058): it prints how
many entries that index holds for the workspace. Every generated nomination is public; to see a workspace that seldom
shares one, make most of them private, on the grants too, which keep their own copy from 0058 on: `UPDATE nominations
SET public = (id % 100 = 0)` and `UPDATE reward_grants SET public = (nomination_id % 100 = 0)`. `/rewards`
is timed for the person who received most grants and the one who made most nominations (its totals count their
whole history). Medians and fastest of `--runs`, through SQLAlchemy, one session each.
"""

import argparse
from collections.abc import Callable

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from benchmarks.digest import NOW
from benchmarks.nominator_counts import timed
from models import Employee, Nomination, RewardGrant, Workspace
from models.engine import make_engine
from services.rewards import grants


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    engine = make_engine(args.database_url)
    workspace_id, recipient, giver = _people(engine)
    values = {"employee_id": recipient, "since": grants.month_start(NOW), "workspace_id": workspace_id}
    _report(
        "the latest shout-outs alone", engine, args.runs, lambda s: s.execute(grants._LATEST_PUBLIC.select(), values)
    )
    _report(
        "the Home's counts and latest shout-outs", engine, args.runs, lambda s: s.execute(grants._AT_A_GLANCE, values)
    )
    for person in (recipient, giver):
        _report(f"/rewards of person {person}", engine, args.runs, lambda s, p=person: _history(s, workspace_id, p))


def _people(engine: Engine) -> tuple[int, int, int]:
    with Session(engine) as session:
        workspace_id = session.scalars(select(Workspace.id).where(Workspace.slack_team_id == "TBENCH")).one()
        received = func.count(RewardGrant.id)
        recipient, grants_received = session.execute(
            select(RewardGrant.recipient_id, received).group_by(RewardGrant.recipient_id).order_by(received.desc())
        ).first() or (0, 0)
        made = func.count(Nomination.id)
        giver, nominations_made = session.execute(
            select(Nomination.nominator_id, made).group_by(Nomination.nominator_id).order_by(made.desc())
        ).first() or (0, 0)
        public = session.scalar(
            select(func.count(RewardGrant.id)).where(
                RewardGrant.workspace_id == workspace_id, RewardGrant.public, RewardGrant.status != "revoked"
            )
        )
    print(f"person {recipient}: {grants_received:,} grants received; person {giver}: {nominations_made:,} nominations")
    print(f"the latest public shout-outs' index: {public or 0:,} grants public and not revoked")
    return workspace_id, recipient, giver


def _history(session: Session, workspace_id: int, employee_id: int) -> None:
    workspace, employee = session.get_one(Workspace, workspace_id), session.get_one(Employee, employee_id)
    grants.history(session, workspace=workspace, employee=employee, now=NOW)


def _report(name: str, engine: Engine, runs: int, work: Callable[[Session], object]) -> None:
    median, fastest = timed(engine, runs, work)
    print(f"{name}: median {median:.2f} ms, fastest {fastest:.2f} ms")


if __name__ == "__main__":
    main()
