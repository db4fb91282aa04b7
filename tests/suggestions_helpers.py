"""A bigger Support East (six people, enough to stay anonymous) and a policy with a team channel and an owner."""

from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from handlers.jobs.drain_outbox import drain_outbox
from handlers.jobs.release_suggestions import release_suggestions
from services.random_wait import RELAY_DELAY_MINUTES
from tests.conftest import FIXTURES, RunningBot
from tests.helpers import POLICY_EXAMPLE, load_org, load_policy

EXTRA_AGENTS = "".join(
    f"U0AGENT{n},Agent {name},Support East,frontline,U0MGR1,agent{n}@example.com,America/New_York,agent\n"
    for n, name in ((4, "Dee"), (5, "Eli"), (6, "Fay"), (7, "Gil"))
)
SUGGESTIONS_POLICY = POLICY_EXAMPLE.read_text().replace(
    '"Support North" = "C0NORTH"', '"Support East" = "C0EAST"\n\n[suggestions.owners]\ntools = "U0ADMIN"'
)


def load_suggestion_org(sessions: sessionmaker[Session], now: datetime, policy: str | None = None) -> None:
    load_org(sessions, now, (FIXTURES / "org.csv").read_text() + EXTRA_AGENTS)
    load_policy(sessions, now, policy or SUGGESTIONS_POLICY)


LONGEST_WAIT = timedelta(minutes=RELAY_DELAY_MINUTES[1])


def after_the_release(bot: RunningBot) -> None:
    """The longest wait an anonymous suggestion may draw passes, and the bot's ticks send what it held back."""
    bot.clock.advance(LONGEST_WAIT + timedelta(seconds=1))
    release_suggestions(bot.runtime.deps, bot.runtime.sender_client)
    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)


def after_the_wait(bot: RunningBot) -> None:
    """The longest wait a DM to an anonymous author may draw passes (handlers/suggestion_told.py), and the outbox
    drain sends what waited."""
    bot.clock.advance(LONGEST_WAIT + timedelta(seconds=1))
    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)
