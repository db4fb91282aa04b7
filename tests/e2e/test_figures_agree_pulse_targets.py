"""A pulse score is judged against its target as it is shown: rounded to one decimal, in the digest and in
/pulse results alike. A team averaging 3.875 reads 3.9, so against a 3.9 target it is at target, gap +0.0."""

from datetime import UTC, datetime

from handlers.blocks.digest import as_text
from tests.conftest import RunningBot
from tests.e2e.test_digest_delivery import digests_to, tick
from tests.fixture_week import run_pulse_round
from tests.pulse_org import EAST, PULSE, WEST, load_pulse_org

ROUND_OPENS = datetime(2026, 3, 2, 9, tzinfo=UTC)
DIGEST_DAY = datetime(2026, 3, 9, 14, tzinfo=UTC)  # Monday 09:00 in New York
READY = """replace_default_questions = true
[[pulse.questions]]
key = "ready"
text = "I am ready for the spring rush."
target = 3.9
"""


def test_a_score_shown_as_its_target_counts_as_at_target_with_no_gap(bot: RunningBot) -> None:
    """Seven of Maya's eight answer 4 and one 3: 3.875, shown 3.9, against a target of 3.9."""
    load_pulse_org(
        bot.sessions, ROUND_OPENS, pulse=PULSE.replace("questions_per_round = 3", "questions_per_round = 1") + READY
    )
    run_pulse_round(
        bot.sessions, ROUND_OPENS, [*EAST, *WEST[:4], "U0HR"], lambda person, _: 3 if person == EAST[0] else 4
    )
    bot.clock.set(DIGEST_DAY)

    tick(bot)
    [digest] = digests_to(bot, "U0MGR1")
    results = bot.driver.command("U0MGR1", "/pulse", "results").text

    text = as_text(digest.args["blocks"])
    assert (
        "*Team pulse, round 1:* 1 of 1 scores at or above target\n"
        "• I am ready for the spring rush. — 3.9 (target 3.9, gap +0.0)"
    ) in text, text
    assert "Average *3.9* of 5 · 8 answers · target 3.9, gap +0.0" in results, results
