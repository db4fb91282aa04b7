"""An org import that removes someone while a request is being routed to them: the import cannot see the request
(not committed yet), so the next follow-up tick hands it over, as the import would have (PostgreSQL: on SQLite
the two writers never overlap)."""

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from handlers.jobs.follow_up_pending_requests import follow_up_pending_requests
from models import Nomination, Resolution, Suggestion, Workspace
from services import directory
from services.org_import import import_org, parse_org_csv
from services.resolutions.fixes import ResolutionRequest, log_resolution
from services.rewards.nominations import NominationRequest, nominate
from services.suggestions.lifecycle import SuggestionRequest, submit
from tests.conftest import FIXTURES, RunningBot
from tests.helpers import employee, in_a_transaction, load_org_and_policy, skip_unless_writers_overlap
from tests.suggestions_helpers import EXTRA_AGENTS, load_suggestion_org

ORG_CSV = (FIXTURES / "org.csv").read_text()
WITHOUT_MAYA = "\n".join(
    line.replace(",U0MGR1,", ",U0ADMIN,") for line in ORG_CSV.splitlines() if not line.startswith("U0MGR1,")
)


def import_without_maya(session: Session, bot: RunningBot, extra_rows: str = "") -> None:
    """What `python -m bot org import FILE --deactivate-missing` does, with a file that drops Maya."""
    import_org_file(session, bot, WITHOUT_MAYA + extra_rows)


def import_org_file(session: Session, bot: RunningBot, text: str) -> None:
    workspace = directory.ensure_workspace(session, slack_team_id="T0LATITUDE", now=bot.clock.now())
    rows = parse_org_csv(text)
    import_org(session, workspace=workspace, rows=rows, deactivate_missing=True, actor="hr", now=bot.clock.now())


def next_ticks(bot: RunningBot) -> None:
    """Two follow-up ticks, ten minutes apart: the second must change nothing the first did not."""
    for _ in range(2):
        bot.clock.advance(timedelta(minutes=10))
        follow_up_pending_requests(bot.runtime.deps, bot.runtime.app.client)


def test_a_request_logged_while_an_import_removes_its_manager_is_handed_over(bot: RunningBot) -> None:
    skip_unless_writers_overlap(bot.runtime.engine)
    load_org_and_policy(bot.sessions, bot.clock.now())
    refund = ResolutionRequest("refund", Decimal(80), "parcel lost", customer_ref="order 42")

    with bot.sessions() as sam:
        logged = log_resolution(sam, employee=employee(sam, "U0AGENT1"), request=refund, now=bot.clock.now())
        assert [decider.slack_id for decider in logged.deciders] == ["U0MGR1"]
        in_a_transaction(bot.sessions, lambda hr: import_without_maya(hr, bot))  # it cannot see Sam's request
        sam.commit()
    next_ticks(bot)

    with bot.sessions() as session:
        request = session.scalars(select(Resolution)).one()
        assert request.decider is not None and request.decider.slack_id == "U0ADMIN", "it waits on Maya, who left"
    [handed_over] = bot.slack.calls("chat.postMessage", channel="U0ADMIN")
    assert "request now waits on you" in str(handed_over.args["blocks"])
    bot.driver.click("U0ADMIN", handed_over, "resolution_approve")
    with bot.sessions() as session:
        assert session.scalars(select(Resolution)).one().status == "approved"


def test_a_nomination_made_while_an_import_removes_its_approver_is_handed_over(bot: RunningBot) -> None:
    """Nominations never escalate and only their approver may decide: without the tick it would stay stuck, holding
    the nominator's allowance, until some later import."""
    skip_unless_writers_overlap(bot.runtime.engine)
    load_org_and_policy(bot.sessions, bot.clock.now())
    half_day = NominationRequest(("U0AGENT2",), "half_day", "stayed late for the flood of returns")

    with bot.sessions() as sam:
        workspace = sam.scalars(select(Workspace)).one()
        made = nominate(
            sam,
            workspace=workspace,
            nominator=employee(sam, "U0AGENT1"),
            request=half_day,
            slack_people={},
            bot_user_id=None,
            now=bot.clock.now(),
        )
        assert made.nominations[0].approver.slack_id == "U0MGR1"
        in_a_transaction(bot.sessions, lambda hr: import_without_maya(hr, bot))
        sam.commit()
    next_ticks(bot)

    [handed_over] = bot.slack.calls("chat.postMessage", channel="U0ADMIN")
    bot.driver.click("U0ADMIN", handed_over, "reward_approve")  # Ada, Lee's manager now

    with bot.sessions() as session:
        assert session.scalars(select(Nomination)).one().status == "approved"


def test_a_suggestion_sent_while_an_import_removes_its_owner_goes_to_the_next_owner(bot: RunningBot) -> None:
    skip_unless_writers_overlap(bot.runtime.engine)
    load_suggestion_org(bot.sessions, bot.clock.now())
    card_reader = SuggestionRequest("a second card reader at the returns desk")

    with bot.sessions() as sam:
        workspace = sam.scalars(select(Workspace)).one()
        sent = submit(
            sam,
            workspace=workspace,
            author=employee(sam, "U0AGENT1"),
            request=card_reader,
            relay=None,
            now=bot.clock.now(),
        )
        assert sent.owner.slack_id == "U0MGR1"
        extra_rows = "\n" + EXTRA_AGENTS.replace(",U0MGR1,", ",U0ADMIN,")
        in_a_transaction(bot.sessions, lambda hr: import_without_maya(hr, bot, extra_rows))
        sam.commit()
    next_ticks(bot)

    with bot.sessions() as session:
        assert session.scalars(select(Suggestion)).one().owner.slack_id == "U0ADMIN", "it waits on Maya, who left"
    [new_card] = bot.slack.calls("chat.postMessage", channel="U0ADMIN")
    assert "now comes to you" in new_card.text
    [told] = [call for call in bot.slack.calls("chat.postMessage", channel="U0AGENT1") if "now goes to" in call.text]
    assert "now goes to Ada Admin" in told.text


def test_a_request_the_import_missed_is_handed_over_after_later_profile_changes_of_others(bot: RunningBot) -> None:
    """No follow-up tick ran within the hour after the import (the bot was down for a deploy); meanwhile Slack
    told of Lee's new time zone, a later change to the directory: the request still waits on Maya, who left."""
    skip_unless_writers_overlap(bot.runtime.engine)
    load_org_and_policy(bot.sessions, bot.clock.now())
    refund = ResolutionRequest("refund", Decimal(80), "parcel lost", customer_ref="order 42")
    lee_without_a_time_zone = WITHOUT_MAYA.replace("lee@example.com,America/New_York", "lee@example.com,")

    with bot.sessions() as sam:
        log_resolution(sam, employee=employee(sam, "U0AGENT1"), request=refund, now=bot.clock.now())
        in_a_transaction(bot.sessions, lambda hr: import_org_file(hr, bot, lee_without_a_time_zone))
        sam.commit()
    bot.clock.advance(timedelta(hours=3))
    bot.slack.add_user("U0AGENT2", "Lee Senior", tz="America/New_York")
    bot.driver.user_change("U0AGENT2", tz="Asia/Tokyo")
    next_ticks(bot)

    with bot.sessions() as session:
        assert employee(session, "U0AGENT2").tz == "Asia/Tokyo"
        request = session.scalars(select(Resolution)).one()
        assert request.decider is not None and request.decider.slack_id == "U0ADMIN", "it waits on Maya, who left"
    [handed_over] = bot.slack.calls("chat.postMessage", channel="U0ADMIN")
    assert "request now waits on you" in str(handed_over.args["blocks"])
