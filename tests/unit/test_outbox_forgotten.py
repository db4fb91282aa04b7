"""Every prefix under which the outbox deletes messages to forget who was told what is one whose messages take ids
that leave no gap (outbox_keys.FORGOTTEN)."""

from models import PulseRound, Workspace
from services import anonymous_dms
from services.outbox_keys import FORGOTTEN, forgotten, home_again_key_prefix, home_key_prefix, logged_prefix
from services.pulse.relay_keys import answer_key_prefix, relayed_key_prefix
from services.pulse.rounds import INVITATION_KINDS, anonymous_dm_key_prefix, invitation_key_prefix


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
