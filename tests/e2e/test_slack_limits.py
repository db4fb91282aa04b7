"""Whatever the data, every message, form and App Home Latitude sends is one Slack accepts."""

from tests.conftest import RunningBot
from tests.e2e.test_pulse_results import answer_all, close
from tests.e2e.test_pulse_rounds import questions_dm
from tests.pulse_org import EAST, EVERYONE, PULSE, load_pulse_org


def ten_long_questions() -> str:
    """Ten questions of the 300 characters a question may have, written with `&` all along: five times as long once
    escaped."""
    questions = "".join(f'[[pulse.questions]]\nkey = "q{n}"\ntext = "Q{n} {"&" * 295}"\n' for n in range(10))
    return PULSE.replace("questions_per_round = 3", "questions_per_round = 10") + (
        "replace_default_questions = true\n" + questions
    )


def test_ten_long_pulse_questions_full_of_ampersands_reach_everyone_and_their_results_show(bot: RunningBot) -> None:
    load_pulse_org(bot.sessions, bot.clock.now(), pulse=ten_long_questions())

    assert "Pulse round 1 is open" in bot.driver.command("U0HR", "/pulse", "start").text
    assert bot.slack.violations == []
    assert sorted(call.channel for call in bot.slack.calls("chat.postMessage")) == sorted(EVERYONE)
    assert "*1. Q0 &amp;&amp;" in questions_dm(bot, "U0A01").text and "&amp;…*" in questions_dm(bot, "U0A01").text
    answer_all(bot, EAST[:5], 4, questions=10)
    close(bot)

    results = bot.driver.command("U0MGR1", "/pulse", "results")

    assert bot.slack.violations == []
    assert results.text.count("Average *4.0* of 5") == 10
