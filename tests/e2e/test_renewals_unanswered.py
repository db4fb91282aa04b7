"""With token rotation, a token is renewed in the two hours before it expires. Slack not answering the renewal
(a dropped connection, a timeout) while the token is still good serves the request with that token, as a renewal
Slack refuses does, rather than fail it; and the next requests do not wait on Slack again for a minute. Nor does a
request wait past Slack's 3 s for a renewal Slack is slow to answer while its token is still good, its own or one
another request or process makes; and a renewal whose answer was lost is an error in the log at once."""

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import pytest
from slack_sdk.oauth.installation_store import Installation

from bot.installs import NOT_INSTALLED_HERE
from bot.renewals import Renewals
from services import directory
from tests.conftest import RunningBot
from tests.e2e.test_installs import ALPHA_ORG, install_in
from tests.e2e.test_installs_tokens import expire_the_stored_token, rotating  # noqa: F401
from tests.helpers import wait_until

Done = TypeVar("Done")


def renewals(bot: RunningBot) -> int:
    return len(bot.slack.calls("oauth.v2.access"))


def test_a_renewal_slack_does_not_answer_serves_the_command_with_the_token_still_good(
    rotating: RunningBot,  # noqa: F811
) -> None:
    bot = rotating
    alpha = install_in(bot, "T0ALPHA", ALPHA_ORG)
    bot.slack.fail("oauth.v2.access", times=10, hang_up=True)
    before = renewals(bot)

    replies = [alpha.command("U0AAGENT", "/boundaries") for _ in range(3)]

    assert all("Your boundaries" in reply.text for reply in replies), [reply.text for reply in replies]
    assert not any(NOT_INSTALLED_HERE in reply.text for reply in replies)
    assert renewals(bot) - before <= 2, "one renewal (and its client's one retry), not one per command"


def test_a_renewal_slack_does_not_answer_is_one_warning_not_slack_sdks_error_lines(
    rotating: RunningBot,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
) -> None:
    bot = rotating
    alpha = install_in(bot, "T0ALPHA", ALPHA_ORG)
    bot.slack.fail("oauth.v2.access", times=10, hang_up=True)

    with caplog.at_level(logging.INFO):
        alpha.command("U0AAGENT", "/boundaries")
        alpha.command("U0AAGENT", "/boundaries")
        wait_until(lambda: logged(caplog, "did not answer the renewal"))  # on the renewal's own thread

    assert [record for record in caplog.records if record.levelno >= logging.ERROR] == []
    said = [record.getMessage() for record in caplog.records if "did not answer the renewal" in record.getMessage()]
    assert len(said) == 1 and "T0ALPHA" in said[0], said


def test_a_command_whose_renewal_slack_holds_up_is_answered_with_the_token_still_good(
    rotating: RunningBot,  # noqa: F811
) -> None:
    """Slack takes its time to renew (the client waits 10 s, as cutting it short could lose a refresh token Slack
    spent): the command is acked within Slack's 3 s with the token still good, and the renewal is saved once done."""
    bot = rotating
    alpha = install_in(bot, "T0ALPHA", ALPHA_ORG)
    current = stored(bot, "T0ALPHA").bot_token
    before = renewals(bot)
    held = bot.slack.pause("oauth.v2.access")

    reply, took = timed(lambda: alpha.command("U0AAGENT", "/boundaries"))
    held.release()

    assert "Your boundaries" in reply.text and took < 3, (reply.text, took)
    assert bot.slack.calls("auth.test")[-1].token == current
    wait_until(lambda: stored(bot, "T0ALPHA").bot_token != current)
    assert stored(bot, "T0ALPHA").bot_token in bot.slack.tokens_of("T0ALPHA")
    assert renewals(bot) == before + 1


def test_while_a_renewal_waits_on_slack_the_token_still_good_is_handed_out_without_waiting(
    rotating: RunningBot,  # noqa: F811
) -> None:
    """The renewal keeps its turn until Slack answers or the client gives up (10 s): meanwhile the workspace's other
    commands and the sender take the token still good, rather than queue behind it."""
    bot = rotating
    alpha = install_in(bot, "T0ALPHA", ALPHA_ORG)
    current = stored(bot, "T0ALPHA").bot_token
    held = bot.slack.pause("oauth.v2.access")

    with ThreadPoolExecutor(1) as pool:
        renewing = pool.submit(alpha.command, "U0AAGENT", "/boundaries")
        held.wait_until_arrived()
        reply, took = timed(lambda: alpha.command("U0AMGR", "/boundaries", settle=False))
        token, took_by_the_sender = timed(lambda: sender_token(bot, "T0ALPHA"))
        held.release()
        first = renewing.result(timeout=30)

    assert "Your boundaries" in reply.text and took < 3, (reply.text, took)
    assert (token, took_by_the_sender < 3) == (current, True), took_by_the_sender
    assert "Your boundaries" in first.text


def test_while_another_process_renews_a_token_still_good_commands_and_the_sender_go_on_with_it(
    rotating: RunningBot,  # noqa: F811
) -> None:
    """The turn to renew is taken across processes (PostgreSQL's advisory lock, SQLite's file lock): a process whose
    renewal Slack holds up keeps it."""
    bot = rotating
    alpha = install_in(bot, "T0ALPHA", ALPHA_ORG)
    current = stored(bot, "T0ALPHA").bot_token
    other = another_process(bot)
    held = bot.slack.pause("oauth.v2.access")

    with ThreadPoolExecutor(1) as pool:
        renewing = pool.submit(other.renewed, stored(bot, "T0ALPHA"))
        held.wait_until_arrived()
        reply, took = timed(lambda: alpha.command("U0AAGENT", "/boundaries", settle=False))
        token, took_by_the_sender = timed(lambda: sender_token(bot, "T0ALPHA"))
        held.release()
        renewed, _refused = renewing.result(timeout=30)

    assert "Your boundaries" in reply.text and took < 3, (reply.text, took)
    assert (token, took_by_the_sender < 3) == (current, True), took_by_the_sender
    assert stored(bot, "T0ALPHA").bot_token == renewed.bot_token in bot.slack.tokens_of("T0ALPHA")


def test_a_process_renewing_while_another_waits_on_slacks_answer_takes_the_token_the_other_saves(
    rotating: RunningBot,  # noqa: F811
) -> None:
    """Two `run`s on one database, the token expired: Slack has renewed it for the first and not answered yet. The
    second, with SQLite as with PostgreSQL, waits for the first to save what it gets rather than offer the spent
    refresh token, be refused, and take the install for gone (which would stop the workspace)."""
    bot = rotating
    install_in(bot, "T0ALPHA", ALPHA_ORG)
    expire_the_stored_token(bot, "T0ALPHA")
    bot.slack.state.installs.token_lifetime = 3 * 3600
    first, second = another_process(bot), another_process(bot)
    before = renewals(bot)
    bot.slack.slow_down("oauth.v2.access", 1)

    with ThreadPoolExecutor(1) as pool:
        renewing = pool.submit(first.renewed, stored(bot, "T0ALPHA"))
        wait_until(lambda: renewals(bot) > before)  # Slack renewed it, its answer is on its way
        taken, _refused = second.renewed(stored(bot, "T0ALPHA"))
        renewed, _refused = renewing.result(timeout=30)

    assert taken.bot_token == renewed.bot_token == stored(bot, "T0ALPHA").bot_token
    assert renewals(bot) == before + 1


def test_a_renewal_whose_answer_was_lost_is_an_error_in_the_log_while_the_token_still_serves(
    rotating: RunningBot,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Slack renewed the token and the connection dropped before its answer: the refresh token stored is spent, so
    the workspace stops when its token expires. The operator is told at once, while it can still be installed again."""
    bot = rotating
    alpha = install_in(bot, "T0ALPHA", ALPHA_ORG)
    bot.slack.fail("oauth.v2.access", hang_up_after_acting=True)

    with caplog.at_level(logging.INFO):
        replies = [alpha.command("U0AAGENT", "/boundaries") for _ in range(2)]
        wait_until(lambda: logged(caplog, "installed there again"))  # on the renewal's own thread

    assert all("Your boundaries" in reply.text for reply in replies), [reply.text for reply in replies]
    errors = [record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR]
    assert len(errors) == 1 and "T0ALPHA" in errors[0] and "UTC; then the workspace stops" in errors[0], errors


def logged(caplog: pytest.LogCaptureFixture, words: str) -> bool:
    return any(words in record.getMessage() for record in caplog.records)


def timed(call: Callable[[], Done]) -> tuple[Done, float]:
    started = time.monotonic()
    reply = call()
    return reply, time.monotonic() - started


def sender_token(bot: RunningBot, team_id: str) -> str | None:
    """The token the background sender would send the workspace's next message with."""
    tokens = bot.runtime.deps.tokens
    assert tokens is not None
    with bot.sessions() as session:
        workspace = directory.find_workspace(session, team_id)
        assert workspace is not None
    return tokens.token_for(workspace.id)


def another_process(bot: RunningBot) -> Renewals:
    """The renewals of a second worker process on the same database."""
    tokens = bot.runtime.deps.tokens
    assert tokens is not None
    return Renewals(bot.runtime.settings, tokens.store)


def stored(bot: RunningBot, team_id: str) -> Installation:
    tokens = bot.runtime.deps.tokens
    assert tokens is not None
    found = tokens.store.find_installation(enterprise_id=None, team_id=team_id)
    assert found is not None
    return found


def test_a_request_whose_renewal_the_stopping_process_drops_is_served_with_the_token_still_good(
    rotating: RunningBot,  # noqa: F811
) -> None:
    """A process stopping drops the renewals not yet started: a request waiting on one is served with its token."""
    bot = rotating
    install_in(bot, "T0ALPHA", ALPHA_ORG)
    expiring = stored(bot, "T0ALPHA")
    other = another_process(bot)
    busy = threading.Event()
    for _ in range(4):  # every renewal thread taken, so the request's renewal waits its turn
        other._background.submit(busy.wait)

    with ThreadPoolExecutor(2) as pool:
        waiting = pool.submit(other.renewed_for_request, expiring)
        stopping = pool.submit(other.close)
        outcome = waiting.exception(timeout=10) or waiting.result()
        busy.set()
        stopping.result(timeout=10)

    assert outcome == (expiring, False)
