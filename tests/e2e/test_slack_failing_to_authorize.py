"""With OAuth installs Bolt checks each request's token with Slack (`auth.test`, and its renewal when tokens rotate).
Slack failing that check for a while (down, busy) is not Slack refusing the install: Slack's own request fails as any
error does, so that Slack sends an event again (a `user_change` is kept for the app's own tries instead) and the person
is told to try again, never that an admin must install the app again. Slack refusing the token, or the renewal for
good, still answers as from a workspace the app is not installed in."""

import json
import logging
import time
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import event, select, text

from bot.authorize import CHECK_KEPT_SECONDS
from bot.fakeslack.driver import JSON, SlackDriver
from bot.fakeslack.envelopes import event_envelope
from bot.fakeslack.reply import Reply, as_retried, retry_headers
from bot.fakeslack.state import dm_channel
from bot.installs import NOT_INSTALLED_HERE
from handlers.form_apologies import SLACK_NOT_ANSWERING, SLACK_UNREACHABLE
from models import ProcessedEvent, Resolution
from models.engine import make_engine
from services.event_retries import WAITS
from tests.conftest import RunningBot
from tests.e2e.test_departures import is_active
from tests.e2e.test_events_tried_again import kept, run_the_job_after
from tests.e2e.test_installs import ALPHA_ORG, install_in, oauth_bot  # noqa: F401
from tests.e2e.test_installs_tokens import expire_the_stored_token, rotating  # noqa: F401
from tests.e2e.test_upgrades import upgraded_by_a_newer_release  # noqa: F401
from tests.helpers import count

SLACK_FAILING = [
    {"times": 3, "status": 503},  # the listeners' client tries auth.test twice more after a 5xx
    {"status": 429, "error": "ratelimited", "retry_after": 30},
    {"error": "service_unavailable"},
]
FAILING_IDS = ["5xx", "ratelimited", "service_unavailable"]


def handled(bot: RunningBot, event_id: str) -> bool:
    with bot.sessions() as session:
        return session.scalar(select(ProcessedEvent).where(ProcessedEvent.event_id == event_id)) is not None


@pytest.mark.parametrize("fault", SLACK_FAILING, ids=FAILING_IDS)
def test_a_manager_deactivated_while_slack_failed_to_authorize_is_kept_for_the_apps_own_tries(
    oauth_bot: RunningBot,  # noqa: F811
    fault: dict[str, object],
) -> None:
    """Slack's own retries come within about 5 minutes, and might all meet the same outage: the app keeps it and tries
    it itself, longer; Slack is answered 200, and a retry it sends anyway is dropped, so it runs once."""
    bot = oauth_bot
    alpha = install_in(bot, "T0ALPHA", ALPHA_ORG)
    deactivated = bot.slack.change_user("U0AMGR", deleted=True)
    bot.slack.fail("auth.test", **fault)  # type: ignore[arg-type]

    assert alpha.event(deactivated, event_id="EvAL").status == 200
    assert is_active(bot, "U0AMGR") and handled(bot, "EvAL") and kept(bot) == [("EvAL", 0)]
    assert alpha.event(deactivated, event_id="EvAL", retry_num=1).status == 200
    assert is_active(bot, "U0AMGR"), "Slack's retry is dropped: the app's try follows it"

    bot.slack.fail("auth.test", **fault)  # type: ignore[arg-type]
    assert run_the_job_after(bot, WAITS[0]) == 1
    assert is_active(bot, "U0AMGR") and kept(bot) == [("EvAL", 1)], "still failing: kept for the next try"

    assert run_the_job_after(bot, WAITS[1]) == 1
    assert not is_active(bot, "U0AMGR"), "she no longer approves anything"
    assert kept(bot) == []


def test_a_deactivation_whose_token_slack_failed_to_renew_is_kept_for_the_apps_own_tries(
    rotating: RunningBot,  # noqa: F811
) -> None:
    """The refusal is kept a minute (bot/renewals.py): a `user_change` is kept for the app's own tries, which come
    later (1, 5, 15 and 60 minutes on)."""
    bot = rotating
    alpha = install_in(bot, "T0ALPHA", ALPHA_ORG)
    deactivated = bot.slack.change_user("U0AMGR", deleted=True)
    expire_the_stored_token(bot, "T0ALPHA")
    bot.slack.fail("oauth.v2.access", status=503)

    assert alpha.event(deactivated, event_id="EvAL").status == 200
    assert is_active(bot, "U0AMGR") and kept(bot) == [("EvAL", 0)], "kept for the app's own tries"


def signed_event(driver: SlackDriver, event: dict[str, object], event_id: str) -> tuple[str, int]:
    """An event's body as Slack sends it, and the second it is signed in."""
    now = int(time.time())
    auth = driver.grid.authorization(driver.team_id)
    envelope = event_envelope(event, team_id=driver.team_id, event_id=event_id, event_time=now, authorization=auth)
    return json.dumps(envelope | driver.grid.event_fields()), now


def signed_within_one_second(driver: SlackDriver, event: dict[str, object], event_id: str) -> list[Reply]:
    """An event and Slack's retry of it sent within the same second: the same body, timestamp and signature."""
    body, now = signed_event(driver, event, event_id)
    return [driver.post(body, JSON, timestamp=now, headers=retry_headers(number)) for number in (None, 1)]


def home_opened(user: str) -> dict[str, object]:
    return {
        "type": "app_home_opened",
        "user": user,
        "channel": dm_channel(user),
        "tab": "home",
        "event_ts": f"{time.time():.6f}",
    }


def test_slacks_retry_signed_as_the_failed_try_is_not_taken_for_a_replay(oauth_bot: RunningBot) -> None:  # noqa: F811
    bot = oauth_bot
    alpha = install_in(bot, "T0ALPHA", ALPHA_ORG)
    opened = {"type": "app_home_opened", "user": "U0AAGENT", "channel": dm_channel("U0AAGENT"), "tab": "home"}
    bot.slack.fail("auth.test", times=3, status=503)

    first, again = signed_within_one_second(alpha, {**opened, "event_ts": f"{time.time():.6f}"}, "EvHOME")

    assert first.status >= 500 and again.status == 200
    assert bot.slack.state.home_view("U0AAGENT") is not None, "the Home is drawn"
    assert handled(bot, "EvHOME")


def test_a_captured_event_sent_again_and_again_while_slack_fails_is_let_through_only_as_often_as_slack_tries_it(
    oauth_bot: RunningBot,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Slack tries an event 4 times at most (the first try and 3 retries): a signed request the app failed is let
    through again only as often, so a copy of it sent again for the 5 minutes its signature is good for costs the
    workspace's token no more checks with Slack than Slack's own retries would."""
    bot = oauth_bot
    alpha = install_in(bot, "T0ALPHA", ALPHA_ORG)
    bot.slack.fail("auth.test", times=1000, status=503)
    body, stamp = signed_event(alpha, home_opened("U0AAGENT"), "EvHOME")
    checks_before = len(bot.slack.calls("auth.test"))

    first = alpha.post(body, JSON, timestamp=stamp)
    checks_per_try = len(bot.slack.calls("auth.test")) - checks_before
    with caplog.at_level(logging.INFO):
        again = [alpha.post(body, JSON, timestamp=stamp, headers=retry_headers(n % 3 + 1)) for n in range(12)]

    assert [reply.status >= 500 for reply in [first, *again]] == [True] * 4 + [False] * 9
    assert {(reply.status, reply.body) for reply in again[3:]} == {(200, "")}, "refused as a replay"
    assert "replay" in "\n".join(record.getMessage() for record in caplog.records)
    assert len(bot.slack.calls("auth.test")) - checks_before <= 4 * checks_per_try
    assert not handled(bot, "EvHOME")

    bot.slack.state.faults.clear()
    assert alpha.post(body, JSON, **as_retried(3)).status == 200, "Slack's own retry, signed as it is sent, passes"
    assert handled(bot, "EvHOME") and bot.slack.state.home_view("U0AAGENT") is not None


def test_an_event_answered_200_is_refused_when_sent_again_with_its_signature(
    oauth_bot: RunningBot,  # noqa: F811
) -> None:
    bot = oauth_bot
    alpha = install_in(bot, "T0ALPHA", ALPHA_ORG)
    body, stamp = signed_event(alpha, home_opened("U0AAGENT"), "EvHOME")
    assert alpha.post(body, JSON, timestamp=stamp).status == 200
    checks_before = len(bot.slack.calls("auth.test"))

    again = alpha.post(body, JSON, timestamp=stamp, headers=retry_headers(1))

    assert (again.status, again.body) == (200, "")
    assert len(bot.slack.calls("auth.test")) == checks_before, "refused before the token is checked"


def test_a_failure_the_database_cannot_note_is_one_warning_and_slacks_retry_signed_anew_passes(
    oauth_bot: RunningBot,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The database lost between the replay check and the 5xx (a cut connection is tried once more): the failed try
    stays seen, so a retry within the same second is refused as a replay, answered 200, after which Slack sends the
    event no more; one signed anew still passes."""
    bot = oauth_bot
    alpha = install_in(bot, "T0ALPHA", ALPHA_ORG)
    engine = bot.runtime.engine
    bot.slack.fail("auth.test", times=3, status=503)
    body, stamp = signed_event(alpha, home_opened("U0AAGENT"), "EvHOME")
    lost = engine.dialect.dbapi.OperationalError  # type: ignore[union-attr]

    def unreachable(_connection: object, _cursor: object, statement: str, *_: object) -> None:
        if statement.lstrip().upper().startswith("UPDATE SEEN_REQUESTS"):
            raise lost("server closed the connection unexpectedly")

    event.listen(engine, "before_cursor_execute", unreachable)
    try:
        with caplog.at_level(logging.WARNING):
            first = alpha.post(body, JSON, timestamp=stamp)
    finally:
        event.remove(engine, "before_cursor_execute", unreachable)
    again = alpha.post(body, JSON, timestamp=stamp, headers=retry_headers(1))

    assert first.status >= 500 and (again.status, again.body) == (200, "")
    assert [r.levelname for r in caplog.records if "failure not noted" in r.getMessage()] == ["WARNING"]
    assert not handled(bot, "EvHOME")
    assert alpha.post(body, JSON, **as_retried(2)).status == 200
    assert handled(bot, "EvHOME") and bot.slack.state.home_view("U0AAGENT") is not None


@pytest.mark.own_engine
def test_a_failure_noted_on_a_connection_a_restart_cut_is_noted_on_a_fresh_one_and_slacks_same_second_retry_passes(
    oauth_bot: RunningBot,  # noqa: F811
) -> None:
    """Answered 200 as a replay, the retry would be Slack's last: it takes a 2xx as delivered."""
    bot = oauth_bot
    engine = bot.runtime.engine
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no server to restart")
    alpha = install_in(bot, "T0ALPHA", ALPHA_ORG)
    bot.slack.fail("auth.test", times=3, status=503)
    body, stamp = signed_event(alpha, home_opened("U0AAGENT"), "EvHOME")
    other = make_engine(engine.url.render_as_string(hide_password=False))
    noted: list[str] = []

    def cut_once(_connection: object, cursor: Any, statement: str, *_: object) -> None:
        if statement.lstrip().upper().startswith("UPDATE SEEN_REQUESTS"):
            noted.append(statement)
            if len(noted) == 1:  # its backend ended, as a restart ends them, before the update reaches it
                with other.begin() as elsewhere:
                    stop = text("SELECT pg_terminate_backend(:pid, 5000)")
                    elsewhere.execute(stop, {"pid": cursor.connection.info.backend_pid})

    event.listen(engine, "before_cursor_execute", cut_once)
    try:
        first = alpha.post(body, JSON, timestamp=stamp)
    finally:
        event.remove(engine, "before_cursor_execute", cut_once)
        other.dispose()
    again = alpha.post(body, JSON, timestamp=stamp, headers=retry_headers(1))

    assert first.status >= 500 and len(noted) == 2
    assert again.status == 200 and handled(bot, "EvHOME")
    assert bot.slack.state.home_view("U0AAGENT") is not None


@pytest.mark.parametrize("fault", SLACK_FAILING, ids=FAILING_IDS)
def test_a_command_while_slack_fails_to_authorize_is_told_to_try_again_not_to_install_the_app(
    oauth_bot: RunningBot,  # noqa: F811
    fault: dict[str, object],
) -> None:
    bot = oauth_bot
    alpha = install_in(bot, "T0ALPHA", ALPHA_ORG)
    bot.slack.fail("auth.test", **fault)  # type: ignore[arg-type]

    reply = alpha.command("U0AAGENT", "/resolve", "refund 5 order 1 late")

    assert (reply.status, reply.text) == (200, SLACK_NOT_ANSWERING)
    assert NOT_INSTALLED_HERE not in reply.text
    with bot.sessions() as session:
        assert count(session, Resolution) == 0

    assert "logged" in alpha.command("U0AAGENT", "/resolve", "refund 5 order 1 late").text.lower()


def test_an_event_whose_token_slack_refuses_is_answered_as_not_installed_here(
    oauth_bot: RunningBot,  # noqa: F811
) -> None:
    """`invalid_auth`: no delivery again would be authorized; Slack is answered and sends it no more."""
    bot = oauth_bot
    alpha = install_in(bot, "T0ALPHA", ALPHA_ORG)
    bot.slack.fail("auth.test", error="invalid_auth")

    reply = alpha.event(bot.slack.change_user("U0AMGR", deleted=True), event_id="EvAL")

    assert reply.status == 200
    assert is_active(bot, "U0AMGR") and kept(bot) == []


@pytest.mark.parametrize("method", ["auth.test", "oauth.v2.access"])
def test_slack_not_answering_the_check_is_one_warning_and_the_event_is_sent_again(
    rotating: RunningBot,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
    method: str,
) -> None:
    """A dropped connection or a timeout, not a bug: no error with a traceback for every request while it lasts."""
    bot = rotating
    alpha = install_in(bot, "T0ALPHA", ALPHA_ORG)
    expire_the_stored_token(bot, "T0ALPHA")
    bot.slack.fail(method, times=3, hang_up=True)  # the listeners' client tries once more after a dropped connection
    opened = {"type": "app_home_opened", "user": "U0AAGENT", "channel": dm_channel("U0AAGENT"), "tab": "home"}

    with caplog.at_level(logging.WARNING):
        reply = alpha.event({**opened, "event_ts": f"{time.time():.6f}"}, event_id="EvHOME")

    assert reply.status >= 500, "Slack sends it again"
    assert [record.levelname for record in caplog.records if "did not authorize" in record.getMessage()] == ["WARNING"]
    ours = [record for record in caplog.records if not record.name.startswith("slack_sdk")]  # its own line per call
    assert not [record for record in ours if record.levelno >= logging.ERROR or record.exc_info]


@pytest.mark.parametrize("error", ["invalid_client_id", "bad_client_secret"])
def test_a_renewal_slack_refuses_for_the_apps_credentials_is_not_told_to_try_again(
    rotating: RunningBot,  # noqa: F811
    error: str,
) -> None:
    """Trying again would be refused alike until the operator fixes SLACK_CLIENT_ID or SLACK_CLIENT_SECRET: the
    request is refused as one whose token Slack refuses, not left to fail for ever as if Slack were down."""
    bot = rotating
    alpha = install_in(bot, "T0ALPHA", ALPHA_ORG)
    expire_the_stored_token(bot, "T0ALPHA")
    bot.slack.fail("oauth.v2.access", times=5, error=error)

    reply = alpha.command("U0AAGENT", "/resolve", "refund 5 order 1 late")

    told = reply.text + " ".join(call.text for call in bot.slack.calls("response_url"))
    assert "something went wrong on our side" not in told and NOT_INSTALLED_HERE in told
    assert alpha.event(bot.slack.change_user("U0AMGR", deleted=True), event_id="EvAL").status == 200


def test_a_form_sent_while_slack_fails_to_authorize_stays_open_saying_slack_is_not_answering(
    oauth_bot: RunningBot,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The request has no token Slack checked to send a DM with: the form itself says why nothing was done, and stays
    open with what was typed in it, for the person to send it again (not Slack's generic "trouble connecting")."""
    bot = oauth_bot
    alpha = install_in(bot, "T0ALPHA", ALPHA_ORG)
    alpha.command("U0AAGENT", "/resolve")
    form = bot.slack.calls("views.open")[-1].args["view"]
    bot.clock.advance(timedelta(seconds=CHECK_KEPT_SECONDS + 1))  # the token is checked again
    bot.slack.fail("auth.test", times=3, status=503)

    with caplog.at_level(logging.WARNING):
        reply = alpha.post_payload(alpha.submit_payload("U0AAGENT", form, {"category": "refund", "summary": "late"}))

    assert reply.status == 200 and reply.json["response_action"] == "errors"
    assert list(reply.json["errors"].values()) == [SLACK_UNREACHABLE]
    assert bot.slack.calls("chat.postMessage") == []
    assert not [record for record in caplog.records if "could not tell the user" in record.getMessage()]
    with bot.sessions() as session:
        assert count(session, Resolution) == 0


def test_a_process_whose_schema_moved_keeps_nothing_slack_failed_to_authorize_and_asks_slack_nothing(
    oauth_bot: RunningBot,  # noqa: F811
    request: pytest.FixtureRequest,
) -> None:
    """A newer release upgraded the database under this process: it writes nothing by its own rules, not even the
    kept `user_change` of an outage; the event goes unacknowledged, for the new release's processes to take."""
    bot = oauth_bot
    alpha = install_in(bot, "T0ALPHA", ALPHA_ORG)
    request.getfixturevalue("upgraded_by_a_newer_release")
    bot.clock.advance(timedelta(seconds=10))  # what it last learnt of the schema is old enough to ask again
    checks_before = len(bot.slack.calls("auth.test"))
    bot.slack.fail("auth.test", times=3, status=503)

    reply = alpha.event(bot.slack.change_user("U0AMGR", deleted=True), event_id="EvMOVED")

    assert reply.status == 503
    assert kept(bot) == [] and not handled(bot, "EvMOVED")
    assert len(bot.slack.calls("auth.test")) == checks_before, "no token is checked for a request it will not serve"
