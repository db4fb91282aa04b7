"""A workspace's token has expired (a quiet night) and Slack is slow to renew it: its requests cannot be served without
the renewal, and Slack wants their ack within 3 s while the renewal's client waits up to 10 s for Slack. A request waits
for the renewal a second at most, then is told that Latitude could not reach Slack and to try again in a moment, with
nothing done; the renewal goes on to Slack's answer and saves the new token, which the next request uses."""

import logging
import os
import zlib
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress

import pytest
from sqlalchemy import select

from bot.installs import NOT_INSTALLED_HERE
from bot.renewal_files import lock_file
from handlers.form_apologies import SLACK_NOT_ANSWERING
from models import Resolution
from models.engine import sqlite_file
from tests.conftest import RunningBot
from tests.e2e.test_installs import ALPHA_ORG, BETA_ORG, install_in
from tests.e2e.test_installs_tokens import expire_the_stored_token, rotating  # noqa: F401
from tests.e2e.test_renewals_unanswered import another_process, renewals, stored, timed
from tests.helpers import count, wait_until

IN_TIME = 2.5
"""Seconds within which the person is answered: well inside Slack's 3 s."""


def expired_overnight(bot: RunningBot) -> None:
    expire_the_stored_token(bot, "T0ALPHA")
    bot.slack.state.installs.token_lifetime = 3 * 3600  # a renewed token is good past the renewal window


def test_a_command_whose_expired_token_slack_is_slow_to_renew_is_told_in_time_to_try_again(
    rotating: RunningBot,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
) -> None:
    bot = rotating
    alpha = install_in(bot, "T0ALPHA", ALPHA_ORG)
    expired_overnight(bot)
    expired = stored(bot, "T0ALPHA").bot_token
    before = renewals(bot)
    held = bot.slack.pause("oauth.v2.access")

    try:
        with caplog.at_level(logging.WARNING):
            replies = [timed(lambda: alpha.command("U0AAGENT", "/resolve", "refund 5 order 1 late")) for _ in range(2)]
        held.wait_until_arrived()
    finally:
        held.release()

    assert [(reply.status, reply.json["response_type"], reply.text) for reply, _ in replies] == [
        (200, "ephemeral", SLACK_NOT_ANSWERING)
    ] * 2
    assert [took < IN_TIME for _, took in replies] == [True, True], [took for _, took in replies]
    assert NOT_INSTALLED_HERE not in replies[0][0].text
    said = [record.getMessage() for record in caplog.records if record.levelno >= logging.WARNING]
    assert len(said) == 2 and all("T0ALPHA's expired bot token" in line for line in said), said
    with bot.sessions() as session:
        assert count(session, Resolution) == 0, "nothing was done"
    wait_until(lambda: stored(bot, "T0ALPHA").bot_token != expired)  # the renewal ran on to Slack's answer
    assert renewals(bot) == before + 1, "the second command waited for the same renewal"

    assert "logged" in alpha.command("U0AAGENT", "/resolve", "refund 5 order 1 late").text.lower()
    assert bot.slack.calls("auth.test")[-1].token == stored(bot, "T0ALPHA").bot_token
    assert renewals(bot) == before + 1


def test_an_approval_whose_expired_token_slack_is_slow_to_renew_changes_nothing_and_is_told_to_try_again(
    rotating: RunningBot,  # noqa: F811
) -> None:
    bot = rotating
    alpha = install_in(bot, "T0ALPHA", ALPHA_ORG)
    alpha.command("U0AAGENT", "/resolve", "refund 80 order 42 parcel lost in transit")
    [request] = bot.slack.calls("chat.postMessage", channel="U0AMGR")
    expired_overnight(bot)
    expired = stored(bot, "T0ALPHA").bot_token
    held = bot.slack.pause("oauth.v2.access")

    try:
        _clicked, took = timed(lambda: alpha.click("U0AMGR", request, "resolution_approve"))
        held.wait_until_arrived()
    finally:
        held.release()

    assert took < IN_TIME, took
    assert [call.text for call in bot.slack.calls("response_url")] == [SLACK_NOT_ANSWERING]
    with bot.sessions() as session:
        assert session.scalars(select(Resolution.status)).all() == ["pending"]
    assert bot.slack.calls("chat.postMessage", channel="U0AAGENT") == []

    wait_until(lambda: stored(bot, "T0ALPHA").bot_token != expired)
    alpha.click("U0AMGR", request, "resolution_approve")
    with bot.sessions() as session:
        assert session.scalars(select(Resolution.status)).all() == ["approved"]


def test_a_command_whose_expired_token_another_process_is_renewing_is_told_to_try_again_then_takes_its_token(
    rotating: RunningBot,  # noqa: F811
) -> None:
    """The other process keeps its turn until Slack answers: the command does not wait for that past a second, nor
    spend the refresh token itself; once the other process saved what it got, the next command is served with it."""
    bot = rotating
    alpha = install_in(bot, "T0ALPHA", ALPHA_ORG)
    expired_overnight(bot)
    other = another_process(bot)
    before = renewals(bot)
    held = bot.slack.pause("oauth.v2.access")

    with ThreadPoolExecutor(1) as pool:
        try:
            renewing = pool.submit(other.renewed, stored(bot, "T0ALPHA"))
            held.wait_until_arrived()
            reply, took = timed(lambda: alpha.command("U0AAGENT", "/boundaries"))
        finally:
            held.release()
        renewed, _refused = renewing.result(timeout=30)

    assert (reply.text, took < IN_TIME) == (SLACK_NOT_ANSWERING, True), took
    assert "Your boundaries" in alpha.command("U0AAGENT", "/boundaries").text
    assert bot.slack.calls("auth.test")[-1].token == renewed.bot_token, "served with the token the other one saved"
    assert renewals(bot) == before + 1


def test_commands_waiting_on_one_workspaces_renewal_hold_up_no_other_workspaces_renewal(
    rotating: RunningBot,  # noqa: F811
) -> None:
    """Alpha's commands wait for the one renewal of Alpha's token under way, rather than each queue another on the
    renewal threads: Beta's token, expired too, is renewed at once and its command served."""
    bot = rotating
    alpha = install_in(bot, "T0ALPHA", ALPHA_ORG)
    beta = install_in(bot, "T0BETA", BETA_ORG)
    expired_overnight(bot)
    expire_the_stored_token(bot, "T0BETA")
    held = bot.slack.pause("oauth.v2.access")

    try:
        with ThreadPoolExecutor(6) as pool:
            waiting = [pool.submit(alpha.command, "U0AAGENT", "/boundaries", settle=False) for _ in range(6)]
            held.wait_until_arrived()
            told = [reply.result(timeout=30).text for reply in waiting]
        reply, took = timed(lambda: beta.command("U0BAGENT", "/boundaries"))
    finally:
        held.release()

    assert told == [SLACK_NOT_ANSWERING] * 6
    assert "Your boundaries" in reply.text and took < IN_TIME, (reply.text, took)


def test_a_renewal_whose_lock_file_cannot_be_made_is_our_error_with_a_reference_not_slack_to_try_again(
    rotating: RunningBot,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A fault of this machine (here a folder where the lock file goes) would last: told to try again in a moment,
    the person would try forever, with nothing to give their admin."""
    bot = rotating
    database = sqlite_file(bot.runtime.engine.url)
    if database is None:
        pytest.skip("the lock file beside the database is SQLite's")
    alpha = install_in(bot, "T0ALPHA", ALPHA_ORG)
    expired_overnight(bot)
    lock = lock_file(database, zlib.crc32(repr((None, "T0ALPHA")).encode()))
    with suppress(FileNotFoundError):
        os.remove(lock)  # an earlier test's
    os.mkdir(lock)

    try:
        with caplog.at_level(logging.ERROR):
            reply = alpha.command("U0AAGENT", "/resolve", "refund 5 order 1 late")
    finally:
        os.rmdir(lock)

    assert reply.text != SLACK_NOT_ANSWERING
    assert "reference" in reply.text and "give this reference to your admin" in reply.text, reply.text
    assert any("lock file" in str(record.exc_info[1]) for record in caplog.records if record.exc_info), "logged"
    with bot.sessions() as session:
        assert count(session, Resolution) == 0
