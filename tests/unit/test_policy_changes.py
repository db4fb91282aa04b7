"""What `policy load` prints of a new version: settings beyond limits and rewards, told in short lines."""

from services.policy.changes import policy_changes
from services.policy.versions import parse_policy
from tests.helpers import POLICY_EXAMPLE
from tests.suggestions_helpers import SUGGESTIONS_POLICY

EXAMPLE = POLICY_EXAMPLE.read_text()


def test_an_owner_changed_and_a_pulse_question_retargeted_are_named() -> None:
    before = parse_policy(SUGGESTIONS_POLICY)
    after = parse_policy(
        SUGGESTIONS_POLICY.replace('tools = "U0ADMIN"', 'tools = "U0AGENT2"').replace("target = 4.0", "target = 4.2", 1)
    )

    assert policy_changes(before, after) == ["pulse: bank ~staffing", "suggestions: owners tools U0ADMIN -> U0AGENT2"]


def test_a_new_currency_shows_on_money_but_not_on_rewards_without_a_value() -> None:
    before, after = parse_policy(EXAMPLE), parse_policy(EXAMPLE.replace('currency = "USD"', 'currency = "EUR"'))

    changes = policy_changes(before, after)

    assert changes[0] == "currency USD -> EUR"
    assert "reward voucher_25 (Coffee & cake voucher): value 25 USD -> 25 EUR" in changes
    assert not [line for line in changes if "shoutout" in line or "service_star" in line], changes


def test_the_same_rules_written_otherwise_change_nothing() -> None:
    moved = EXAMPLE.replace('currency = "USD"\n', "", 1).replace(
        "[profiles.agent]", 'currency = "USD"\n\n[profiles.agent]', 1
    )
    assert moved != EXAMPLE

    assert policy_changes(parse_policy(EXAMPLE), parse_policy(moved)) == []
    assert policy_changes(parse_policy(EXAMPLE), parse_policy(EXAMPLE + "\n# a comment\n")) == []
