"""The app's own try of a kept `user_change` goes through Bolt's authorize, which answers Slack failing to answer
`auth.test` or to renew the token as a refusal: a failure that may pass keeps the try for its next wait; Slack
refusing the token or the install still forgets it. With one SLACK_BOT_TOKEN, the token is checked as the process
starts and never again by a request, the app's tries included."""

import time
from datetime import timedelta

import pytest
from sqlalchemy import Engine

from handlers.event_retries import kept_body
from services.event_retries import LEASE, WAITS, keep
from tests.conftest import RunningBot
from tests.e2e.test_database_failing import refusing_new_rows_in
from tests.e2e.test_departures import in_slack, is_active
from tests.e2e.test_events_tried_again import kept, run_the_job_after
from tests.e2e.test_installs import ALPHA_ORG, install_in, oauth_bot  # noqa: F401
from tests.e2e.test_installs_tokens import expire_the_stored_token, rotating  # noqa: F401
from tests.helpers import load_org_and_policy


def alphas_manager_deactivated_while_the_database_failed(bot: RunningBot, engine: Engine) -> None:
    alpha = install_in(bot, "T0ALPHA", ALPHA_ORG)
    with refusing_new_rows_in(engine, "audit_events"):
        alpha.event(bot.slack.change_user("U0AMGR", deleted=True), event_id="EvAL")
    assert is_active(bot, "U0AMGR") and kept(bot) == [("EvAL", 0)]


@pytest.mark.parametrize(
    "fault",
    [
        {"times": 3, "status": 503},  # the listeners' client tries auth.test twice more after a 5xx
        {"status": 429, "error": "ratelimited", "retry_after": 30},
        {"error": "service_unavailable"},
        {"times": 3, "hang_up": True},
    ],
    ids=["5xx", "ratelimited", "service_unavailable", "no answer"],
)
def test_an_apps_try_slack_failed_to_authorize_waits_for_its_next_try(
    oauth_bot: RunningBot,  # noqa: F811
    engine: Engine,
    fault: dict[str, object],
) -> None:
    bot = oauth_bot
    alphas_manager_deactivated_while_the_database_failed(bot, engine)

    bot.slack.fail("auth.test", **fault)  # type: ignore[arg-type]
    assert run_the_job_after(bot, WAITS[0]) == 1
    assert is_active(bot, "U0AMGR") and kept(bot) == [("EvAL", 1)], "kept for its next try"

    assert run_the_job_after(bot, WAITS[1]) == 1
    assert not is_active(bot, "U0AMGR") and kept(bot) == [], "she no longer approves anything"


def test_an_apps_try_whose_token_slack_refuses_is_forgotten(oauth_bot: RunningBot, engine: Engine) -> None:  # noqa: F811
    """The token revoked (`token_revoked`): Slack's delivery would be refused now too."""
    bot = oauth_bot
    alphas_manager_deactivated_while_the_database_failed(bot, engine)
    for token in bot.slack.tokens_of("T0ALPHA"):
        bot.slack.revoke(token)

    assert run_the_job_after(bot, WAITS[0]) == 1
    assert kept(bot) == []


@pytest.mark.parametrize("error", ["invalid_auth", "account_inactive"])
def test_an_apps_try_slack_refuses_to_authorize_is_forgotten(
    oauth_bot: RunningBot,  # noqa: F811
    engine: Engine,
    error: str,
) -> None:
    bot = oauth_bot
    alphas_manager_deactivated_while_the_database_failed(bot, engine)

    bot.slack.fail("auth.test", error=error)
    assert run_the_job_after(bot, WAITS[0]) == 1
    assert kept(bot) == []


def test_an_apps_try_whose_token_slack_failed_to_renew_waits_for_its_next_try(
    rotating: RunningBot,  # noqa: F811
    engine: Engine,
) -> None:
    bot = rotating
    alphas_manager_deactivated_while_the_database_failed(bot, engine)
    expire_the_stored_token(bot, "T0ALPHA")

    bot.slack.fail("oauth.v2.access", status=503)
    assert run_the_job_after(bot, WAITS[0]) == 1
    assert is_active(bot, "U0AMGR") and kept(bot) == [("EvAL", 1)], "kept for its next try"
    assert run_the_job_after(bot, WAITS[1] - timedelta(seconds=1)) == 0, "after the wait for a second try"


def test_an_apps_try_whose_refresh_token_slack_refuses_for_good_is_forgotten(
    rotating: RunningBot,  # noqa: F811
    engine: Engine,
) -> None:
    """Slack no longer renews the token (`invalid_refresh_token`): the app was uninstalled there, and the workspace is
    stopped as by `app_uninstalled`."""
    bot = rotating
    alphas_manager_deactivated_while_the_database_failed(bot, engine)
    expire_the_stored_token(bot, "T0ALPHA")
    bot.slack.state.installs.revoke_refresh_tokens("T0ALPHA")

    assert run_the_job_after(bot, WAITS[0]) == 1
    assert kept(bot) == []


def mayas_deactivation_kept_by_a_process_that_stopped(bot: RunningBot) -> None:
    """Slack's delivery reached an earlier process, which stopped in the middle of its listener: this process has
    had no request yet when it tries it."""
    load_org_and_policy(bot.sessions, bot.clock.now())
    in_slack(bot, "U0MGR1", "U0AGENT1")
    envelope = {
        "team_id": bot.driver.team_id,
        "api_app_id": "A0LATITUDE",
        "event": bot.slack.change_user("U0MGR1", deleted=True),
        "type": "event_callback",
        "event_id": "EvMAYA",
        "event_time": int(time.time()),
        "authorizations": [bot.driver.grid.authorization(bot.driver.team_id)],
    }
    with bot.sessions.begin() as session:
        keep(
            session.connection(),
            event_id="EvMAYA",
            event_type="user_change",
            body=kept_body(envelope),
            now=bot.clock.now(),
        )


@pytest.mark.parametrize("fault", [{"times": 3, "status": 503}, {"error": "invalid_auth"}], ids=["5xx", "invalid_auth"])
def test_with_one_token_an_apps_first_try_is_not_stopped_by_slack_failing_auth_test_after_the_start(
    bot: RunningBot, fault: dict[str, object]
) -> None:
    mayas_deactivation_kept_by_a_process_that_stopped(bot)
    bot.slack.fail("auth.test", **fault)  # type: ignore[arg-type]

    assert run_the_job_after(bot, LEASE) == 1

    assert not is_active(bot, "U0MGR1") and kept(bot) == []
    assert len(bot.slack.calls("auth.test")) == 1, "Slack was asked once, as the process started"
