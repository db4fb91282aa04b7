"""A request or reward nomination handed over away from someone leaves their App Home: it is published again through
the outbox, over the Home they were last shown, without the customer's details or the nominators' reasons; one Home
each, however many moved at once, and none for who never opened theirs. So too a request decided by someone other
than the people whose Home listed it."""

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers.jobs.drain_outbox import drain_outbox
from handlers.jobs.follow_up_pending_requests import follow_up_pending_requests
from models import Delivery, Employee, Resolution
from services.outbox_keys import HOME
from tests.conftest import FIXTURES, RunningBot
from tests.e2e.test_departures import in_slack
from tests.e2e.test_handover_summary import requests_to_maya
from tests.e2e.test_handover_summary_nominations import nominations_to_maya
from tests.e2e.test_people_leaving import SAM_MOVES_WEST, WITHOUT_MAYA, reimport
from tests.helpers import load_org_and_policy

ORG_CSV = (FIXTURES / "org.csv").read_text()
TEAM_MOVES_TO_OMAR = ORG_CSV.replace("frontline,U0MGR1", "frontline,U0MGR2")
CUSTOMER_DETAILS = ("order 1", "parcel lost in transit")
REASONS = "saved key account number"


def home_shown(bot: RunningBot, user_id: str) -> str:
    """The Home tab as Slack shows it to the person now."""
    return str(bot.slack.state.home_view(user_id))


def maya(session: Session) -> Employee:
    return session.scalars(select(Employee).where(Employee.slack_id == "U0MGR1")).one()


def homes_queued(bot: RunningBot) -> list[str]:
    with bot.sessions() as session:
        keys = session.scalars(select(Delivery.idempotency_key).where(Delivery.idempotency_key.startswith(HOME)))
        return sorted(keys)


def test_a_team_moved_away_leaves_the_home_of_its_old_manager_without_the_customers_or_the_reasons(
    bot: RunningBot,
) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    requests_to_maya(bot, 2)
    nominations_to_maya(bot, 2)
    bot.driver.open_home("U0MGR1")
    assert all(detail in home_shown(bot, "U0MGR1") for detail in (*CUSTOMER_DETAILS, REASONS))

    reimport(bot.sessions, bot.clock.now(), TEAM_MOVES_TO_OMAR)
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)

    shown = home_shown(bot, "U0MGR1")
    assert not any(detail in shown for detail in (*CUSTOMER_DETAILS, REASONS)), shown
    assert len(bot.slack.calls("views.publish", user_id="U0MGR1")) == 2  # opened, then redrawn once
    assert bot.slack.calls("views.publish", user_id="U0MGR2") == []  # Omar never opened his: nothing to redraw
    bot.driver.open_home("U0MGR1")  # and the Home she now opens is the one already shown
    assert len(bot.slack.calls("views.publish", user_id="U0MGR1")) == 2
    assert bot.slack.violations == []


def test_many_handed_over_at_once_queue_one_home_for_the_person_they_leave(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    requests_to_maya(bot, 12)
    nominations_to_maya(bot, 7)
    bot.driver.open_home("U0MGR1")

    reimport(bot.sessions, bot.clock.now(), WITHOUT_MAYA)

    [queued] = homes_queued(bot)
    assert queued.startswith("home:T0LATITUDE:U0MGR1:")
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)
    assert not any(detail in home_shown(bot, "U0MGR1") for detail in (*CUSTOMER_DETAILS, REASONS))
    assert bot.slack.violations == []


def test_a_home_opened_after_the_handover_is_kept_over_the_one_queued_before(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    requests_to_maya(bot, 2)
    bot.driver.open_home("U0MGR1")
    reimport(bot.sessions, bot.clock.now(), TEAM_MOVES_TO_OMAR)

    bot.driver.open_home("U0MGR1")  # published now, over the one the queued Home was to replace
    opened = bot.slack.state.home_view("U0MGR1")
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)

    assert bot.slack.state.home_view("U0MGR1") == opened  # Slack refused the older one (hash_conflict): done
    with bot.sessions() as session:
        [redrawn] = session.scalars(select(Delivery).where(Delivery.idempotency_key.startswith(HOME)))
        assert redrawn.status == "sent"
    assert bot.slack.violations == []


def test_handed_over_twice_before_it_is_sent_the_person_gets_the_newer_home_only(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    requests_to_maya(bot, 2)
    bot.driver.open_home("U0MGR1")
    reimport(bot.sessions, bot.clock.now(), TEAM_MOVES_TO_OMAR)
    reimport(bot.sessions, bot.clock.now(), ORG_CSV)  # moved back: hers again
    reimport(bot.sessions, bot.clock.now(), TEAM_MOVES_TO_OMAR)

    drain_outbox(bot.runtime.deps, bot.runtime.app.client)

    assert len(bot.slack.calls("views.publish", user_id="U0MGR1")) == 2  # opened, then the newest redraw alone
    assert not any(detail in home_shown(bot, "U0MGR1") for detail in CUSTOMER_DETAILS)
    assert bot.slack.violations == []


def test_a_second_handover_after_the_first_home_went_out_is_published_over_that_one(bot: RunningBot) -> None:
    """The redrawn Home, once Slack shows it, is the one the next is published over: not refused as superseded."""
    load_org_and_policy(bot.sessions, bot.clock.now())
    requests_to_maya(bot, 2)
    nominations_to_maya(bot, 2)
    bot.driver.open_home("U0MGR1")
    reimport(bot.sessions, bot.clock.now(), SAM_MOVES_WEST)  # Sam's requests go to Omar
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)
    assert REASONS in home_shown(bot, "U0MGR1")  # Lee's nominations still wait on her

    reimport(bot.sessions, bot.clock.now(), TEAM_MOVES_TO_OMAR)  # and now Lee's
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)

    assert REASONS not in home_shown(bot, "U0MGR1")
    assert len(bot.slack.calls("views.publish", user_id="U0MGR1")) == 3
    assert bot.slack.violations == []


def test_a_request_an_admin_decided_leaves_the_home_of_the_manager_it_waited_on(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    requests_to_maya(bot, 1)
    bot.driver.open_home("U0MGR1")
    bot.driver.open_home("U0ADMIN")
    [admin_home] = bot.slack.calls("views.publish", user_id="U0ADMIN")

    bot.driver.click_in_view("U0ADMIN", admin_home.args["view"], "resolution_approve")
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)

    assert not any(detail in home_shown(bot, "U0MGR1") for detail in CUSTOMER_DETAILS)
    assert bot.slack.violations == []


def test_a_request_decided_by_the_manager_it_waited_on_redraws_no_other_home(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    requests_to_maya(bot, 1)
    bot.driver.open_home("U0MGR1")
    bot.driver.open_home("U0ADMIN")
    [maya_home] = bot.slack.calls("views.publish", user_id="U0MGR1")

    bot.driver.click_in_view("U0MGR1", maya_home.args["view"], "resolution_approve")

    assert homes_queued(bot) == []


def test_someone_slack_deactivated_gets_no_home_redrawn(bot: RunningBot) -> None:
    """Slack shows them nothing any more, and would refuse their Home (user_not_found)."""
    load_org_and_policy(bot.sessions, bot.clock.now())
    in_slack(bot, "U0MGR1", "U0AGENT1")
    requests_to_maya(bot, 1)
    bot.driver.open_home("U0MGR1")

    bot.driver.user_change("U0MGR1", deleted=True)

    with bot.sessions() as session:
        assert session.scalars(select(Resolution.decider_id)).one() != maya(session).id
    assert homes_queued(bot) == []


def test_a_request_gone_up_and_decided_by_an_admin_leaves_the_home_of_the_requesters_manager(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    requests_to_maya(bot, 1)
    bot.driver.open_home("U0MGR1")
    for _ in range(2):  # reminded, then gone up to the admin
        bot.clock.advance(timedelta(hours=30))
        follow_up_pending_requests(bot.runtime.deps, bot.runtime.app.client)
    with bot.sessions() as session:
        assert session.scalars(select(Resolution)).one().decider_id != maya(session).id
    bot.driver.open_home("U0ADMIN")
    [admin_home] = bot.slack.calls("views.publish", user_id="U0ADMIN")
    assert all(detail in home_shown(bot, "U0MGR1") for detail in CUSTOMER_DETAILS)  # her report's, still listed

    bot.driver.click_in_view("U0ADMIN", admin_home.args["view"], "resolution_approve")
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)

    assert not any(detail in home_shown(bot, "U0MGR1") for detail in CUSTOMER_DETAILS)
    assert bot.slack.violations == []
