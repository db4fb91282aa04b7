"""Many requests withheld from a decider whose org-file Slack id was marked as Slack's nobody: once Slack shows it
knows them, one DM says how many wait and points to the Home, rather than one DM each; and the requesters of requests
handed to a marked decider in one summary hear, each once, that the decider cannot be reached yet."""

from datetime import timedelta

from sqlalchemy import select

from handlers import withheld_summary
from handlers.blocks.summaries import SUMMARY_OVER
from models import AuditEvent, Workspace
from services import unknown_ids
from services.unknown_ids import MARKED
from tests.conftest import RunningBot
from tests.e2e.test_unknown_deciders import (
    TYPO,
    dms_telling,
    drain,
    forgive_calls_to_the_typo,
    manager_marked,
)
from tests.e2e.test_unknown_deciders_asked_again import handed_to_marked_maya_in_one_summary
from tests.e2e.test_unknown_deciders_found import BUTTONS, follow_up, maya_opens_her_home
from tests.helpers import load_org, load_policy

WHERE = "Home tab lists what waits for your decision"


def withheld_from_maya(bot: RunningBot, count: int) -> None:
    manager_marked(bot)
    for n in range(count):
        bot.driver.command("U0AGENT1", "/resolve", f"refund 80 order {n + 1} parcel lost in transit")
    drain(bot)
    assert bot.slack.messages_to(TYPO) == []


def test_many_requests_withheld_reach_their_manager_as_one_summary(bot: RunningBot) -> None:
    withheld_from_maya(bot, SUMMARY_OVER + 2)

    maya_opens_her_home(bot)
    bot.clock.advance(timedelta(minutes=11))  # her Home opened again: nothing more is sent
    assert bot.driver.open_home(TYPO).status == 200
    drain(bot)

    [summary] = bot.slack.messages_to(TYPO)
    assert (
        f"{SUMMARY_OVER + 2} requests sent while Latitude could not reach you wait for your decision" in summary.text
    ), summary.text
    assert WHERE in str(summary.args["blocks"]) and BUTTONS not in str(summary.args["blocks"])


def test_a_second_process_lifting_the_same_mark_queues_no_second_summary(bot: RunningBot) -> None:
    withheld_from_maya(bot, SUMMARY_OVER + 1)
    with bot.sessions() as session:
        marked_at = session.scalars(select(AuditEvent.at).where(AuditEvent.action == MARKED)).one()
    maya_opens_her_home(bot)

    bot.clock.advance(timedelta(minutes=1))
    with bot.sessions() as session:  # another process, having read the same mark, lifts it too, a little later
        workspace = session.scalars(select(Workspace)).one()
        withheld_summary.send_again(session, workspace, {TYPO: marked_at}, bot.clock.now())
        session.commit()
    drain(bot)

    [summary] = bot.slack.messages_to(TYPO)
    assert (
        f"{SUMMARY_OVER + 1} requests sent while Latitude could not reach you wait for your decision" in summary.text
    ), summary.text


def test_a_few_requests_withheld_reach_their_manager_one_dm_each(bot: RunningBot) -> None:
    withheld_from_maya(bot, 3)

    maya_opens_her_home(bot)

    asked = bot.slack.messages_to(TYPO)
    assert len(asked) == 3 and all(BUTTONS in str(dm.args["blocks"]) for dm in asked)
    assert sorted(f"order {n}" in " ".join(dm.text for dm in asked) for n in (1, 2, 3)) == [True] * 3


def test_the_requesters_of_requests_handed_to_a_marked_manager_in_one_summary_are_each_told_once(
    bot: RunningBot,
) -> None:
    handed_to_marked_maya_in_one_summary(bot)
    follow_up(bot)  # their reminders, withheld too: nobody is told again

    told = dms_telling(bot)
    assert len(told) == SUMMARY_OVER + 1, told
    assert len({text.split("#", 1)[1][:4] for text in told}) == SUMMARY_OVER + 1, "each request once"
    forgive_calls_to_the_typo(bot)


def marked_again(bot: RunningBot, slack_id: str) -> None:
    """Their id is marked as nobody's once more (as a Home refused then `users.info` would), nothing withheld since."""
    bot.clock.advance(timedelta(minutes=5))
    with bot.sessions.begin() as session:
        workspace = session.scalars(select(Workspace)).one()
        unknown_ids.remember_unknown(session, workspace, {slack_id}, now=bot.clock.now())


def test_a_second_mark_with_nothing_withheld_since_sends_no_second_summary(bot: RunningBot) -> None:
    withheld_from_maya(bot, SUMMARY_OVER + 2)
    maya_opens_her_home(bot)
    assert len(bot.slack.messages_to(TYPO)) == 1

    marked_again(bot, TYPO)
    bot.clock.advance(timedelta(minutes=11))
    assert bot.driver.open_home(TYPO).status == 200
    drain(bot)

    assert len(bot.slack.messages_to(TYPO)) == 1, [dm.text for dm in bot.slack.messages_to(TYPO)]


def test_a_wrong_mark_after_the_requests_reached_their_manager_sends_her_nothing_again(bot: RunningBot) -> None:
    load_org(bot.sessions, bot.clock.now())
    load_policy(bot.sessions, bot.clock.now())
    for n in range(SUMMARY_OVER + 1):
        bot.driver.command("U0AGENT1", "/resolve", f"refund 80 order {n + 1} parcel lost in transit")
    drain(bot)
    assert len(bot.slack.messages_to("U0MGR1")) == SUMMARY_OVER + 1

    marked_again(bot, "U0MGR1")
    bot.clock.advance(timedelta(minutes=11))
    assert bot.driver.open_home("U0MGR1").status == 200
    drain(bot)

    assert len(bot.slack.messages_to("U0MGR1")) == SUMMARY_OVER + 1


def test_requests_delivered_before_a_mark_are_not_counted_with_the_one_withheld(bot: RunningBot) -> None:
    """5 requests reached Maya, then her id was marked and a 6th withheld: the lift sends her that one, with buttons."""
    load_org(bot.sessions, bot.clock.now())
    load_policy(bot.sessions, bot.clock.now())
    for n in range(SUMMARY_OVER):
        bot.driver.command("U0AGENT1", "/resolve", f"refund 80 order {n + 1} parcel lost in transit")
    drain(bot)
    marked_again(bot, "U0MGR1")
    bot.driver.command("U0AGENT1", "/resolve", "refund 80 order 99 parcel lost in transit")
    drain(bot)
    assert len(bot.slack.messages_to("U0MGR1")) == SUMMARY_OVER

    bot.clock.advance(timedelta(minutes=11))
    assert bot.driver.open_home("U0MGR1").status == 200
    drain(bot)

    [*_, again] = bot.slack.messages_to("U0MGR1")
    assert len(bot.slack.messages_to("U0MGR1")) == SUMMARY_OVER + 1
    assert "order 99" in again.text and BUTTONS in str(again.args["blocks"]), again.text
