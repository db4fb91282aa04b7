"""/resolve typed a little off: a category written with a space or a hyphen."""

import pytest
from sqlalchemy import select

from models import Resolution
from tests.conftest import RunningBot
from tests.helpers import load_org_and_policy


@pytest.fixture
def ready(bot: RunningBot) -> RunningBot:
    load_org_and_policy(bot.sessions, bot.clock.now())
    return bot


@pytest.mark.parametrize("typed", ["fee waiver 20 order 77 late fee", "Fee-Waiver 20 order 77 late fee"])
def test_a_category_written_with_a_space_or_a_hyphen_is_that_category(ready: RunningBot, typed: str) -> None:
    reply = ready.driver.command("U0AGENT1", "/resolve", typed)

    assert "Logged your *fee_waiver* of $20" in reply.text
    with ready.sessions() as session:
        [fix] = session.scalars(select(Resolution))
        assert (fix.category, fix.amount, fix.summary) == ("fee_waiver", 20, "order 77 late fee")


def test_boundaries_reads_a_category_written_with_a_hyphen(ready: RunningBot) -> None:
    reply = ready.driver.command("U0AGENT1", "/boundaries", "fee-waiver")

    assert "*fee_waiver* — up to $30" in reply.text
