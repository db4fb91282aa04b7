"""Time the App Home of managers and frontline staff on a generated database. Run by hand, not a test.

    python -m benchmarks.generate --database-url sqlite:///bench-1y.db --years 1
    python -m benchmarks.home --database-url sqlite:///bench-1y.db

Builds each sampled person's Home view as `app_home_opened` does (every query included, one session
each, Slack left out) and prints the median and slowest time per Home, for managers and for frontline
staff: what one opening of the Home costs with this much history behind it. One Home is built first,
untimed, so that connecting and the first cold reads are not counted.
"""

import argparse
import random
import statistics
import time

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from benchmarks.digest import NOW
from handlers.home import build_home
from models import Employee, Resolution, Workspace
from models.engine import make_engine, make_session_factory


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--people", type=int, default=200, help="how many of each role (default 200)")
    args = parser.parse_args()
    sessions = make_session_factory(make_engine(args.database_url))
    with sessions() as session:
        workspace = session.scalars(select(Workspace).where(Workspace.slack_team_id == "TBENCH")).one()
        history = session.scalar(select(func.count()).select_from(Resolution))
        by_role = {
            role: list(
                session.scalars(select(Employee.id).where(Employee.workspace_id == workspace.id, Employee.role == role))
            )
            for role in ("manager", "frontline")
        }
    print(f"history {history:,} resolutions")
    _home_seconds(sessions, by_role["manager"][0])  # not timed: the first Home reads cold pages and connects
    rng = random.Random(7)
    for role, ids in by_role.items():
        seconds = [_home_seconds(sessions, employee_id) for employee_id in rng.sample(ids, min(args.people, len(ids)))]
        print(
            f"{role}: {len(seconds)} Homes, median {statistics.median(seconds) * 1000:.1f} ms, "
            f"slowest {max(seconds) * 1000:.1f} ms"
        )


def _home_seconds(sessions: sessionmaker[Session], employee_id: int) -> float:
    started = time.perf_counter()
    with sessions() as session:
        build_home(session, session.get_one(Employee, employee_id), NOW)
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
