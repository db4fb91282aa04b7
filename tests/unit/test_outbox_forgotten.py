"""Every prefix under which the outbox deletes messages to forget who was told what is one whose messages take ids
that leave no gap (outbox_keys.FORGOTTEN)."""

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Delivery, PulseRound, Workspace
from services import anonymous_dms, outbox
from services.outbox_keys import FORGOTTEN, forgotten, home_again_key_prefix, home_key_prefix, logged_prefix
from services.pulse.relay_keys import answer_key_prefix, relayed_key_prefix
from services.pulse.rounds import INVITATION_KINDS, anonymous_dm_key_prefix, invitation_key_prefix

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_every_prefix_forgotten_takes_unordered_ids_and_the_others_do_not() -> None:
    workspace, pulse_round = Workspace(slack_team_id="T0LATITUDE"), PulseRound(id=7)
    prefixes = [invitation_key_prefix(workspace, pulse_round, kind) for kind in INVITATION_KINDS]
    prefixes += [anonymous_dm_key_prefix(workspace, 7), anonymous_dms.key_prefix(workspace)]
    prefixes += [relayed_key_prefix(7), answer_key_prefix(7, 3), home_key_prefix("T0LATITUDE", "U0A01")]

    assert all(forgotten(f"{prefix}U0A01") for prefix in prefixes)
    assert {prefix.partition(":")[0] + ":" for prefix in prefixes} == set(FORGOTTEN)
    kept = ["pulse-late:T0LATITUDE:7:U0HR", "error-dm:T0LATITUDE:x", home_again_key_prefix("T0LATITUDE", "U0A01")]
    assert not any(forgotten(key) for key in kept)


def test_the_log_is_told_only_the_kind_and_workspace_of_a_forgotten_key() -> None:
    key = "anonymous-dm:T0LATITUDE:suggestion:-123456:sent"

    assert logged_prefix(key) == "anonymous-dm:T0LATITUDE:…"
    assert logged_prefix("pulse-reminder:T0LATITUDE:7:U0A08") == "pulse-reminder:T0LATITUDE:…"


def test_a_message_queued_under_each_forgotten_prefix_takes_an_id_below_zero_and_a_kept_one_is_counted(
    session: Session, workspace: Workspace
) -> None:
    pulse_round = PulseRound(id=7)
    forgotten_keys = [f"{invitation_key_prefix(workspace, pulse_round, kind)}U0A01" for kind in INVITATION_KINDS]
    forgotten_keys += [f"{anonymous_dm_key_prefix(workspace, 7)}x", f"{anonymous_dms.key_prefix(workspace)}x"]
    forgotten_keys += [
        f"{relayed_key_prefix(7)}x",
        f"{answer_key_prefix(7, 3)}x",
        home_key_prefix("T0LATITUDE", "U0A01"),
    ]
    kept_key = "error-dm:T0LATITUDE:x"
    for key in [*forgotten_keys, kept_key]:
        outbox.enqueue(session, workspace=workspace, key=key, method="chat.postMessage", payload={}, now=NOW)
    session.flush()

    ids = {key: given for key, given in session.execute(select(Delivery.idempotency_key, Delivery.id))}
    assert {key for key, given in ids.items() if given < 0} == set(forgotten_keys)
    assert ids[kept_key] > 0
