"""The weekly digest DM carries the team's pulse, and nothing of it for a team the anonymity rule hides."""

import re
from datetime import UTC, datetime

from handlers.blocks.digest import as_text
from tests.conftest import RunningBot
from tests.e2e.test_digest_delivery import digests_to, tick
from tests.fixture_week import run_pulse_round
from tests.pulse_org import EAST, WEST, load_pulse_org

ROUND_OPENS = datetime(2026, 3, 2, 9, tzinfo=UTC)
DIGEST_DAY = datetime(2026, 3, 9, 14, tzinfo=UTC)  # Monday: 09:00 in New York, 23:00 in Tokyo


def test_the_digest_shows_the_teams_pulse_and_only_the_reason_below_the_threshold(bot: RunningBot) -> None:
    load_pulse_org(bot.sessions, ROUND_OPENS)
    run_pulse_round(
        bot.sessions, ROUND_OPENS, [*EAST[:5], *WEST[:4], "U0HR"], lambda person, _: 3 if person in EAST else 2
    )
    bot.clock.set(DIGEST_DAY)

    tick(bot)

    [east] = digests_to(bot, "U0MGR1")
    [west] = digests_to(bot, "U0MGR2")
    east_text, west_text = as_text(east.args["blocks"]), as_text(west.args["blocks"])
    assert (
        "*Team pulse, round 1:* 0 of 3 scores at or above target\n"
        "• I know what superior customer service means here. — 3.0 (target 4.5, gap -1.5)\n"
        "• This organisation truly values superior customer service. — 3.0 (target 4.5, gap -1.5)\n"
        "• I have the tools, information and time to deliver it. — 3.0 (target 4.0, gap -1.0)"
    ) in east_text
    assert "*Team pulse, round 1:* not shown, so that answers stay anonymous: too few" in west_text
    assert east_text.count("Team pulse") == 1 and west_text.count("Team pulse") == 1, "the pulse part is shown once"
    assert "target" not in west_text and not re.search(r"\d\.\d", west_text)
