"""Two runs of the monthly look at the boundaries at once (PostgreSQL: on SQLite two writers never overlap), as
when a leader takes over mid-tick: the later one waits for the earlier one's proposal, then finds it there."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers.jobs.propose_boundaries import queue_proposals
from models import BoundaryProposal, Delivery, Workspace
from services.suggestions import proposals
from tests.conftest import RunningBot
from tests.e2e.test_boundary_proposals import APPROVED, FIRST_OF_APRIL, a_month_of_refunds
from tests.helpers import load_org_and_policy, one_after_the_other, skip_unless_writers_overlap


def test_two_runs_at_once_store_one_proposal_and_the_later_one_quietly_adds_nothing(bot: RunningBot) -> None:
    skip_unless_writers_overlap(bot.runtime.engine)
    load_org_and_policy(bot.sessions, bot.clock.now())
    a_month_of_refunds(bot, APPROVED, ())
    bot.clock.set(FIRST_OF_APRIL)
    made: list[int] = []

    def run_the_tick(session: Session) -> None:
        workspace = session.scalars(select(Workspace)).one()
        found = proposals.propose(session, workspace=workspace, month="2026-03", now=bot.clock.now())
        queue_proposals(session, workspace, found, bot.clock.now())
        made.append(len(found))

    one_after_the_other(bot.sessions, bot.runtime.engine, run_the_tick, run_the_tick)

    assert made == [1, 0]
    with bot.sessions() as session:
        assert len(session.scalars(select(BoundaryProposal)).all()) == 1
        keys = session.scalars(select(Delivery.idempotency_key).where(Delivery.idempotency_key.like("proposal:%")))
        assert len(keys.all()) == 2, "one DM to HR, one to the admin"
