"""A decision reads the messages of its request once: the copies to update, and whether a hand-over summary told of it
(which then counts it as decided), come from the same read."""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, event

from handlers.jobs.drain_outbox import drain_outbox
from tests.conftest import RunningBot
from tests.e2e.test_handover_summary import requests_to_maya, summary_now
from tests.e2e.test_people_leaving import WITHOUT_MAYA, reimport
from tests.e2e.test_resolutions_approvals import request_over_the_limit
from tests.helpers import load_org_and_policy


@contextmanager
def reads_of_the_request(engine: Engine, key: str) -> Iterator[list[str]]:
    """The statements reading the outbox under the request's key."""
    seen: list[str] = []

    def record(_connection: object, _cursor: object, statement: str, parameters: object, *_: object) -> None:
        reading = statement.lstrip().upper().startswith("SELECT") and "FROM deliveries" in statement
        if reading and key in str(parameters):
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_a_decision_reads_its_requests_messages_once(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    request = request_over_the_limit(bot)

    with reads_of_the_request(bot.runtime.engine, "resolution:1") as reads:
        bot.driver.click("U0MGR1", request, "resolution_approve")

    assert len(reads) == 1, reads


def test_a_decision_read_once_still_counts_down_the_summary_that_told_of_it(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    requests_to_maya(bot, 6)
    reimport(bot.sessions, bot.clock.now(), WITHOUT_MAYA)
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)
    [summary] = bot.slack.calls("chat.postMessage", channel="U0ADMIN")

    bot.driver.open_home("U0ADMIN")
    with reads_of_the_request(bot.runtime.engine, "resolution:1") as reads:
        bot.driver.click_in_view("U0ADMIN", bot.slack.calls("views.publish")[-1].args["view"], "resolution_approve")

    assert len(reads) == 1, reads
    assert "5 of the 6 requests handed to you at once still wait" in summary_now(bot, str(summary.response["ts"]))
