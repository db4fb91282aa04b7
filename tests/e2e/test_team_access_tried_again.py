"""A change of the workspaces an org-wide install is in, whose listener the database failed after the ack, is run
again by the app itself (handlers/event_retries.py), leaving alone the workspaces a change made since named."""

import json
import time
from datetime import timedelta

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bot.fakeslack.browser import install
from bot.fakeslack.driver import JSON
from bot.fakeslack.reply import as_retried
from handlers.event_attempts import Attempt
from models import EventRetry, Workspace
from services import directory, org_takeover, workspaces
from services.event_order import Sent
from services.event_retries import WAITS
from tests.conftest import RunningBot
from tests.e2e.test_database_failing import refusing_new_rows_in, replay_check_out_of_reach
from tests.e2e.test_events_tried_again import kept, run_the_job_after
from tests.e2e.test_installs import oauth_bot  # noqa: F401
from tests.e2e.test_installs_grid_lifecycle import driver_for, install_org_wide
from tests.e2e.test_installs_grid_takeover import installed
from tests.e2e.test_installs_grid_team_access import active
from tests.e2e.test_installs_grid_workspaces import NORTH_ORG, install_in_the_org
from tests.helpers import one_after_the_other


def granted(bot: RunningBot) -> set[str]:
    with bot.sessions() as session:
        org = directory.find_workspace(session, "E0GROUP")
        assert isinstance(org, Workspace)
        return org_takeover.granted_teams(session, org)


def removal_notices(bot: RunningBot) -> list[str]:
    return [call.text for call in bot.slack.messages_to("W0HR") if "T0SOUTH" in call.text]


def test_a_removal_the_database_failed_is_followed_when_the_app_tries_it_again(
    oauth_bot: RunningBot,  # noqa: F811
    engine: Engine,
) -> None:
    bot = oauth_bot
    org = install_org_wide(bot)
    with refusing_new_rows_in(engine, "audit_events"):
        org.org_event({"type": "team_access_revoked", "team_ids": ["T0SOUTH"]}, event_id="EvOUT")
        bot.driver.settle()
    assert active(bot, "W0SAM") == [True] and kept(bot) == [("EvOUT", 0)]
    org.org_event({"type": "team_access_revoked", "team_ids": ["T0SOUTH"]}, event_id="EvOUT", retry_num=1)
    assert active(bot, "W0SAM") == [True], "Slack's retry of an event already recorded is still dropped"

    assert run_the_job_after(bot, WAITS[0]) == 1

    assert active(bot, "W0HR", "W0MGR", "W0SAM") == [True, True, False]
    assert granted(bot) == {"T0NORTH"}
    assert len(removal_notices(bot)) == 1
    assert kept(bot) == []


def test_an_addition_the_database_failed_is_learnt_when_the_app_tries_it_again(
    oauth_bot: RunningBot,  # noqa: F811
    engine: Engine,
) -> None:
    """Who works in T0SOUTH is learnt on the app's try, so that its later removal is followed."""
    bot = oauth_bot
    org = install_org_wide(bot, granted=("T0NORTH",))
    with refusing_new_rows_in(engine, "audit_events"):
        org.org_event({"type": "team_access_granted", "team_ids": ["T0SOUTH"]}, event_id="EvIN")
        bot.driver.settle()
    assert granted(bot) == {"T0NORTH"} and kept(bot) == [("EvIN", 0)]

    assert run_the_job_after(bot, WAITS[0]) == 1
    assert granted(bot) == {"T0NORTH", "T0SOUTH"} and kept(bot) == []
    org.org_event({"type": "team_access_revoked", "team_ids": ["T0SOUTH"]})

    assert active(bot, "W0HR", "W0MGR", "W0SAM") == [True, True, False]


@pytest.mark.parametrize("later", ["team_access_granted", "team_access_revoked"])
def test_a_removal_tried_after_the_workspace_was_added_again_leaves_it_added(
    oauth_bot: RunningBot,  # noqa: F811
    engine: Engine,
    later: str,
) -> None:
    """The removal's listener failed; the org admin added T0SOUTH back (and, for `later` removed, removed it and added
    it back again) before the app's try, which then leaves T0SOUTH as it is."""
    bot = oauth_bot
    org = install_org_wide(bot)
    with refusing_new_rows_in(engine, "audit_events"):
        org.org_event({"type": "team_access_revoked", "team_ids": ["T0SOUTH"]}, event_id="EvOUT")
        bot.driver.settle()
    bot.clock.advance(timedelta(seconds=20))
    if later == "team_access_revoked":
        org.org_event({"type": "team_access_revoked", "team_ids": ["T0SOUTH"]})
    org.org_event({"type": "team_access_granted", "team_ids": ["T0SOUTH"]})
    notices = len(removal_notices(bot))

    assert run_the_job_after(bot, WAITS[0]) == 1

    assert active(bot, "W0HR", "W0MGR", "W0SAM") == [True, True, True]
    assert granted(bot) == {"T0NORTH", "T0SOUTH"}
    assert len(removal_notices(bot)) == notices, "HR are not told of a removal undone since"
    assert kept(bot) == []


def test_an_addition_the_database_failed_takes_the_workspaces_own_install_over_when_the_app_tries_it_again(
    oauth_bot: RunningBot,  # noqa: F811
    engine: Engine,
) -> None:
    """Lost, the workspace's own install would go on as a second directory of the same people."""
    bot = oauth_bot
    install_in_the_org(bot, "T0NORTH", NORTH_ORG)
    bot.slack.installing(enterprise_id="E0GROUP", user_id="W0HR")
    assert install(bot.events_url).status == 200
    org = driver_for(bot, "T0NORTH", "E0GROUP", org_wide=True)
    with refusing_new_rows_in(engine, "audit_events"):
        org.org_event({"type": "team_access_granted", "team_ids": ["T0NORTH"]}, event_id="EvIN")
        bot.driver.settle()
    assert installed(bot) == ["E0GROUP", "T0NORTH"]

    assert run_the_job_after(bot, WAITS[0]) == 1

    assert installed(bot) == ["E0GROUP"] and kept(bot) == []


def test_a_removal_and_the_addition_after_it_both_tried_late_leave_the_workspace_added(
    oauth_bot: RunningBot,  # noqa: F811
    engine: Engine,
) -> None:
    """Both listeners failed; the removal's try is recorded after the addition's delivery arrived, yet Slack sent the
    addition last: the addition's try follows it."""
    bot = oauth_bot
    org = install_org_wide(bot)
    with refusing_new_rows_in(engine, "audit_events"):
        org.org_event({"type": "team_access_revoked", "team_ids": ["T0SOUTH"]}, event_id="EvOUT")
        bot.driver.settle()
        bot.clock.advance(timedelta(seconds=20))
        org.org_event({"type": "team_access_granted", "team_ids": ["T0SOUTH"]}, event_id="EvIN")
        bot.driver.settle()
    assert sorted(kept(bot)) == [("EvIN", 0), ("EvOUT", 0)]

    assert run_the_job_after(bot, WAITS[0] - timedelta(seconds=10)) == 1
    assert granted(bot) == {"T0NORTH"}
    assert run_the_job_after(bot, timedelta(seconds=15)) == 1

    assert granted(bot) == {"T0NORTH", "T0SOUTH"} and kept(bot) == []


def test_a_removal_tried_once_an_earlier_run_finished_it_does_nothing(
    oauth_bot: RunningBot,  # noqa: F811
    engine: Engine,
) -> None:
    """A run that outlived its lease was claimed again; the first run finished and forgot the event: the second finds
    it no longer kept and removes nothing (the workspace may have been added again since)."""
    bot = oauth_bot
    org = install_org_wide(bot)
    with refusing_new_rows_in(engine, "audit_events"):
        org.org_event({"type": "team_access_revoked", "team_ids": ["T0SOUTH"]}, event_id="EvOUT")
        bot.driver.settle()
    with bot.sessions.begin() as session:
        kept_event = session.get_one(EventRetry, "EvOUT")
        body = dict(kept_event.body)
        session.delete(kept_event)

    assert bot.runtime.deps.events_again(body, Attempt("EvOUT", "team_access_revoked", number=2)), "its listener ran"
    bot.driver.settle()

    assert granted(bot) == {"T0NORTH", "T0SOUTH"}
    assert active(bot, "W0HR", "W0MGR", "W0SAM") == [True, True, True] and removal_notices(bot) == []


def test_a_removal_tried_while_the_addition_after_it_is_being_recorded_waits_for_it_and_removes_nothing(
    oauth_bot: RunningBot,  # noqa: F811
    engine: Engine,
) -> None:
    """The addition Slack sent after the removal is being recorded as the removal's try starts: the try waits for it
    on the org's row, then sees it and leaves T0SOUTH added, rather than decide on what it read before."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite serialises writers: a second one waits for the first before it reads")
    bot = oauth_bot
    org = install_org_wide(bot)
    with refusing_new_rows_in(engine, "audit_events"):
        org.org_event({"type": "team_access_revoked", "team_ids": ["T0SOUTH"]}, event_id="EvOUT")
        bot.driver.settle()
    bot.clock.advance(timedelta(seconds=20))
    addition = Sent("EvIN", int(time.time()) + 1, bot.clock.now())

    def record_the_addition(session: Session) -> None:
        found = directory.find_workspace(session, "E0GROUP")
        assert found is not None
        workspaces.hold(session, found)
        workspaces.record_team_access(
            session,
            workspace=found,
            action="team_access_granted",
            team_ids=["T0SOUTH"],
            sent=addition,
            now=addition.received_at,
        )
        session.flush()

    def try_the_removal(_session: Session) -> None:
        assert run_the_job_after(bot, WAITS[0]) == 1

    one_after_the_other(bot.sessions, engine, record_the_addition, try_the_removal)

    assert granted(bot) == {"T0NORTH", "T0SOUTH"}
    assert active(bot, "W0HR", "W0MGR", "W0SAM") == [True, True, True] and removal_notices(bot) == []
    assert kept(bot) == []


def test_slacks_retry_of_a_removal_the_app_failed_in_front_of_its_listener_leaves_the_addition_after_it(
    oauth_bot: RunningBot,  # noqa: F811
) -> None:
    """The database blipped as the removal came (answered 503, nothing kept); the admin added T0SOUTH back; Slack's
    retry of the removal, a minute on, arrives as a first delivery after the addition Slack sent later."""
    bot = oauth_bot
    org = install_org_wide(bot)
    removal = org.grid.org_envelope({"type": "team_access_revoked", "team_ids": ["T0SOUTH"]}, "EvOUT", org.team_id)
    removal["event_time"] -= 20
    bot.slack.state.installs.change_team_access("E0GROUP", removal["event"])
    with replay_check_out_of_reach(bot.runtime.engine):
        assert org.post(json.dumps(removal), JSON).status == 503
    org.org_event({"type": "team_access_granted", "team_ids": ["T0SOUTH"]})
    notices = len(removal_notices(bot))

    assert org.post(json.dumps(removal), JSON, **as_retried(1)).status == 200

    assert active(bot, "W0HR", "W0MGR", "W0SAM") == [True, True, True]
    assert granted(bot) == {"T0NORTH", "T0SOUTH"}
    assert len(removal_notices(bot)) == notices
