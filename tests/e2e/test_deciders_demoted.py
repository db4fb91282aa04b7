"""Someone an org import demotes, with nobody to hand what waits on them to: it stays with them, but they may no longer
decide it, their Home leaves it out, and the import names it to HR.

Ada and Bo are both admins, neither with a manager. What Bo sends goes to Ada, the only other admin; what goes to the
admins for Ada (a reward: HR, Hana, reports to her) goes to Bo.
"""

from sqlalchemy import select

from bot.cli.org import describe_report
from handlers.jobs.drain_outbox import drain_outbox
from models import Nomination, Resolution, RewardGrant
from tests.conftest import FIXTURES, RunningBot
from tests.e2e.test_home_latest import buttons_of
from tests.e2e.test_people_leaving import reimport
from tests.helpers import load_org, load_policy

ORG_CSV = (FIXTURES / "org.csv").read_text()
WITH_BO = ORG_CSV.rstrip("\n") + "\nU0BO,Bo Admin,Operations,admin,,bo@example.com,Europe/London,\n"
ADA_FRONTLINE = WITH_BO.replace("U0ADMIN,Ada Admin,Operations,admin", "U0ADMIN,Ada Admin,Operations,frontline")
BO_FRONTLINE = WITH_BO.replace("U0BO,Bo Admin,Operations,admin", "U0BO,Bo Admin,Operations,frontline")


def ada_and_bo_admins(bot: RunningBot) -> None:
    bot.slack.add_user("U0BO", "Bo Admin")
    load_org(bot.sessions, bot.clock.now(), WITH_BO)
    load_policy(bot.sessions, bot.clock.now())


def test_an_admin_made_frontline_can_no_longer_decide_a_request_nobody_else_can_be_given(bot: RunningBot) -> None:
    ada_and_bo_admins(bot)
    bot.driver.command("U0BO", "/resolve", "refund 6000 order 42 warehouse fire")
    [request] = bot.slack.calls("chat.postMessage", channel="U0ADMIN")
    bot.driver.open_home("U0ADMIN")
    assert ("resolution_approve", "1") in buttons_of(bot.slack.state.home_view("U0ADMIN") or {})

    report = reimport(bot.sessions, bot.clock.now(), ADA_FRONTLINE)
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)
    bot.driver.click("U0ADMIN", request, "resolution_approve")

    with bot.sessions() as session:
        resolution = session.scalars(select(Resolution)).one()
        assert (resolution.status, resolution.decider.slack_id) == ("pending", "U0ADMIN")
    [refused] = bot.slack.calls("response_url")
    assert "you may no longer decide it" in refused.text and "Nothing changed" in refused.text, refused.text
    assert report.handovers == []
    assert (
        "  ! request 1 of Bo Admin (U0BO) (refund, $6,000) still waits on Ada Admin (U0ADMIN), who may no longer "
        "decide it, and nobody else can: name a manager above Bo Admin in `manager_slack_id`, or another admin"
    ) in describe_report(report).splitlines(), describe_report(report)
    home = bot.slack.state.home_view("U0ADMIN") or {}  # published again by the import, not opened since
    assert not [button for button in buttons_of(home) if button[0].startswith("resolution_")], home


def test_an_admin_made_frontline_can_no_longer_approve_a_reward_nobody_else_can_be_given(bot: RunningBot) -> None:
    ada_and_bo_admins(bot)
    bot.driver.command("U0AGENT1", "/nominate", "<@U0ADMIN|ada> voucher_25 covered every shift in the storm")
    [request] = bot.slack.calls("chat.postMessage", channel="U0BO")
    with bot.sessions() as session:
        assert session.scalars(select(Nomination)).one().approver.slack_id == "U0BO"
    bot.driver.open_home("U0BO")
    assert ("reward_approve", "1") in buttons_of(bot.slack.state.home_view("U0BO") or {})

    report = reimport(bot.sessions, bot.clock.now(), BO_FRONTLINE)
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)
    bot.driver.click("U0BO", request, "reward_approve")

    with bot.sessions() as session:
        nomination = session.scalars(select(Nomination)).one()
        assert (nomination.status, nomination.approver.slack_id) == ("pending", "U0BO")
        assert session.scalars(select(RewardGrant)).all() == []
    refused = bot.slack.calls("response_url")[-1].text
    assert "you may no longer approve it" in refused and "Nothing changed" in refused, refused
    assert report.handovers == []
    stuck = [line for line in describe_report(report).splitlines() if "still waits on Bo Admin (U0BO)" in line]
    assert stuck == [
        "  ! nomination 1 of Ada Admin (U0ADMIN), for Coffee & cake voucher, still waits on Bo Admin (U0BO), who may "
        "no longer approve it, and nobody else can: name a manager above Ada Admin in "
        "`manager_slack_id`, or an HR person or admin who does not report to them"
    ], describe_report(report)
    home = bot.slack.state.home_view("U0BO") or {}
    assert not [button for button in buttons_of(home) if button[0].startswith("reward_")], home
