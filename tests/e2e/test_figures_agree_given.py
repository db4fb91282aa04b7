""" "Given" reads the same on the leaderboard and the App Home: the shout-out an owner's *Done* gives a suggestion's
author is recognition the author received, but not one the owner chose to give, so neither "Gave most" nor HR's
pairs who mostly nominate each other count it, as the App Home's "Given this month" does not. And both count a
reward in the month it was granted: one still waiting for approval is not given yet (the App Home shows it apart)."""

from datetime import UTC, datetime

from handlers.blocks import nominations as nomination_blocks
from tests.conftest import RunningBot
from tests.e2e.test_suggestions import suggest
from tests.rewards_helpers import set_up
from tests.suggestions_helpers import load_suggestion_org


def mark_done(bot: RunningBot, card_text: str) -> None:
    card = suggest(bot, card_text)
    bot.driver.click("U0MGR1", card, "suggestion_done")
    opened = bot.slack.calls("views.open")[-1]
    bot.driver.submit("U0MGR1", opened.args["view"], {"note": f"Done: {card_text}"})


def test_the_thanks_for_a_done_suggestion_is_not_counted_as_given_on_the_leaderboard(bot: RunningBot) -> None:
    """Maya marks two of Sam's ideas done (two shout-outs to Sam) and Sam thanks Maya twice: Maya chose to give none."""
    load_suggestion_org(bot.sessions, bot.clock.now())
    mark_done(bot, "a second card reader on the returns desk")
    mark_done(bot, "label the returns shelves")
    for number in (1, 2):
        assert (
            "You recognised" in bot.driver.command("U0AGENT1", "/nominate", f"<@U0MGR1|maya> calm lead #{number}").text
        )
    bot.slack.reset()

    bot.driver.open_home("U0MGR1")
    board = bot.driver.command("U0HR", "/rewards", "top").text

    [home] = bot.slack.calls("views.publish")
    assert "*Received this month:* 2   *Given this month:* 0" in home.text, home.text
    assert "*Gave most*\n1. Sam Agent — 2\n\n*Received most*" in board, board
    assert "*Received most*\n1. Maya Manager — 2\n2. Sam Agent — 2" in board, "Sam did receive the thanks"
    assert "nominate each other* (worth a look, never blocked)\n_None._" in board, board


def home_and_board(bot: RunningBot, slack_id: str) -> tuple[str, str]:
    """What the App Home and `/rewards top` say of `slack_id`'s month, read at the same moment."""
    bot.slack.reset()
    bot.driver.open_home(slack_id)
    [home] = bot.slack.calls("views.publish")
    return home.text, bot.driver.command(slack_id, "/rewards", "top").text


def test_a_reward_waiting_for_approval_is_given_on_both_surfaces_in_the_month_it_is_granted(bot: RunningBot) -> None:
    """Sam asks for Lee's voucher on 30 March; Maya approves it on 2 April. In March neither surface counts it as
    given (the App Home says it waits); in April both do."""
    set_up(bot.sessions, bot.clock.now())
    bot.clock.set(datetime(2026, 3, 30, 15, 0, tzinfo=UTC))
    reply = bot.driver.command("U0AGENT1", "/nominate", "<@U0AGENT2|lee> voucher_25 kept a customer")
    assert "waiting for approval" in reply.text, reply.text
    [request] = [c for c in bot.slack.messages_to("U0MGR1") if c.method == "chat.postMessage"]

    home, board = home_and_board(bot, "U0AGENT1")

    assert "*Given this month:* 0   *Waiting for approval:* 1" in home, home
    assert "*Gave most*\n_Nobody yet._" in board, board

    bot.clock.set(datetime(2026, 4, 2, 15, 0, tzinfo=UTC))
    bot.driver.click("U0MGR1", request, nomination_blocks.APPROVE)
    home, board = home_and_board(bot, "U0AGENT1")

    assert "*Given this month:* 1   *Nominations left:*" in home, home
    assert "*Gave most*\n1. Sam Agent — 1" in board, board
