"""The outbox: one message per key, sent once; rate limits, 5xx and errors retried with backoff or given up."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.app import create_sender_client
from bot.clock import MovableClock
from bot.fakeslack import FakeSlack
from bot.runtime import make_deps
from handlers.deps import Deps
from handlers.jobs.drain_outbox import drain_outbox
from handlers.pacing import Pacer
from models import Delivery, Workspace
from services import outbox, settling
from tests.conftest import bot_settings


@pytest.fixture
def deps(sessions: sessionmaker[Session], clock: MovableClock, slack: FakeSlack) -> Deps:
    """The process's dependencies as production makes them, on the test's clock."""
    slack.add_user("U0A", "Sam Agent")
    return make_deps(bot_settings(slack, "sqlite://"), sessions, clock)


def queue(deps: Deps, workspace: Workspace, *keys: str) -> None:
    with deps.sessions.begin() as session:
        for key in keys:
            outbox.enqueue(
                session,
                workspace=session.merge(workspace),
                key=key,
                method="chat.postMessage",
                payload={"channel": "U0A", "text": key},
                now=deps.now(),
            )


def deliveries(deps: Deps) -> dict[str, Delivery]:
    with deps.sessions() as session:
        return {d.idempotency_key: d for d in session.scalars(select(Delivery))}


def test_a_key_is_queued_and_sent_once(deps: Deps, workspace: Workspace, slack: FakeSlack) -> None:
    client = create_sender_client(bot_settings(slack, "sqlite://"))
    queue(deps, workspace, "digest:1", "digest:1", "digest:2")

    sent = drain_outbox(deps, client) + drain_outbox(deps, client)

    assert sent == 2
    assert [c.args["text"] for c in slack.calls("chat.postMessage")] == ["digest:1", "digest:2"]
    assert {d.status for d in deliveries(deps).values()} == {"sent"}


def test_a_rate_limit_is_retried_after_retry_after(
    deps: Deps, workspace: Workspace, slack: FakeSlack, clock: MovableClock
) -> None:
    client = create_sender_client(bot_settings(slack, "sqlite://"))
    queue(deps, workspace, "pulse:1")
    slack.fail("chat.postMessage", times=1, status=429, retry_after=120)

    assert drain_outbox(deps, client) == 0
    waiting = deliveries(deps)["pulse:1"]
    assert (waiting.status, waiting.attempts, waiting.last_error) == ("pending", 0, "ratelimited"), "a wait, not a try"
    assert waiting.next_attempt_at == clock.now() + timedelta(seconds=120), "exactly Retry-After"

    clock.advance(timedelta(seconds=119))
    assert drain_outbox(deps, client) == 0
    clock.advance(timedelta(seconds=2))
    assert drain_outbox(deps, client) == 1
    assert len(slack.calls("chat.postMessage")) == 1


def test_server_errors_back_off_and_a_permanent_error_gives_up(
    deps: Deps, workspace: Workspace, slack: FakeSlack, clock: MovableClock
) -> None:
    client = create_sender_client(bot_settings(slack, "sqlite://"))
    queue(deps, workspace, "a")
    slack.fail("chat.postMessage", times=1, status=500)
    drain_outbox(deps, client)
    queue(deps, workspace, "b")
    slack.fail("chat.postMessage", times=1, error="channel_not_found")
    drain_outbox(deps, client)

    state = deliveries(deps)
    assert (state["a"].status, state["a"].last_error) == ("pending", "internal_error")
    assert (state["b"].status, state["b"].last_error) == ("failed", "channel_not_found")
    clock.advance(timedelta(minutes=1))
    assert drain_outbox(deps, client) == 1


@pytest.mark.parametrize("error", ["missing_scope", "not_authed", "msg_too_long", "no_text", "invalid_arguments"])
def test_an_error_retrying_cannot_fix_is_dropped_at_once_and_logged(
    deps: Deps, workspace: Workspace, slack: FakeSlack, error: str, caplog: pytest.LogCaptureFixture
) -> None:
    client = create_sender_client(bot_settings(slack, "sqlite://"))
    queue(deps, workspace, "doomed")
    slack.fail("chat.postMessage", times=1, error=error)

    assert drain_outbox(deps, client) == 0

    doomed = deliveries(deps)["doomed"]
    assert (doomed.status, doomed.attempts, doomed.last_error) == ("failed", 1, error)
    assert [r.levelname for r in caplog.records if "doomed" in r.getMessage()] == ["ERROR"]


@pytest.mark.parametrize("error", ["invalid_auth", "token_revoked", "account_inactive"])
def test_a_refused_token_keeps_the_message_waiting_for_the_next_one_without_counting_an_attempt(
    deps: Deps, workspace: Workspace, slack: FakeSlack, error: str
) -> None:
    client = create_sender_client(bot_settings(slack, "sqlite://"))
    queue(deps, workspace, "waiting")
    slack.fail("chat.postMessage", times=1, error=error)

    assert drain_outbox(deps, client) == 0

    waiting = deliveries(deps)["waiting"]
    assert (waiting.status, waiting.attempts, waiting.last_error) == ("pending", 0, "token_unavailable")


def test_a_dropped_connection_is_retried_later(
    deps: Deps, workspace: Workspace, slack: FakeSlack, clock: MovableClock
) -> None:
    client = create_sender_client(bot_settings(slack, "sqlite://"))
    queue(deps, workspace, "later")
    slack.stop()

    assert drain_outbox(deps, client) == 0

    later = deliveries(deps)["later"]
    assert (later.status, later.last_error) == ("pending", "connection_error")
    assert later.next_attempt_at > clock.now()


def test_a_sender_that_died_mid_way_leaves_its_claims_to_the_next_one(
    deps: Deps, workspace: Workspace, slack: FakeSlack, clock: MovableClock
) -> None:
    client = create_sender_client(bot_settings(slack, "sqlite://"))
    queue(deps, workspace, "x", "y")
    with deps.sessions.begin() as session:
        outbox.claim_due(session, now=clock.now(), limit=1)

    assert drain_outbox(deps, client) == 1
    clock.advance(outbox.LEASE + timedelta(seconds=1))
    assert drain_outbox(deps, client) == 1
    assert sorted(c.args["text"] for c in slack.calls("chat.postMessage")) == ["x", "y"]


def test_a_late_failure_of_a_sender_whose_lease_ended_leaves_the_message_sent_by_the_next(
    deps: Deps, workspace: Workspace, slack: FakeSlack, clock: MovableClock
) -> None:
    client = create_sender_client(bot_settings(slack, "sqlite://"))
    queue(deps, workspace, "slow")
    with deps.sessions.begin() as session:
        [slow] = outbox.claim_due(session, now=clock.now())
    clock.advance(outbox.LEASE + timedelta(seconds=1))
    assert drain_outbox(deps, client) == 1, "the next sender takes it once the first one's lease ends"

    with deps.sessions.begin() as session:  # the first sender's Slack call finally fails for good
        late = outbox.SendOutcome(ok=False, error="channel_not_found", permanent=True)
        outbox.record_outcomes(session, outcomes=[(slow, late)], now=clock.now())

    sent = deliveries(deps)["slow"]
    assert (sent.status, sent.attempts, sent.last_error) == ("sent", 1, None)
    assert sent.result is not None
    with deps.sessions() as session:
        copies = settling.messages_of(session, key="slow").copies
        assert copies == [(sent.result["channel"], sent.result["ts"])], "to update"


def test_a_late_rate_limit_does_not_shorten_the_lease_of_the_sender_holding_it_now(
    deps: Deps, workspace: Workspace, clock: MovableClock
) -> None:
    queue(deps, workspace, "busy")
    with deps.sessions.begin() as session:
        [first] = outbox.claim_due(session, now=clock.now())
    clock.advance(outbox.LEASE + timedelta(seconds=1))
    with deps.sessions.begin() as session:
        assert [c.idempotency_key for c in outbox.claim_due(session, now=clock.now())] == ["busy"]

    with deps.sessions.begin() as session:  # the first sender hears of a rate limit only now
        limited = outbox.SendOutcome(ok=False, error="ratelimited", retry_after=1)
        outbox.record_outcomes(session, outcomes=[(first, limited)], now=clock.now())
    clock.advance(timedelta(seconds=2))

    with deps.sessions.begin() as session:
        assert outbox.claim_due(session, now=clock.now()) == [], "the second sender still holds it"
    assert deliveries(deps)["busy"].last_error is None


def test_a_message_sent_by_two_senders_keeps_the_copy_recorded_first(
    deps: Deps, workspace: Workspace, clock: MovableClock
) -> None:
    queue(deps, workspace, "twice")
    with deps.sessions.begin() as session:
        [first] = outbox.claim_due(session, now=clock.now())
    clock.advance(outbox.LEASE + timedelta(seconds=1))
    with deps.sessions.begin() as session:
        [second] = outbox.claim_due(session, now=clock.now())
        by_second = outbox.SendOutcome(ok=True, result={"channel": "D0A", "ts": "2.0"})
        outbox.record_outcomes(session, outcomes=[(second, by_second)], now=clock.now())

    with deps.sessions.begin() as session:  # the first sender hears only now that Slack took it too
        by_first = outbox.SendOutcome(ok=True, result={"channel": "D0A", "ts": "1.0"})
        outbox.record_outcomes(session, outcomes=[(first, by_first)], now=clock.now())

    with deps.sessions() as session:
        assert settling.messages_of(session, key="twice").copies == [("D0A", "2.0")]
    assert deliveries(deps)["twice"].attempts == 1


def test_two_senders_claiming_at_once_take_different_messages_and_both_take_some(
    deps: Deps, workspace: Workspace, clock: MovableClock, database_url: str
) -> None:
    """Several processes drain the outbox together: the second skips what the first holds and takes the next ones,
    rather than nothing (its drain would stop there) or the same ones (sent twice)."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite has one writer at a time: two claims never overlap")
    queue(deps, workspace, *(f"fan-out:{n}" for n in range(120)))

    with deps.sessions.begin() as first:
        held = outbox.claim_due(first, now=clock.now())
        with deps.sessions.begin() as second:
            taken = outbox.claim_due(second, now=clock.now())

    assert len(held) == len(taken) == 50
    assert not {c.idempotency_key for c in held} & {c.idempotency_key for c in taken}


def test_a_message_whose_lease_ended_while_its_sender_waited_out_a_rate_limit_is_left_to_the_sender_holding_it(
    deps: Deps, workspace: Workspace, slack: FakeSlack, clock: MovableClock
) -> None:
    """Slack asks the sender to wait longer than its lease (one long Retry-After, or many short ones in a batch):
    meanwhile another sender (the next drain, another process) takes the batch over and sends it. The first one,
    done waiting, must not send its next message a second time."""
    client = create_sender_client(bot_settings(slack, "sqlite://"))
    queue(deps, workspace, "first", "second")
    slack.fail("chat.postMessage", times=1, status=429, retry_after=int((outbox.LEASE + timedelta(minutes=1)).seconds))
    other_sender = replace(deps, pacer=Pacer(clock=lambda: clock.now().timestamp()))

    def wait_while_the_other_sender_takes_over(moment: float) -> None:
        clock.sleep_until(datetime.fromtimestamp(moment, UTC))
        assert drain_outbox(other_sender, client) == 2, "the lease ended: the other sender takes both over"

    paced = Pacer(clock=lambda: clock.now().timestamp(), sleep_until=wait_while_the_other_sender_takes_over)
    drain_outbox(replace(deps, pacer=paced), client)

    assert [c.args["text"] for c in slack.calls("chat.postMessage")].count("second") == 1
    assert {d.status for d in deliveries(deps).values()} == {"sent"}


def test_a_message_whose_lease_ended_while_its_sender_waited_and_nobody_took_it_over_is_sent_in_the_same_drain(
    deps: Deps, workspace: Workspace, slack: FakeSlack
) -> None:
    client = create_sender_client(bot_settings(slack, "sqlite://"))
    queue(deps, workspace, "first", "second")
    slack.fail("chat.postMessage", times=1, status=429, retry_after=int((outbox.LEASE + timedelta(minutes=1)).seconds))

    drain_outbox(deps, client)  # "first" is rate-limited, and waiting that out ends the lease on "second"

    assert [c.args["text"] for c in slack.calls("chat.postMessage")] == ["second"]
    assert deliveries(deps)["second"].status == "sent"
    assert deliveries(deps)["first"].status == "pending", "it waits out its own Retry-After"


def test_a_key_given_twice_in_one_batch_is_queued_once_as_first_given(deps: Deps, workspace: Workspace) -> None:
    messages = [
        ("kept:1", "chat.postMessage", {"channel": "U0A", "text": "first"}),
        ("kept:2", "chat.postMessage", {"channel": "U0A", "text": "other"}),
        ("kept:1", "chat.postMessage", {"channel": "U0A", "text": "second"}),
    ]
    with deps.sessions.begin() as session:
        held = outbox.enqueue_all_held(session, workspace_id=workspace.id, messages=messages, now=deps.now())

    assert [(claimed.idempotency_key, claimed.payload["text"]) for claimed in held] == [
        ("kept:1", "first"),
        ("kept:2", "other"),
    ]
    assert deliveries(deps)["kept:1"].payload["text"] == "first"
