"""A form's hidden part, sealed when it opens, still opens after RELAY_SECRET changed while it was open."""

from datetime import UTC, datetime

import pytest
from sqlalchemy.orm import sessionmaker

from handlers.deps import Deps
from handlers.form_seals import opened, sealed
from handlers.payload import MalformedPayload
from services.pulse.relay_tags import relay_key_from

FORM = {"type": "modal", "callback_id": "resolution_decline_reason", "private_metadata": '{"resolution": 7}'}
MAYA = {"user": {"id": "U0MGR1"}}


def deps_with(secret: str, previous: str | None = None) -> Deps:
    return Deps(sessionmaker(), lambda: datetime(2026, 3, 2, tzinfo=UTC), relay_key=relay_key_from(secret, previous))


def test_a_form_opened_before_the_secret_changed_opens_with_the_previous_one() -> None:
    form = sealed(deps_with("old secret"), FORM, "U0MGR1")

    assert opened(deps_with("new secret", "old secret"), MAYA, form)["private_metadata"] == '{"resolution": 7}'


def test_without_the_previous_secret_a_form_opened_before_the_change_is_refused() -> None:
    form = sealed(deps_with("old secret"), FORM, "U0MGR1")

    with pytest.raises(MalformedPayload):
        opened(deps_with("new secret"), MAYA, form)


@pytest.mark.parametrize("metadata", ['{"resolution": 7}', "", "~", '{"resolution": 7}~', '{"resolution": 7}~é'])
def test_a_hidden_part_without_the_seal_it_was_given_is_refused(metadata: str) -> None:
    with pytest.raises(MalformedPayload):
        opened(deps_with("a secret"), MAYA, {**FORM, "private_metadata": metadata})
