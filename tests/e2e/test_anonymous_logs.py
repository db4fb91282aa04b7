"""At DEBUG, with Bolt's and slack_sdk's loggers at DEBUG too, the log holds neither a relayed pulse conversation
(who wrote the comment, the reply, the answer) nor who sent an anonymous suggestion."""

import io
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from bot.logs import configure_logging
from handlers.blocks import pulse_results as result_blocks
from handlers.jobs.drain_outbox import drain_outbox
from tests.conftest import RunningBot
from tests.e2e.test_pulse_relay import COMMENT, after_the_relay_delay, commented_round, reply_from_results
from tests.e2e.test_suggestions_anonymous import IDEA, suggest_anonymously
from tests.suggestions_helpers import after_the_release, load_suggestion_org

CHATTY = ("slack_bolt", "slack_bolt.App", "slack_sdk")


@contextmanager
def logged_at_debug() -> Iterator[Callable[[], tuple[str, str]]]:
    """Our log at DEBUG, and beside it what Bolt and slack_sdk would have written unfiltered."""
    ours, unfiltered = io.StringIO(), io.StringIO()
    configure_logging(logging.DEBUG, stream=ours)
    raw = logging.StreamHandler(unfiltered)
    chatty = [logging.getLogger(name) for name in CHATTY]
    levels = [logger.level for logger in chatty]
    for logger in chatty:
        logger.setLevel(logging.DEBUG)
        logger.addHandler(raw)
    try:
        yield lambda: (ours.getvalue(), unfiltered.getvalue())
    finally:
        configure_logging(logging.WARNING)
        for logger, level in zip(chatty, levels, strict=True):
            logger.setLevel(level)
            logger.removeHandler(raw)


def test_a_relayed_pulse_conversation_leaves_no_trace_in_the_log(bot: RunningBot) -> None:
    commented_round(bot)
    with logged_at_debug() as logs:
        reply_from_results(bot, "U0MGR1", "Which shifts exactly?")
        [to_author] = bot.slack.calls("chat.postMessage", channel="U0A01")
        bot.driver.click("U0A01", to_author, result_blocks.ANSWER_REPLY_ACTION)
        bot.driver.submit("U0A01", bot.slack.calls("views.open")[-1].args["view"], {"message": "Saturday mornings"})
        after_the_relay_delay(bot)
    log, unfiltered = logs()

    assert "Saturday mornings" in unfiltered, "without the filter the conversation would be in the log"
    for secret in ("U0A01", "East Agent 01", COMMENT, "Which shifts exactly?", "Saturday mornings"):
        assert secret not in log, secret


def test_an_anonymous_suggestion_leaves_no_trace_of_its_author_in_the_log(bot: RunningBot) -> None:
    load_suggestion_org(bot.sessions, bot.clock.now())
    with logged_at_debug() as logs:
        suggest_anonymously(bot)
        drain_outbox(bot.runtime.deps, bot.runtime.sender_client)
        after_the_release(bot)
        [card] = bot.slack.calls("chat.postMessage", channel="U0MGR1")
        bot.driver.click("U0MGR1", card, "suggestion_planned")
        drain_outbox(bot.runtime.deps, bot.runtime.sender_client)
    log, unfiltered = logs()

    assert "U0AGENT1" in unfiltered, "without the filter the author would be in the log"
    assert "U0AGENT1" not in log
    assert IDEA not in log
