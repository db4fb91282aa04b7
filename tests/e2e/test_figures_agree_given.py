""" "Given" reads the same on the leaderboard and the App Home: the shout-out an owner's *Done* gives a suggestion's
author is recognition the author received, but not one the owner chose to give, so neither "Gave most" nor HR's
pairs who mostly nominate each other count it, as the App Home's "Given this month" does not."""

from tests.conftest import RunningBot
from tests.e2e.test_suggestions import suggest
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
