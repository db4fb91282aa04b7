"""Time the App Home's counts of one person's month and waiting rewards, with and without migration 0056's indexes.
Run by hand, not a test; it migrates the database down and up again.

    python -m benchmarks.generate --database-url sqlite:///bench-5y.db --years 5 --employees 3000 --per-year 20000
    python -m benchmarks.nominator_counts --database-url sqlite:///bench-5y.db

Picks the person who gave the most grants over the generated years and times, through SQLAlchemy, what they gave
this month, their rewards waiting for approval, the whole statement of the Home's counts that holds both (with
what they received and spent, and the workspace's latest shout-outs); and, for the person nominated most, how many
nominations of them for a voucher still wait (a reward's monthly most, on /nominate). Each round times every
statement `--runs` times at 0055 (the grants found by nominator alone, the waiting nominations on the nominator's or
nominee's index by creation), then at head; it prints the median and the fastest of each.
"""

import argparse
import statistics
import time
from collections.abc import Callable

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from benchmarks.digest import NOW
from models import Nomination, RewardGrant, Workspace
from models.engine import make_engine
from models.schema import HEAD_REVISION, migrate
from services.rewards import grants, monthly_most

BEFORE = "0055"
ITEM = "voucher_25"  # the generated tangible reward
STATEMENTS = {
    "given this month": grants._GIVEN,
    "waiting": grants._WAITING,
    "the Home's counts": grants._AT_A_GLANCE,
    "waiting for them as nominee (a reward's monthly most)": monthly_most._WAITING_OF_ITEM,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--runs", type=int, default=200, help="timings of each statement per round (default 200)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    engine = make_engine(args.database_url)
    values = _busiest_giver(engine)
    for number in range(1, args.rounds + 1):
        for revision in (BEFORE, HEAD_REVISION):
            migrate(engine, "downgrade" if revision == BEFORE else "upgrade", revision)
            for name, statement in STATEMENTS.items():
                median, fastest = timed(engine, args.runs, lambda s, st=statement: s.execute(st, values).all())
                print(f"round {number}, at {revision}: {name}: median {median:.3f} ms, fastest {fastest:.3f} ms")
    migrate(engine, "upgrade", HEAD_REVISION)


def _busiest_giver(engine: Engine) -> dict[str, object]:
    with Session(engine) as session:
        workspace_id = session.scalars(select(Workspace.id).where(Workspace.slack_team_id == "TBENCH")).one()
        given = func.count(RewardGrant.id)
        giver, grants_given = session.execute(
            select(RewardGrant.nominator_id, given).group_by(RewardGrant.nominator_id).order_by(given.desc()).limit(1)
        ).one()
        nominated = session.scalar(select(func.count(Nomination.id)).where(Nomination.nominator_id == giver))
        since = grants.month_start(NOW)
        this_month = session.scalar(
            select(func.count(RewardGrant.id)).where(RewardGrant.nominator_id == giver, RewardGrant.granted_at >= since)
        )
        most = func.count(Nomination.id)
        nominee, received = session.execute(
            select(Nomination.nominee_id, most).group_by(Nomination.nominee_id).order_by(most.desc()).limit(1)
        ).one()
    print(f"person {giver}: {grants_given:,} grants given ({this_month} this month), {nominated:,} nominations made")
    print(f"person {nominee}: {received:,} nominations received")
    return {"employee_id": giver, "since": since, "workspace_id": workspace_id, "nominee_id": nominee, "item_key": ITEM}


def timed(engine: Engine, runs: int, work: Callable[[Session], object]) -> tuple[float, float]:
    """Median and fastest in ms; one run first, untimed, reads the pages in."""
    seconds = []
    with Session(engine) as session:
        work(session)
        for _ in range(runs):
            started = time.perf_counter()
            work(session)
            seconds.append(time.perf_counter() - started)
    return statistics.median(seconds) * 1000, min(seconds) * 1000


if __name__ == "__main__":
    main()
