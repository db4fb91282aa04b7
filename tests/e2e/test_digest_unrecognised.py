"""The digest lists the first few people nobody has recognised in 30 days, then "and N more", saying where to see
them all: `/digest recognition`, which lists every one of them, within Slack's limits however long the list."""

from datetime import UTC, datetime

from bot.fakeslack.blockkit import message_problems
from handlers.blocks.digest import as_text
from handlers.jobs.send_weekly_digests import send_weekly_digests
from tests.conftest import FIXTURES, RunningBot
from tests.helpers import load_org, load_policy

AGENTS = 60
NAME = "Agent With A Rather Long Family Name Number"


def org_with_a_big_team() -> str:
    agents = [
        f"U0BIG{n:03d},{NAME} {n:03d},Support East,frontline,U0MGR1,,America/New_York,agent" for n in range(AGENTS)
    ]
    return "\n".join([(FIXTURES / "org.csv").read_text().rstrip("\n"), *agents]) + "\n"


def test_the_digest_says_where_to_see_everyone_nobody_recognised_and_the_command_lists_them_all(
    bot: RunningBot,
) -> None:
    bot.clock.set(datetime(2026, 2, 2, 15, 0, tzinfo=UTC))
    load_org(bot.sessions, bot.clock.now(), org_with_a_big_team())
    load_policy(bot.sessions, bot.clock.now())
    bot.clock.set(datetime(2026, 3, 16, 14, 0, tzinfo=UTC))  # Monday 09:00 in New York

    send_weekly_digests(bot.runtime.deps, bot.runtime.app.client)

    [digest] = [c for c in bot.slack.calls("chat.postMessage", channel="U0MGR1") if c.text.startswith("Your team")]
    text = as_text(digest.args["blocks"])
    assert "Nobody has recognised these people in 30 days" in text, text
    assert "more: `/digest recognition` lists them" in text, text

    bot.slack.reset()
    assert bot.driver.command("U0MGR1", "/digest", "recognition").status == 200
    [listed] = bot.slack.calls("response_url")
    shown = as_text(listed.args["blocks"])
    assert f"Nobody has recognised these {AGENTS + 2} people in your team in 30 days" in shown, shown
    assert all(f"{NAME} {n:03d}" in shown for n in range(AGENTS)), shown
    assert "Sam Agent" in shown and "Lee Senior" in shown
    assert "more" not in shown
    assert listed.args["response_type"] == "ephemeral"
    assert message_problems(listed.args) == []


def test_a_list_longer_than_a_message_says_how_many_it_shows_and_how_to_see_the_others(bot: RunningBot) -> None:
    """Past about 500 names the list ended with a bare "and N more", and its head line still read as the whole. A
    manager, who can name no other team, is not sent to one; HR is told to name a team lower down."""
    many = 700
    agents = [f"U0MANY{n:03d},{NAME} {n:03d},Support East,frontline,U0MGR1,,,agent" for n in range(many)]
    bot.clock.set(datetime(2026, 2, 2, 15, 0, tzinfo=UTC))
    load_org(bot.sessions, bot.clock.now(), (FIXTURES / "org.csv").read_text() + "\n".join(agents) + "\n")
    load_policy(bot.sessions, bot.clock.now())
    bot.clock.set(datetime(2026, 3, 16, 14, 0, tzinfo=UTC))

    assert bot.driver.command("U0MGR1", "/digest", "recognition").status == 200

    [listed] = bot.slack.calls("response_url")
    shown = as_text(listed.args["blocks"])
    names = sum(f"{NAME} {n:03d}" in shown for n in range(many))
    assert f"Nobody has recognised these {many + 2} people in your team in 30 days* (showing the first " in shown
    assert f"(showing the first {names} by name)" in shown, shown[:400]
    assert shown.endswith(f"…and {many + 2 - names} more."), shown[-200:]
    assert "/digest recognition team:" not in shown, "a manager can name no other team"
    assert message_problems(listed.args) == []

    bot.slack.reset()
    assert bot.driver.command("U0HR", "/digest", "recognition team:Support East").status == 200
    [for_hr] = bot.slack.calls("response_url")
    shown = as_text(for_hr.args["blocks"])
    names = sum(f"{NAME} {n:03d}" in shown for n in range(many))
    assert f"…and {many + 2 - names} more: name one team for a shorter list, `/digest recognition team:NAME`" in shown
