"""HR read as they clicked, made frontline by an org import before what they change is locked (PostgreSQL: on SQLite
two writers never overlap). What HR alone may change (a reward fulfilled or revoked, a boundary proposal applied, a
pulse round started or closed) is refused to them as they are now, not as the click read them."""

from collections.abc import Callable
from decimal import Decimal

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import MovableClock
from models import BoundaryProposal, PolicyVersion, PulseRound, RewardGrant, Workspace
from services.errors import NotAllowed
from services.pulse.closing import close_round
from services.pulse.rounds import start_round
from services.rewards import approvals, grants
from services.suggestions.apply import apply_proposal
from tests.conftest import FIXTURES
from tests.e2e.test_deciders_races import imports
from tests.e2e.test_rewards_export import give
from tests.helpers import employee, in_a_transaction, load_org, load_org_and_policy, skip_unless_writers_overlap
from tests.pulse_org import load_pulse_org, org_csv
from tests.rewards_helpers import load_policy_text

HANA_HR, HANA_FRONTLINE = "U0HR,Hana Reyes,People,hr", "U0HR,Hana Reyes,People,frontline"
ORG_HANA_FRONTLINE = (FIXTURES / "org.csv").read_text().replace(HANA_HR, HANA_FRONTLINE)


def a_voucher_granted(sessions: sessionmaker[Session], clock: MovableClock) -> None:
    """Sam gives Lee a voucher; Maya approves it."""
    load_org(sessions, clock.now())
    load_policy_text(sessions, clock.now())
    with sessions.begin() as session:
        voucher = give(session, "U0AGENT1", "U0AGENT2", "voucher_25", "covered every shift", clock.now())
        workspace = session.scalars(select(Workspace)).one()
        maya = employee(session, "U0MGR1")
        approvals.approve(session, workspace=workspace, nomination_id=voucher, approver=maya, now=clock.now())


def hana_demoted_as_she_clicks(
    sessions: sessionmaker[Session], clock: MovableClock, csv_text: str, act: Callable[[Session, Workspace], object]
) -> None:
    with sessions() as click:
        hana = employee(click, "U0HR")
        assert hana.role == "hr"
        workspace = click.scalars(select(Workspace)).one()
        in_a_transaction(sessions, imports(csv_text, clock))
        with pytest.raises(NotAllowed):
            act(click, workspace)
        click.rollback()


@pytest.mark.parametrize("settles", ["fulfil", "revoke"])
def test_hr_made_frontline_as_they_settle_a_reward_cannot_settle_it(
    engine: Engine, sessions: sessionmaker[Session], clock: MovableClock, settles: str
) -> None:
    skip_unless_writers_overlap(engine)
    a_voucher_granted(sessions, clock)

    def settle(session: Session, workspace: Workspace) -> object:
        hana, grant_id = employee(session, "U0HR"), session.scalars(select(RewardGrant.id)).one()
        if settles == "fulfil":
            return grants.fulfil_grant(
                session, workspace=workspace, grant_id=grant_id, hr=hana, actor="U0HR", now=clock.now()
            )
        return grants.revoke_grant(
            session, workspace=workspace, grant_id=grant_id, hr=hana, actor="U0HR", reason="wrong", now=clock.now()
        )

    hana_demoted_as_she_clicks(sessions, clock, ORG_HANA_FRONTLINE, settle)

    with sessions() as session:
        assert session.scalars(select(RewardGrant.status)).one() == "approved"


def test_hr_made_frontline_as_they_apply_a_boundary_proposal_cannot_apply_it(
    engine: Engine, sessions: sessionmaker[Session], clock: MovableClock
) -> None:
    skip_unless_writers_overlap(engine)
    load_org_and_policy(sessions, clock.now())
    with sessions.begin() as session:
        workspace = session.scalars(select(Workspace)).one()
        basis = session.scalars(select(PolicyVersion)).one()
        session.add(
            BoundaryProposal(
                workspace_id=workspace.id, month="2026-03", profile="agent", category="refund", kind="raise",
                basis_version_id=basis.id, current_limit=Decimal(50), proposed_limit=Decimal(85), evidence={},
                status="proposed", created_at=clock.now(),
            )
        )  # fmt: skip

    def apply(session: Session, workspace: Workspace) -> object:
        proposal_id = session.scalars(select(BoundaryProposal.id)).one()
        hana = employee(session, "U0HR")
        return apply_proposal(session, workspace=workspace, proposal_id=proposal_id, hr=hana, now=clock.now())

    hana_demoted_as_she_clicks(sessions, clock, ORG_HANA_FRONTLINE, apply)

    with sessions() as session:
        assert session.scalars(select(BoundaryProposal.status)).one() == "proposed"
        assert len(session.scalars(select(PolicyVersion)).all()) == 1


@pytest.mark.parametrize("acts", ["start", "close"])
def test_hr_made_frontline_as_they_start_or_close_a_pulse_round_cannot(
    engine: Engine, sessions: sessionmaker[Session], clock: MovableClock, acts: str
) -> None:
    skip_unless_writers_overlap(engine)
    load_pulse_org(sessions, clock.now())
    if acts == "close":
        with sessions.begin() as session:
            start_round(
                session, workspace=session.scalars(select(Workspace)).one(), by=None, actor="cli", now=clock.now()
            )

    def act(session: Session, workspace: Workspace) -> object:
        hana = employee(session, "U0HR")
        pulse = start_round if acts == "start" else close_round
        return pulse(session, workspace=workspace, by=hana, actor="U0HR", now=clock.now())

    demoted = org_csv().replace(HANA_HR, HANA_FRONTLINE)
    hana_demoted_as_she_clicks(sessions, clock, demoted, act)

    with sessions() as session:
        assert session.scalars(select(PulseRound.status)).all() == (["open"] if acts == "close" else [])
