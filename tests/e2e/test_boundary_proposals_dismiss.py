"""Dismissing a boundary proposal: the policy stays as it is, every copy says who dismissed it, and a proposal
already applied or dismissed refuses the other button."""

import pytest
from sqlalchemy import select

from handlers.jobs.propose_boundaries import propose_boundaries
from models import AuditEvent, BoundaryProposal, PolicyVersion
from tests.conftest import RunningBot
from tests.e2e.test_boundary_proposals import APPROVED, FIRST_OF_APRIL, a_month_of_refunds
from tests.helpers import load_org_and_policy


@pytest.fixture
def ready(bot: RunningBot) -> RunningBot:
    load_org_and_policy(bot.sessions, bot.clock.now())
    return bot


def test_dismiss_keeps_the_policy_and_every_copy_says_who_dismissed_it(ready: RunningBot) -> None:
    a_month_of_refunds(ready, APPROVED, (120,))
    ready.clock.set(FIRST_OF_APRIL)
    propose_boundaries(ready.runtime.deps, ready.runtime.app.client)
    message = next(c for c in ready.slack.calls("chat.postMessage", channel="U0HR") if "Boundaries" in c.text)
    assert "boundary_proposal_dismiss" in str(message.args["blocks"])

    admins = next(c for c in ready.slack.calls("chat.postMessage", channel="U0ADMIN") if "Boundaries" in c.text)
    ready.driver.click("U0AGENT1", message, "boundary_proposal_dismiss", forged=True)
    hanas_apply = ready.driver.click_payload("U0HR", message, "boundary_proposal_apply")
    hanas_dismiss = ready.driver.click_payload("U0HR", message, "boundary_proposal_dismiss")
    ready.driver.click("U0ADMIN", admins, "boundary_proposal_dismiss")
    ready.driver.send_click(hanas_apply)  # clicked before Ada's dismissal changed Hana's copy
    ready.driver.send_click(hanas_dismiss)

    answers = [c.text for c in ready.slack.calls("response_url")]
    assert "Only HR and admins" in answers[0]
    assert "Ada Admin already dismissed this proposal; the limit stays as it is" in answers[1]
    assert "Ada Admin already dismissed" in answers[2] and len(answers) == 3
    updates = [c for c in ready.slack.calls("chat.update") if "Ada Admin dismissed it" in c.text]
    assert {c.channel for c in updates} == {"D0HR", "D0ADMIN"}
    assert "stays as the policy says (proposed for 2026-03: $50 to $85 per incident)" in updates[0].text
    assert all("boundary_proposal_" not in str(c.args["blocks"]) for c in updates), "no button stays live"
    with ready.sessions() as session:
        proposal = session.scalars(select(BoundaryProposal)).one()
        audit = session.scalars(select(AuditEvent).where(AuditEvent.action == "policy.proposal_dismissed")).one()
        assert session.scalars(select(PolicyVersion.number)).all() == [1]
        assert (proposal.status, proposal.dismissed_by and proposal.dismissed_by.slack_id) == ("dismissed", "U0ADMIN")
    assert (audit.actor, audit.details["category"], audit.details["month"]) == ("U0ADMIN", "refund", "2026-03")


def test_an_applied_proposal_can_no_longer_be_dismissed(ready: RunningBot) -> None:
    a_month_of_refunds(ready, APPROVED, ())
    ready.clock.set(FIRST_OF_APRIL)
    propose_boundaries(ready.runtime.deps, ready.runtime.app.client)
    message = next(c for c in ready.slack.calls("chat.postMessage", channel="U0HR") if "Boundaries" in c.text)

    admins = next(c for c in ready.slack.calls("chat.postMessage", channel="U0ADMIN") if "Boundaries" in c.text)
    on_the_admins_screen = ready.driver.click_payload("U0ADMIN", admins, "boundary_proposal_dismiss")
    ready.driver.click("U0HR", message, "boundary_proposal_apply")
    ready.driver.send_click(on_the_admins_screen)  # clicked before Hana's apply changed the admin's copy

    [refused] = [c.text for c in ready.slack.calls("response_url")]
    assert "Hana Reyes already applied this proposal as policy version 2; nothing changed." in refused
    with ready.sessions() as session:
        assert session.scalars(select(BoundaryProposal.status)).one() == "applied"
        assert not session.scalars(select(AuditEvent).where(AuditEvent.action == "policy.proposal_dismissed")).all()
