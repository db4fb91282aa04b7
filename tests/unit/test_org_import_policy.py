"""An org import and a policy load at once take turns: the later checks its profiles against what the earlier
committed, so nobody is left active with a profile the policy in force lacks (PostgreSQL: on SQLite the two
writers never overlap)."""

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import MovableClock
from services import directory
from services.org_import import OrgFileError, import_org, parse_org_csv
from services.policy.file import PolicyError
from services.policy.versions import load_policy
from services.resolutions.fixes import categories_for
from tests.conftest import FIXTURES
from tests.helpers import (
    POLICY_EXAMPLE,
    employee,
    in_a_transaction,
    load_org_and_policy,
    skip_unless_writers_overlap,
    wait_until_waiting_for_the_lock,
)

ORG_CSV = (FIXTURES / "org.csv").read_text()
WITH_LEAD = POLICY_EXAMPLE.read_text() + '\n[profiles.lead]\ninherit = "agent"\ndescription = "Team leads"\n'
SAM_THE_LEAD = ORG_CSV.replace(
    "U0AGENT1,Sam Agent,Support East,frontline,U0MGR1,sam@example.com,America/New_York,agent",
    "U0AGENT1,Sam Agent,Support East,frontline,U0MGR1,sam@example.com,America/New_York,lead",
)


def make_sam_a_lead(session: Session, now: datetime) -> None:
    workspace = directory.ensure_workspace(session, slack_team_id="T0LATITUDE", now=now)
    import_org(
        session, workspace=workspace, rows=parse_org_csv(SAM_THE_LEAD), deactivate_missing=True, actor="hr", now=now
    )


def drop_the_lead_profile(session: Session, now: datetime) -> None:
    workspace = directory.ensure_workspace(session, slack_team_id="T0LATITUDE", now=now)
    load_policy(session, workspace=workspace, text=POLICY_EXAMPLE.read_text(), loaded_by="admin", now=now)


@pytest.fixture
def with_lead(engine: Engine, sessions: sessionmaker[Session], clock: MovableClock) -> None:
    skip_unless_writers_overlap(engine)
    load_org_and_policy(sessions, clock.now())
    with sessions.begin() as session:
        workspace = directory.ensure_workspace(session, slack_team_id="T0LATITUDE", now=clock.now())
        load_policy(session, workspace=workspace, text=WITH_LEAD, loaded_by="test", now=clock.now())


def sams_profile_is_in_the_policy_in_force(sessions: sessionmaker[Session]) -> None:
    with sessions() as session:
        sam = employee(session, "U0AGENT1")
        active, categories = categories_for(session, sam)
        assert sam.boundary_profile in active.policy.profiles, (
            f"Sam's profile {sam.boundary_profile!r} is not in policy version {active.version.number}: "
            f"his categories are {sorted(categories)}"
        )


def test_a_policy_load_during_an_import_checks_the_profiles_the_import_gives(
    with_lead: None, engine: Engine, sessions: sessionmaker[Session], clock: MovableClock
) -> None:
    with sessions() as hr, ThreadPoolExecutor(1) as other:
        make_sam_a_lead(hr, clock.now())  # checked against the policy with `lead`; not committed yet
        loading = other.submit(in_a_transaction, sessions, lambda admin: drop_the_lead_profile(admin, clock.now()))
        wait_until_waiting_for_the_lock(engine, 1)
        hr.commit()
        with pytest.raises(PolicyError) as refused:
            loading.result(timeout=10)

    assert "profile 'lead' is used by Sam Agent (U0AGENT1)" in str(refused.value)
    sams_profile_is_in_the_policy_in_force(sessions)


def test_an_import_during_a_policy_load_checks_the_profiles_of_the_new_policy(
    with_lead: None, engine: Engine, sessions: sessionmaker[Session], clock: MovableClock
) -> None:
    with sessions() as admin, ThreadPoolExecutor(1) as other:
        drop_the_lead_profile(admin, clock.now())  # nobody uses `lead` yet; not committed yet
        importing = other.submit(in_a_transaction, sessions, lambda hr: make_sam_a_lead(hr, clock.now()))
        wait_until_waiting_for_the_lock(engine, 1)
        admin.commit()
        with pytest.raises(OrgFileError) as refused:
            importing.result(timeout=10)

    assert "profile 'lead' is not in policy version" in str(refused.value)
    sams_profile_is_in_the_policy_in_force(sessions)
