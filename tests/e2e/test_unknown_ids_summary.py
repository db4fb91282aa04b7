"""HR's weekly word of the org-file Slack ids Slack has nobody of: one DM per HR person and admin a week, listing
every such id of the workspace (whose, as written, since when), not one DM per id."""

from datetime import UTC, datetime, timedelta

from handlers.jobs.drain_outbox import drain_outbox
from services import directory, unknown_ids
from tests.conftest import FIXTURES, RunningBot
from tests.e2e.test_home_again_sending import queue_homes_again
from tests.e2e.test_unknown_ids import HR, forgive_homes_to_nobody, remembered
from tests.e2e.test_unknown_ids_mistaken import audit_reads, last_error, queue_dm
from tests.helpers import load_org, load_policy

TYPOS = {"U0TYPO1": "Tia Typo", "U0TYPO2": "Tom Typo", "U0TYPO3": "Tess Typo"}
MORE_TYPOS = {f"U0TYPO{n}": f"Typo Number {n}" for n in range(4, 8)}
MONDAY_MORNING = datetime(2026, 3, 9, 9, 0, tzinfo=UTC)


def org_with(typos: dict[str, str]) -> str:
    return (FIXTURES / "org.csv").read_text() + "".join(
        f"{slack_id},{name},Support East,frontline,U0MGR1,,,\n" for slack_id, name in typos.items()
    )


ORG_WITH_TYPOS = org_with(TYPOS)


def homes_sent_again(bot: RunningBot) -> None:
    """Something changed on their Homes: each is queued to publish again, and the background sender drains."""
    queue_homes_again(bot, *TYPOS)
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)


def marked_now(bot: RunningBot) -> list[str]:
    """The ids marked as Slack's nobody now: since the last import, and not lifted."""
    with bot.sessions() as session:
        workspace = directory.find_workspace(session, "T0LATITUDE")
        assert workspace is not None
        return sorted(unknown_ids.marked_among(session, [workspace.id]).get(workspace.id, {}))


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


def test_a_nightly_import_that_keeps_the_ids_wrong_tells_hr_once_each_week(bot: RunningBot) -> None:
    """Each import clears the marks, and the next morning's Homes make them again: HR still hear once a week."""
    bot.clock.set(MONDAY_MORNING)
    load_policy(bot.sessions, bot.clock.now())
    for _ in range(28):
        load_org(bot.sessions, bot.clock.now(), ORG_WITH_TYPOS)  # the nightly import, the same file
        bot.clock.advance(timedelta(hours=7))
        homes_sent_again(bot)
        assert marked_now(bot) == sorted(TYPOS)
        bot.clock.advance(timedelta(hours=17))

    assert [len(told(bot, person)) for person in HR] == [4, 4]
    for person in HR:  # counted from the first import's mark: each import clears them, and the next makes them anew
        fourth_week = told(bot, person)[3]
        assert all(f"`{slack_id}`, found 3 weeks ago" in fourth_week for slack_id in TYPOS), fourth_week
    forgive_homes_to_nobody(bot)


def test_ids_found_one_by_one_tell_hr_once_a_day_and_a_lift_tells_nobody(bot: RunningBot) -> None:
    everyone = {**TYPOS, **MORE_TYPOS}
    bot.clock.set(MONDAY_MORNING)
    load_org(bot.sessions, bot.clock.now(), org_with(everyone))
    load_policy(bot.sessions, bot.clock.now())

    for slack_id in sorted(everyone)[:6]:  # found as each Home is touched, a minute apart
        queue_homes_again(bot, slack_id)
        drain_outbox(bot.runtime.deps, bot.runtime.app.client)
        bot.clock.advance(timedelta(minutes=1))
    assert [len(told(bot, person)) for person in HR] == [1, 1]

    bot.clock.advance(timedelta(days=1))
    queue_homes_again(bot, *sorted(everyone))  # one more found the next day
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)
    for person in HR:
        _, again = told(bot, person)
        assert all(f"`{slack_id}`" in again for slack_id in everyone), "the whole list"
    bot.clock.advance(timedelta(hours=2))
    queue_homes_again(bot, *sorted(everyone))
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)
    assert [len(told(bot, person)) for person in HR] == [2, 2]

    bot.slack.add_user("U0TYPO1", "Tia Typo")  # the id was right: they open their Home, and the mark is lifted
    bot.driver.open_home("U0TYPO1")
    bot.clock.advance(timedelta(days=1))
    queue_homes_again(bot, *sorted(everyone))
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)
    assert marked_now(bot) == sorted(everyone)[1:]
    assert [len(told(bot, person)) for person in HR] == [2, 2], "a lift tells nobody"
    forgive_homes_to_nobody(bot)


def test_an_id_marked_again_after_slack_showed_it_knows_it_counts_from_the_new_mark(bot: RunningBot) -> None:
    bot.clock.set(MONDAY_MORNING)
    load_org(bot.sessions, bot.clock.now(), org_with({"U0TYPO1": "Tia Typo"}))
    load_policy(bot.sessions, bot.clock.now())
    queue_homes_again(bot, "U0TYPO1")
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)
    bot.clock.advance(timedelta(weeks=3))
    bot.slack.add_user("U0TYPO1", "Tia Typo")  # Slack knew her after all: she opens her Home, the mark lifts
    assert bot.driver.open_home("U0TYPO1").status == 200

    del bot.slack.state.users["U0TYPO1"]  # then the account goes, and Slack has nobody of the id again
    bot.clock.advance(timedelta(days=1))
    queue_homes_again(bot, "U0TYPO1")
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)

    for person in HR:
        _, again = told(bot, person)
        assert "Tia Typo: `U0TYPO1`, found this week" in again, again
    forgive_homes_to_nobody(bot)


def test_a_dm_withheld_when_every_hr_person_was_told_this_week_reads_no_first_mark(bot: RunningBot) -> None:
    load_org(bot.sessions, bot.clock.now(), ORG_WITH_TYPOS)
    load_policy(bot.sessions, bot.clock.now())
    homes_sent_again(bot)
    assert [len(told(bot, person)) for person in HR] == [1, 1]

    bot.clock.advance(timedelta(hours=1))
    queue_dm(bot, "news-while-marked", "U0TYPO1")
    with audit_reads(bot) as reads:
        drain_outbox(bot.runtime.deps, bot.runtime.app.client)

    assert last_error(bot, "news-while-marked") is not None
    assert [len(told(bot, person)) for person in HR] == [1, 1]
    assert reads, "the batch's marks are read"
    assert not [read for read in reads if "GROUP BY" in read], "nothing of when each was first marked"
    forgive_homes_to_nobody(bot)
