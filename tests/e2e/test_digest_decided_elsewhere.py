"""A request decided anywhere but in the weekly digest (the App Home, another decider, the `/digest` preview) leaves
no buttons of it there: the digest shows it as it stands, through the outbox when Slack cannot just now; nor do a
request handed on from its manager (she left, or its requester moved away); and a click in the preview on a request
decided since redraws the preview."""

from datetime import timedelta

from bot.fakeslack import Call
from handlers.blocks.digest import as_text
from handlers.blocks.digest_waiting import NOT_YOURS
from handlers.jobs.drain_outbox import drain_outbox
from tests.conftest import RunningBot
from tests.e2e.test_digest_quick_decisions import APPROVE, offered, pending_ids, ready, shown, weekly_digest
from tests.e2e.test_people_leaving import SAM_MOVES_WEST, WITHOUT_MAYA, reimport

__all__ = ["ready"]


def approve_in_home(bot: RunningBot, user: str, request_id: str) -> None:
    bot.driver.open_home(user)
    home = bot.slack.state.home_view(user)
    assert home is not None
    bot.driver.click_in_view(user, home, APPROVE, value=request_id)


def updates_of(bot: RunningBot, digest: Call) -> int:
    return len(bot.slack.calls("chat.update", channel=digest.response["channel"]))


def test_a_request_approved_in_the_app_home_shows_approved_in_the_weekly_digest(ready: RunningBot) -> None:
    digest = weekly_digest(ready)
    first, second, third = pending_ids(ready)

    approve_in_home(ready, "U0MGR1", first)

    now = shown(ready, digest)
    assert not offered(now, first) and "approved by Maya Manager" in as_text(now)
    assert offered(now, second) and offered(now, third), "what still waits keeps its buttons"
    assert "Your team's week" in as_text(now)


def test_a_request_declined_from_its_own_dm_shows_declined_in_the_weekly_digest(ready: RunningBot) -> None:
    ready.driver.command("U0AGENT1", "/resolve", "refund 80 order 42 parcel lost in transit")
    [request] = [c for c in ready.slack.calls("chat.postMessage", channel="U0MGR1") if "parcel lost" in c.text]
    digest = weekly_digest(ready)
    newest = pending_ids(ready)[-1]
    assert offered(shown(ready, digest), newest)

    ready.driver.click("U0MGR1", request, "resolution_decline")
    [modal] = ready.slack.calls("views.open")
    ready.driver.submit("U0MGR1", modal.args["view"], {"reason": "not covered"})

    now = shown(ready, digest)
    assert not offered(now, newest) and "declined by Maya Manager: not covered" in as_text(now)


def test_a_request_another_decider_approves_shows_who_did_in_the_weekly_digest(ready: RunningBot) -> None:
    digest = weekly_digest(ready)
    first, second, _ = pending_ids(ready)

    approve_in_home(ready, "U0ADMIN", second)

    now = shown(ready, digest)
    assert not offered(now, second) and "approved by Ada Admin" in as_text(now)
    assert offered(now, first)


def test_a_weekly_digest_slack_would_not_update_just_then_is_updated_once_after_its_retry_after(
    ready: RunningBot,
) -> None:
    digest = weekly_digest(ready)
    first, *_ = pending_ids(ready)
    ready.slack.fail("chat.update", status=429, retry_after=300, channel=digest.response["channel"])

    approve_in_home(ready, "U0MGR1", first)
    drain_outbox(ready.runtime.deps, ready.runtime.sender_client)
    assert offered(shown(ready, digest), first), "not before Slack's Retry-After"

    ready.clock.advance(timedelta(seconds=301))
    drain_outbox(ready.runtime.deps, ready.runtime.sender_client)
    drain_outbox(ready.runtime.deps, ready.runtime.sender_client)

    assert not offered(shown(ready, digest), first)
    assert updates_of(ready, digest) == 1, "it landed once, a drain more sends nothing again"


def test_a_click_in_the_preview_on_a_request_decided_since_redraws_the_preview(ready: RunningBot) -> None:
    ready.driver.command("U0MGR1", "/digest")
    [preview] = ready.slack.calls("response_url")
    first, second, _ = pending_ids(ready)
    approve_in_home(ready, "U0ADMIN", first)

    ready.driver.click("U0MGR1", preview, APPROVE, value=first)

    assert any("already approved by Ada Admin" in call.text for call in ready.slack.calls("response_url"))
    now = shown(ready, preview)
    assert not offered(now, first) and offered(now, second)
    assert "*Waiting on you (2), oldest first:*" in as_text(now)


def test_a_manager_who_left_finds_no_buttons_left_in_her_weekly_digest(ready: RunningBot) -> None:
    """The org file no longer lists Maya: what waited on her goes to Ada; her digest offers nothing she may decide."""
    digest = weekly_digest(ready)
    ids = pending_ids(ready)

    reimport(ready.sessions, ready.clock.now(), WITHOUT_MAYA)
    drain_outbox(ready.runtime.deps, ready.runtime.sender_client)

    now = shown(ready, digest)
    assert not any(offered(now, each) for each in ids)
    assert as_text(now).count(NOT_YOURS) == 3 and "Ada" not in as_text(now)


def test_a_manager_whose_report_moved_away_keeps_no_buttons_of_his_requests(ready: RunningBot) -> None:
    digest = weekly_digest(ready)
    ids = pending_ids(ready)

    reimport(ready.sessions, ready.clock.now(), SAM_MOVES_WEST)
    drain_outbox(ready.runtime.deps, ready.runtime.sender_client)

    now = shown(ready, digest)
    assert not any(offered(now, each) for each in ids)
    assert as_text(now).count(NOT_YOURS) == 3
