"""With OAuth installs, whose tokens are kept in the database, a click in the App Home while the database is down is
still told that nothing was done, with the workspace's token the bot last used, rather than answered 503."""

from slack_sdk import WebClient
from sqlalchemy import select

from models import Resolution
from tests.conftest import RunningBot
from tests.e2e.test_database_failing import replay_check_out_of_reach
from tests.e2e.test_installs import ALPHA_ORG, BETA_ORG, install_in, oauth_bot  # noqa: F401


def test_with_installs_a_click_in_the_home_while_the_database_is_down_opens_a_modal_saying_nothing_was_done(
    oauth_bot: RunningBot,  # noqa: F811
) -> None:
    alpha = install_in(oauth_bot, "T0ALPHA", ALPHA_ORG)
    install_in(oauth_bot, "T0BETA", BETA_ORG)
    alpha.command("U0AAGENT", "/resolve", "refund 80 order 42 parcel lost in transit")
    alpha.open_home("U0AMGR")
    [home] = oauth_bot.slack.calls("views.publish", user_id="U0AMGR")

    with replay_check_out_of_reach(oauth_bot.runtime.engine):
        reply = alpha.post_payload(alpha.view_click_payload("U0AMGR", home.args["view"], "resolution_approve"))
        [opened] = oauth_bot.slack.wait_for("views.open")

    assert reply.status == 200
    assert opened.token == oauth_bot.slack.tokens_of("T0ALPHA")[0], "the workspace's own token"
    shown = opened.args["view"]["blocks"][0]["text"]["text"]
    assert "can't use its database right now" in shown and "nothing was done" in shown
    with oauth_bot.sessions() as session:
        assert session.execute(select(Resolution.status)).scalar_one() == "pending"


def test_with_installs_a_click_from_a_workspace_not_seen_since_the_start_still_gets_503(
    oauth_bot: RunningBot,  # noqa: F811
) -> None:
    """No token of its own is known without the database: Slack shows the button's warning sign."""
    alpha = install_in(oauth_bot, "T0ALPHA", ALPHA_ORG)
    beta = install_in(oauth_bot, "T0BETA", BETA_ORG)
    alpha.command("U0AAGENT", "/resolve", "refund 80 order 42 parcel lost in transit")
    alpha.open_home("U0AMGR")
    [home] = oauth_bot.slack.calls("views.publish", user_id="U0AMGR")
    # the Home a run of the app before this one published for beta's manager: alike, their own, and theirs to click
    earlier = WebClient(token=oauth_bot.slack.tokens_of("T0BETA")[0], base_url=oauth_bot.slack.api_url)
    earlier.views_publish(user_id="U0BMGR", view=home.args["view"])

    with replay_check_out_of_reach(oauth_bot.runtime.engine):
        reply = beta.post_payload(beta.view_click_payload("U0BMGR", home.args["view"], "resolution_approve"))

    assert reply.status == 503
    assert oauth_bot.slack.calls("views.open") == []
