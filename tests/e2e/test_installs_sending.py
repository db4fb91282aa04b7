"""The background sender serves every installed workspace in turn: one workspace's fan-out, paced for that
workspace, does not hold up the messages of another."""

from datetime import timedelta

from handlers.jobs.drain_outbox import drain_outbox
from services import directory, outbox
from tests.conftest import RunningBot
from tests.e2e.test_installs import ALPHA_ORG, BETA_ORG, install_in, oauth_bot  # noqa: F401

FAN_OUT = 60


def queue_to(bot: RunningBot, team_id: str, person: str, keys: list[str]) -> None:
    with bot.sessions.begin() as session:
        workspace = directory.find_workspace(session, team_id)
        assert workspace is not None
        for key in keys:
            payload = {"channel": person, "text": key}
            outbox.enqueue(
                session, workspace=workspace, key=key, method="chat.postMessage", payload=payload, now=bot.clock.now()
            )


def test_a_workspaces_fan_out_does_not_hold_up_another_workspaces_message(oauth_bot: RunningBot) -> None:  # noqa: F811
    install_in(oauth_bot, "T0ALPHA", ALPHA_ORG)
    install_in(oauth_bot, "T0BETA", BETA_ORG)
    queue_to(oauth_bot, "T0ALPHA", "U0AAGENT", [f"alpha:{number}" for number in range(FAN_OUT)])
    queue_to(oauth_bot, "T0BETA", "U0BMGR", ["beta:digest"])
    started = oauth_bot.clock.now()

    drain_outbox(oauth_bot.runtime.deps, oauth_bot.runtime.sender_client)

    sent = [call.text for call in oauth_bot.slack.calls("chat.postMessage")]
    assert len(sent) == FAN_OUT + 1
    assert sent.index("beta:digest") < 25, "beta's message goes with the first batch, not after alpha's fan-out"
    assert oauth_bot.clock.now() - started > timedelta(seconds=10), "alpha's fan-out is paced at 5 a second"
