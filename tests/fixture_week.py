"""A fixture week with known numbers for the digest tests, logged through the real resolutions service.

Clock: Monday 2026-03-02 09:00 UTC. Maya (New York) reports the week of Mon 23 Feb – Sun 1 Mar, local time.
"""

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from models import Nomination, PulseQuestion, Resolution, RewardGrant, Workspace
from services.pulse import answers as pulse
from services.pulse import closing as pulse_closing
from services.pulse import invitations as pulse_invitations
from services.pulse import rounds as pulse_rounds
from services.resolutions import decisions
from services.resolutions import fixes as resolutions
from services.resolutions.fixes import ResolutionRequest
from services.rewards import approvals as reward_approvals
from services.rewards import grants as rewards
from services.rewards import nominations
from services.rewards.nominations import NominationRequest
from tests.helpers import employee, load_org_and_policy

MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def at(day: int, hour: int, month: int = 2) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=UTC)


def log(
    session: Session,
    who: str,
    category: str,
    amount: int,
    summary: str,
    when: datetime,
    *,
    outcome: str | None = None,
    ref: str | None = None,
) -> Resolution:
    request = ResolutionRequest(category, Decimal(amount), summary, customer_ref=ref, customer_outcome=outcome)
    return resolutions.log_resolution(session, employee=employee(session, who), request=request, now=when).resolution


def load_fixture_week(sessions: sessionmaker[Session]) -> None:
    """Maya's team logs 7 fixes in the reported week (2 the week before); Omar's team 1."""
    load_org_and_policy(sessions, at(10, 9))
    with sessions.begin() as session:
        log(session, "U0AGENT1", "refund", 30, "parcel late", at(17, 15), outcome="happy", ref="order 90")
        log(session, "U0AGENT2", "credit", 10, "rude courier", at(18, 15))
        log(
            session,
            "U0AGENT1",
            "refund",
            45,
            "order 101 parcel arrived late and damaged box",
            at(24, 15),
            outcome="happy",
            ref="order 101",
        )
        lost = log(session, "U0AGENT1", "refund", 80, "order 102 parcel lost in transit", at(25, 15), ref="order 102")
        log(
            session,
            "U0AGENT2",
            "credit",
            30,
            "late delivery again & customer waited two weeks <3",
            at(26, 15),
            outcome="happy",
        )
        log(
            session,
            "U0AGENT2",
            "reschedule",
            0,
            "moved the delivery to Friday after late parcel",
            at(27, 15),
            outcome="neutral",
        )
        log(session, "U0AGENT1", "credit", 20, "parcel late, apologised", at(28, 15), outcome="unhappy")
        log(session, "U0AGENT1", "fee_waiver", 40, "waived late fee", at(1, 14, month=3))
        log(session, "U0AGENT1", "credit", 10, "parcel late sorry", at(2, 3, month=3), outcome="happy")
        log(session, "U0AGENT1", "credit", 5, "this week already", at(2, 6, month=3))
        log(session, "U0AGENT3", "credit", 15, "parcel late", at(25, 18))
        maya = employee(session, "U0MGR1")
        decisions.decide(session, resolution_id=lost.id, decider=maya, approve=True, reason=None, now=at(25, 16))


def pile_of_pending(sessions: sessionmaker[Session], count: int, when: datetime) -> None:
    """`count` requests from Sam waiting on Maya, written in bulk."""
    with sessions.begin() as session:
        sam, maya = employee(session, "U0AGENT1"), employee(session, "U0MGR1")
        template = log(session, "U0AGENT1", "fee_waiver", 40, "waived a fee <b>", when)
        session.add_all(
            Resolution(
                workspace_id=sam.workspace_id,
                employee_id=sam.id,
                policy_version_id=template.policy_version_id,
                category="fee_waiver",
                amount=Decimal(31 + n % 50),
                currency="USD",
                summary=f"waiver number {n}",
                status="pending",
                created_at=when + timedelta(minutes=n),
                decider_id=maya.id,
            )
            for n in range(count - 1)
        )


def give(session: Session, who: str, whom: str, item: str, when: datetime) -> Nomination:
    """`who` recognises `whom` through the real nominations service (a shout-out is granted at once)."""
    workspace = session.scalars(select(Workspace)).one()
    request = NominationRequest((whom,), item, f"thanks from {who} <b>")
    outcome = nominations.nominate(
        session,
        workspace=workspace,
        nominator=employee(session, who),
        request=request,
        slack_people={},
        bot_user_id=None,
        now=when,
    )
    return outcome.nominations[0]


def load_recognition(sessions: sessionmaker[Session]) -> None:
    """Grants around the fixture week (times UTC; Maya's week is 23 Feb 05:00 – 2 Mar 05:00).

    Maya's team receives 3 (one a voucher) and gives 2; Omar's receives 1 and gives 1; Ada's (everyone)
    receives 3 and gives 3 (one a voucher). In the 30 days to MONDAY only Lee and Ines received anything
    that still stands: Sam's last shout-out is older and his newer one was revoked.
    """
    with sessions.begin() as session:
        workspace = session.scalars(select(Workspace)).one()
        give(session, "U0AGENT3", "U0AGENT1", "shoutout", at(20, 15, month=1))
        give(session, "U0AGENT2", "U0AGENT3", "shoutout", at(10, 15))
        give(session, "U0AGENT1", "U0AGENT2", "shoutout", at(24, 15))
        voucher = give(session, "U0HR", "U0AGENT2", "voucher_25", at(25, 15))
        reward_approvals.approve(
            session, workspace=workspace, nomination_id=voucher.id, approver=employee(session, "U0MGR1"), now=at(25, 16)
        )
        give(session, "U0AGENT3", "U0AGENT2", "shoutout", at(26, 15))
        taken_back = give(session, "U0HR", "U0AGENT1", "shoutout", at(27, 15))
        grant = session.scalars(select(RewardGrant).where(RewardGrant.nomination_id == taken_back.id)).one()
        rewards.revoke_grant(
            session,
            workspace=workspace,
            grant_id=grant.id,
            hr=None,
            actor="test",
            reason="sent by mistake",
            now=at(27, 16),
        )
        give(session, "U0AGENT1", "U0AGENT3", "shoutout", at(2, 3, month=3))  # Sunday night in New York


Answers = Callable[[str, PulseQuestion], int]


def run_pulse_round(sessions: sessionmaker[Session], opens: datetime, people: Sequence[str], value: Answers) -> None:
    """Open a round at `opens`, let `people` answer every question with `value(person, question)`, close it 73h on."""
    with sessions.begin() as session:
        workspace = session.scalars(select(Workspace)).one()
        pulse_round = pulse_rounds.start_round(session, workspace=workspace, by=None, actor="test", now=opens)
        pulse_invitations.due_invitations(session, workspace=workspace, now=opens)
        for person in people:
            for question in pulse_round.questions:
                answer = value(person, question)
                pulse.record_answer(
                    session,
                    workspace=workspace,
                    employee=employee(session, person),
                    question_id=question.id,
                    value=answer,
                    now=opens + timedelta(hours=1),
                )
        pulse_closing.close_due_rounds(session, workspace=workspace, now=opens + timedelta(hours=73))
