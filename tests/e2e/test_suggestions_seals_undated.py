"""Seals an earlier release dated are sealed again when the bot starts, wherever they were copied: an anonymous idea's
own, and its status DMs kept in the outbox. One the bot cannot open is left, and sealed again once its secret is given
back; one it cannot read never stops it; text that reads like one is never touched."""

import base64
import logging

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select

from handlers.jobs.drain_outbox import drain_outbox
from models import Delivery, Suggestion
from services.outbox_keys import RELAYED
from services.suggestions.relay import Relay
from tests.conftest import RunningBot, bot_settings
from tests.e2e.test_pulse_relay import after_the_relay_delay, commented_round, reply_from_results
from tests.e2e.test_suggestions_anonymous import moment_in, ready, suggest_anonymously
from tests.suggestions_helpers import after_the_release

__all__ = ["ready"]


def dated_seal(relay: Relay, workspace_id: int, slack_id: str, at: int) -> str:
    """A seal as a release before seals carried no date made it, under `relay`'s secret."""
    key = relay._key("suggestion-seal", workspace_id)
    return (
        f"sealed:{workspace_id}:{Fernet(base64.urlsafe_b64encode(key)).encrypt_at_time(slack_id.encode(), at).decode()}"
    )


def told_planned(bot: RunningBot) -> None:
    """The owner plans the idea: its author is told, by a DM whose sealed channel the outbox keeps."""
    card = bot.slack.calls("chat.postMessage", channel="U0MGR1")[-1]
    bot.driver.click("U0MGR1", card, "suggestion_planned")
    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)


def as_the_earlier_release_sealed(bot: RunningBot, seal_with: Relay, sent_at: int) -> None:
    """The idea's seal and its status DM's copy, dated as the earlier release made them."""
    with bot.sessions.begin() as session:
        suggestion = session.scalars(select(Suggestion)).one()
        suggestion.author_seal = dated_seal(seal_with, suggestion.workspace_id, "U0AGENT1", sent_at)
        for delivery in status_dms(session, suggestion.id):
            copy = dated_seal(seal_with, suggestion.workspace_id, "U0AGENT1", sent_at)
            delivery.payload = {**delivery.payload, "channel": copy}


def status_dms(session: object, suggestion_id: int) -> list[Delivery]:
    query = select(Delivery).where(Delivery.idempotency_key.startswith(f"suggestion:{suggestion_id}:status:"))
    return list(session.scalars(query))  # type: ignore[attr-defined]


def restart(bot: RunningBot, database_url: str, **settings: object) -> None:
    bot.another_runtime(bot_settings(bot.slack, database_url, **settings)).close()


def test_a_status_dm_kept_in_the_outbox_no_longer_says_when_the_idea_was_sent_once_the_bot_restarts(
    ready: RunningBot, database_url: str
) -> None:
    sent_at = int(ready.clock.now().timestamp())
    suggest_anonymously(ready)
    after_the_release(ready)
    told_planned(ready)
    relay = ready.runtime.deps.relay
    assert relay is not None
    as_the_earlier_release_sealed(ready, relay, sent_at)

    restart(ready, database_url)

    with ready.sessions() as session:
        [dm] = status_dms(session, session.scalars(select(Suggestion.id)).one())
        channel = str(dm.payload["channel"])
    assert moment_in(channel) == 0 and relay.open(channel) == "U0AGENT1"


def test_a_dated_seal_no_secret_opens_is_left_and_warned_of_until_its_secret_is_given_back(
    ready: RunningBot, database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """RELAY_SECRET changed without RELAY_SECRET_PREVIOUS: erased, the seal would be lost for good; left, the old
    secret given back as RELAY_SECRET_PREVIOUS seals it again at the next start."""
    sent_at = int(ready.clock.now().timestamp())
    suggest_anonymously(ready)
    after_the_release(ready)
    told_planned(ready)
    as_the_earlier_release_sealed(ready, Relay("the secret before"), sent_at)

    with caplog.at_level(logging.INFO):
        restart(ready, database_url)
    with ready.sessions() as session:
        left = session.scalars(select(Suggestion.author_seal)).one()
    restart(ready, database_url, relay_secret_previous="the secret before")
    with ready.sessions() as session:
        suggestion = session.scalars(select(Suggestion)).one()
        [dm] = status_dms(session, suggestion.id)

    assert left is not None and moment_in(left) == sent_at
    assert "left 2 dated anonymous seal(s)" in caplog.text and "RELAY_SECRET_PREVIOUS" in caplog.text
    relay = ready.runtime.deps.relay
    assert relay is not None
    for seal in (suggestion.author_seal, dm.payload["channel"]):
        assert seal is not None and moment_in(seal) == 0 and relay.open(seal) == "U0AGENT1"


def test_a_seal_with_a_malformed_workspace_never_stops_the_bot_from_starting(
    ready: RunningBot, database_url: str
) -> None:
    """ "²" is a digit to `str.isdigit`, not to `int`: a seal naming such a workspace is one the bot does not open."""
    suggest_anonymously(ready)
    after_the_release(ready)
    relay = ready.runtime.deps.relay
    assert relay is not None
    with ready.sessions.begin() as session:
        suggestion = session.scalars(select(Suggestion)).one()
        malformed = dated_seal(relay, suggestion.workspace_id, "U0AGENT1", 1_700_000_000).replace(
            f"sealed:{suggestion.workspace_id}:", "sealed:²:"
        )
        suggestion.author_seal = malformed

    restart(ready, database_url)

    assert relay.open(malformed) is None
    with ready.sessions() as session:
        assert session.scalars(select(Suggestion.author_seal)).one() == malformed


def test_a_relayed_pulse_reply_waiting_in_the_outbox_is_sealed_again_and_still_reaches_its_reader(
    bot: RunningBot, database_url: str
) -> None:
    """Its recipient and its sender are both sealed in its payload: neither may keep the moment it was queued."""
    commented_round(bot)
    reply_from_results(bot, "U0MGR1", "Which shifts?", delivered=False)
    relay = bot.runtime.deps.relay
    assert relay is not None
    with bot.sessions.begin() as session:
        [waiting] = session.scalars(select(Delivery).where(Delivery.idempotency_key.startswith("pulse-relay:")))
        queued_at = int(bot.clock.now().timestamp())
        note = {**waiting.payload[RELAYED], "sender": dated_seal(relay, waiting.workspace_id, "U0MGR1", queued_at)}
        channel = dated_seal(relay, waiting.workspace_id, "U0A01", queued_at)
        waiting.payload = {**waiting.payload, "channel": channel, RELAYED: note}

    restart(bot, database_url)
    with bot.sessions() as session:
        payload = session.scalars(select(Delivery.payload)).one()
    after_the_relay_delay(bot)

    assert moment_in(payload["channel"]) == 0 and moment_in(payload[RELAYED]["sender"]) == 0
    assert relay.open(payload[RELAYED]["sender"]) == "U0MGR1"
    assert [call.text for call in bot.slack.calls("chat.postMessage", channel="U0A01") if "Which shifts?" in call.text]


def test_a_relayed_text_that_reads_like_a_dated_seal_is_left_as_it_was_typed(
    bot: RunningBot, database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """Seals are kept in a payload's recipient and a relayed message's sender: what someone typed is never one."""
    typed = dated_seal(Relay("someone else's"), 12, "U0X", 1_700_000_000)
    commented_round(bot)
    reply_from_results(bot, "U0MGR1", typed, delivered=False)

    with caplog.at_level(logging.INFO):
        restart(bot, database_url)
    with bot.sessions() as session:
        payload = session.scalars(select(Delivery.payload)).one()

    assert payload[RELAYED]["text"] == typed
    assert "dated anonymous seal" not in caplog.text
