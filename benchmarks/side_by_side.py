"""CPU per request of an older tree and this one, in turns: both servers run at once, and each kind's requests go to
one then the other in short rounds (the order swapped every round), so that a busy machine's drift weighs on both.

    .venv/bin/python benchmarks/side_by_side.py --baseline-tree DIR [--kinds pulse_click,app_home] [--rounds 6]
        [--requests 50] [--slack-tls]

`ack_latency.py --baseline-tree` measures the two trees one after the other, minutes apart: on a shared machine its
figures move more between runs than a change of a few percent. This prints min and median ms CPU per request over
the rounds, with the statements per request, for each kind. SQLite only (two fresh files in a temp folder).
"""

import argparse
import random
import statistics
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.ack_latency import (  # noqa: E402
    SECRET,
    latitude,
    prepare_baseline,
    server_env,
    serving,
    trusted_certificate,
)
from benchmarks.load import KindCost, cost_per_kind  # noqa: E402
from benchmarks.scenario import prepare  # noqa: E402
from bot.fakeslack import FakeSlack  # noqa: E402

KINDS = "pulse_click,app_home_again,app_home,resolve_within,resolve_over"


def summary(costs: list[KindCost]) -> str:
    cpu = [cost.cpu_ms for cost in costs]
    return f"{min(cpu):.2f} · {statistics.median(cpu):.2f} ({costs[-1].statements:.1f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline-tree", type=Path, required=True)
    parser.add_argument("--kinds", default=KINDS)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--requests", type=int, default=50, help="per kind, server and round")
    parser.add_argument("--slack-tls", action="store_true")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="latitude-side-by-side-"))
    now_url, before_url = f"sqlite:///{folder / 'now.db'}", f"sqlite:///{folder / 'before.db'}"
    kinds = args.kinds.split(",")
    costs: dict[tuple[str, str], list[KindCost]] = {(name, kind): [] for name in ("before", "now") for kind in kinds}
    with FakeSlack(tls=trusted_certificate(folder) if args.slack_tls else None) as slack, ExitStack() as servers:
        random.seed(7)
        world = prepare(now_url, slack, SECRET)
        random.seed(7)  # the same world for the older tree
        old_world = prepare_baseline(before_url, slack, args.baseline_tree)
        now = servers.enter_context(serving(latitude(), server_env(slack, now_url), ROOT))
        old_env = server_env(slack, before_url, args.baseline_tree)
        before = servers.enter_context(serving(latitude()[:-2], old_env, ROOT))
        for turn in range(args.rounds):
            for kind in kinds:
                order = [("before", before, old_world), ("now", now, world)]
                for name, port, scenario in order[::-1] if turn % 2 else order:
                    random.seed(f"{turn}:{kind}")  # the same requests to both trees
                    costs[(name, kind)].append(cost_per_kind(port, SECRET, scenario.request_of, kind, args.requests))
    print(f"\n{args.rounds} rounds of {args.requests} requests per kind; min · median ms CPU (statements):\n")
    print("| kind | before | now | median, now against before |")
    print("| --- | --- | --- | --- |")
    for kind in kinds:
        old, new = costs[("before", kind)], costs[("now", kind)]
        change = statistics.median(c.cpu_ms for c in new) / statistics.median(c.cpu_ms for c in old) - 1
        print(f"| {kind} | {summary(old)} | {summary(new)} | {change:+.0%} |")


if __name__ == "__main__":
    main()
