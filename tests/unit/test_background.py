"""Slow work an event asks for (an org's listings, page after page, waiting out Slack's rate limits) runs on a thread
of its own in the process, not on the listener thread that asked for it, which commands need within 3 seconds; and
its waits move the process's clock, never the test's time."""

import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import sessionmaker

from bot.clock import MovableClock
from bot.runtime import make_deps
from bot.settings import Settings


def test_background_work_runs_on_a_thread_of_its_own_and_waits_on_the_clock() -> None:
    clock = MovableClock(datetime(2026, 3, 2, tzinfo=UTC))
    deps = make_deps(Settings(slack_bot_token="xoxb-x", slack_signing_secret="signing"), sessionmaker(), clock)
    ran_on: list[threading.Thread] = []
    done = threading.Event()

    deps.background(lambda: (ran_on.append(threading.current_thread()), done.set()))
    deps.wait(30)

    assert done.wait(5) and ran_on != [threading.current_thread()]
    assert clock.now() == datetime(2026, 3, 2, tzinfo=UTC) + timedelta(seconds=30)
