"""Fairness and visibility: /rewards top, HR's mutual-pair flag, the leaderboard switch, App Home's Recognition."""

from datetime import UTC, datetime

import pytest

from handlers.blocks.nominations import PEOPLE, PUBLIC, REASON, REWARD
from tests.conftest import RunningBot
from tests.rewards_helpers import EXAMPLE_POLICY, load_policy_text, set_up

SAM, LEE, INES = "<@U0AGENT1|sam>", "<@U0AGENT2|lee>", "<@U0AGENT3|ines>"


@pytest.fixture
def ready(bot: RunningBot) -> RunningBot:
    set_up(bot.sessions, bot.clock.now())
    return bot


def nominate(bot: RunningBot, giver: str, text: str, times: int = 1) -> None:
    for number in range(times):
        reply = bot.driver.command(giver, "/nominate", f"{text} (#{number})")
        assert "You recognised" in reply.text, reply.text


def test_top_shows_who_gave_and_received_most_and_teams(ready: RunningBot) -> None:
    nominate(ready, "U0AGENT1", f"{LEE} great call", times=3)
    nominate(ready, "U0AGENT3", f"{SAM} thanks")

    reply = ready.driver.command("U0AGENT2", "/rewards", "top")

    assert "*Gave most*\n1. Sam Agent — 3\n2. Ines Agent — 1" in reply.text
    assert "*Received most*\n1. Lee Senior — 3\n2. Sam Agent — 1" in reply.text
    assert "*Teams*\n1. Support East — 4" in reply.text
    assert "mostly nominate each other" not in reply.text


def test_hr_sees_pairs_who_mostly_nominate_each_other(ready: RunningBot) -> None:
    nominate(ready, "U0AGENT1", f"{LEE} great call", times=2)
    nominate(ready, "U0AGENT2", f"{SAM} great call too", times=2)
    nominate(ready, "U0AGENT3", f"{SAM} thanks", times=2)

    reply = ready.driver.command("U0HR", "/rewards", "top quarter")

    assert "Recognition this quarter" in reply.text
    assert "• Sam Agent → Lee Senior 2, back 2" in reply.text
    assert "Ines" not in reply.text.split("each other")[1]


def test_an_admin_can_switch_leaderboards_off(ready: RunningBot) -> None:
    text = EXAMPLE_POLICY.read_text().replace("leaderboards = true", "leaderboards = false")
    load_policy_text(ready.sessions, ready.clock.now(), text)

    reply = ready.driver.command("U0AGENT1", "/rewards", "top")

    assert "Leaderboards are switched off" in reply.text


def test_top_with_an_unknown_period_says_which_ones_exist(ready: RunningBot) -> None:
    assert "use month or quarter" in ready.driver.command("U0AGENT1", "/rewards", "top year").text


def test_app_home_shows_this_months_recognition_and_the_latest_shout_outs(ready: RunningBot) -> None:
    nominate(ready, "U0AGENT1", f"{LEE} <b>bold</b> fix")
    nominate(ready, "U0AGENT2", f"{SAM} thanks back")

    ready.driver.open_home("U0AGENT1")

    [publish] = ready.slack.calls("views.publish")
    assert "*Received this month:* 1   *Given this month:* 1   *Nominations left:* 4 of 5" in publish.text
    assert "Sam Agent → *Lee Senior*: &lt;b&gt;bold&lt;/b&gt; fix (#0)" in publish.text


def test_app_home_says_when_the_allowance_renews_on_the_readers_clock(ready: RunningBot) -> None:
    ready.driver.open_home("U0AGENT1")

    [publish] = ready.slack.calls("views.publish")
    april = int(datetime(2026, 4, 1, tzinfo=UTC).timestamp())
    assert (
        f"*Nominations left:* 5 of 5 (renews <!date^{april}^{{date_short}} at {{time}}|01 April 00:00 UTC>)"
        in publish.text
    ), "the month is UTC's: in New York it turns over the evening before, which Slack shows on each reader's clock"


def test_app_home_leaves_private_recognition_out_of_the_shout_outs(ready: RunningBot) -> None:
    nominate(ready, "U0AGENT1", f"{LEE} kept the queue calm")
    ready.driver.command("U0AGENT2", "/nominate")
    [opened] = ready.slack.calls("views.open")
    private = {PEOPLE: ["U0AGENT3"], REWARD: "shoutout", REASON: "quietly fixed my mistake", PUBLIC: []}
    assert ready.driver.submit("U0AGENT2", opened.args["view"], private).status == 200

    ready.driver.open_home("U0AGENT1")

    [publish] = ready.slack.calls("views.publish")
    assert "Sam Agent → *Lee Senior*: kept the queue calm (#0)" in publish.text
    assert "quietly fixed my mistake" not in publish.text


def test_top_with_something_else_names_it_as_typed_and_cut_short(ready: RunningBot) -> None:
    mention = ready.driver.command("U0AGENT1", "/rewards", "top <@U0MGR1|maya>")
    long = ready.driver.command("U0AGENT1", "/rewards", f"top {'Y' * 300}")
    capital = ready.driver.command("U0AGENT1", "/rewards", "top Quarter")

    assert "`<@U0MGR1>` is not a period: use month or quarter" in mention.text, "a mention as Slack wrote it"
    assert f"`{'Y' * 39}…` is not a period" in long.text and "Y" * 40 not in long.text
    assert "is not a period" not in capital.text
