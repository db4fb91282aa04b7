"""Someone read as they clicked, changed before their decision locks what they decide (PostgreSQL: on SQLite two
writers never overlap). The click knows who clicked (read with the workspace, or from this process's copy of them);
Slack deactivating them, or an org import demoting them, commits before the click's decision reads the request: the
request is read as it is now, and so must they be."""

from collections.abc import Callable

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import MovableClock
from models import Nomination, Resolution, RewardGrant, Suggestion, Workspace
from services import directory
from services.departures import follow_slack
from services.directory import SlackPerson
from services.errors import NotAllowed
from services.org_import import import_org, parse_org_csv
from services.resolutions import decisions
from services.rewards import approvals
from services.rewards.nominations import NominationRequest, nominate
from services.suggestions import lifecycle
from tests.e2e.test_deciders_demoted import ADA_FRONTLINE, BO_FRONTLINE, WITH_BO
from tests.e2e.test_resolutions_races import refund
from tests.e2e.test_suggestions_races import sam_suggests
from tests.helpers import (
    employee,
    in_a_transaction,
    load_org,
    load_org_and_policy,
    load_policy,
    skip_unless_writers_overlap,
)
from tests.rewards_helpers import load_policy_text
from tests.suggestions_helpers import load_suggestion_org


def leaves_slack(slack_id: str, clock: MovableClock) -> Callable[[Session], None]:
    def leave(session: Session) -> None:
        workspace = session.scalars(select(Workspace)).one()
        follow_slack(session, workspace=workspace, person=SlackPerson(slack_id, exists=False), now=clock.now())

    return leave


def imports(csv_text: str, clock: MovableClock) -> Callable[[Session], None]:
    def load(session: Session) -> None:
        workspace = directory.ensure_workspace(session, slack_team_id="T0LATITUDE", now=clock.now())
        rows = parse_org_csv(csv_text)
        import_org(session, workspace=workspace, rows=rows, deactivate_missing=True, actor="hr", now=clock.now())

    return load


def test_a_manager_read_just_before_slack_deactivates_them_cannot_approve_afterwards(
    engine: Engine, sessions: sessionmaker[Session], clock: MovableClock
) -> None:
    """Maya clicks Approve on Sam's refund; the click has read her (active) when Slack's user_change deactivates her
    and hands the request to Ada. Sam's manager is still Maya in the org file: only her row, read again, says she
    left."""
    skip_unless_writers_overlap(engine)
    load_org_and_policy(sessions, clock.now())
    in_a_transaction(sessions, refund(clock, "U0AGENT1", 80))

    with sessions() as click:
        maya = employee(click, "U0MGR1")
        request_id = click.scalars(select(Resolution.id)).one()
        in_a_transaction(sessions, leaves_slack("U0MGR1", clock))
        with pytest.raises(NotAllowed, match="no longer active"):
            decisions.decide(click, resolution_id=request_id, decider=maya, approve=True, reason=None, now=clock.now())

    with sessions() as session:
        resolution = session.scalars(select(Resolution)).one()
        assert (resolution.status, resolution.decider.slack_id) == ("pending", "U0ADMIN")


def test_an_admin_read_just_before_an_import_demotes_them_cannot_approve_afterwards(
    engine: Engine, sessions: sessionmaker[Session], clock: MovableClock
) -> None:
    """Bo's refund waits on Ada, the other admin; as she clicks, an import makes her frontline."""
    skip_unless_writers_overlap(engine)
    load_org(sessions, clock.now(), WITH_BO)
    load_policy(sessions, clock.now())
    in_a_transaction(sessions, refund(clock, "U0BO", 6000))

    with sessions() as click:
        ada = employee(click, "U0ADMIN")
        request_id = click.scalars(select(Resolution.id)).one()
        in_a_transaction(sessions, imports(ADA_FRONTLINE, clock))
        with pytest.raises(NotAllowed, match="you may no longer decide it"):
            decisions.decide(click, resolution_id=request_id, decider=ada, approve=True, reason=None, now=clock.now())

    with sessions() as session:
        assert session.scalars(select(Resolution.status)).one() == "pending"


def test_an_admin_read_just_before_an_import_demotes_them_cannot_approve_a_reward_afterwards(
    engine: Engine, sessions: sessionmaker[Session], clock: MovableClock
) -> None:
    """Sam's nomination of Ada waits on Bo (Hana, HR, reports to Ada); as Bo clicks, an import makes him frontline."""
    skip_unless_writers_overlap(engine)
    load_org(sessions, clock.now(), WITH_BO)
    load_policy_text(sessions, clock.now())
    in_a_transaction(sessions, sam_nominates_ada(clock))

    with sessions() as click:
        bo = employee(click, "U0BO")
        workspace = click.scalars(select(Workspace)).one()
        nomination = click.scalars(select(Nomination)).one()
        assert nomination.approver_id == bo.id
        in_a_transaction(sessions, imports(BO_FRONTLINE, clock))
        with pytest.raises(NotAllowed, match="you may no longer approve it"):
            approvals.approve(click, workspace=workspace, nomination_id=nomination.id, approver=bo, now=clock.now())

    with sessions() as session:
        assert session.scalars(select(Nomination.status)).one() == "pending"
        assert session.scalars(select(RewardGrant)).all() == []


def sam_nominates_ada(clock: MovableClock) -> Callable[[Session], None]:
    def nominate_ada(session: Session) -> None:
        workspace = session.scalars(select(Workspace)).one()
        request = NominationRequest(("U0ADMIN",), "voucher_25", "covered every shift in the storm")
        sam = employee(session, "U0AGENT1")
        nominate(
            session,
            workspace=workspace,
            nominator=sam,
            request=request,
            slack_people={},
            bot_user_id=None,
            now=clock.now(),
        )

    return nominate_ada


def test_hr_read_just_before_slack_deactivates_them_cannot_answer_a_suggestion_afterwards(
    engine: Engine, sessions: sessionmaker[Session], clock: MovableClock
) -> None:
    """Hana (HR, who may answer any idea) clicks *Done* on Sam's idea as Slack deactivates her."""
    skip_unless_writers_overlap(engine)
    load_suggestion_org(sessions, clock.now())
    in_a_transaction(sessions, lambda session: sam_suggests(session, clock))

    with sessions() as click:
        hana = employee(click, "U0HR")
        workspace = click.scalars(select(Workspace)).one()
        number = click.scalars(select(Suggestion.number)).one()
        assert number is not None
        in_a_transaction(sessions, leaves_slack("U0HR", clock))
        with pytest.raises(NotAllowed, match="not yours to answer"):
            lifecycle.set_status(
                click,
                workspace=workspace,
                number=number,
                decider=hana,
                status="done",
                note="A second reader is on the returns desk",
                relay=None,
                now=clock.now(),
            )

    with sessions() as session:
        assert session.scalars(select(Suggestion.status)).one() not in ("done",)
