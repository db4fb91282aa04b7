"""Reward decisions arriving together (PostgreSQL: on SQLite two writers never overlap), and a grant made while the
export reads (both). Each test forces the interleaving two real requests at once produce: one transaction held open
while the other runs beside it."""

import io
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import MovableClock
from models import Nomination, RewardGrant, Workspace
from models.engine import make_session_factory, reading
from services import directory
from services.config_cache import SESSION_KEY, ConfigCache
from services.departures import follow_slack
from services.directory import SlackPerson
from services.errors import NotAllowed
from services.rewards import approvals
from services.rewards.export import ExportPeriod, export_grants
from services.rewards.nominations import NominationRequest, nominate
from services.rewards.nominees import NomineeRefused
from tests.helpers import (
    employee,
    in_a_transaction,
    load_org,
    one_after_the_other,
    skip_unless_writers_overlap,
    wait_until_waiting_for_the_lock,
)
from tests.rewards_helpers import EXAMPLE_POLICY, load_policy_text


def put_forward(sessions: sessionmaker[Session], clock: MovableClock, giver: str, to: str, item: str) -> int:
    with sessions.begin() as session:
        outcome = nominate(
            session,
            workspace=session.scalars(select(Workspace)).one(),
            nominator=employee(session, giver),
            request=NominationRequest((to,), item, f"Thanks from {giver}"),
            slack_people={},
            bot_user_id=None,
            now=clock.now(),
        )
        return outcome.nominations[0].id


def approval(clock: MovableClock, approver: str, nomination_id: int) -> Callable[[Session], None]:
    def approve(session: Session) -> None:
        workspace = session.scalars(select(Workspace)).one()
        by = employee(session, approver)
        approvals.approve(session, workspace=workspace, nomination_id=nomination_id, approver=by, now=clock.now())

    return approve


def test_two_approvers_at_once_cannot_both_grant_past_the_monthly_most(
    engine: Engine, sessions: sessionmaker[Session], clock: MovableClock
) -> None:
    """Two vouchers wait for Sam, one from Lee (Maya approves) and one from Maya (Ada approves); HR then lowers the
    voucher's monthly most to one. Maya and Ada approving at the same moment must not both count no voucher yet:
    the second is judged with the first granted, and refused as it would be a minute later."""
    skip_unless_writers_overlap(engine)
    load_org(sessions, clock.now())
    load_policy_text(sessions, clock.now())
    from_lee = put_forward(sessions, clock, "U0AGENT2", "U0AGENT1", "voucher_25")
    from_maya = put_forward(sessions, clock, "U0MGR1", "U0AGENT1", "voucher_25")
    one_a_month = EXAMPLE_POLICY.read_text().replace("max_per_month = 2", "max_per_month = 1")
    load_policy_text(sessions, clock.now(), one_a_month)

    def ada_approves_too(session: Session) -> None:
        with pytest.raises(NotAllowed, match="Sam Agent has already received Coffee &amp; cake voucher 1 time"):
            approval(clock, "U0ADMIN", from_maya)(session)

    one_after_the_other(sessions, engine, approval(clock, "U0MGR1", from_lee), ada_approves_too)

    with sessions() as session:
        assert session.scalars(select(RewardGrant.nomination_id)).all() == [from_lee]


def test_a_shout_out_to_someone_slack_deactivates_at_that_moment_is_refused_not_granted_to_a_leaver(
    engine: Engine, sessions: sessionmaker[Session], clock: MovableClock
) -> None:
    """Sam thanks Lee with a shout-out as Slack deactivates Lee. A shout-out skips the approval where a leaver is
    refused, so the nomination must see the departure: it waits for it and refuses Lee as it would a minute later."""
    skip_unless_writers_overlap(engine)
    load_org(sessions, clock.now())
    load_policy_text(sessions, clock.now())

    def slack_deactivates_lee(session: Session) -> None:
        workspace = session.scalars(select(Workspace)).one()
        lee = SlackPerson("U0AGENT2", exists=False)
        assert follow_slack(session, workspace=workspace, person=lee, now=clock.now()) is not None

    def sam_thanks_lee(session: Session) -> None:
        with pytest.raises(NomineeRefused, match="<@U0AGENT2> is not an active member of this workspace"):
            nominate(
                session,
                workspace=session.scalars(select(Workspace)).one(),
                nominator=employee(session, "U0AGENT1"),
                request=NominationRequest(("U0AGENT2",), "shoutout", "Thanks for covering my shift"),
                slack_people={},
                bot_user_id=None,
                now=clock.now(),
            )

    one_after_the_other(sessions, engine, slack_deactivates_lee, sam_thanks_lee)

    with sessions() as session:
        assert session.scalars(select(RewardGrant)).all() == []


class ThanksDuringTheExport(io.StringIO):
    """The export's file, as Lee thanks Sam with a shout-out once its first line is written."""

    def __init__(self, sessions: sessionmaker[Session], clock: MovableClock) -> None:
        super().__init__()
        self.thanks = lambda: put_forward(sessions, clock, "U0AGENT2", "U0AGENT1", "shoutout")

    def write(self, text: str) -> int:
        if not self.tell():
            self.thanks()
        return super().write(text)


def test_a_grant_made_while_the_export_reads_is_left_out_of_it_whole(
    sessions: sessionmaker[Session], clock: MovableClock
) -> None:
    """HR's export reads one snapshot: a shout-out granted once it has begun reading (its team, its header line) is
    not in its rows, however long it runs; it goes into the next export. On PostgreSQL each statement would otherwise
    see what was committed before it, and the file would mix two moments."""
    load_org(sessions, clock.now())
    load_policy_text(sessions, clock.now())
    put_forward(sessions, clock, "U0AGENT1", "U0AGENT2", "shoutout")
    out = ThanksDuringTheExport(sessions, clock)

    with reading(sessions) as session:
        workspace = session.scalars(select(Workspace)).one()
        period = ExportPeriod(clock.now().date(), clock.now().date())
        count = export_grants(session, workspace=workspace, requester=None, period=period, out=out)

    rows = out.getvalue().splitlines()[1:]
    assert count == len(rows) == 1 and "U0AGENT2" in rows[0]
    with sessions() as session:
        assert len(session.scalars(select(RewardGrant)).all()) == 2, "Lee's shout-out is kept for the next export"


def test_a_newcomer_another_process_adds_as_they_are_nominated_shows_their_slack_profile_everywhere(
    engine: Engine, sessions: sessionmaker[Session], clock: MovableClock
) -> None:
    """Nia's first request adds her to the directory, as a bare Slack id, in one process at the moment Sam thanks
    her in another: the shout-out finds her added and fills in her name and time zone from Slack. The first process's
    copy of her must follow, as after any profile filled in from Slack."""
    skip_unless_writers_overlap(engine)
    cached = make_session_factory(engine)
    cached.configure(info={SESSION_KEY: ConfigCache()})
    load_org(sessions, clock.now())
    load_policy_text(sessions, clock.now())
    nia = SlackPerson("U0NEW", exists=True, name="Nia Newcomer", email="nia@example.com", tz="Europe/Paris")

    def nia_arrives(session: Session) -> None:
        workspace = session.scalars(select(Workspace)).one()
        directory.identify(session, workspace=workspace, slack_id="U0NEW", name="U0NEW", now=clock.now())
        assert directory.find_employee(session, workspace, "U0NEW") is not None  # now in this process's copies

    def sam_thanks_nia(session: Session) -> None:
        nominate(
            session,
            workspace=session.scalars(select(Workspace)).one(),
            nominator=employee(session, "U0AGENT1"),
            request=NominationRequest(("U0NEW",), "shoutout", "Welcome, and thanks for the handover notes"),
            slack_people={"U0NEW": nia},
            bot_user_id=None,
            now=clock.now(),
        )

    one_after_the_other(cached, engine, nia_arrives, sam_thanks_nia, then_in=sessions)

    with cached() as session:
        seen = directory.find_employee(session, session.scalars(select(Workspace)).one(), "U0NEW")
        assert seen is not None and (seen.name, seen.tz) == ("Nia Newcomer", "Europe/Paris")


def test_a_first_shout_out_to_a_slack_only_colleague_as_another_nominee_leaves_is_refused_not_deadlocked(
    engine: Engine, sessions: sessionmaker[Session], clock: MovableClock
) -> None:
    """Sam thanks Lee and Nia (known only from Slack, whose guest status Latitude learns from this shout-out) as
    Slack deactivates Lee. The departure changes Lee's row first and tells every process last, while it hands over a
    voucher waiting for approval; the shout-out must wait for it before it learns anything of Nia, or each would
    wait for the other and PostgreSQL would fail one. It waits, and refuses Lee as it would a minute later."""
    skip_unless_writers_overlap(engine)
    load_org(sessions, clock.now())
    load_policy_text(sessions, clock.now())
    waiting = put_forward(sessions, clock, "U0MGR1", "U0AGENT1", "voucher_25")
    with sessions.begin() as session:
        workspace = session.scalars(select(Workspace)).one()
        directory.identify(session, workspace=workspace, slack_id="U0NEW", name="U0NEW", now=clock.now())
    nia = SlackPerson("U0NEW", exists=True, name="Nia Newcomer", guest=False)

    def slack_deactivates_lee(session: Session) -> None:
        workspace = session.scalars(select(Workspace)).one()
        assert follow_slack(session, workspace=workspace, person=SlackPerson("U0AGENT2", exists=False), now=clock.now())

    def sam_thanks_lee_and_nia(session: Session) -> None:
        with pytest.raises(NomineeRefused, match="<@U0AGENT2> is not an active member of this workspace"):
            nominate(
                session,
                workspace=session.scalars(select(Workspace)).one(),
                nominator=employee(session, "U0AGENT1"),
                request=NominationRequest(("U0NEW", "U0AGENT2"), "shoutout", "Thanks for the handover notes"),
                slack_people={"U0NEW": nia},
                bot_user_id=None,
                now=clock.now(),
            )

    with sessions() as handing_over, ThreadPoolExecutor(2) as others:
        # Lee's row changed, the departure waits here to hand the voucher over
        handing_over.execute(select(Nomination.id).where(Nomination.id == waiting).with_for_update())
        departure = others.submit(in_a_transaction, sessions, slack_deactivates_lee)
        wait_until_waiting_for_the_lock(engine, 1)
        nomination = others.submit(in_a_transaction, sessions, sam_thanks_lee_and_nia)
        wait_until_waiting_for_the_lock(engine, 2)
        handing_over.commit()
        departure.result(timeout=10)
        nomination.result(timeout=10)

    with sessions() as session:
        assert session.scalars(select(RewardGrant)).all() == []
        assert not employee(session, "U0AGENT2").active
