"""HR's weekly word of the org-file Slack ids Slack has nobody of: one DM per HR person and admin a week, listing
every such id of the workspace (whose, as written, since when), not one DM per id."""

from datetime import timedelta

from handlers.jobs.drain_outbox import drain_outbox
from tests.conftest import FIXTURES, RunningBot
from tests.e2e.test_home_again_sending import queue_homes_again
from tests.e2e.test_unknown_ids import HR, forgive_homes_to_nobody, remembered
from tests.helpers import load_org, load_policy

TYPOS = {"U0TYPO1": "Tia Typo", "U0TYPO2": "Tom Typo", "U0TYPO3": "Tess Typo"}
ORG_WITH_TYPOS = (FIXTURES / "org.csv").read_text() + "".join(
    f"{slack_id},{name},Support East,frontline,U0MGR1,,,\n" for slack_id, name in TYPOS.items()
)


def homes_sent_again(bot: RunningBot) -> None:
    """Something changed on their Homes: each is queued to publish again, and the background sender drains."""
    queue_homes_again(bot, *TYPOS)
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)


def told(bot: RunningBot, person: str) -> list[str]:
    """What `person` was told of the ids Slack has nobody of, each DM's whole text."""
    return [c.text for c in bot.slack.messages_to(person) if "nobody in this Slack workspace has" in c.text]


def test_hr_hear_of_every_id_slack_has_nobody_of_in_one_dm_a_week(bot: RunningBot) -> None:
    load_org(bot.sessions, bot.clock.now(), ORG_WITH_TYPOS)
    load_policy(bot.sessions, bot.clock.now())

    homes_sent_again(bot)

    assert remembered(bot) == sorted(TYPOS)
    for person in HR:
        [said] = told(bot, person)
        for slack_id, name in TYPOS.items():
            assert f"{name}: `{slack_id}`, found this week" in said
        assert "python -m bot org import" in said

    for _ in range(3):  # drains of the same week: nothing told again
        bot.clock.advance(timedelta(hours=6))
        homes_sent_again(bot)
    assert [len(told(bot, person)) for person in HR] == [1, 1]

    bot.clock.advance(timedelta(days=7))
    homes_sent_again(bot)
    homes_sent_again(bot)
    for person in HR:
        _, again = told(bot, person)
        assert all(f"{name}: `{slack_id}`, found 1 week ago" in again for slack_id, name in TYPOS.items())
    forgive_homes_to_nobody(bot)
