"""Time every manager's weekly digest for one week on a generated database. Run by hand, not a test.

    python -m benchmarks.generate --database-url sqlite:///bench-1y.db --years 1
    python -m benchmarks.digest --database-url sqlite:///bench-1y.db

Prints the time to compute the read model of every manager's digest (all queries included), and the
time to render them all as Block Kit, best and median of a few runs.
"""

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import func, select

from benchmarks.generate import END
from handlers.blocks.digest import digest_blocks
from models import Resolution, Workspace
from models.engine import make_engine, make_session_factory
from services.digest.weekly import Digest, weekly_digests

NOW = END + timedelta(hours=10)


def timed(runs: int, work: Callable[[], object]) -> tuple[float, float, object]:
    seconds, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = work()
        seconds.append(time.perf_counter() - started)
    return min(seconds), statistics.median(seconds), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    sessions = make_session_factory(make_engine(args.database_url))
    with sessions() as session:
        workspace = session.scalars(select(Workspace).where(Workspace.slack_team_id == "TBENCH")).one()
        history = session.scalar(select(func.count()).select_from(Resolution))

        def compute() -> list[Digest]:
            session.expire_all()
            return weekly_digests(session, workspace=workspace, now=NOW)

        best, median, digests = timed(args.runs, compute)
        assert isinstance(digests, list)
        render_best, render_median, _ = timed(args.runs, lambda: [digest_blocks(d) for d in digests])
    week = sum(d.resolutions.count for d in digests if d.manager.manager_id is None)
    print(f"history {history:,} resolutions; {len(digests):,} manager digests; the top manager's week has {week:,}")
    print(f"compute every digest: best {best:.2f} s, median {median:.2f} s")
    print(f"render every digest as Block Kit: best {render_best:.2f} s, median {render_median:.2f} s")


if __name__ == "__main__":
    main()
