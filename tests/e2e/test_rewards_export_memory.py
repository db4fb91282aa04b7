"""`/rewards export` streams as the command line does: a large export never sits whole in the bot's memory."""

import tracemalloc
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import insert
from sqlalchemy.orm import Session, sessionmaker

from models import Nomination, RewardGrant
from services import directory
from tests.conftest import RunningBot
from tests.e2e.test_rewards_export import at, make_history
from tests.helpers import employee

GRANTS = 12_000
REASON = "Stayed late to rebuild the customer's order, called the courier twice and wrote up what went wrong. " * 3


def add_grants(sessions: sessionmaker[Session], count: int) -> None:
    """`count` shout-outs in March, written in bulk (nominating them one by one would take minutes)."""
    with sessions.begin() as session:
        workspace = directory.ensure_workspace(session, slack_team_id="T0LATITUDE", now=at(1, 8))
        giver, taker = employee(session, "U0AGENT1").id, employee(session, "U0AGENT2").id
        common = {"workspace_id": workspace.id, "item_key": "shoutout", "title": "Shout-out", "kind": "praise"}
        common |= {"value": Decimal(0), "unit": "USD", "reason": REASON, "status": "approved"}
        numbers = range(100_001, 100_001 + count)
        session.execute(
            insert(Nomination),
            [
                {**common, "id": n, "nominator_id": giver, "nominee_id": taker, "needs_approval": False,
                 "public": True, "fingerprint": f"bulk{n}", "created_at": at(10, 9)}
                for n in numbers
            ],
        )  # fmt: skip
        session.execute(
            insert(RewardGrant),
            [
                {**common, "id": n, "nomination_id": n, "recipient_id": taker, "nominator_id": giver,
                 "public": True, "granted_at": at(10, 9) + timedelta(seconds=n)}
                for n in numbers
            ],
        )  # fmt: skip


def test_a_large_export_in_slack_is_uploaded_whole_without_ever_being_whole_in_memory(bot: RunningBot) -> None:
    """The peak of everything the process allocates — the fake Slack keeping the file it was sent included — stays
    under twice the file: building it in memory, then encoding it, took at least three times."""
    make_history(bot.sessions)
    add_grants(bot.sessions, GRANTS)

    tracemalloc.start()
    try:
        bot.driver.command("U0HR", "/rewards", "export 2026-03-01 2026-03-31")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    [url] = bot.slack.calls("files.getUploadURLExternal")
    [complete] = bot.slack.files()
    [content] = complete.files.values()
    assert int(url.args["length"]) == len(content) > 4_000_000
    assert content.count(REASON.encode()) == GRANTS
    assert complete.args["initial_comment"].startswith(f"{GRANTS + 4} reward grants")
    assert peak < 2 * len(content), f"peak {peak:,} bytes for a file of {len(content):,}"
