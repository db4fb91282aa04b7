"""`policy suggest --send` run by an operator more than once, or with proposals turned off: what it prints says what
it sent and why it sent nothing."""

from datetime import UTC, datetime, timedelta

import pytest

from bot.cli import main
from handlers.jobs.drain_outbox import drain_outbox
from models import BoundaryProposal
from tests.conftest import RunningBot
from tests.e2e.test_boundary_proposals import APPROVED, a_month_of_refunds, proposals_to
from tests.helpers import POLICY_EXAMPLE, count, load_org, load_org_and_policy, load_policy


def test_sending_a_months_proposals_twice_says_the_second_time_that_they_went_before(
    bot: RunningBot, database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    a_month_of_refunds(bot, APPROVED, ())
    monkeypatch.setenv("DATABASE_URL", database_url)

    assert main(["policy", "suggest", "--month", "2026-03", "--send"]) == 0
    first = capsys.readouterr().out
    assert main(["policy", "suggest", "--month", "2026-03", "--send"]) == 0
    second = capsys.readouterr().out
    bot.clock.set(datetime.now(UTC) + timedelta(minutes=1))  # the command line queued on the real clock
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)

    assert first.splitlines()[-1] == "queued 1 new proposal for HR and admins (the running bot sends them)"
    assert second.splitlines()[-1] == (
        "queued 0 new proposals for HR and admins (the running bot sends them); "
        "1 proposal of 2026-03 went to them before, not sent again"
    )
    assert len(proposals_to(bot, "U0HR")) == 1


def test_sending_with_proposals_turned_off_says_so_and_stores_none(
    bot: RunningBot, database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    load_org(bot.sessions, bot.clock.now())
    policy = POLICY_EXAMPLE.read_text()
    section = "[suggestions.boundary_proposals]\nenabled = true"
    assert section in policy
    load_policy(bot.sessions, bot.clock.now(), policy.replace(section, section.replace("true", "false")))
    a_month_of_refunds(bot, APPROVED, ())
    monkeypatch.setenv("DATABASE_URL", database_url)

    assert main(["policy", "suggest", "--month", "2026-03", "--send"]) == 0

    printed = capsys.readouterr().out
    assert "[agent] refund" in printed, "the evidence is printed all the same"
    assert printed.splitlines()[-1] == (
        "nothing sent: the policy in force turns proposals off ([suggestions.boundary_proposals] enabled = false)"
    )
    with bot.sessions() as session:
        assert count(session, BoundaryProposal) == 0
