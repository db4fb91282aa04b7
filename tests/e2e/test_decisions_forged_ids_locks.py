"""A click forged with another workspace's request, nomination, reward grant or boundary proposal id never locks that
row: ids are counted up across an install's workspaces, so anyone could otherwise hold up another workspace's approver,
however briefly."""

import dataclasses
from collections.abc import Iterator
from decimal import Decimal

import pytest
from sqlalchemy import select

from bot.fakeslack import Call, SlackDriver
from handlers.blocks import boundary_proposals as proposal_blocks
from handlers.blocks import nominations as nomination_blocks
from handlers.blocks import resolutions as resolution_blocks
from handlers.blocks import rewards as reward_blocks
from handlers.jobs.drain_outbox import drain_outbox
from models import BoundaryProposal, Nomination, PolicyVersion, Resolution, RewardGrant, Workspace
from services import request_viewers
from tests.conftest import RunningBot, StartBot
from tests.e2e.test_installs import with_installs
from tests.e2e.test_installs_grid_workspaces import NORTH_ORG, SOUTH_ORG, install_in_the_org

REQUEST = (Resolution, "W0SMGR", resolution_blocks.APPROVE, request_viewers.NOT_YOUR_REQUEST)
NOMINATION = (Nomination, "W0HR", nomination_blocks.APPROVE, request_viewers.NOT_YOUR_NOMINATION)


@pytest.fixture
def impatient_bot(start_bot: StartBot, database_url: str) -> Iterator[RunningBot]:
    """With OAuth installs, and DATABASE_LOCK_TIMEOUT=1: a click behind a row lock gives up within a second."""
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite locks the whole database for a writer, never one row")
    yield from with_installs(start_bot, database_lock_timeout=1)


def waiting_in_south(bot: RunningBot, south: SlackDriver, model: type[Resolution | Nomination], to: str) -> Call:
    """Sid's request waiting on Sia, or his nomination of her waiting on Gia (HR, her manager): the DM with its
    buttons."""
    if model is Resolution:
        south.command("W0SAGENT", "/resolve", "refund 80 order 42 parcel lost in transit")
    else:
        south.command("W0SAGENT", "/nominate", "<@W0SMGR> voucher_25 calmed a furious customer")
    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)
    [dm] = [call for call in bot.slack.calls("chat.postMessage", channel=to) if "_approve" in str(call.args)]
    return dm


def forged_while_held(
    bot: RunningBot,
    model: type[Resolution | Nomination | RewardGrant | BoundaryProposal],
    driver: SlackDriver,
    clicker: str,
    message: Call,
    button: str,
) -> list[str]:
    """What `clicker` is told of a forged click on `button`, sent while another connection holds every `model` row
    locked (as someone deciding it that very moment would)."""
    with bot.runtime.engine.connect() as holder:
        holder.execute(select(model.id).with_for_update())
        driver.click(clicker, message, button, forged=True)
        holder.rollback()
    return [call.text for call in bot.slack.calls("response_url")]


@pytest.mark.parametrize("model, approver, approve, refusal", [REQUEST, NOMINATION])
def test_a_click_forged_from_another_workspace_is_refused_at_once_while_the_row_is_locked(
    impatient_bot: RunningBot, model: type[Resolution | Nomination], approver: str, approve: str, refusal: str
) -> None:
    """Nia, a manager in North, forges Approve with the id of what waits in South while South's approver holds it
    (deciding it that very moment): she is told what any id not hers gets, without waiting for South's lock."""
    bot = impatient_bot
    north = install_in_the_org(bot, "T0NORTH", NORTH_ORG)
    south = install_in_the_org(bot, "T0SOUTH", SOUTH_ORG)
    dm = waiting_in_south(bot, south, model, approver)
    bot.slack.reset()

    said = forged_while_held(bot, model, north, "W0NMGR", dm, approve)
    assert said == [f":warning: {refusal}"], said
    with bot.sessions() as session:
        assert session.scalars(select(model.status)).all() == ["pending"]


def test_a_grants_fulfil_forged_from_another_workspace_is_refused_at_once_while_the_grant_is_locked(
    impatient_bot: RunningBot,
) -> None:
    """Gia, HR in both workspaces, approved Sid's nomination of Sia in South: its grant waits to be fulfilled. Mark
    fulfilled forged through North with its id, while South's HR holds the grant, is told there is none here, without
    waiting."""
    bot = impatient_bot
    north = install_in_the_org(bot, "T0NORTH", NORTH_ORG)
    south = install_in_the_org(bot, "T0SOUTH", SOUTH_ORG)
    south.click("W0HR", waiting_in_south(bot, south, Nomination, "W0HR"), nomination_blocks.APPROVE)
    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)
    [to_fulfil] = [call for call in bot.slack.messages_to("W0HR") if reward_blocks.FULFIL in str(call.args)]
    with bot.sessions() as session:
        grant_id = session.scalars(select(RewardGrant.id)).one()
    bot.slack.reset()

    said = forged_while_held(bot, RewardGrant, north, "W0HR", to_fulfil, reward_blocks.FULFIL)
    assert said == [f":warning: There is no reward grant #{grant_id} here."], said
    with bot.sessions() as session:
        assert session.scalars(select(RewardGrant.fulfilled_at)).all() == [None]


@pytest.mark.parametrize("button, verb", [(proposal_blocks.APPLY, "apply"), (proposal_blocks.DISMISS, "dismiss")])
def test_a_boundary_proposals_click_forged_from_another_workspace_is_refused_at_once_while_it_is_locked(
    impatient_bot: RunningBot, button: str, verb: str
) -> None:
    """A proposal to raise South's refund limit waits for HR. Gia, HR in both workspaces, forges Apply or Dismiss
    through North with its id while South's HR holds it: she is told there is none here, without waiting."""
    bot = impatient_bot
    north = install_in_the_org(bot, "T0NORTH", NORTH_ORG)
    south = install_in_the_org(bot, "T0SOUTH", SOUTH_ORG)
    proposal = proposed_in_south(bot)
    dm = waiting_in_south(bot, south, Nomination, "W0HR")
    # The proposal's buttons on a DM of hers, as one signing a payload by hand sends them.
    forged = dataclasses.replace(dm, args={**dm.args, "blocks": proposal_blocks.proposal_message(proposal, "USD", ())})
    bot.slack.reset()

    said = forged_while_held(bot, BoundaryProposal, north, "W0HR", forged, button)
    assert said == [f":warning: There is no boundary proposal #{proposal.id} to {verb} here."], said
    with bot.sessions() as session:
        assert session.scalars(select(BoundaryProposal.status)).all() == ["proposed"]


def proposed_in_south(bot: RunningBot) -> BoundaryProposal:
    """A proposal to raise South's refund limit for agents from $50 to $85, as the monthly look stores it."""
    evidence = {"over_limit": 10, "approved": 10, "declined": 0, "limit": "50", "approved_median": "75"}
    with bot.sessions.begin() as session:
        in_south = select(PolicyVersion).join(Workspace).where(Workspace.slack_team_id == "T0SOUTH")
        basis = session.scalars(in_south.order_by(PolicyVersion.number.desc())).first()
        assert basis is not None
        proposal = BoundaryProposal(
            workspace_id=basis.workspace_id, month="2026-03", profile="agent", category="refund", kind="raise",
            basis_version_id=basis.id, current_limit=Decimal(50), proposed_limit=Decimal(85), evidence=evidence,
            status="proposed", created_at=bot.clock.now(),
        )  # fmt: skip
        session.add(proposal)
    return proposal
