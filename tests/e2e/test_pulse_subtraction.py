"""A manager reading their team's results cannot take their own answers out of what they are shown: their answers
count in their own manager's team, never in the team they read, so a shown group is always at least the threshold of
other people (and there, were it only theirs, the rule hides the team rather than let their manager subtract it)."""

from tests.conftest import RunningBot
from tests.e2e.test_pulse_results import answer_all, close
from tests.e2e.test_pulse_rounds import start
from tests.pulse_org import EAST

HIDDEN = "Not shown, so that answers stay anonymous"


def test_a_managers_own_answers_never_make_up_the_threshold_of_the_team_they_read(bot: RunningBot) -> None:
    start(bot)
    answer_all(bot, ["U0MGR1"], 1)
    answer_all(bot, EAST[:4], 4)
    close(bot)

    east = bot.driver.command("U0MGR1", "/pulse", "results").text

    assert HIDDEN in east, "with her own answers Maya would see five, four of them her reports'"
    assert "Average" not in east and "Response rate" not in east
