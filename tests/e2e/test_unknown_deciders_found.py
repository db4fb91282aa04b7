"""A decider whose org-file Slack id was marked as Slack's nobody turns out to be known to Slack (they open their
Home): only the requests still waiting on them are sent to them again, each once, never a reminder, a request
someone else decided meanwhile, or any other DM given up while they were marked."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from sqlalchemy import event, select

from handlers.jobs.follow_up_pending_requests import follow_up_pending_requests
from models import Resolution
from services.rewards.approvals import REQUEST_KEY
from tests.conftest import RunningBot
from tests.e2e.test_home_again_sending import queue_homes_again
from tests.e2e.test_unknown_deciders import (
    ORG,
    OVER_THE_LIMIT,
    TYPO,
    dms_telling,
    drain,
    forgive_calls_to_the_typo,
    manager_marked,
    replies_telling,
)
from tests.e2e.test_unknown_ids import remembered
from tests.e2e.test_unknown_ids_mistaken import last_error, queue_dm
from tests.helpers import load_org, load_policy

BUTTONS = "resolution_approve"


def follow_up(bot: RunningBot) -> None:
    """A day later: the request's next follow-up (its reminder, then its escalation) is due and sent."""
    bot.clock.advance(timedelta(hours=24, minutes=5))
    follow_up_pending_requests(bot.runtime.deps, bot.runtime.app.client)
    drain(bot)


def maya_opens_her_home(bot: RunningBot) -> None:
    """The id was right after all: Slack knows Maya, she opens her Home, and the mark is lifted."""
    forgive_calls_to_the_typo(bot)
    bot.slack.add_user(TYPO, "Maya Manager")
    bot.clock.advance(timedelta(hours=1))
    assert bot.driver.open_home(TYPO).status == 200
    drain(bot)


def test_a_request_still_waiting_goes_to_its_manager_once_without_its_reminder(bot: RunningBot) -> None:
    manager_marked(bot)
    bot.driver.command("U0AGENT1", "/resolve", OVER_THE_LIMIT)
    assert len(replies_telling(bot)) == 1
    queue_dm(bot, "news-while-marked", TYPO)
    follow_up(bot)  # the reminder, withheld too

    maya_opens_her_home(bot)
    bot.clock.advance(timedelta(minutes=11))  # her Home opened again: nothing more is sent
    assert bot.driver.open_home(TYPO).status == 200
    drain(bot)

    [asked] = bot.slack.messages_to(TYPO)
    assert "refund of $80" in asked.text and BUTTONS in str(asked.args["blocks"])
    assert "Reminder" not in str(asked.args["blocks"]), "the request itself, not its reminder"
    assert last_error(bot, "news-while-marked") is not None, "other DMs given up while she was marked stay so"
    assert len(replies_telling(bot)) == 1 and dms_telling(bot) == []


def test_a_request_decided_by_another_meanwhile_is_not_sent_to_its_old_decider(bot: RunningBot) -> None:
    manager_marked(bot)
    bot.driver.command("U0AGENT1", "/resolve", OVER_THE_LIMIT)
    follow_up(bot)  # the reminder, withheld
    follow_up(bot)  # it goes up to Ada, who approves it
    [escalation] = [
        c for c in bot.slack.calls("chat.postMessage", channel="U0ADMIN") if "waited too long for Maya" in c.text
    ]
    bot.driver.click("U0ADMIN", escalation, BUTTONS)
    drain(bot)

    maya_opens_her_home(bot)

    assert bot.slack.messages_to(TYPO) == [], "no stale request with live buttons, no false reminder"


def test_a_nomination_waiting_on_its_approver_goes_to_them_once_known(bot: RunningBot) -> None:
    manager_marked(bot, policy="rewards")
    bot.driver.command("U0AGENT1", "/nominate", "<@U0AGENT2|lee.senior> voucher_25 talked a customer out of cancelling")
    assert bot.slack.messages_to(TYPO) == []

    maya_opens_her_home(bot)

    [asked] = bot.slack.messages_to(TYPO)
    assert "reward_approve" in str(asked.args["blocks"])


BEA = "U0BEATYPO"
NO_MANAGER_TWO_ADMINS = ORG.replace("frontline,U0MGR1,sam@", "frontline,,sam@") + (
    f"{BEA},Bea Admin,Operations,admin,,bea@example.com,Europe/London,\n"
)


def bea_marked(bot: RunningBot) -> None:
    """Bea, the second admin, has an org-file id the background sender finds Slack has nobody of."""
    load_org(bot.sessions, bot.clock.now(), NO_MANAGER_TWO_ADMINS)
    load_policy(bot.sessions, bot.clock.now())
    queue_homes_again(bot, BEA)
    drain(bot)
    assert remembered(bot) == [BEA]


def bea_opens_her_home(bot: RunningBot) -> None:
    assert all(f"{BEA} is nobody the workspace knows" in said for said in bot.slack.violations)
    bot.slack.violations.clear()
    bot.slack.add_user(BEA, "Bea Admin")
    bot.clock.advance(timedelta(hours=1))
    assert bot.driver.open_home(BEA).status == 200
    drain(bot)


def test_a_request_sent_to_every_admin_goes_again_to_a_second_admin_once_known(bot: RunningBot) -> None:
    """Sam has no manager: his request goes to both admins, and records only the first (Ada) as its decider."""
    bea_marked(bot)
    bot.driver.command("U0AGENT1", "/resolve", OVER_THE_LIMIT)
    drain(bot)
    assert [c for c in bot.slack.messages_to("U0ADMIN") if "refund of $80" in c.text]

    bea_opens_her_home(bot)
    bot.clock.advance(timedelta(minutes=11))
    assert bot.driver.open_home(BEA).status == 200
    drain(bot)

    [asked] = bot.slack.messages_to(BEA)
    assert "refund of $80" in asked.text and BUTTONS in str(asked.args["blocks"])


def test_a_request_sent_to_every_admin_then_handed_to_a_manager_is_not_sent_again_to_a_second_admin(
    bot: RunningBot,
) -> None:
    """Bea's copy was withheld; the request then went to Maya (Sam under her, Ada no admin): it waits on Maya now."""
    bea_marked(bot)
    bot.driver.command("U0AGENT1", "/resolve", OVER_THE_LIMIT)
    drain(bot)
    handed_to_maya = (
        NO_MANAGER_TWO_ADMINS.replace("frontline,,sam@", "frontline,U0MGR1,sam@")
        .replace("Operations,admin,,ada@", "Operations,frontline,,ada@")
        .replace(",U0ADMIN,", f",{BEA},")
    )
    load_org(bot.sessions, bot.clock.now(), handed_to_maya)
    with bot.sessions() as session:
        [waiting] = session.scalars(select(Resolution).where(Resolution.status == "pending"))
        assert waiting.decider is not None and waiting.decider.slack_id == "U0MGR1"

    bea_opens_her_home(bot)

    assert not [c for c in bot.slack.messages_to(BEA) if "refund of $80" in c.text]


@contextmanager
def nomination_ranges_read(bot: RunningBot) -> Iterator[list[tuple[str, str]]]:
    """The key ranges of nominations' DMs read from the outbox while the block runs."""
    ranges: list[tuple[str, str]] = []

    def record(conn: object, cursor: object, statement: str, parameters: object, context: Any, many: bool) -> None:
        for bound in getattr(context, "compiled_parameters", None) or []:
            if str(bound.get("prefix", "")).startswith(REQUEST_KEY):
                ranges.append((bound["prefix"], bound["past_prefix"]))

    engine = bot.sessions.kw["bind"]
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield ranges
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_a_nominations_dms_are_read_without_those_of_nominations_whose_id_starts_the_same(bot: RunningBot) -> None:
    manager_marked(bot, policy="rewards")
    bot.driver.command("U0AGENT1", "/nominate", "<@U0AGENT2|lee.senior> voucher_25 talked a customer out of cancelling")

    with nomination_ranges_read(bot) as ranges:
        maya_opens_her_home(bot)

    assert ranges, "the nomination's DMs were read"
    for later in (f"{REQUEST_KEY}10", f"{REQUEST_KEY}10:handover:U0ADMIN", f"{REQUEST_KEY}199"):
        assert not any(low <= later < high for low, high in ranges), f"the range read for nomination 1 covers {later}"
    [asked] = bot.slack.messages_to(TYPO)
    assert "reward_approve" in str(asked.args["blocks"])
