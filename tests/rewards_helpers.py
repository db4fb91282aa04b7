"""Set-up shared by the recognition tests: the example policy (with its reward catalog) and row look-ups."""

from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from models import Nomination, RewardGrant
from services import directory
from services.policy import load_policy
from tests.helpers import load_org

EXAMPLE_POLICY = Path(__file__).parents[1] / "policy.example.toml"


def load_policy_text(sessions: sessionmaker[Session], now: datetime, text: str | None = None) -> None:
    with sessions.begin() as session:
        workspace = directory.ensure_workspace(session, slack_team_id="T0LATITUDE", now=now)
        load_policy(session, workspace=workspace, text=text or EXAMPLE_POLICY.read_text(), loaded_by="test", now=now)


def set_up(sessions: sessionmaker[Session], now: datetime) -> None:
    """The fixture org and the example policy (allowance 5, a voucher, half a day off, an award)."""
    load_org(sessions, now)
    load_policy_text(sessions, now)


def grants(session: Session) -> list[RewardGrant]:
    return list(session.scalars(select(RewardGrant).order_by(RewardGrant.id)))


def nominations(session: Session) -> list[Nomination]:
    return list(session.scalars(select(Nomination).order_by(Nomination.id)))
