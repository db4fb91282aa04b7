"""The rules behind suggestions and boundary proposals: percentiles, judging, editing the policy, the relay."""

import hashlib
import hmac
from decimal import Decimal

import pytest

from services.errors import InvalidInput
from services.policy.file import PolicyError
from services.policy.suggestions import ProposalSettings
from services.policy.versions import parse_policy
from services.suggestions.apply import preview
from services.suggestions.proposals import Evidence, judge, month_window, percentile, previous_month, rounded
from services.suggestions.relay import Relay
from tests.helpers import POLICY_EXAMPLE

EXAMPLE = POLICY_EXAMPLE.read_text()
D = Decimal


def evidence(over: int, approved: int, declined: int, p90: str | None = "85", limit: str | None = "50") -> Evidence:
    return Evidence(
        "agent", "refund", D(limit) if limit else None, over, approved, declined, None, D(p90) if p90 else None, ()
    )


def test_percentile_is_nearest_rank_and_rounding_goes_to_the_nearest_step() -> None:
    values = [D(v) for v in (60, 65, 70, 70, 75, 75, 80, 80, 85, 90)]
    assert (percentile(values, 90), percentile(values, 50), percentile(values, 100)) == (D(85), D(75), D(90))
    assert (rounded(D("82.50"), 5), rounded(D("82.49"), 5), rounded(D(87), 10)) == (D(85), D(80), D(90))


def test_a_raise_needs_enough_requests_and_enough_approved_and_a_higher_limit() -> None:
    settings = ProposalSettings()
    assert judge(evidence(10, 8, 2), settings).proposed_limit == D(85)
    assert judge(evidence(9, 9, 0), settings).kind is None
    assert judge(evidence(10, 7, 3), settings).kind is None
    assert judge(evidence(10, 10, 0, p90="48"), settings).kind is None
    assert judge(evidence(10, 10, 0, limit=None), settings).kind is None
    assert judge(evidence(10, 2, 8), settings).kind == "declines"


def test_months_are_utc_calendar_months() -> None:
    start, end = month_window("2026-12")
    assert (start.isoformat(), end.isoformat()) == ("2026-12-01T00:00:00+00:00", "2027-01-01T00:00:00+00:00")
    assert previous_month(start) == "2026-11" and previous_month(month_window("2026-01")[0]) == "2025-12"


def test_apply_edits_one_line_where_the_profile_defines_the_category() -> None:
    policy = parse_policy(EXAMPLE)
    text, profiles = preview(EXAMPLE, policy, "agent", "refund", D(85))
    changed = [(a, b) for a, b in zip(EXAMPLE.splitlines(), text.splitlines(), strict=True) if a != b]
    assert len(changed) == 1 and "per_incident = 85," in changed[0][1]
    assert profiles == ("agent", "frontline", "hr")


def test_apply_adds_a_line_to_a_profile_that_inherits_the_category_and_changes_only_it() -> None:
    policy = parse_policy(EXAMPLE)
    text, profiles = preview(EXAMPLE, policy, "frontline", "credit", D(40))
    after = parse_policy(text)
    assert profiles == ("frontline",)
    assert after.profiles["frontline"]["credit"].per_incident == D(40)
    assert after.profiles["frontline"]["credit"].per_month == policy.profiles["frontline"]["credit"].per_month
    assert after.profiles["agent"]["credit"] == policy.profiles["agent"]["credit"]


def test_apply_refuses_a_category_it_cannot_find() -> None:
    with pytest.raises(InvalidInput, match="edit the file by hand"):
        preview(EXAMPLE, parse_policy(EXAMPLE), "agent", "teleport", D(10))


def test_the_suggestions_section_names_its_bad_lines() -> None:
    bad = EXAMPLE + '\n[suggestions.owners]\nrefunds = "maya"\nbilling = "U0MAYA"\n'
    with pytest.raises(PolicyError) as raised:
        parse_policy(bad.replace('"Support North" = "C0NORTH"', '"Support North" = "#north"'))
    problems = "\n".join(raised.value.problems)
    assert "suggestions.channels.Support North: must be a Slack channel id" in problems
    assert "suggestions.owners.refunds: must be a Slack user id" in problems
    assert "is not one of the categories" in problems


def test_the_relay_token_matches_only_with_the_secret_and_seals_open_only_with_it() -> None:
    relay, other = Relay("secret-one"), Relay("secret-two")
    token = relay.token(1, 42)
    assert len(token) == 64
    assert relay.matches(token, 1, 42)
    assert not relay.matches(token, 1, 43) and not relay.matches(token, 2, 42) and not other.matches(token, 1, 42)
    assert relay.token(1, 42) != token, "each suggestion's token is its own: two do not link one person's ideas"
    unsalted = hmac.new(relay._key("suggestion-author", 1), b"42", hashlib.sha256).hexdigest()
    assert relay.matches(unsalted, 1, 42) and not relay.matches(unsalted, 1, 43), "tokens made before salting"
    sealed = relay.seal(1, "U0AGENT1")
    assert "U0AGENT1" not in sealed and sealed != relay.seal(1, "U0AGENT1")
    assert relay.open(sealed) == "U0AGENT1"
    assert other.open(sealed) is None and relay.open("U0AGENT1") is None
    assert relay.open(sealed.replace("sealed:1:", "sealed:2:")) is None
