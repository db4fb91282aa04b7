"""One secret behind both no-names relays: RELAY_SECRET when set, else the signing secret."""

from datetime import UTC, datetime

from sqlalchemy.orm import sessionmaker

from bot.clock import MovableClock
from bot.runtime import make_deps
from bot.settings import Settings, load_settings
from services.pulse.relay_tags import relay_key_from
from services.suggestions.relay import Relay


def deps_with(**secrets: str):  # type: ignore[no-untyped-def]
    settings = Settings(slack_bot_token="xoxb-x", **secrets)  # type: ignore[arg-type]
    return make_deps(settings, sessionmaker(), MovableClock(datetime(2026, 3, 2, tzinfo=UTC)))


def test_both_relays_use_relay_secret_when_it_is_set() -> None:
    deps = deps_with(slack_signing_secret="signing", relay_secret="relay")

    assert deps.relay_key == relay_key_from("relay")
    assert Relay("relay").matches(deps.relay.token(1, 7), 1, 7)


def test_without_it_both_use_the_signing_secret() -> None:
    deps = deps_with(slack_signing_secret="signing")

    assert deps.relay_key == relay_key_from("signing")
    assert Relay("signing").matches(deps.relay.token(1, 7), 1, 7)


def test_while_relay_secret_changes_the_previous_one_still_opens_its_seals_and_nothing_else_does() -> None:
    rotating = {"RELAY_SECRET": "new", "RELAY_SECRET_PREVIOUS": "old"}
    settings = load_settings({"SLACK_BOT_TOKEN": "xoxb-x", "SLACK_SIGNING_SECRET": "s", **rotating})
    deps = make_deps(settings, sessionmaker(), MovableClock(datetime(2026, 3, 2, tzinfo=UTC)))
    assert deps.relay is not None

    assert deps.relay.open(Relay("old").seal(1, "U0A01")) == "U0A01"
    assert deps.relay.open(Relay("another").seal(1, "U0A01")) is None
    assert Relay("new").open(deps.relay.seal(1, "U0A01")) == "U0A01"
    assert not Relay("old").matches(deps.relay.token(1, 7), 1, 7)
