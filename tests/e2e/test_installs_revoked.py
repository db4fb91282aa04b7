"""A token Slack refused is the token's fault, not the message's: Slack revokes a token before it tells of the
uninstall, and another process may still hold the token a reinstall replaced. The message waits, and goes."""

import logging
import time
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.fakeslack.browser import install
from handlers.delivery import NOT_INSTALLED, send_for_workspace
from handlers.delivery_refusals import TOKEN_UNAVAILABLE
from handlers.jobs.drain_outbox import drain_outbox
from handlers.jobs.follow_up_pending_requests import follow_up_pending_requests
from handlers.jobs.run_pulse_rounds import run_pulse_rounds
from handlers.jobs.send_weekly_digests import send_weekly_digests
from handlers.pulse_invitations import queue_invitations
from models import Delivery
from services import directory, outbox
from services.pulse import rounds as pulse_rounds
from services.workspace_purge import purge_plan
from tests.conftest import RunningBot
from tests.e2e.test_installs import ALPHA_ORG, install_in, oauth_bot  # noqa: F401
from tests.e2e.test_installs_tokens import expire_the_stored_token, rotating  # noqa: F401


def queue_one(bot: RunningBot, key: str) -> None:
    with bot.sessions.begin() as session:
        workspace = directory.find_workspace(session, "T0ALPHA")
        assert workspace is not None
        payload = {"channel": "U0AAGENT", "text": key}
        outbox.enqueue(
            session, workspace=workspace, key=key, method="chat.postMessage", payload=payload, now=bot.clock.now()
        )


def test_invitations_refused_for_a_revoked_token_are_sent_again_after_the_reinstall(
    oauth_bot: RunningBot,  # noqa: F811
) -> None:
    """People whose invitation an uninstall dropped count as not yet asked, and an open round asks them once the
    app is back: those the sender tried between the token's revocation and the uninstall event too."""
    alpha = install_in(oauth_bot, "T0ALPHA", ALPHA_ORG)
    with oauth_bot.sessions.begin() as session:  # /pulse start's fan-out, queued for the background sender
        workspace = directory.find_workspace(session, "T0ALPHA")
        assert workspace is not None
        pulse_rounds.start_round(session, workspace=workspace, by=None, actor="cli", now=oauth_bot.clock.now())
        assert queue_invitations(session, workspace=workspace, now=oauth_bot.clock.now()) == 3
    oauth_bot.slack.state.installs.revoke_team("T0ALPHA")
    drain_outbox(oauth_bot.runtime.deps, oauth_bot.runtime.sender_client)  # the sender was mid fan-out
    oauth_bot.slack.violations.clear()  # the refused calls, made with the revoked token
    alpha.event({"type": "app_uninstalled"})
    oauth_bot.slack.installing(team_id="T0ALPHA", user_id="U0AHR")
    assert install(oauth_bot.events_url).status == 200

    oauth_bot.clock.advance(timedelta(minutes=10))
    run_pulse_rounds(oauth_bot.runtime.deps, oauth_bot.runtime.sender_client)
    drain_outbox(oauth_bot.runtime.deps, oauth_bot.runtime.sender_client)

    assert len(oauth_bot.slack.messages_to("U0AAGENT")) == 1


def test_the_process_that_missed_a_quick_reinstall_sends_with_the_new_token(
    oauth_bot: RunningBot,  # noqa: F811
) -> None:
    """The uninstall and install reached one worker; the sender runs in another, which still keeps the old token."""
    alpha = install_in(oauth_bot, "T0ALPHA", ALPHA_ORG)
    other_worker = oauth_bot.another_runtime(oauth_bot.runtime.settings)
    try:
        queue_one(oauth_bot, "before")
        drain_outbox(other_worker.deps, other_worker.app.client)  # it learns alpha's token
        alpha.event({"type": "app_uninstalled"})
        oauth_bot.slack.installing(team_id="T0ALPHA", user_id="U0AHR")
        assert install(oauth_bot.events_url).status == 200
        queue_one(oauth_bot, "after")

        drain_outbox(other_worker.deps, other_worker.app.client)

        with oauth_bot.sessions() as session:
            after = session.scalars(select(Delivery).where(Delivery.idempotency_key == "after")).one()
        oauth_bot.slack.violations.clear()  # the refused call, made with the old token
        assert (after.status, after.last_error) == ("sent", None)
        assert [m.text for m in oauth_bot.slack.messages_to("U0AAGENT")][-1] == "after"
    finally:
        other_worker.close()


def test_an_uninstall_slack_never_told_of_stops_the_workspace_once_its_token_is_refused_for_good(
    oauth_bot: RunningBot,  # noqa: F811
) -> None:
    """Slack retries an event for a few minutes only: the app was uninstalled while the bot was down, and
    `app_uninstalled` never arrived. The token, read afresh and still revoked, tells the same."""
    install_in(oauth_bot, "T0ALPHA", ALPHA_ORG)
    queue_one(oauth_bot, "before")
    oauth_bot.slack.state.installs.revoke_team("T0ALPHA")
    deps, client = oauth_bot.runtime.deps, oauth_bot.runtime.sender_client

    drain_outbox(deps, client)
    oauth_bot.slack.violations.clear()  # the one refused call: nothing told the bot before it
    oauth_bot.clock.advance(timedelta(days=7, hours=2))
    for job in (send_weekly_digests, follow_up_pending_requests, drain_outbox):
        job(deps, client)

    with oauth_bot.sessions() as session:
        workspace = directory.find_workspace(session, "T0ALPHA")
        assert workspace is not None and workspace.uninstalled_at is not None
        pending = session.scalars(select(Delivery.idempotency_key).where(Delivery.status == "pending")).all()
        plan = purge_plan(session, workspace=workspace, now=oauth_bot.clock.now(), retention_days=30, force=True)
    assert pending == [] and plan.total > 0
    assert oauth_bot.slack.calls("chat.postMessage") == []


def test_a_late_retry_of_the_last_uninstalls_revocation_leaves_the_reinstall_alone(
    oauth_bot: RunningBot,  # noqa: F811
) -> None:
    """Slack sends `app_uninstalled` and `tokens_revoked` in no set order, and retries one the bot did not ack for
    minutes: the admin who reinstalled at once must not have the new install undone by the old revocation."""
    alpha = install_in(oauth_bot, "T0ALPHA", ALPHA_ORG)
    uninstalled_at = int(time.time()) - 60
    alpha.event({"type": "app_uninstalled"})
    oauth_bot.slack.installing(team_id="T0ALPHA", user_id="U0AHR")
    assert install(oauth_bot.events_url).status == 200

    revoked = {"type": "tokens_revoked", "tokens": {"bot": ["U0LATBOT"]}}
    assert alpha.event(revoked, retry_num=1, sent_at=uninstalled_at).status == 200
    alpha.command("U0AAGENT", "/resolve", "refund 80 order 42 parcel lost in transit")

    with oauth_bot.sessions() as session:
        workspace = directory.find_workspace(session, "T0ALPHA")
        assert workspace is not None and workspace.uninstalled_at is None
    [request] = oauth_bot.slack.calls("chat.postMessage", channel="U0AMGR")
    assert request.token == oauth_bot.slack.tokens_of("T0ALPHA")[-1]


def test_a_message_in_flight_when_the_uninstall_came_is_dropped_without_a_second_look_at_the_token(
    oauth_bot: RunningBot,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Another worker heard the uninstall while this one was sending with the old token: Slack's refusal needs no
    `auth.test`, and the log does not say the uninstall went untold."""
    alpha = install_in(oauth_bot, "T0ALPHA", ALPHA_ORG)
    other_worker = oauth_bot.another_runtime(oauth_bot.runtime.settings)
    try:
        queue_one(oauth_bot, "before")
        drain_outbox(other_worker.deps, other_worker.app.client)  # it learns alpha's token
        queue_one(oauth_bot, "in flight")
        with other_worker.deps.sessions.begin() as session:
            [claimed] = outbox.claim_due(session, now=oauth_bot.clock.now())
        alpha.event({"type": "app_uninstalled"})

        outcome = send_for_workspace(other_worker.deps, other_worker.app.client, claimed)

        oauth_bot.slack.violations.clear()  # the refused call, made with the old token
        assert (outcome.error, outcome.permanent) == (NOT_INSTALLED, True)
        assert oauth_bot.slack.calls("auth.test:failed") == []
        assert "no word of it" not in caplog.text
    finally:
        other_worker.close()


def test_an_uninstall_slack_never_told_of_stops_the_workspace_once_its_expired_token_cannot_be_renewed(
    rotating: RunningBot,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
) -> None:
    """With token rotation the token has expired by the time anything is sent: Slack refuses the refresh token the
    store still holds (`invalid_refresh_token`), so no call is made whose refusal `auth.test` could confirm."""
    install_in(rotating, "T0ALPHA", ALPHA_ORG)
    queue_one(rotating, "before")
    rotating.slack.state.installs.revoke_team("T0ALPHA")  # uninstalled while the bot was down: no event came
    expire_the_stored_token(rotating, "T0ALPHA")
    deps, client = rotating.runtime.deps, rotating.runtime.sender_client

    with caplog.at_level(logging.WARNING):
        drain_outbox(deps, client)
    rotating.clock.advance(timedelta(days=7, hours=2))
    for job in (send_weekly_digests, follow_up_pending_requests, drain_outbox):
        job(deps, client)

    with rotating.sessions() as session:
        workspace = directory.find_workspace(session, "T0ALPHA")
        assert workspace is not None and workspace.uninstalled_at is not None
        pending = session.scalars(select(Delivery.idempotency_key).where(Delivery.status == "pending")).all()
    assert pending == []
    assert "T0ALPHA with no word of it: stopped as uninstalled, 1 dropped" in caplog.text
    assert rotating.slack.calls("chat.postMessage") == []


@pytest.mark.parametrize("status", [200, 400])
def test_a_refresh_token_slack_calls_an_invalid_grant_stops_the_workspace_and_says_so(
    rotating: RunningBot,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
    status: int,
) -> None:
    """OAuth's own word for a refresh token revoked or expired (RFC 6749 5.2), which Slack answers too, with a 400 or
    in a 200: the workspace is stopped as after an uninstall, not asked for a renewal again before every message."""
    install_in(rotating, "T0ALPHA", ALPHA_ORG)
    queue_one(rotating, "before")
    expire_the_stored_token(rotating, "T0ALPHA")
    rotating.slack.fail("oauth.v2.access", times=5, status=status, error="invalid_grant")
    deps, client = rotating.runtime.deps, rotating.runtime.sender_client

    with caplog.at_level(logging.WARNING):
        drain_outbox(deps, client)

    with rotating.sessions() as session:
        workspace = directory.find_workspace(session, "T0ALPHA")
        assert workspace is not None and workspace.uninstalled_at is not None
        dropped = session.scalars(select(Delivery).where(Delivery.idempotency_key == "before")).one()
        assert dropped.status == "failed"
    assert "T0ALPHA" in caplog.text and "stopped as uninstalled, 1 dropped" in caplog.text
    assert "invalid_grant" in caplog.text
    assert rotating.slack.calls("chat.postMessage") == []


def test_a_command_whose_refresh_token_slack_refuses_for_good_stops_the_workspace_once(
    rotating: RunningBot,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Before its listener runs, a request renews its workspace's expired token: refused for good, the workspace is
    stopped there, and the next request asks Slack nothing (no renewal refused again and again)."""
    alpha = install_in(rotating, "T0ALPHA", ALPHA_ORG)
    expire_the_stored_token(rotating, "T0ALPHA")
    rotating.slack.fail("oauth.v2.access", times=5, status=400, error="invalid_grant")
    refused_before = len(rotating.slack.calls("oauth.v2.access:failed"))

    with caplog.at_level(logging.WARNING):
        for _ in range(2):
            alpha.command("U0AAGENT", "/boundaries", "")

    with rotating.sessions() as session:
        workspace = directory.find_workspace(session, "T0ALPHA")
        assert workspace is not None and workspace.uninstalled_at is not None
    assert len(rotating.slack.calls("oauth.v2.access:failed")) == refused_before + 1
    assert "T0ALPHA" in caplog.text and "stopped as uninstalled" in caplog.text and "invalid_grant" in caplog.text


@pytest.mark.parametrize(
    "fault", [{"status": 503}, {"status": 429, "retry_after": 1}, {"error": "ratelimited"}, {"hang_up": True}]
)
def test_a_renewal_refused_for_a_passing_reason_stops_nothing(
    rotating: RunningBot,  # noqa: F811
    fault: dict[str, Any],
) -> None:
    install_in(rotating, "T0ALPHA", ALPHA_ORG)
    queue_one(rotating, "before")
    expire_the_stored_token(rotating, "T0ALPHA")
    rotating.slack.fail("oauth.v2.access", times=5, **fault)

    drain_outbox(rotating.runtime.deps, rotating.runtime.sender_client)

    with rotating.sessions() as session:
        workspace = directory.find_workspace(session, "T0ALPHA")
        assert workspace is not None and workspace.uninstalled_at is None
        waiting = session.scalars(select(Delivery).where(Delivery.idempotency_key == "before")).one()
        assert (waiting.status, waiting.last_error) == ("pending", TOKEN_UNAVAILABLE)
