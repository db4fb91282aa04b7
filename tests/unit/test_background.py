"""Slow work an event asks for (an org's listings, page after page, waiting out Slack's rate limits) runs on a thread
of its own in the process, not on the listener thread that asked for it, which commands need within 3 seconds; and
its waits move the process's clock, never the test's time."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from slack_sdk import WebClient
from sqlalchemy.orm import sessionmaker

from bot.clock import MovableClock
from bot.fakeslack import FakeSlack
from bot.fakeslack.server import BOT_TOKEN
from bot.runtime import make_deps
from bot.settings import Settings
from handlers.org_access import RateLimitWait, Stopping


def test_background_work_runs_on_a_thread_of_its_own_and_waits_on_the_clock() -> None:
    clock = MovableClock(datetime(2026, 3, 2, tzinfo=UTC))
    deps = make_deps(Settings(slack_bot_token="xoxb-x", slack_signing_secret="signing"), sessionmaker(), clock)
    ran_on: list[threading.Thread] = []
    done = threading.Event()

    deps.background(lambda: (ran_on.append(threading.current_thread()), done.set()))
    deps.wait(30)

    assert done.wait(5) and ran_on != [threading.current_thread()]
    assert clock.now() == datetime(2026, 3, 2, tzinfo=UTC) + timedelta(seconds=30)


def test_a_rate_limited_listing_waits_slacks_retry_after_but_not_once_the_process_stops() -> None:
    waited: list[float] = []
    stopping = threading.Event()
    with FakeSlack() as slack:
        retry = RateLimitWait(waited.append, stopping, max_retry_count=5)
        client = WebClient(token=BOT_TOKEN, base_url=slack.api_url, retry_handlers=[retry])
        slack.fail("users.list", status=429, retry_after=30)
        listed = client.users_list(limit=200)
        slack.fail("users.list", status=429, retry_after=30)
        stopping.set()
        with pytest.raises(Stopping):
            client.users_list(limit=200)

    assert listed["ok"] and waited == [30.0], "the first waited once, the second not at all"
