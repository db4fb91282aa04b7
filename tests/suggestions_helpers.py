"""A bigger Support East (six people, enough to stay anonymous) and a policy with a team channel and an owner."""

from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from tests.conftest import FIXTURES
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
