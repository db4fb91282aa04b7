"""Set-up shared by the recognition tests: the example policy (with its reward catalog) and row look-ups."""

from datetime import datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from models import Nomination, Resolution, RewardGrant, Workspace
from services import directory
from services.policy.versions import current_policy, load_policy
from tests.conftest import RunningBot
from tests.helpers import around_the_clock, employee, load_org

EXAMPLE_POLICY = Path(__file__).parents[1] / "policy.example.toml"


def load_policy_text(sessions: sessionmaker[Session], now: datetime, text: str | None = None) -> None:
    with sessions.begin() as session:
        workspace = directory.ensure_workspace(session, slack_team_id="T0LATITUDE", now=now)
        load_policy(session, workspace=workspace, text=text or around_the_clock(), loaded_by="test", now=now)


def set_up(sessions: sessionmaker[Session], now: datetime) -> None:
    """The fixture org and the example policy (allowance 5, a voucher, half a day off, an award)."""
    load_org(sessions, now)
    load_policy_text(sessions, now)


def grants(session: Session) -> list[RewardGrant]:
    return list(session.scalars(select(RewardGrant).order_by(RewardGrant.id)))


def nominations(session: Session) -> list[Nomination]:
    return list(session.scalars(select(Nomination).order_by(Nomination.id)))


def add_story(session: Session, slack_id: str, summary: str, now: datetime) -> Resolution:
    """A customer story (a resolution within the boundaries) of `slack_id`, written as the resolutions feature would."""
    workspace = session.scalars(select(Workspace)).one()
    active = current_policy(session, workspace)
    assert active is not None, "load the policy first"
    story = Resolution(
        workspace_id=workspace.id,
        employee_id=employee(session, slack_id).id,
        policy_version_id=active.version.id,
        category="refund",
        amount=Decimal(20),
        currency="USD",
        summary=summary,
        status="within",
        created_at=now,
    )
    session.add(story)
    session.flush()
    return story


def newcomer_known_by_handle(bot: RunningBot) -> str:
    """Nora, whom the org file does not list and whose first `/rewards` Slack could not tell us about: the directory
    knows her by her Slack handle, `nora.newbie`, while Slack shows her as Nora Newbie. Returns her Slack id."""
    bot.slack.add_user("U0NEWBIE", "Nora Newbie", email="nora@example.com")
    bot.slack.fail("users.info", error="fatal_error")
    bot.driver.command("U0NEWBIE", "/rewards")
    with bot.sessions() as session:
        nora = employee(session, "U0NEWBIE")
        assert (nora.name, nora.in_directory) == ("nora.newbie", False)
    return "U0NEWBIE"
