"""A request or a reward that went up for waiting too long, then whoever it reached leaves or moves: it goes on up,
or to another admin or HR person, never back down to one who let it wait."""

from datetime import timedelta

from sqlalchemy import select

from handlers.blocks import nominations as nomination_blocks
from handlers.blocks import resolutions as resolution_blocks
from handlers.jobs.drain_outbox import drain_outbox
from handlers.jobs.follow_up_pending_requests import follow_up_pending_requests
from models import Delivery, Nomination
from tests.conftest import RunningBot
from tests.e2e.test_decider_away import GUS_ABOVE_MAYA, _decider, _sam_asks_and_it_goes_up
from tests.e2e.test_people_leaving import reimport
from tests.helpers import load_org
from tests.rewards_helpers import load_policy_text

ADMIN_IN_CHAIN = """slack_id,name,team,role,manager_slack_id,email,tz,profile
U0GUS,Gus Head,Support,manager,,,America/New_York,
U0ADMIN,Ada Admin,Operations,admin,U0GUS,,Europe/London,
U0MGR1,Maya Manager,Support East,manager,U0ADMIN,,America/New_York,
U0AGENT1,Sam Agent,Support East,frontline,U0MGR1,,America/New_York,agent
"""
"""Ada is an admin and Maya's manager; Gus, a manager, is above Ada."""


def test_a_request_that_went_up_to_an_admin_above_its_manager_goes_on_up_when_she_leaves(bot: RunningBot) -> None:
    """Maya let it wait: up to Ada, her manager, who is an admin. Ada leaves: on up to Gus, her manager, not left
    with Ada (there is no other admin) as though it had reached the admins."""
    _sam_asks_and_it_goes_up(bot, ADMIN_IN_CHAIN)
    assert _decider(bot) == "U0ADMIN"

    bot.driver.user_change("U0ADMIN", deleted=True)
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)

    assert _decider(bot) == "U0GUS"
    assert any("Gus Head" in call.text for call in bot.slack.calls("chat.postMessage", channel="U0AGENT1"))


NO_MANAGER_THREE_ADMINS = """slack_id,name,team,role,manager_slack_id,email,tz,profile
U0ABE,Abe Admin,Operations,admin,,,Europe/London,
U0ADMIN,Ada Admin,Operations,admin,,,Europe/London,
U0CAT,Cat Admin,Operations,admin,,,Europe/London,
U0AGENT1,Sam Agent,Support East,frontline,,,America/New_York,agent
"""
"""Sam has no manager: an admin decides his requests."""


def _goes_up_once_more(bot: RunningBot) -> None:
    bot.clock.advance(timedelta(hours=25))
    follow_up_pending_requests(bot.runtime.deps, bot.runtime.app.client)


def test_a_request_that_went_up_among_the_admins_is_not_handed_back_to_the_admin_who_let_it_wait(
    bot: RunningBot,
) -> None:
    """Abe let it wait: up to Ada and Cat, Ada deciding. Ada leaves: to Cat, whom it reached, not back to Abe."""
    bot.slack.add_user("U0CAT", "Cat Admin")
    _sam_asks_and_it_goes_up(bot, NO_MANAGER_THREE_ADMINS)
    assert _decider(bot) == "U0ADMIN"

    bot.driver.user_change("U0ADMIN", deleted=True)
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)

    assert _decider(bot) == "U0CAT"


def test_a_request_handed_on_among_the_admins_that_waits_again_does_not_go_back_to_the_admin_who_let_it_wait(
    bot: RunningBot,
) -> None:
    """Abe let it wait: up to Ada and Cat. Ada leaves: to Cat, who lets it wait too. Nobody is left above but Abe,
    who let it wait first: it stays with Cat (an admin decides any request) rather than come back down to him."""
    bot.slack.add_user("U0CAT", "Cat Admin")
    _sam_asks_and_it_goes_up(bot, NO_MANAGER_THREE_ADMINS)
    bot.driver.user_change("U0ADMIN", deleted=True)
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)
    assert _decider(bot) == "U0CAT"
    before = len(bot.slack.calls("chat.postMessage", channel="U0ABE"))

    for _ in range(2):
        _goes_up_once_more(bot)

    assert _decider(bot) == "U0CAT"
    assert bot.slack.calls("chat.postMessage", channel="U0ABE")[before:] == [], "back down to Abe"


GUS_MOVED_ASIDE = GUS_ABOVE_MAYA.replace("manager,U0GUS,", "manager,U0ADMIN,")
"""A re-import: Maya reports to Ada now, and Gus is no longer above Sam."""


def test_a_request_that_went_up_to_a_manager_who_moved_aside_goes_on_up_not_back_to_the_one_who_let_it_wait(
    bot: RunningBot,
) -> None:
    """Maya let it wait: up to Gus. Gus no longer manages anyone above Sam: to Ada, now above Maya, not to Maya."""
    assert GUS_MOVED_ASIDE != GUS_ABOVE_MAYA
    _sam_asks_and_it_goes_up(bot, GUS_ABOVE_MAYA)
    assert _decider(bot) == "U0GUS"

    reimport(bot.sessions, bot.clock.now(), GUS_MOVED_ASIDE)
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)

    assert _decider(bot) == "U0ADMIN"


NO_MANAGER_THREE_HR = """slack_id,name,team,role,manager_slack_id,email,tz,profile
U0HRA,Ann HR,People,hr,,,Europe/London,
U0HRB,Bob HR,People,hr,,,Europe/London,
U0HRC,Cy HR,People,hr,,,Europe/London,
U0AGENT1,Sam Agent,Support East,frontline,,,America/New_York,agent
U0AGENT2,Lee Senior,Support East,frontline,,,America/New_York,agent
"""
"""Lee has no manager: HR approves his rewards."""


def _approver(bot: RunningBot) -> str:
    with bot.sessions() as session:
        approver = session.scalars(select(Nomination)).one().approver
        assert approver is not None
        return approver.slack_id


def _lee_nominated_and_it_goes_up(bot: RunningBot, org: str) -> None:
    for user, name in [("U0HRA", "Ann HR"), ("U0HRB", "Bob HR"), ("U0HRC", "Cy HR"), ("U0GUS", "Gus Head")]:
        bot.slack.add_user(user, name)
    load_org(bot.sessions, bot.clock.now(), org)
    load_policy_text(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT1", "/nominate", "<@U0AGENT2|lee.senior> voucher_25 saved a key account")
    for _ in range(2):  # its approver is reminded, then it goes up past them
        _goes_up_once_more(bot)


def test_a_reward_that_went_up_among_hr_is_not_handed_back_to_the_one_who_let_it_wait(bot: RunningBot) -> None:
    """Ann let it wait: up to Bob. Bob leaves: to Cy, not back to Ann."""
    _lee_nominated_and_it_goes_up(bot, NO_MANAGER_THREE_HR)
    assert _approver(bot) == "U0HRB"

    bot.driver.user_change("U0HRB", deleted=True)
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)

    assert _approver(bot) == "U0HRC"


def test_a_reward_handed_on_among_hr_that_waits_again_does_not_go_back_to_the_one_who_let_it_wait(
    bot: RunningBot,
) -> None:
    """Ann let it wait: up to Bob. Bob leaves: to Cy, who lets it wait too. Nobody is left but Ann, who let it wait
    first: it stays with Cy rather than come back down to her."""
    _lee_nominated_and_it_goes_up(bot, NO_MANAGER_THREE_HR)
    bot.driver.user_change("U0HRB", deleted=True)
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)
    assert _approver(bot) == "U0HRC"

    for _ in range(2):
        _goes_up_once_more(bot)

    assert _approver(bot) == "U0HRC", "back down to Ann"


LEE_UNDER_MAYA = GUS_ABOVE_MAYA + "U0AGENT2,Lee Senior,Support East,frontline,U0MGR1,,America/New_York,agent\n"


def test_a_reward_that_went_up_to_a_manager_who_moved_aside_goes_on_up_not_back_to_the_one_who_let_it_wait(
    bot: RunningBot,
) -> None:
    """Maya let Lee's reward wait: up to Gus. Gus is no longer above Lee: to Ada, now above Maya, not to Maya."""
    _lee_nominated_and_it_goes_up(bot, LEE_UNDER_MAYA)
    assert _approver(bot) == "U0GUS"

    reimport(bot.sessions, bot.clock.now(), LEE_UNDER_MAYA.replace("manager,U0GUS,", "manager,U0ADMIN,"))
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)

    assert _approver(bot) == "U0ADMIN"


def test_a_request_that_went_up_before_its_keys_named_whom_it_waited_on_is_not_handed_back_to_them_either(
    bot: RunningBot,
) -> None:
    """An earlier release keyed the DMs a request went up by with their recipient alone: its reminder says whom it
    waited on. Abe let it wait: up to Ada and Cat; Ada leaves: to Cat, who lets it wait too: it stays with her."""
    bot.slack.add_user("U0CAT", "Cat Admin")
    _sam_asks_and_it_goes_up(bot, NO_MANAGER_THREE_ADMINS)
    with bot.sessions.begin() as session:
        for delivery in session.scalars(select(Delivery).where(Delivery.idempotency_key.like("%:from-%"))):
            delivery.idempotency_key = delivery.idempotency_key.replace("from-U0ABE:", "")

    bot.driver.user_change("U0ADMIN", deleted=True)
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)
    for _ in range(2):  # Cat, handed it, lets it wait too
        _goes_up_once_more(bot)

    assert _decider(bot) == "U0CAT", "back down to Abe"


def _still_says_where_it_went(bot: RunningBot, asker: str, decider: str, approve: str) -> None:
    """The asker's "it now goes to" DM, after the one it went up to decides: still theirs, not the decider's copy."""
    [told] = [call for call in bot.slack.messages_to(asker) if "so it now goes to" in call.text]
    went_up = [call for call in bot.slack.messages_to(decider) if "waited too long" in str(call.args.get("blocks"))]
    bot.driver.click(decider, went_up[0], approve)
    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)

    shown = bot.slack.message(told.response["channel"], told.response["ts"])
    assert "so it now goes to" in str(shown), "rewritten as the decider's copy"


def test_the_requester_told_where_a_request_went_up_keeps_that_message_when_it_is_decided(bot: RunningBot) -> None:
    _sam_asks_and_it_goes_up(bot, GUS_ABOVE_MAYA)

    _still_says_where_it_went(bot, "U0AGENT1", "U0GUS", resolution_blocks.APPROVE)


def test_the_nominator_told_where_a_reward_went_up_keeps_that_message_when_it_is_decided(bot: RunningBot) -> None:
    _lee_nominated_and_it_goes_up(bot, LEE_UNDER_MAYA)

    _still_says_where_it_went(bot, "U0AGENT1", "U0GUS", nomination_blocks.APPROVE)


def test_the_nominator_told_where_a_reward_went_keeps_that_message_when_it_is_handed_over_again(
    bot: RunningBot,
) -> None:
    """Maya let it wait: up to Gus, and Sam is told. Gus leaves: Sam's message is not rewritten to say so."""
    _lee_nominated_and_it_goes_up(bot, LEE_UNDER_MAYA)
    [told] = [call for call in bot.slack.messages_to("U0AGENT1") if "so it now goes to" in call.text]

    bot.driver.user_change("U0GUS", deleted=True)
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)

    assert _approver(bot) == "U0ADMIN"
    assert "so it now goes to" in str(bot.slack.message(told.response["channel"], told.response["ts"]))


NO_MANAGER_TWO_ADMINS = "\n".join(line for line in NO_MANAGER_THREE_ADMINS.splitlines() if "U0CAT" not in line) + "\n"
"""Sam has no manager; Abe and Ada are the only admins."""


def test_a_request_whose_only_other_admin_leaves_goes_back_to_the_admin_who_let_it_wait_not_to_nobody(
    bot: RunningBot,
) -> None:
    """Abe let it wait: up to Ada. Ada leaves and Abe is the only admin left: it comes back to him, rather than wait
    on someone who left with nobody told."""
    _sam_asks_and_it_goes_up(bot, NO_MANAGER_TWO_ADMINS)
    assert _decider(bot) == "U0ADMIN"

    bot.driver.user_change("U0ADMIN", deleted=True)
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)

    assert _decider(bot) == "U0ABE"
    assert any("Abe Admin" in call.text for call in bot.slack.calls("chat.postMessage", channel="U0AGENT1"))


NO_MANAGER_TWO_HR = "\n".join(line for line in NO_MANAGER_THREE_HR.splitlines() if "U0HRC" not in line) + "\n"
"""Lee has no manager; Ann and Bob are the only HR people, and there is no admin."""


def test_a_reward_whose_only_other_hr_person_leaves_goes_back_to_the_one_who_let_it_wait_not_to_nobody(
    bot: RunningBot,
) -> None:
    """Ann let it wait: up to Bob. Bob leaves and Ann is the only one left who may approve it: it comes back to her,
    rather than wait on someone who left."""
    _lee_nominated_and_it_goes_up(bot, NO_MANAGER_TWO_HR)
    assert _approver(bot) == "U0HRB"

    bot.driver.user_change("U0HRB", deleted=True)
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)

    assert _approver(bot) == "U0HRA"
