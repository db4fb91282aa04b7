"""An uninstall, or the bot token revoked, whose listener the database failed after the ack is run again by the app
itself (handlers/event_retries.py): otherwise the workspace would stay served with tokens Slack revoked, and its data
would never become purgeable after the retention."""

import time
from datetime import datetime

import pytest
from sqlalchemy import Engine, func, select, update

from bot.fakeslack.browser import install
from handlers.jobs.drain_outbox import drain_outbox
from models import AuditEvent, Delivery, EventRetry, slack_bots, slack_installations
from services import directory
from services.event_retries import WAITS
from tests.conftest import RunningBot
from tests.e2e.test_database_failing import refusing_new_rows_in
from tests.e2e.test_events_tried_again import kept, run_the_job_after
from tests.e2e.test_installs import ALPHA_ORG, install_in, oauth_bot, queue  # noqa: F401
from tests.helpers import load_org_and_policy

REVOKING = [{"type": "app_uninstalled"}, {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": ["B0ALPHA"]}}]


def installed(bot: RunningBot, team_id: str) -> bool:
    with bot.sessions() as session:
        workspace = directory.find_workspace(session, team_id)
        return workspace is not None and workspace.installed


def installs_stored(bot: RunningBot, team_id: str) -> int:
    with bot.sessions() as session:
        stored = select(func.count()).select_from(slack_installations).where(slack_installations.c.team_id == team_id)
        return int(session.scalar(stored) or 0)


def status_of(bot: RunningBot, key: str) -> str:
    with bot.sessions() as session:
        return session.scalars(select(Delivery.status).where(Delivery.idempotency_key == key)).one()


@pytest.mark.parametrize("revoking", REVOKING, ids=lambda event: str(event["type"]))
def test_an_uninstall_the_database_failed_stops_the_workspace_when_the_app_tries_it_again(
    oauth_bot: RunningBot,  # noqa: F811
    engine: Engine,
    revoking: dict[str, object],
) -> None:
    bot = oauth_bot
    alpha = install_in(bot, "T0ALPHA", ALPHA_ORG)
    queue(bot, "T0ALPHA", ["U0AAGENT"])
    with refusing_new_rows_in(engine, "audit_events"):
        alpha.event(revoking, event_id="EvGONE")
        assert installed(bot, "T0ALPHA"), "the listener failed: nothing changed"
    assert kept(bot) == [("EvGONE", 0)]

    alpha.event(revoking, event_id="EvGONE", retry_num=1, sent_at=int(time.time()))
    assert installed(bot, "T0ALPHA"), "Slack's retry of an event already recorded is still dropped"

    assert run_the_job_after(bot, WAITS[0]) == 1

    assert not installed(bot, "T0ALPHA")
    assert installs_stored(bot, "T0ALPHA") == 0, "the tokens Slack revoked are forgotten"
    assert status_of(bot, "test:T0ALPHA:U0AAGENT") == "failed"
    assert drain_outbox(bot.runtime.deps, bot.runtime.sender_client) == 0
    assert kept(bot) == []
    with bot.sessions() as session:
        workspace = directory.find_workspace(session, "T0ALPHA")
        assert workspace is not None and workspace.uninstalled_at == bot.clock.now(), "its retention starts"
        actions = session.scalars(
            select(AuditEvent.action).where(AuditEvent.workspace_id == workspace.id).order_by(AuditEvent.id)
        ).all()
    assert actions[-1] == revoking["type"], "its listener stopped it"


def test_a_kept_uninstall_tried_after_the_app_was_installed_again_leaves_the_new_install(
    oauth_bot: RunningBot,  # noqa: F811
    engine: Engine,
) -> None:
    """The admin installed the app again before the app's try: the uninstall told of the install before it."""
    bot = oauth_bot
    alpha = install_in(bot, "T0ALPHA", ALPHA_ORG)
    with bot.sessions.begin() as session:
        made_long_ago = datetime(2026, 1, 1)  # naive UTC, as slack_sdk keeps it
        session.execute(update(slack_bots).values(installed_at=made_long_ago))
    bot.slack.state.installs.revoke_team("T0ALPHA")
    with refusing_new_rows_in(engine, "audit_events"):
        alpha.event({"type": "app_uninstalled"}, event_id="EvGONE", sent_at=int(time.time()) - 60)
    assert kept(bot) == [("EvGONE", 0)]
    bot.slack.installing(team_id="T0ALPHA", user_id="U0AHR")
    assert install(bot.events_url).status == 200

    assert run_the_job_after(bot, WAITS[0]) == 1

    assert installed(bot, "T0ALPHA") and kept(bot) == []
    queue(bot, "T0ALPHA", ["U0AAGENT"])
    assert drain_outbox(bot.runtime.deps, bot.runtime.sender_client) == 1, "sent with the new install's token"


def test_a_kept_uninstall_holds_no_more_than_slack_sent_of_it(
    oauth_bot: RunningBot,  # noqa: F811
    engine: Engine,
) -> None:
    bot = oauth_bot
    alpha = install_in(bot, "T0ALPHA", ALPHA_ORG)
    with refusing_new_rows_in(engine, "audit_events"):
        alpha.event({"type": "app_uninstalled"}, event_id="EvGONE")

    with bot.sessions() as session:
        body = session.scalars(select(EventRetry.body)).one()
    assert body["event"] == {"type": "app_uninstalled"} and body["team_id"] == "T0ALPHA"
    assert "token" not in body, "Slack's verification token is not kept"


def test_with_one_bot_token_a_kept_uninstall_stops_the_workspace_when_the_app_tries_it_again(
    bot: RunningBot, engine: Engine
) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    with refusing_new_rows_in(engine, "audit_events"):
        bot.driver.event({"type": "app_uninstalled"}, event_id="EvGONE")
    assert installed(bot, bot.driver.team_id) and kept(bot) == [("EvGONE", 0)]

    assert run_the_job_after(bot, WAITS[0]) == 1

    assert not installed(bot, bot.driver.team_id) and kept(bot) == []


def test_with_one_bot_token_a_kept_uninstall_waits_while_slack_does_not_say_whether_the_token_works(
    bot: RunningBot, engine: Engine
) -> None:
    """The token served with was never revoked (the uninstall told of an older one); at the try Slack answers
    `auth.test` with a 503: that says nothing of the token, so the workspace is not stopped and the try waits."""
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.slack.fail("auth.test", times=3, status=503)
    with refusing_new_rows_in(engine, "audit_events"):
        bot.driver.event({"type": "app_uninstalled"}, event_id="EvGONE", sent_at=int(time.time()) - 30)
    assert installed(bot, bot.driver.team_id) and kept(bot) == [("EvGONE", 0)]
    bot.slack.fail("auth.test", times=3, status=503)

    assert run_the_job_after(bot, WAITS[0]) == 1
    assert installed(bot, bot.driver.team_id) and kept(bot) == [("EvGONE", 1)], "tried again later"

    assert run_the_job_after(bot, WAITS[1]) == 1
    assert installed(bot, bot.driver.team_id) and kept(bot) == [], "the token works: nothing stops"


@pytest.mark.parametrize("refusal", ["token_expired", "not_authed"])
def test_with_one_bot_token_a_kept_uninstall_stops_the_workspace_on_any_lasting_refusal_of_its_token(
    bot: RunningBot, refusal: str
) -> None:
    """Not only `invalid_auth`: a token Slack refuses for a reason that does not pass serves no more, and the
    workspace goes on being served with it unless the uninstall stops it."""
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.slack.fail("auth.test", times=3, status=503)
    bot.driver.event({"type": "app_uninstalled"}, event_id="EvGONE", sent_at=int(time.time()) - 30)
    assert kept(bot) == [("EvGONE", 0)]
    bot.slack.fail("auth.test", times=3, error=refusal)

    assert run_the_job_after(bot, WAITS[0]) == 1

    assert not installed(bot, bot.driver.team_id) and kept(bot) == []
