"""Benchmark: the background sender's fan-out of N DMs, paced per workspace, with 429s injected.

Run by hand: `.venv/bin/python -m benchmarks.fanout [--people 10000] [--rate 200] [--rate-limits 5]
[--database-url URL]`. It queues one DM per person in the outbox (as a pulse round does), makes the
fake Slack answer `--rate-limits` of the calls with HTTP 429 and Retry-After: 1, then runs the real
drain job until every message is sent. It reports the time against what the pacing allows
(N at `--rate` a second after the first burst, plus each Retry-After pause; the 429s are spread
over the run), and checks that nobody
was missed and nobody got two.
"""

import argparse
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import select, text

from bot.app import create_sender_client
from bot.clock import SystemClock
from bot.fakeslack import FakeSlack
from bot.fakeslack.server import BOT_TOKEN
from bot.runtime import make_deps
from bot.settings import Settings
from handlers.jobs.drain_outbox import drain_outbox
from models import Base, Delivery
from models.engine import make_engine, make_session_factory
from models.schema import upgrade
from services import directory, outbox

RETRY_AFTER = 1


def main() -> None:
    args = _arguments()
    url = args.database_url or f"sqlite:///{Path(tempfile.mkdtemp()) / 'fanout.db'}"
    engine = make_engine(url)
    _reset(engine)
    with FakeSlack() as slack:
        settings = Settings(
            slack_bot_token=BOT_TOKEN, slack_signing_secret="unused", slack_api_url=slack.api_url, database_url=url,
            slack_messages_per_second=args.rate, sender_threads=args.threads,
        )  # fmt: skip
        deps = make_deps(settings, make_session_factory(engine), SystemClock())
        people = _queue(deps, slack.team_id, args.people)
        for slack_id in people:  # Slack opens no DM with someone it does not know
            slack.add_user(slack_id, slack_id, team_id=slack.team_id)
        expected = (args.people - args.rate) / args.rate
        injector = _inject_rate_limits(slack, args.rate_limits, every=expected / (args.rate_limits + 1))
        started = time.perf_counter()
        while _pending(deps):
            drain_outbox(deps, create_sender_client(settings))
        elapsed = time.perf_counter() - started
        injector.join()
        received = Counter(call.channel for call in slack.calls("chat.postMessage"))
    allowed = expected + args.rate_limits * RETRY_AFTER
    missed = [person for person in people if received[person] == 0]
    twice = [person for person, times in received.items() if times > 1]
    print(f"database: {engine.dialect.name}; {args.people:,} DMs at {args.rate}/s, {args.rate_limits} x 429")
    print(f"sent in {elapsed:.1f} s; the pacing allows {allowed:.1f} s ({elapsed / allowed - 1:+.1%})")
    print(f"missed: {len(missed)}; sent twice: {len(twice)}")


def _inject_rate_limits(slack: FakeSlack, count: int, *, every: float) -> threading.Thread:
    """One 429 at a time, spread over the run, so that each pause counts on its own."""

    def inject() -> None:
        for _ in range(count):
            time.sleep(every)
            slack.fail("chat.postMessage", times=1, status=429, retry_after=RETRY_AFTER)

    thread = threading.Thread(target=inject, daemon=True)
    thread.start()
    return thread


def _queue(deps, team_id: str, people: int) -> list[str]:  # type: ignore[no-untyped-def]
    ids = [f"U{number:08d}" for number in range(people)]
    with deps.sessions.begin() as session:
        workspace = directory.ensure_workspace(session, slack_team_id=team_id, now=deps.now())
        for slack_id in ids:
            outbox.enqueue(
                session, workspace=workspace, key=f"bench:{slack_id}", method="chat.postMessage",
                payload={"channel": slack_id, "text": "Team pulse: three quick questions"}, now=deps.now(),
            )  # fmt: skip
    return ids


def _pending(deps) -> int:  # type: ignore[no-untyped-def]
    with deps.sessions() as session:
        return len(session.scalars(select(Delivery.id).where(Delivery.status == "pending")).all())


def _reset(engine) -> None:  # type: ignore[no-untyped-def]
    upgrade(engine)
    with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(text(f"DELETE FROM {table.name}"))


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--rate", type=int, default=200, help="DMs a second (SLACK_MESSAGES_PER_SECOND)")
    parser.add_argument("--threads", type=int, default=4, help="SENDER_THREADS")
    parser.add_argument("--rate-limits", type=int, default=5, help="how many calls get a 429")
    parser.add_argument("--database-url", help="an empty database to wipe (default: a new SQLite file)")
    return parser.parse_args()


if __name__ == "__main__":
    main()
