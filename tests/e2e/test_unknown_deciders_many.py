"""Many requests withheld from a decider whose org-file Slack id was marked as Slack's nobody: once Slack shows it
knows them, one DM says how many wait and points to the Home, rather than one DM each; and the requesters of requests
handed to a marked decider in one summary hear, each once, that the decider cannot be reached yet."""

from datetime import timedelta

from handlers.handover_summary import SUMMARY_OVER
from tests.conftest import RunningBot
from tests.e2e.test_unknown_deciders import TYPO, drain, manager_marked
from tests.e2e.test_unknown_deciders_found import BUTTONS, maya_opens_her_home

WHERE = "Home tab lists what waits for your decision"


def withheld_from_maya(bot: RunningBot, count: int) -> None:
    manager_marked(bot)
    for n in range(count):
        bot.driver.command("U0AGENT1", "/resolve", f"refund 80 order {n + 1} parcel lost in transit")
    drain(bot)
    assert bot.slack.messages_to(TYPO) == []


def test_many_requests_withheld_reach_their_manager_as_one_summary(bot: RunningBot) -> None:
    withheld_from_maya(bot, SUMMARY_OVER + 2)

    maya_opens_her_home(bot)
    bot.clock.advance(timedelta(minutes=11))  # her Home opened again: nothing more is sent
    assert bot.driver.open_home(TYPO).status == 200
    drain(bot)

    [summary] = bot.slack.messages_to(TYPO)
    assert f"{SUMMARY_OVER + 2} requests wait for your decision" in summary.text, summary.text
    assert WHERE in str(summary.args["blocks"]) and BUTTONS not in str(summary.args["blocks"])


def test_a_few_requests_withheld_reach_their_manager_one_dm_each(bot: RunningBot) -> None:
    withheld_from_maya(bot, 3)

    maya_opens_her_home(bot)

    asked = bot.slack.messages_to(TYPO)
    assert len(asked) == 3 and all(BUTTONS in str(dm.args["blocks"]) for dm in asked)
    assert sorted(f"order {n}" in " ".join(dm.text for dm in asked) for n in (1, 2, 3)) == [True] * 3
