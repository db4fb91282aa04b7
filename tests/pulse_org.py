"""A 20-person org for the pulse tests: an admin, HR, and two managers with eight reports each."""

from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from services import directory
from services.policy.versions import load_policy
from tests.helpers import load_org

HEADER = "slack_id,name,team,role,manager_slack_id,email,tz,profile"
POLICY = """
currency = "USD"
[profiles.frontline]
reschedule = { description = "Move a delivery" }
[profiles.manager]
inherit = "frontline"
[profiles.hr]
inherit = "frontline"
[profiles.admin]
inherit = "frontline"
"""
PULSE = """
[pulse]
cadence = "weekly"
weekday = "monday"
local_time = "10:00"
open_hours = 72
reminder_hours = 24
anonymity_threshold = 5
questions_per_round = 3
"""
EAST = [f"U0A{n:02d}" for n in range(1, 9)]
WEST = [f"U0B{n:02d}" for n in range(1, 9)]
EVERYONE = ["U0ADMIN", "U0HR", "U0MGR1", "U0MGR2", *EAST, *WEST]


def org_csv(east_tz: str = "America/New_York", west_tz: str = "Asia/Tokyo") -> str:
    rows = [
        "U0ADMIN,Ada Admin,Operations,admin,,,Europe/London,",
        "U0HR,Hana Reyes,People,hr,U0ADMIN,,Europe/London,",
        f"U0MGR1,Maya Manager,Support East,manager,U0ADMIN,,{east_tz},",
        f"U0MGR2,Omar Manager,Support West,manager,U0ADMIN,,{west_tz},",
    ]
    rows += [f"{user},East Agent {user[-2:]},Support East,frontline,U0MGR1,,{east_tz}," for user in EAST]
    rows += [f"{user},West Agent {user[-2:]},Support West,frontline,U0MGR2,,{west_tz}," for user in WEST]
    return "\n".join([HEADER, *rows]) + "\n"


def load_pulse_org(sessions: sessionmaker[Session], now: datetime, *, pulse: str = PULSE, **zones: str) -> None:
    load_org(sessions, now, org_csv(**zones))
    with sessions.begin() as session:
        workspace = directory.ensure_workspace(session, slack_team_id="T0LATITUDE", now=now)
        load_policy(session, workspace=workspace, text=POLICY + pulse, loaded_by="test", now=now)
