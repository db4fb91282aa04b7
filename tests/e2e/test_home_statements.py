"""Opening the App Home reads each part of it in as few statements as it can: the Home runs on every open of the tab.
The statements are those the bot really sends as the Home opens."""

import re
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, event

from tests.conftest import RunningBot
from tests.e2e.test_resolutions_approvals import request_over_the_limit
from tests.helpers import load_org_and_policy


@contextmanager
def reads(engine: Engine, table: str) -> Iterator[list[str]]:
    """The SELECT statements sent meanwhile that read `table`, one line each."""
    seen: list[str] = []

    def record(_connection: object, _cursor: object, statement: str, *_: object) -> None:
        line = " ".join(statement.split())
        if line.upper().startswith("SELECT") and re.search(rf"\b(FROM|JOIN) {table}\b", line):
            seen.append(line)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_the_home_reads_recognition_counts_and_the_latest_shout_outs_in_one_statement(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.driver.command("U0MGR1", "/nominate", "<@U0AGENT1> shoutout for calming an angry caller")

    with reads(bot.runtime.engine, "reward_grants") as grants_read:
        bot.driver.open_home("U0AGENT1")

    [home] = bot.slack.calls("views.publish", user_id="U0AGENT1")
    assert "calming an angry caller" in home.text, home.text
    assert len(grants_read) == 1, grants_read


def test_the_home_reads_a_managers_few_waiting_requests_in_one_statement(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    request_over_the_limit(bot)
    pending = re.compile(r"\bresolutions\.status = ")

    with reads(bot.runtime.engine, "resolutions") as resolutions_read:
        bot.driver.open_home("U0MGR1")

    [home] = bot.slack.calls("views.publish", user_id="U0MGR1")
    assert "resolution_approve" in str(home.args["view"]), "the request waits on Maya"
    assert len([line for line in resolutions_read if pending.search(line)]) == 1, resolutions_read
