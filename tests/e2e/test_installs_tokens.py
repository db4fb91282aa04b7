"""A workspace's token and install over time: one workspace's refused renewal holds up only its own messages,
threads renewing together spend the single-use refresh token once, and nothing piles up while uninstalled."""

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import select, text, update

from bot.cli import main
from bot.fakeslack import FakeSlack
from bot.fakeslack.browser import install
from bot.fakeslack.server import BOT_TOKEN, CLIENT_ID, CLIENT_SECRET, Call
from bot.renewals import Renewals
from bot.tokens import WorkspaceTokens
from handlers.delivery_refusals import TOKEN_UNAVAILABLE
from handlers.jobs.drain_outbox import drain_outbox
from handlers.jobs.follow_up_pending_requests import follow_up_pending_requests
from handlers.jobs.run_pulse_rounds import run_pulse_rounds
from handlers.jobs.send_weekly_digests import send_weekly_digests
from handlers.pulse_invitations import queue_invitations
from models import Delivery, PulseReceipt, PulseRound, Workspace, slack_installations
from services import directory
from services.pulse import rounds as pulse_rounds
from tests.conftest import RunningBot, StartBot
from tests.e2e.test_installs import ALPHA_ORG, BETA_ORG, install_in, oauth_bot, queue, with_installs  # noqa: F401
from tests.helpers import (
    load_org_and_policy,
    skip_unless_writers_overlap,
    transactions_waiting,
    wait_until,
    wait_until_waiting_for_the_lock,
)


@pytest.fixture
def rotating(start_bot: StartBot, slack: FakeSlack) -> Iterator[RunningBot]:
    slack.rotate_tokens(lifetime=3600)  # inside the two hours before expiry in which tokens are renewed
    yield from with_installs(start_bot, token_rotation=True, sender_threads=4)


def test_a_refused_renewal_holds_up_only_its_workspaces_messages_and_nothing_goes_twice(rotating: RunningBot) -> None:
    install_in(rotating, "T0ALPHA", ALPHA_ORG)
    install_beta_with_a_token_not_yet_due(rotating)
    expire_the_stored_token(rotating, "T0ALPHA")
    rotating.slack.fail("oauth.v2.access", status=503, times=5)  # Slack cannot renew alpha's token for now
    queue(rotating, "T0BETA", ["U0BAGENT"])
    queue(rotating, "T0ALPHA", ["U0AAGENT"])

    drain_outbox(rotating.runtime.deps, rotating.runtime.sender_client)
    rotating.clock.advance(timedelta(minutes=6))  # past the lease of anything claimed
    drain_outbox(rotating.runtime.deps, rotating.runtime.sender_client)

    assert len(rotating.slack.messages_to("U0BAGENT")) == 1
    assert rotating.slack.messages_to("U0AAGENT") == []
    with rotating.sessions() as session:
        alpha = session.scalars(select(Delivery).where(Delivery.idempotency_key == "test:T0ALPHA:U0AAGENT")).one()
    assert (alpha.status, alpha.last_error) == ("pending", TOKEN_UNAVAILABLE), "tried again later"


def test_a_workspace_without_a_token_keeps_nobody_waiting_and_is_asked_once_per_drain(rotating: RunningBot) -> None:
    """Its messages wait five minutes; the sender does not sit out those minutes with other workspaces' messages."""
    install_in(rotating, "T0ALPHA", ALPHA_ORG)
    install_beta_with_a_token_not_yet_due(rotating)
    expire_the_stored_token(rotating, "T0ALPHA")
    rotating.slack.fail("oauth.v2.access", status=503, times=5)
    queue(rotating, "T0ALPHA", ["U0AAGENT", "U0AMGR", "C001", "C002"])
    queue(rotating, "T0BETA", ["U0BAGENT"])
    started = rotating.clock.now()

    drain_outbox(rotating.runtime.deps, rotating.runtime.sender_client)

    assert rotating.clock.now() - started < timedelta(seconds=5), "the sender sat waiting on alpha's token"
    assert len(rotating.slack.messages_to("U0BAGENT")) == 1
    assert len(refused_renewals(rotating.slack)) == 1, "alpha's refresh token offered once, not once a message"
    with rotating.sessions() as session:
        waiting = session.scalars(select(Delivery.last_error).where(Delivery.idempotency_key.like("test:T0ALPHA:%")))
        assert list(waiting) == [TOKEN_UNAVAILABLE] * 4


def test_a_refused_renewal_of_a_token_still_good_sends_with_it(rotating: RunningBot) -> None:
    """Another process may have renewed it first with the same single-use refresh token."""
    install_in(rotating, "T0ALPHA", ALPHA_ORG)
    rotating.slack.state.installs.revoke_refresh_tokens("T0ALPHA")
    queue(rotating, "T0ALPHA", ["U0AAGENT", "C001", "C002"])
    renewed_before = len(renewals(rotating.slack))

    drain_outbox(rotating.runtime.deps, rotating.runtime.sender_client)

    assert len(rotating.slack.messages_to("U0AAGENT")) == 1
    assert len(renewals(rotating.slack)) == renewed_before + 1, "asked once, not again for every message"


def install_beta_with_a_token_not_yet_due(bot: RunningBot) -> None:
    bot.slack.state.installs.token_lifetime = 3 * 3600
    install_in(bot, "T0BETA", BETA_ORG)


def expire_the_stored_token(bot: RunningBot, team_id: str) -> None:
    expired = datetime.now(UTC).replace(tzinfo=None) - timedelta(minutes=1)
    with bot.runtime.engine.begin() as connection:
        connection.execute(
            update(slack_installations)
            .where(slack_installations.c.team_id == team_id)
            .values(bot_token_expires_at=expired)
        )


def test_sender_threads_renewing_together_spend_the_refresh_token_once(rotating: RunningBot) -> None:
    install_in(rotating, "T0ALPHA", ALPHA_ORG)
    queue(rotating, "T0ALPHA", [f"C{number:03d}" for number in range(20)])
    rotating.slack.state.installs.token_lifetime = 3 * 3600  # a renewed token is good past the renewal window
    renewed_before = len(renewals(rotating.slack))

    sent = drain_outbox(rotating.runtime.deps, rotating.runtime.sender_client)

    assert sent == 20
    assert len(renewals(rotating.slack)) == renewed_before + 1


def test_a_command_whose_token_another_process_renewed_first_is_answered_with_the_saved_token(
    rotating: RunningBot,
) -> None:
    alpha = install_in(rotating, "T0ALPHA", ALPHA_ORG)
    rotating.slack.state.installs.revoke_refresh_tokens("T0ALPHA")  # spent by another process's renewal

    reply = alpha.command("U0AAGENT", "/boundaries", "")

    assert reply.status == 200 and "Your boundaries" in reply.text


def test_commands_and_the_sender_renewing_together_spend_the_refresh_token_once(rotating: RunningBot) -> None:
    alpha = install_in(rotating, "T0ALPHA", ALPHA_ORG)
    queue(rotating, "T0ALPHA", [f"C{number:03d}" for number in range(10)])
    rotating.slack.state.installs.token_lifetime = 3 * 3600
    renewed_before = len(renewals(rotating.slack))

    with ThreadPoolExecutor(max_workers=6) as pool:
        sending = pool.submit(drain_outbox, rotating.runtime.deps, rotating.runtime.sender_client)
        replies = list(pool.map(lambda _: alpha.command("U0AAGENT", "/boundaries", ""), range(5)))

    assert sending.result() == 10
    assert all("Your boundaries" in reply.text for reply in replies)
    assert len(renewals(rotating.slack)) == renewed_before + 1


def renewals(slack: FakeSlack) -> list[object]:
    """Every renewal asked for, granted or refused."""
    calls = [*slack.calls("oauth.v2.access"), *slack.calls("oauth.v2.access:failed")]
    return [call for call in calls if call.args.get("grant_type") == "refresh_token"]


def refused_renewals(slack: FakeSlack) -> list[Call]:
    return [call for call in renewals(slack) if isinstance(call, Call) and not call.response.get("ok")]


def test_nothing_is_scheduled_while_uninstalled_and_a_reinstall_starts_without_a_backlog(rotating: RunningBot) -> None:
    alpha = install_in(rotating, "T0ALPHA", ALPHA_ORG)
    alpha.command("U0AAGENT", "/resolve", "refund 80 order 42 parcel lost in transit")
    alpha.event({"type": "app_uninstalled"})
    rotating.slack.reset()
    deps, client = rotating.runtime.deps, rotating.runtime.sender_client
    for _ in range(3):  # three weeks of digests, pulse rounds and reminders that are not for a workspace gone
        rotating.clock.advance(timedelta(days=7, hours=2))
        for job in (send_weekly_digests, run_pulse_rounds, follow_up_pending_requests):
            job(deps, client)
    with rotating.sessions() as session:
        queued = session.scalars(select(Delivery.idempotency_key).where(Delivery.status == "pending")).all()
        rounds = session.scalars(select(PulseRound.id)).all()

    rotating.slack.installing(team_id="T0ALPHA", user_id="U0AHR")
    assert install(rotating.events_url).status == 200
    drain_outbox(deps, client)

    assert (queued, rounds) == ([], [])
    assert rotating.slack.calls("chat.postMessage") == []


def test_the_command_line_refuses_a_workspace_no_install_knows_instead_of_starting_one(
    rotating: RunningBot,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    """A mistyped id (or a member workspace of an org-wide install) would be a directory nobody can reach."""
    install_in(rotating, "T0ALPHA", ALPHA_ORG)
    settings = {"DATABASE_URL": database_url, "SLACK_CLIENT_ID": CLIENT_ID, "SLACK_CLIENT_SECRET": CLIENT_SECRET}
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("SLACK_TEAM_ID", raising=False)
    org = tmp_path / "org.csv"
    org.write_text(ALPHA_ORG)

    status = main(["org", "import", str(org), "--workspace", "T0ALFA"])

    assert status == 2
    assert "the app is not installed in T0ALFA: install it there first" in capsys.readouterr().err
    with rotating.sessions() as session:
        assert directory.find_workspace(session, "T0ALFA") is None


def test_with_token_rotation_listeners_and_the_sender_renew_the_token_before_it_expires(rotating: RunningBot) -> None:
    alpha = install_in(rotating, "T0ALPHA", ALPHA_ORG)
    first = rotating.slack.tokens_of("T0ALPHA")[0]

    alpha.command("U0AAGENT", "/resolve", "refund 80 order 42 parcel lost in transit")
    alpha.command("U0AHR", "/pulse", "start")
    drain_outbox(rotating.runtime.deps, rotating.runtime.sender_client)

    refreshes = [c for c in rotating.slack.calls("oauth.v2.access") if c.args.get("grant_type") == "refresh_token"]
    sent = rotating.slack.calls("chat.postMessage")
    assert len(refreshes) >= 2, "the listener's request and the sender each renewed the token"
    assert sent and all(c.token != first and c.token in rotating.slack.tokens_of("T0ALPHA") for c in sent)


def test_an_open_round_in_a_workspace_the_app_left_is_still_sealed_on_time(rotating: RunningBot) -> None:
    """Who was asked and what they answered must not wait for a reinstall or a purge to be sealed."""
    alpha = install_in(rotating, "T0ALPHA", ALPHA_ORG)
    assert "is open" in alpha.command("U0AHR", "/pulse", "start").text
    alpha.event({"type": "app_uninstalled"})

    rotating.clock.advance(timedelta(days=30))
    run_pulse_rounds(rotating.runtime.deps, rotating.runtime.sender_client)

    with rotating.sessions() as session:
        pulse_round = session.scalars(select(PulseRound)).one()
        receipts = session.scalars(select(PulseReceipt)).all()
    assert (pulse_round.status, pulse_round.salt, receipts) == ("closed", None, [])


def test_people_whose_pulse_invitation_an_uninstall_dropped_are_invited_after_the_reinstall(
    oauth_bot: RunningBot,  # noqa: F811
) -> None:
    alpha = install_in(oauth_bot, "T0ALPHA", ALPHA_ORG)
    with oauth_bot.sessions.begin() as session:  # /pulse start's fan-out, queued for the background sender
        workspace = directory.find_workspace(session, "T0ALPHA")
        assert workspace is not None
        pulse_rounds.start_round(session, workspace=workspace, by=None, actor="cli", now=oauth_bot.clock.now())
        assert queue_invitations(session, workspace=workspace, now=oauth_bot.clock.now()) == 3
    alpha.event({"type": "tokens_revoked", "tokens": {"bot": ["U0LATBOT"]}})
    oauth_bot.slack.installing(team_id="T0ALPHA", user_id="U0AHR")
    assert install(oauth_bot.events_url).status == 200

    oauth_bot.clock.advance(timedelta(minutes=10))
    run_pulse_rounds(oauth_bot.runtime.deps, oauth_bot.runtime.sender_client)
    drain_outbox(oauth_bot.runtime.deps, oauth_bot.runtime.sender_client)

    assert len(oauth_bot.slack.messages_to("U0AAGENT")) == 1, "asked once the app was back"
    with oauth_bot.sessions() as session:
        assert len(session.scalars(select(PulseReceipt)).all()) == 3


def test_an_uninstall_revokes_the_workspaces_token_as_slack_does(oauth_bot: RunningBot) -> None:  # noqa: F811
    """The stand-in, like Slack, stops the token before `app_uninstalled` arrives: a bot that went on using it
    would have its calls refused (and the test fail on the refusal)."""
    alpha = install_in(oauth_bot, "T0ALPHA", ALPHA_ORG)
    [token] = oauth_bot.slack.tokens_of("T0ALPHA")

    alpha.event({"type": "app_uninstalled"})

    with pytest.raises(SlackApiError) as refused:
        WebClient(token=token, base_url=oauth_bot.slack.api_url).auth_test()
    assert refused.value.response["error"] == "token_revoked"


def test_tokens_revoked_for_user_tokens_only_leaves_the_bot_token_and_the_workspace_working(bot: RunningBot) -> None:
    """Slack's `tokens_revoked` lists what it revoked: with user tokens only, the bot's token still works (the
    stand-in) and Latitude goes on serving the workspace."""
    load_org_and_policy(bot.sessions, bot.clock.now())

    bot.driver.event({"type": "tokens_revoked", "tokens": {"oauth": ["U0AGENT1"], "bot": []}})

    assert WebClient(token=BOT_TOKEN, base_url=bot.slack.api_url).auth_test()["ok"]
    with bot.sessions() as session:
        assert session.scalars(select(Workspace.uninstalled_at)).all() == [None]


def test_two_processes_renewing_an_expired_token_at_once_leave_the_workspace_installed(rotating: RunningBot) -> None:
    """After a quiet night the token has expired, and two worker processes need it at the same moment (a morning's
    first requests, the sender's fan-out). The first spends the single-use refresh token; the second, refused it
    before the first saved what it got, must not read that as the app uninstalled (which would stop the workspace
    and drop its queued messages): it takes the token the first saves."""
    skip_unless_writers_overlap(rotating.runtime.engine)
    install_in(rotating, "T0ALPHA", ALPHA_ORG)
    expire_the_stored_token(rotating, "T0ALPHA")
    rotating.slack.state.installs.token_lifetime = 3 * 3600
    first = rotating.runtime.deps.tokens
    assert first is not None and first.renewals is not None
    second = WorkspaceTokens(first.store, rotating.sessions, Renewals(rotating.runtime.settings, first.store))
    with rotating.sessions() as session:
        alpha = directory.find_workspace(session, "T0ALPHA")
        assert alpha is not None

    with rotating.runtime.engine.connect() as connection, ThreadPoolExecutor(2) as processes:
        connection.execute(text("LOCK TABLE slack_installations, slack_bots IN EXCLUSIVE MODE"))  # saving waits
        renewed_first = processes.submit(first.token_for, alpha.id)
        wait_until_waiting_for_the_lock(rotating.runtime.engine, 1)  # renewed by Slack, not saved yet
        renewed_second = processes.submit(second.token_for, alpha.id)
        wait_until(lambda: renewed_second.done() or transactions_waiting(rotating.runtime.engine) >= 2)
        connection.commit()

        assert renewed_second.result(timeout=10) == renewed_first.result(timeout=10)
    assert renewed_first.result() in rotating.slack.tokens_of("T0ALPHA")
