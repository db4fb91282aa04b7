"""Boundaries that learn: a month of approvals becomes a proposal in HR's DMs; *Apply* makes a new policy version."""

import difflib
import hashlib
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.cli import main
from handlers.jobs.drain_outbox import drain_outbox
from handlers.jobs.propose_boundaries import propose_boundaries
from models import AuditEvent, BoundaryProposal, PolicyVersion, Resolution, Workspace
from services import directory
from services.policy.versions import parse_policy
from services.resolutions import decisions
from services.suggestions.apply import apply_proposal
from tests.conftest import RunningBot
from tests.helpers import (
    POLICY_EXAMPLE,
    count,
    employee,
    load_org,
    load_org_and_policy,
    load_policy,
    one_after_the_other,
    skip_unless_writers_overlap,
)

APPROVED = (60, 65, 70, 70, 75, 75, 80, 80, 85, 90)
FIRST_OF_APRIL = datetime(2026, 4, 1, 6, 0, tzinfo=UTC)


@pytest.fixture
def ready(bot: RunningBot) -> RunningBot:
    load_org_and_policy(bot.sessions, bot.clock.now())
    return bot


def a_month_of_refunds(bot: RunningBot, approved: tuple[int, ...], declined: tuple[int, ...]) -> None:
    """Sam (profile agent, refund limit $50) asks for each amount; Maya approves or declines it."""
    amounts = [(amount, True) for amount in approved] + [(amount, False) for amount in declined]
    for number, (amount, approve) in enumerate(amounts):
        bot.driver.command("U0AGENT1", "/resolve", f"refund {amount} order {5000 + number} customer kept waiting")
        request = bot.slack.calls("chat.postMessage", channel="U0MGR1")[-1]
        if approve:
            bot.driver.click("U0MGR1", request, "resolution_approve")
            continue
        with bot.sessions.begin() as session:
            pending = session.scalars(select(Resolution).where(Resolution.status == "pending")).one()
            reason = "Goodwill over $100 needs a supervisor call" if amount > 100 else "Send it to the carrier claim"
            decisions.decide(
                session,
                resolution_id=pending.id,
                decider=employee(session, "U0MGR1"),
                approve=False,
                reason=reason,
                now=bot.clock.now(),
            )


def proposals_to(bot: RunningBot, user: str) -> list[str]:
    return [c.text for c in bot.slack.calls("chat.postMessage", channel=user) if "Boundaries that learn" in c.text]


def test_a_month_of_approvals_proposes_a_limit_and_apply_makes_a_version_with_just_that_change(
    ready: RunningBot,
) -> None:
    a_month_of_refunds(ready, APPROVED, (120,))
    ready.clock.set(FIRST_OF_APRIL)

    made = propose_boundaries(ready.runtime.deps, ready.runtime.app.client)
    again = propose_boundaries(ready.runtime.deps, ready.runtime.app.client)

    assert (made, again) == (1, 0)
    [to_hr] = proposals_to(ready, "U0HR")
    assert "11 requests went over the limit of $50" in to_hr and "10 approved, 1 declined" in to_hr
    assert "median $75" in to_hr and "90th percentile $85" in to_hr and "from $50 to *$85*" in to_hr
    assert "frontline, hr, which inherit it" in to_hr and "Goodwill over $100" in to_hr
    assert len(proposals_to(ready, "U0ADMIN")) == 1
    with ready.sessions() as session:
        assert session.scalars(select(PolicyVersion.number)).all() == [1]

    message = next(c for c in ready.slack.calls("chat.postMessage", channel="U0HR") if "Boundaries" in c.text)
    admins = next(c for c in ready.slack.calls("chat.postMessage", channel="U0ADMIN") if "Boundaries" in c.text)
    ready.driver.click("U0AGENT1", message, "boundary_proposal_apply", forged=True)
    on_the_admins_screen = ready.driver.click_payload("U0ADMIN", admins, "boundary_proposal_apply")
    ready.driver.click("U0HR", message, "boundary_proposal_apply")
    ready.driver.send_click(on_the_admins_screen)  # clicked before Hana's apply changed the admin's copy

    answers = [c.text for c in ready.slack.calls("response_url")]
    assert "Only HR and admins" in answers[0] and "Hana Reyes already applied" in answers[1]
    updated = {c.channel for c in ready.slack.calls("chat.update") if "Hana Reyes applied it" in c.text}
    assert updated == {"D0HR", "D0ADMIN"}
    with ready.sessions() as session:
        first, second = session.scalars(select(PolicyVersion).order_by(PolicyVersion.number)).all()
        changed = [
            line for line in difflib.ndiff(first.text.splitlines(), second.text.splitlines()) if line[:1] in "+-"
        ]
        profiles = parse_policy(second.text).profiles
        limits = {profile: int(rules["refund"].per_incident or 0) for profile, rules in profiles.items()}
        audit = session.scalars(select(AuditEvent).where(AuditEvent.action == "policy.proposal_applied")).one()
        proposal = session.scalars(select(BoundaryProposal)).one()
    assert len(changed) == 2 and "per_incident = 85," in changed[1] and second.loaded_by == "U0HR"
    assert limits == {
        "agent": 85, "frontline": 85, "hr": 85, "senior_agent": 150, "manager": 150, "admin": 150,
    }  # fmt: skip
    assert (audit.actor, audit.details["from"], audit.details["to"]) == ("U0HR", "50", "85")
    assert (proposal.status, proposal.applied_version_id) == ("applied", second.id)


def test_a_proposal_applies_to_a_policy_in_force_that_a_rule_added_since_would_refuse(bot: RunningBot) -> None:
    """A version loaded by an earlier release, with a pulse target of two decimals that `policy load` now refuses:
    *Apply* changes one limit in it, and is not refused over a setting HR never touched."""
    load_org(bot.sessions, bot.clock.now())
    with bot.sessions.begin() as session:
        workspace = directory.ensure_workspace(session, slack_team_id="T0LATITUDE", now=bot.clock.now())
        text = POLICY_EXAMPLE.read_text().replace("target = 4.0\n", "target = 3.92\n", 1)
        session.add(
            PolicyVersion(
                workspace_id=workspace.id,
                number=1,
                text=text,
                sha256=hashlib.sha256(text.encode()).hexdigest(),
                loaded_by="U0HR",
                loaded_at=bot.clock.now(),
            )
        )  # as the earlier release stored it
    a_month_of_refunds(bot, APPROVED, (120,))
    bot.clock.set(FIRST_OF_APRIL)
    propose_boundaries(bot.runtime.deps, bot.runtime.app.client)

    message = next(c for c in bot.slack.calls("chat.postMessage", channel="U0HR") if "Boundaries" in c.text)
    bot.driver.click("U0HR", message, "boundary_proposal_apply")

    with bot.sessions() as session:
        versions = session.scalars(select(PolicyVersion).order_by(PolicyVersion.number)).all()
    assert [v.number for v in versions] == [1, 2], [c.text for c in bot.slack.calls("response_url")]
    assert "per_incident = 85," in versions[1].text and "target = 3.92" in versions[1].text


def test_requests_count_for_the_profile_they_were_checked_against_after_a_promotion(ready: RunningBot) -> None:
    a_month_of_refunds(ready, APPROVED, (120,))
    with ready.sessions.begin() as session:
        employee(session, "U0AGENT1").profile = "senior_agent"  # promoted on the last day of March
    ready.clock.set(FIRST_OF_APRIL)

    made = propose_boundaries(ready.runtime.deps, ready.runtime.app.client)

    [to_hr] = proposals_to(ready, "U0HR")
    assert made == 1 and "11 requests went over the limit of $50" in to_hr
    with ready.sessions() as session:
        proposal = session.scalars(select(BoundaryProposal)).one()
    assert (proposal.profile, proposal.category) == ("agent", "refund")


def test_when_declines_dominate_hr_reads_a_note_without_an_apply_button(ready: RunningBot) -> None:
    a_month_of_refunds(ready, (60, 70, 75), tuple(90 + n for n in range(7)))
    ready.clock.set(FIRST_OF_APRIL)

    propose_boundaries(ready.runtime.deps, ready.runtime.app.client)

    [note] = [c for c in ready.slack.calls("chat.postMessage", channel="U0HR") if "Boundaries" in c.text]
    assert "Declines dominate" in note.text and "Send it to the carrier claim" in note.text
    assert "boundary_proposal_apply" not in str(note.args["blocks"])


def test_policy_suggest_prints_the_evidence_and_policy_show_names_the_applied_change(
    ready: RunningBot, database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    a_month_of_refunds(ready, APPROVED, ())
    monkeypatch.setenv("DATABASE_URL", database_url)

    assert main(["policy", "suggest", "--month", "2026-03", "--send"]) == 0
    printed = capsys.readouterr().out
    ready.clock.set(datetime.now(UTC) + timedelta(minutes=1))  # the command line queued on the real clock
    drain_outbox(ready.runtime.deps, ready.runtime.app.client)
    message = next(c for c in ready.slack.calls("chat.postMessage", channel="U0HR") if "Boundaries" in c.text)
    ready.driver.click("U0HR", message, "boundary_proposal_apply")
    assert main(["policy", "show"]) == 0
    shown = capsys.readouterr().out

    assert "[agent] refund" in printed and "propose a per-incident limit of $85" in printed
    assert "queued 1 new proposal" in printed
    assert "policy version 2" in shown and "agent refund per incident 50 -> 85, by Hana Reyes" in shown


@pytest.mark.parametrize("month", ["March", "0000-01", "9999-12", "2026-13", ""])
def test_policy_suggest_refuses_a_month_it_cannot_read_in_one_line(
    ready: RunningBot,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    month: str,
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)

    assert main(["policy", "suggest", "--month", month, "--send"]) == 2

    said = capsys.readouterr()
    assert said.err.strip() == f"error: --month must be a month like 2026-03, from 2000-01 to 2099-12 (got {month!r})"
    assert said.out == ""
    with ready.sessions.begin() as session:
        assert count(session, BoundaryProposal) == 0


def test_long_decline_reasons_leave_the_proposal_line_above_the_apply_button(ready: RunningBot) -> None:
    reasons = [f"Reason {n}: " + "the carrier owes this one, not us. " * 17 for n in range(5)]
    for number, amount in enumerate([*range(60, 80), *range(90, 95)]):
        ready.driver.command("U0AGENT1", "/resolve", f"refund {amount} order {6000 + number} customer kept waiting")
        with ready.sessions.begin() as session:
            pending = session.scalars(select(Resolution).where(Resolution.status == "pending")).one()
            decline = amount >= 90
            decisions.decide(
                session,
                resolution_id=pending.id,
                decider=employee(session, "U0MGR1"),
                approve=not decline,
                reason=reasons[amount - 90] if decline else None,
                now=ready.clock.now(),
            )
    ready.clock.set(FIRST_OF_APRIL)

    propose_boundaries(ready.runtime.deps, ready.runtime.app.client)

    [to_hr] = [c for c in ready.slack.calls("chat.postMessage", channel="U0HR") if "Boundaries" in c.text]
    assert "Proposal: raise the per-incident limit from $50 to" in to_hr.text
    assert "boundary_proposal_apply" in str(to_hr.args["blocks"])
    assert len(re.findall(r"“Reason \d: [^”]+”", to_hr.text)) == 5  # each reason quoted whole or shortened, none cut


def test_two_proposals_applied_at_once_both_end_up_in_the_policy(ready: RunningBot) -> None:
    """Each would start from the version in force; without taking turns the later would undo the earlier."""
    skip_unless_writers_overlap(ready.runtime.engine)
    with ready.sessions.begin() as session:
        workspace = session.scalars(select(Workspace)).one()
        basis = session.scalars(select(PolicyVersion)).one()
        session.add_all(
            BoundaryProposal(
                workspace_id=workspace.id, month="2026-03", profile="agent", category=category, kind="raise",
                basis_version_id=basis.id, current_limit=Decimal(now), proposed_limit=Decimal(later), evidence={},
                status="proposed", created_at=ready.clock.now(),
            )
            for category, now, later in (("refund", 50, 85), ("credit", 25, 40))
        )  # fmt: skip

    def apply(session: Session, category: str) -> None:
        workspace = session.scalars(select(Workspace)).one()
        proposal = session.scalars(select(BoundaryProposal).where(BoundaryProposal.category == category)).one()
        hr = employee(session, "U0HR")
        apply_proposal(session, workspace=workspace, proposal_id=proposal.id, hr=hr, now=ready.clock.now())

    one_after_the_other(
        ready.sessions,
        ready.runtime.engine,
        lambda session: apply(session, "refund"),
        lambda session: apply(session, "credit"),
    )

    with ready.sessions() as session:
        latest = session.scalars(select(PolicyVersion).order_by(PolicyVersion.number.desc())).first()
        assert latest is not None and latest.number == 3
        agent = parse_policy(latest.text).boundaries_for("agent")
    assert (agent["refund"].per_incident, agent["credit"].per_incident) == (Decimal(85), Decimal(40))


def test_requests_in_an_earlier_currency_say_nothing_about_the_limit_in_the_new_one(ready: RunningBot) -> None:
    """A month of dollar refunds approved over the $50 limit, then a policy in euros: 85 dollars is no ground
    for a limit of 85 euros (HR would read "from €50 to €85" and Apply it)."""
    a_month_of_refunds(ready, APPROVED, ())
    in_euros = POLICY_EXAMPLE.read_text().replace('currency = "USD"', 'currency = "EUR"', 1)
    load_policy(ready.sessions, ready.clock.now(), in_euros)
    ready.clock.set(FIRST_OF_APRIL)

    made = propose_boundaries(ready.runtime.deps, ready.runtime.app.client)

    assert made == 0
    assert proposals_to(ready, "U0HR") == []


def test_requests_that_only_crossed_a_daily_cap_say_nothing_about_the_per_incident_limit(ready: RunningBot) -> None:
    """Credits of $20 (under the $25 per incident) approved past the $100 a day, and two of $60."""
    for number in range(5):
        ready.driver.command("U0AGENT1", "/resolve", f"credit 20 order {100 + number} waited")
    for number, amount in enumerate([20] * 9 + [60, 60]):
        ready.driver.command("U0AGENT1", "/resolve", f"credit {amount} order {200 + number} waited")
        request = ready.slack.calls("chat.postMessage", channel="U0MGR1")[-1]
        ready.driver.click("U0MGR1", request, "resolution_approve")
    ready.clock.set(FIRST_OF_APRIL)

    made = propose_boundaries(ready.runtime.deps, ready.runtime.app.client)

    assert made == 0, "two requests over $25 are too few to propose a new limit"
    assert proposals_to(ready, "U0HR") == []


def test_apply_is_refused_when_a_policy_loaded_since_makes_it_reach_a_profile_it_did_not_name(
    ready: RunningBot,
) -> None:
    a_month_of_refunds(ready, APPROVED, (120,))
    ready.clock.set(FIRST_OF_APRIL)
    propose_boundaries(ready.runtime.deps, ready.runtime.app.client)
    with_trainee = (
        POLICY_EXAMPLE.read_text() + '\n[profiles.trainee]\ninherit = "agent"\ncredit = { per_incident = 5 }\n'
    )
    load_policy(ready.sessions, ready.clock.now(), with_trainee)
    message = next(c for c in ready.slack.calls("chat.postMessage", channel="U0HR") if "Boundaries" in c.text)

    ready.driver.click("U0HR", message, "boundary_proposal_apply")

    refused = ready.slack.calls("response_url")[-1].text
    assert "would also change trainee, which it did not say. Nothing applied" in refused
    with ready.sessions() as session:
        assert session.scalars(select(PolicyVersion.number)).all() == [1, 2]


def test_a_proposals_notification_names_the_limit_it_is_about_and_what_became_of_it(ready: RunningBot) -> None:
    """HR may get several proposals in a month; their phones and screen readers get only each message's text."""
    a_month_of_refunds(ready, APPROVED, ())
    ready.clock.set(FIRST_OF_APRIL)
    propose_boundaries(ready.runtime.deps, ready.runtime.app.client)

    [message] = [c for c in ready.slack.calls("chat.postMessage", channel="U0HR") if "Boundaries" in c.text]
    assert message.args["text"] == "Boundaries that learn: refund for agent, 2026-03"
    ready.driver.click("U0HR", message, "boundary_proposal_dismiss")

    [dismissed] = ready.slack.calls("chat.update", channel="D0HR")
    assert dismissed.args["text"] == "Boundaries that learn: refund for agent, 2026-03 (dismissed)"
