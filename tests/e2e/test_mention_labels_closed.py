"""A mention's label (`<@U…|name>`, `<#C…|name>`) shown back in words has the writing direction it opens closed at
its end, as other user text has: a right-to-left override in it would show the words after it backwards."""

from handlers.blocks import nominations as blocks
from tests.conftest import RunningBot
from tests.helpers import load_org_and_policy
from tests.rewards_helpers import add_story, set_up

RLO, PDF = "\u202e", "\u202c"


def test_a_label_in_a_story_offered_in_the_nominate_modal_stops_at_the_label(bot: RunningBot) -> None:
    set_up(bot.sessions, bot.clock.now())
    with bot.sessions.begin() as session:
        add_story(session, "U0AGENT3", f"Met <@U0ZED|{RLO}zed> in <#C0SHIP|{RLO}shipping> at noon", bot.clock.now())

    bot.driver.command("U0AGENT1", "/nominate")

    [opened] = bot.slack.calls("views.open")
    [menu] = [block for block in opened.args["view"]["blocks"] if block["block_id"] == blocks.STORY]
    [story] = [option["text"]["text"] for option in menu["element"]["options"]]
    assert story == f"Ines Agent: Met @{RLO}zed{PDF} in #{RLO}shipping{PDF} at noon"
    assert bot.slack.violations == []


def test_a_label_echoed_back_from_a_command_stops_at_the_label(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())

    reply = bot.driver.command("U0AGENT1", "/boundaries", f"refund <@U0ZED|{RLO}zed> now")

    assert f"I don't know `@{RLO}zed{PDF} now` after `refund`" in reply.text, reply.text
