"""/resolve's `outcome:`: how the customer left, read from the line, and named back when it is not one we know."""

import pytest
from sqlalchemy import select

from models import Resolution
from tests.conftest import RunningBot
from tests.helpers import load_org_and_policy

ALLOWED = "write `outcome:happy`, `outcome:neutral` or `outcome:unhappy`, or leave it out."


@pytest.fixture
def ready(bot: RunningBot) -> RunningBot:
    load_org_and_policy(bot.sessions, bot.clock.now())
    return bot


def logged(bot: RunningBot) -> list[tuple[str, str | None]]:
    with bot.sessions() as session:
        return [(r.summary, r.customer_outcome) for r in session.scalars(select(Resolution).order_by(Resolution.id))]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("credit 10 outcome:furious", f"`furious` is not a customer outcome: {ALLOWED}"),
        ("credit 10 sorry for the wait outcome:Furious!", "`Furious!` is not a customer outcome"),
        ("credit 10 sorry for the wait outcome:", f"`outcome:` needs the word right after the colon: {ALLOWED}"),
        ("credit 10 outcome: see notes", "`outcome:` needs the word right after the colon"),
        ("credit 10 outcome:<b>", "`&lt;b&gt;` is not a customer outcome"),
        ("credit 10 sorry outcome:hapy", "`hapy` is not a customer outcome. Did you mean `outcome:happy`?"),
        ("credit 10 sorry outcome:Unhapy", "`Unhapy` is not a customer outcome. Did you mean `outcome:unhappy`?"),
    ],
)
def test_an_unknown_or_empty_outcome_is_named_with_the_allowed_ones_and_nothing_is_written(
    ready: RunningBot, line: str, message: str
) -> None:
    reply = ready.driver.command("U0AGENT1", "/resolve", line)

    assert message in reply.text
    assert "Say what happened" not in reply.text
    assert logged(ready) == []


def test_an_outcome_ending_the_sentence_is_read_and_left_out_of_the_summary(ready: RunningBot) -> None:
    ready.driver.command("U0AGENT1", "/resolve", "credit 10 sorry for the wait, outcome:Happy.")
    ready.driver.command("U0AGENT1", "/resolve", "credit 5 outcome:unhappy parcel lost twice")

    assert logged(ready) == [("sorry for the wait,", "happy"), ("parcel lost twice", "unhappy")]


def test_an_outcome_after_a_space_is_read_as_right_after_the_colon(ready: RunningBot) -> None:
    """A phone puts a space after a colon: `outcome: happy` was refused, "`outcome:` needs the word right after the
    colon", when it could only mean one thing."""
    reply = ready.driver.command("U0AGENT1", "/resolve", "credit 10 outcome: Happy sorry for the wait")

    assert "Logged your credit of $10." in reply.text
    assert logged(ready) == [("sorry for the wait", "happy")]
