"""/resolve typed in one command over several lines: what happened keeps the lines it was typed on (in the database,
the confirmation's history and the manager's request), while the category, amount, reference and outcome are read as
before."""

import pytest
from sqlalchemy import select

from models import Resolution
from tests.conftest import RunningBot
from tests.helpers import load_org_and_policy


@pytest.fixture
def ready(bot: RunningBot) -> RunningBot:
    load_org_and_policy(bot.sessions, bot.clock.now())
    return bot


def only_fix(bot: RunningBot) -> Resolution:
    with bot.sessions() as session:
        [fix] = session.scalars(select(Resolution))
        return fix


@pytest.mark.parametrize(
    ("typed", "amount", "reference", "summary"),
    [
        (
            "refund $80 order 42\nparcel lost in transit,\ncustomer  waited two weeks",
            80,
            "order 42",
            "order 42\nparcel lost in transit,\ncustomer waited two weeks",
        ),
        ("refund 80,\nref:A1\nparcel lost\n\nsent a new one", 80, "A1", "parcel lost\n\nsent a new one"),
        ("refund\n— 80\n— parcel lost #4471\n  twice  ", 80, "#4471", "parcel lost #4471\ntwice"),
    ],
)
def test_what_happened_typed_over_several_lines_keeps_its_lines_for_the_manager(
    ready: RunningBot, typed: str, amount: int, reference: str | None, summary: str
) -> None:
    """`/resolve refund $80 …` typed with Shift+Enter was stored and shown on one line."""
    reply = ready.driver.command("U0AGENT1", "/resolve", typed)

    assert "over your boundary" in reply.text, reply.text
    fix = only_fix(ready)
    assert (fix.category, fix.amount, fix.customer_ref, fix.summary) == ("refund", amount, reference, summary)
    [request] = ready.slack.calls("chat.postMessage", channel="U0MGR1")
    quoted = "\n".join(f"> {line}" for line in summary.split("\n"))
    assert quoted in request.text, request.text


@pytest.mark.parametrize(
    ("typed", "outcome", "reference"),
    [
        ("credit 5 :tada: order 7\nlate\noutcome:happy\nsorry again", "happy", "order 7"),
        ("credit 5 :tada: order 7\nlate\nref:A1  outcome:happy\nsorry again", "happy", "A1"),
        ("credit 5 :tada: order 7\nlate\n ref:A1 \nsorry again", None, "A1"),
    ],
)
def test_an_outcome_on_a_line_of_its_own_leaves_the_lines_around_it(
    ready: RunningBot, typed: str, outcome: str | None, reference: str
) -> None:
    """The line that held only the outcome or the reference was left empty: `late⏎⏎sorry again`."""
    ready.driver.command("U0AGENT1", "/resolve", typed)

    fix = only_fix(ready)
    assert (fix.amount, fix.customer_ref, fix.customer_outcome) == (5, reference, outcome)
    assert fix.summary == ":tada: order 7\nlate\nsorry again"


@pytest.mark.parametrize(
    "typed",
    ["refund 80 ref:A1 parcel lost\n\n\n\nsent a new one", "refund 80 ref:A1 parcel lost\n \n\t\n\nsent a new one"],
)
def test_blank_lines_typed_in_a_row_are_kept_as_one(ready: RunningBot, typed: str) -> None:
    """Every blank line typed was kept."""
    reply = ready.driver.command("U0AGENT1", "/resolve", typed)

    assert "over your boundary" in reply.text, reply.text
    assert only_fix(ready).summary == "parcel lost\n\nsent a new one"
