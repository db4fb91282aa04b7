"""After someone moves to another team, each figure counts where the README says it does.

Recognition received is filed as HR's export files it: under the team and manager the recipient had when granted,
so Sam's thanks from his weeks in Maya's team stay in her digest after he joins Omar's. A fix likewise records the
manager its giver had when logging it, and stays in that manager's digest.
"""

from datetime import UTC, datetime

from sqlalchemy import delete, update

from handlers.blocks.digest import as_text
from handlers.jobs.send_weekly_digests import send_weekly_digests
from models import Resolution, ResolutionManager, Workspace
from tests.conftest import FIXTURES, RunningBot
from tests.helpers import load_org, load_org_and_policy

SAM_IN_EAST = "U0AGENT1,Sam Agent,Support East,frontline,U0MGR1,"
SAM_IN_WEST = "U0AGENT1,Sam Agent,Support West,frontline,U0MGR2,"


def move_sam_to_omar(bot: RunningBot) -> None:
    org = (FIXTURES / "org.csv").read_text()
    assert SAM_IN_EAST in org
    load_org(bot.sessions, bot.clock.now(), org.replace(SAM_IN_EAST, SAM_IN_WEST))


def digests(bot: RunningBot, now: datetime) -> dict[str, str]:
    """Every digest due at `now`, as text, by its manager's Slack id."""
    bot.clock.set(now)
    send_weekly_digests(bot.runtime.deps, bot.runtime.app.client)
    sent = [c for c in bot.slack.calls("chat.postMessage") if c.text.startswith("Your team")]
    bot.slack.reset()
    return {str(c.args["channel"]): as_text(c.args["blocks"]) for c in sent}


def test_thanks_received_before_a_move_stay_with_the_team_they_were_given_in(bot: RunningBot) -> None:
    """Sam is thanked on Tuesday in Maya's team and joins Omar's on Thursday: Monday's digests file the thanks under
    Maya's team, as HR's export does, not under Omar's."""
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.clock.set(datetime(2026, 3, 10, 15, 0, tzinfo=UTC))
    assert "Sam" in bot.driver.command("U0AGENT2", "/nominate", "<@U0AGENT1|sam> calmed the Tuesday rush").text
    bot.clock.set(datetime(2026, 3, 12, 15, 0, tzinfo=UTC))
    move_sam_to_omar(bot)

    sent = digests(bot, datetime(2026, 3, 16, 17, 0, tzinfo=UTC))  # Monday 13:00 in New York, 10:00 in Los Angeles

    assert "*Recognition:* 1 received by the team, 1 given by it" in sent["U0MGR1"], sent["U0MGR1"]
    assert "*Recognition:* 0 received by the team, 0 given by it" in sent["U0MGR2"], sent["U0MGR2"]
    bot.driver.command("U0HR", "/rewards", "export 2026-03-01 2026-03-31 team:Support East")
    [upload] = bot.slack.files()
    assert "Maya Manager" in next(iter(upload.files.values())).decode(), "the export files it under Maya too"


def test_fixes_logged_before_a_move_stay_with_the_team_they_were_logged_in(bot: RunningBot) -> None:
    """Sam logs a fix on Tuesday in Maya's team and joins Omar's on Thursday: the fix records Maya as his manager,
    so Monday's digests count it in hers, not in Omar's; his Friday fix is Omar's."""
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.clock.set(datetime(2026, 3, 10, 15, 0, tzinfo=UTC))
    assert "Logged" in bot.driver.command("U0AGENT1", "/resolve", "credit 25 goodwill order 7").text
    bot.clock.set(datetime(2026, 3, 12, 15, 0, tzinfo=UTC))
    move_sam_to_omar(bot)
    bot.clock.set(datetime(2026, 3, 13, 15, 0, tzinfo=UTC))
    assert "Logged" in bot.driver.command("U0AGENT1", "/resolve", "credit 10 goodwill order 8").text

    sent = digests(bot, datetime(2026, 3, 16, 17, 0, tzinfo=UTC))

    assert "*Customer fixes:* 1 (last week 0), $25 given" in sent["U0MGR1"], sent["U0MGR1"]
    assert "*Customer fixes:* 1 (last week 0), $10 given" in sent["U0MGR2"], sent["U0MGR2"]
    readme = " ".join((FIXTURES.parent.parent / "README.md").read_text().split())
    assert "a fix records every manager above its giver when they logged it" in readme


def test_fixes_logged_before_the_manager_was_recorded_follow_the_team_as_it_is(bot: RunningBot) -> None:
    """A fix logged before the upgrade that records the manager (null, and no managers above kept) is counted by
    today's team, as it was."""
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.clock.set(datetime(2026, 3, 10, 15, 0, tzinfo=UTC))
    assert "Logged" in bot.driver.command("U0AGENT1", "/resolve", "credit 25 goodwill order 7").text
    with bot.sessions.begin() as session:
        session.execute(update(Resolution).values(manager_id=None))
        session.execute(delete(ResolutionManager))
        session.execute(update(Workspace).values(managers_kept_since=datetime(2026, 3, 11, tzinfo=UTC)))
    bot.clock.set(datetime(2026, 3, 12, 15, 0, tzinfo=UTC))
    move_sam_to_omar(bot)

    sent = digests(bot, datetime(2026, 3, 16, 17, 0, tzinfo=UTC))

    assert "*Customer fixes:* none logged (last week 0)." in sent["U0MGR1"], sent["U0MGR1"]
    assert "*Customer fixes:* 1 (last week 0), $25 given" in sent["U0MGR2"], sent["U0MGR2"]
