"""A busy week with every text at its longest still reaches the manager, and deciding in the digest refreshes it.

Slack refuses a message whose blocks hold about 12,000 characters of text in all (`msg_blocks_too_long`), and
the Slack stand-in refuses it as Slack does: a digest over it would never arrive, and nothing would send it again.
"""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from bot.fakeslack import Call
from handlers.blocks.digest import as_text
from models import Delivery, Employee, Resolution, Workspace
from services.suggestions import lifecycle
from services.suggestions.lifecycle import SuggestionRequest
from tests.conftest import RunningBot
from tests.e2e.test_digest_delivery import digests_to, tick
from tests.fixture_week import at, load_fixture_week, load_recognition
from tests.helpers import employee

CATEGORY = ("goodwill_&_<gesture>_" * 4)[:64]
"""As long as a category may be (models/resolution.py), with characters escaping lengthens."""


def longest(text: str, length: int) -> str:
    return (text * length)[:length]


def pile_of_long_requests(bot: RunningBot, count: int, when: datetime) -> None:
    """`count` requests from Sam waiting on Maya, each summary as long as the /resolve form takes (2,000)."""
    with bot.sessions.begin() as session:
        sam, maya = employee(session, "U0AGENT1"), employee(session, "U0MGR1")
        version = session.scalars(select(Resolution.policy_version_id)).first()
        session.add_all(
            Resolution(
                workspace_id=sam.workspace_id,
                employee_id=sam.id,
                policy_version_id=version,
                category=CATEGORY,
                amount=Decimal("99999.99"),
                currency="USD",
                summary=longest(f"Request {n}: parcel <lost> & re-sent, customer still waiting\n", 2000),
                status="pending",
                created_at=when + timedelta(minutes=n),
                decider_id=maya.id,
            )
            for n in range(count)
        )


def long_suggestions(bot: RunningBot, count: int) -> None:
    """Ideas for Maya as long as the form takes (1,000 characters), half of them done this week with the longest
    line on what changed (500)."""
    with bot.sessions.begin() as session:
        workspace = session.scalars(select(Workspace)).one()
        maya = employee(session, "U0MGR1")
        for n in range(count):
            request = SuggestionRequest(what=longest(f"Idea {n}: let us <refund> & re-send at once ", 1000))
            author = employee(session, "U0AGENT2")
            idea = lifecycle.submit(
                session, workspace=workspace, author=author, request=request, relay=None, now=at(24, 10 + n)
            )
            if n % 2:
                note = longest("We <did> it & it works ", 500)
                lifecycle.set_status(
                    session,
                    workspace=workspace,
                    number=idea.number or 0,
                    decider=maya,
                    status="done",
                    note=note,
                    relay=None,
                    now=at(26, 10 + n),
                )


@pytest.fixture
def busy(bot: RunningBot) -> RunningBot:
    """The fixture week, everyone's name as long as the directory keeps (200), 40 long requests, 10 long ideas."""
    load_fixture_week(bot.sessions)
    load_recognition(bot.sessions)
    with bot.sessions.begin() as session:
        for person in session.scalars(select(Employee)):
            person.name = longest(f"{person.name} <de la> Vega & ", 200)
    pile_of_long_requests(bot, 40, at(26, 10))
    long_suggestions(bot, 10)
    bot.clock.set(at(2, 14, month=3))  # 09:00 in New York, Maya's digest hour
    return bot


def decline(bot: RunningBot, digest: Call, request_id: str, reason: str) -> None:
    bot.driver.click("U0MGR1", digest, "resolution_decline", value=request_id)
    opened = bot.slack.calls("views.open")[-1]
    assert bot.driver.submit("U0MGR1", opened.args["view"], {"reason": reason}).status == 200


def test_a_busy_week_with_every_text_at_its_longest_reaches_the_manager(busy: RunningBot) -> None:
    tick(busy)

    [digest] = digests_to(busy, "U0MGR1")
    with busy.sessions() as session:
        [sent] = session.scalars(select(Delivery).where(Delivery.idempotency_key.like("digest:%U0MGR1%"))).all()
        assert sent.status == "sent"
    text = as_text(digest.args["blocks"])
    assert "*Waiting on you (41), oldest first:*" in text and "more: your App Home shows the oldest 10" in text
    assert "*Suggestions waiting on you:* 5 (oldest first)" in text and "*Recognition:*" in text


def test_declining_every_request_shown_with_the_longest_reason_still_refreshes_the_digest(busy: RunningBot) -> None:
    tick(busy)
    [digest] = digests_to(busy, "U0MGR1")
    shown = [block["elements"][1]["value"] for block in digest.args["blocks"] if block["type"] == "actions"]

    for request_id in shown:
        decline(busy, digest, request_id, longest("Out of <policy> & the customer had a credit already. ", 1000))

    updates = busy.slack.calls("chat.update", channel=digest.response["channel"])
    assert len(updates) == len(shown) >= 5
    digest_now = busy.slack.message(digest.response["channel"], digest.response["ts"])
    assert as_text(digest_now["blocks"]).count("✋ declined by Maya Manager <de la> Vega") == len(shown)
    assert "resolution_decline" not in str(digest_now["blocks"])
    assert [c.method for c in busy.slack.calls() if c.method.endswith(":failed")] == []
