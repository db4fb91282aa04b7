"""One workspace served with its `SLACK_BOT_TOKEN`: a revocation Slack is late to tell of (a retry minutes later)
must not stop the token the bot was restarted with since."""

import time
from datetime import timedelta

from handlers.jobs.follow_up_pending_requests import follow_up_pending_requests
from services import directory
from tests.conftest import RunningBot, bot_settings, running_bot
from tests.helpers import load_org_and_policy


def test_a_late_revocation_of_the_old_token_leaves_the_bot_restarted_with_a_new_one_serving(
    bot: RunningBot, database_url: str
) -> None:
    """The admin revoked the bot token (Slack sends `tokens_revoked`; its first try went unheard), installed again
    and restarted the bot with the new token; then Slack's retry of the old revocation arrives."""
    load_org_and_policy(bot.sessions, bot.clock.now())
    revoked_at = int(time.time())
    bot.slack.state.installs.revoke(bot.slack.token)
    new_token = bot.slack.add_workspace("T0LATITUDE", "Latitude")
    settings = bot_settings(bot.slack, database_url, slack_bot_token=new_token)
    restart = running_bot(settings, bot.slack, bot.clock, bot.engines)
    restarted = next(restart)
    try:
        restarted.driver.command("U0AGENT1", "/resolve", "refund 80 order 42 parcel lost in transit")
        late = {"type": "tokens_revoked", "tokens": {"bot": ["U0LATBOT"]}}
        assert restarted.driver.event(late, retry_num=1, sent_at=revoked_at).status == 200
        bot.clock.advance(timedelta(hours=25))
        follow_up_pending_requests(restarted.runtime.deps, restarted.runtime.app.client)

        with restarted.sessions() as session:
            assert [w.slack_team_id for w in directory.installed_workspaces(session)] == ["T0LATITUDE"]
        request, reminder = bot.slack.calls("chat.postMessage", channel="U0MGR1")
        assert request.token == reminder.token == new_token
    finally:
        next(restart, None)
