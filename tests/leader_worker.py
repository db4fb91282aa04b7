"""A stand-in scheduler process for the leader tests: runs one job every 20 ms while it leads.

`python -m tests.leader_worker DATABASE_URL OUT_FILE` appends `<monotonic ns>` to OUT_FILE for each
job run, through the same guard the real scheduler uses, until it is terminated.
"""

import sys
import time
from pathlib import Path

from apscheduler.triggers.interval import IntervalTrigger

from bot import scheduler
from bot.leader import Leadership
from models.engine import make_engine


def main(url: str, out: Path) -> None:
    leadership = Leadership(make_engine(url))

    def job(_deps: object, _client: object) -> None:
        with out.open("a") as file:
            file.write(f"{time.time_ns()}\n")

    scheduler.SCHEDULE = (scheduler.ScheduledJob("job", job, IntervalTrigger(seconds=1)),)
    [run] = [j.func for j in scheduler.build_scheduler(None, None, leadership.is_leader).get_jobs()]  # type: ignore[arg-type]
    out.touch()
    while True:
        run()
        time.sleep(0.02)


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]))
