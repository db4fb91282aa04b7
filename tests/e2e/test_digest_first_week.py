"""A manager's first digest covers only what Latitude saw: from the day it first knew them, with no "last week" from
before it existed; a week that ended before then brings no digest (it would read as a week of nothing done)."""

from datetime import UTC, datetime

from handlers.blocks.digest import as_text
from handlers.jobs.send_weekly_digests import send_weekly_digests
from tests.conftest import RunningBot
from tests.helpers import load_org_and_policy


def digests(bot: RunningBot, now: datetime) -> dict[str, str]:
    """Every digest due at `now`, as text, by its manager's Slack id."""
    bot.clock.set(now)
    send_weekly_digests(bot.runtime.deps, bot.runtime.app.client)
    sent = [c for c in bot.slack.calls("chat.postMessage") if c.text.startswith("Your team")]
    return {str(c.args["channel"]): as_text(c.args["blocks"]) for c in sent}


def test_the_first_digest_covers_the_days_since_latitude_started_and_compares_with_no_week_before(
    bot: RunningBot,
) -> None:
    """The org file lists Maya's team on Wednesday 4 March; Sam logs a fix on Thursday. Monday's digest covers
    Wednesday to Sunday, says so, and sets its figures against no "last week" (Latitude did not exist then); nor does
    it say nobody recognised Sam "in 30 days", of which Latitude saw five."""
    bot.clock.set(datetime(2026, 3, 4, 15, 0, tzinfo=UTC))
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.clock.set(datetime(2026, 3, 5, 15, 0, tzinfo=UTC))
    assert "Logged" in bot.driver.command("U0AGENT1", "/resolve", "credit 25 goodwill order 7 late parcel").text

    maya = digests(bot, datetime(2026, 3, 9, 14, 0, tzinfo=UTC))["U0MGR1"]  # Monday 09:00 in New York

    assert "Your team's week: Wed 04 Mar – Sun 08 Mar" in maya, maya
    assert "Latitude's record starts on Wed 04 Mar: this covers what it saw since" in maya, maya
    assert "*Customer fixes:* 1, $25 given" in maya, maya
    assert "last week" not in maya, maya
    assert "since Wed 04 Mar, when Latitude's record of this team starts" in maya, maya
    alt = " ".join(str(c.args.get("alt_txt") or "") for c in bot.slack.calls("files.getUploadURLExternal"))
    assert "credit 1." in alt and "last week" not in alt, alt


def test_a_week_that_ended_before_latitude_knew_the_manager_brings_no_digest(bot: RunningBot) -> None:
    """The org file is imported on Monday 9 March, before the digests go out: the week of 2 March, which Latitude
    never saw, brings Maya no digest of nothing; the next Monday's covers her first week, compared with none."""
    bot.clock.set(datetime(2026, 3, 9, 12, 0, tzinfo=UTC))
    load_org_and_policy(bot.sessions, bot.clock.now())

    assert digests(bot, datetime(2026, 3, 9, 14, 0, tzinfo=UTC)) == {}

    bot.slack.reset()
    maya = digests(bot, datetime(2026, 3, 16, 13, 0, tzinfo=UTC))["U0MGR1"]
    assert "Your team's week: Mon 09 Mar – Sun 15 Mar" in maya, maya
    assert "*Customer fixes:* none logged." in maya, maya
