"""An admin who leads a team reads two different lists under two different labels, as the README says: the App
Home's "Waiting for a decision in the workspace" (every request, any of which an admin may decide), and the digest's
"Waiting on you" (the requests sent to them or from their direct reports)."""

from datetime import UTC, datetime

from handlers.blocks.digest import as_text
from handlers.jobs.send_weekly_digests import send_weekly_digests
from tests.conftest import FIXTURES, RunningBot
from tests.helpers import load_org_and_policy


def test_an_admins_home_counts_the_workspaces_requests_and_their_digest_those_waiting_on_them(bot: RunningBot) -> None:
    """Sam's refund waits on Maya: Ada, the admin Maya reports to, may decide it, but it is not waiting on Ada."""
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.clock.set(datetime(2026, 3, 10, 15, 0, tzinfo=UTC))
    assert "sent it to Maya Manager" in bot.driver.command("U0AGENT1", "/resolve", "refund 200 order 7 broken").text
    bot.clock.set(datetime(2026, 3, 16, 10, 0, tzinfo=UTC))  # Monday 10:00 in London
    bot.slack.reset()

    bot.driver.open_home("U0ADMIN")
    send_weekly_digests(bot.runtime.deps, bot.runtime.app.client)

    [home] = bot.slack.calls("views.publish")
    [digest] = [c for c in bot.slack.calls("chat.postMessage", channel="U0ADMIN") if c.text.startswith("Your team")]
    assert "*Waiting for a decision in the workspace* (1): as an admin you may decide these" in home.text, home.text
    assert "*Waiting on you:* nothing." in as_text(digest.args["blocks"])
    readme = " ".join((FIXTURES.parent.parent / "README.md").read_text().split())
    assert "an admin's App Home lists every request waiting in the workspace that they may decide" in readme
