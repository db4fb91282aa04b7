"""What a nominator is told of a nomination gone one level up names everyone in it, each within a line's room: the
longest names leave the sentence whole, not cut off at a section's 3,000 characters."""

from tests.conftest import RunningBot
from tests.e2e.test_rewards_approval import LEE
from tests.e2e.test_rewards_going_up import tick_after, told_who_decides
from tests.helpers import employee
from tests.rewards_helpers import set_up

LONGEST_NAME = "&" * 200
"""A name as long as the directory keeps one, each character escaped in mrkdwn to five."""


def test_the_nominator_hears_who_approves_now_whatever_the_names_in_it(bot: RunningBot) -> None:
    set_up(bot.sessions, bot.clock.now())
    with bot.sessions.begin() as session:
        for person in ("U0AGENT2", "U0MGR1", "U0ADMIN"):
            employee(session, person).name = LONGEST_NAME
    bot.driver.command("U0AGENT1", "/nominate", f"{LEE} voucher_25 saved a key account")

    for hours in (24.1, 23.5, 25):
        tick_after(bot, hours)

    [told] = told_who_decides(bot, "U0AGENT1")
    [section] = [block["text"]["text"] for block in told_blocks(bot) if "so it now goes to" in block["text"]["text"]]
    assert told.endswith(" to approve.") and section.endswith(" to approve."), section[-200:]
    assert bot.slack.violations == []


def told_blocks(bot: RunningBot) -> list[dict[str, dict[str, str]]]:
    return [block for call in bot.slack.messages_to("U0AGENT1") for block in call.args.get("blocks") or []]
