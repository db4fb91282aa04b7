"""A weekly digest clicked by someone who may no longer decide what it lists never shows how those requests were
decided since: not who decided them, not why."""

from datetime import timedelta

from sqlalchemy import select

from bot.fakeslack import Call
from handlers.blocks.digest import as_text
from handlers.blocks.digest_waiting import DIGEST_DECIDE_PREFIX
from handlers.jobs.forget_sent_messages import forget_sent_messages
from models import Resolution
from services.outbox_retention import KEPT
from services.resolutions import decisions
from tests.conftest import RunningBot
from tests.e2e.test_digest_quick_decisions import APPROVE, offered, pending_ids, ready, shown, weekly_digest
from tests.helpers import employee

__all__ = ["ready"]

SECRET = "SECRET performance plan note"


def decline_as(bot: RunningBot, slack_id: str, request_id: str) -> None:
    """Someone else declines a request the digest lists (from their own App Home, say)."""
    with bot.sessions.begin() as session:
        decider = employee(session, slack_id)
        decisions.decide(
            session, resolution_id=int(request_id), decider=decider, approve=False, reason=SECRET, now=bot.clock.now()
        )


def said_since(bot: RunningBot, digest: Call) -> str:
    """All Slack was asked to show the digest's reader since it was sent (the requester's own DMs are theirs)."""
    theirs = {"U0MGR1", digest.response["channel"]}
    return " ".join(
        str(call.args)
        for call in bot.slack.calls()
        if call.at > digest.at and (call.channel in theirs or call.response.get("channel") in theirs)
    )


def test_a_manager_who_left_learns_nothing_of_requests_decided_since_from_their_old_digest(ready: RunningBot) -> None:
    digest = weekly_digest(ready)
    first, second, _ = pending_ids(ready)
    with ready.sessions.begin() as session:
        employee(session, "U0MGR1").active = False  # left the team; her Slack account and DM remain
    decline_as(ready, "U0ADMIN", second)

    ready.driver.click("U0MGR1", digest, APPROVE, value=second)

    said = said_since(ready, digest)
    assert SECRET not in said and "Ada" not in said
    assert "no longer active" in said
    now = shown(ready, digest)
    assert SECRET not in as_text(now)
    assert not offered(now, second) and not offered(now, first), "no buttons left that only refuse her"


def test_a_report_moved_to_another_manager_keeps_his_requests_outcomes_from_the_old_one(ready: RunningBot) -> None:
    digest = weekly_digest(ready)
    first, second, third = pending_ids(ready)
    with ready.sessions.begin() as session:
        maya, omar, lee = employee(session, "U0MGR1"), employee(session, "U0MGR2"), employee(session, "U0AGENT2")
        employee(session, "U0AGENT1").manager = omar
        for request in session.scalars(select(Resolution).where(Resolution.status == "pending")):
            request.decider = maya if str(request.id) == first else omar  # one still hers (Lee's), the others his now
            if str(request.id) == first:
                request.employee = lee
    decline_as(ready, "U0MGR2", second)

    ready.driver.click("U0MGR1", digest, APPROVE, value=second)
    ready.driver.click("U0MGR1", digest, APPROVE, value=first)

    said = said_since(ready, digest)
    assert SECRET not in said and "Omar" not in said
    now = shown(ready, digest)
    assert "approved by Maya Manager" in as_text(now), "her own decision shows"
    assert as_text(now).count("No longer yours to decide.") == 2
    assert not offered(now, second) and not offered(now, third)


def test_an_approval_in_a_digest_older_than_the_outbox_keeps_still_shows_it_approved(ready: RunningBot) -> None:
    digest = weekly_digest(ready)
    first, second, _ = pending_ids(ready)
    ready.clock.set(ready.clock.now() + KEPT + timedelta(days=1))
    assert forget_sent_messages(ready.runtime.deps, ready.runtime.app.client) > 0
    decline_as(ready, "U0ADMIN", second)

    ready.driver.click("U0MGR1", digest, APPROVE, value=first)

    now = shown(ready, digest)
    assert not offered(now, first) and "approved by Maya Manager" in as_text(now)
    assert not offered(now, second) and f"declined by Ada Admin: {SECRET}" in as_text(now), "hers to know: she may"
    assert "Your team's week" in as_text(now)


def test_a_click_forged_from_another_managers_digest_does_not_draw_over_it(ready: RunningBot) -> None:
    """Omar, with a click forged to come from Maya's digest (its channel, its message, its copy), is refused; and
    her digest, which is not among his, is left as it is: not drawn as he may see it, her buttons gone."""
    digest = weekly_digest(ready)
    first, _, _ = pending_ids(ready)
    before = shown(ready, digest)

    ready.driver.click("U0MGR2", digest, APPROVE, value=first, forged=True)

    assert [call for call in ready.slack.calls("chat.update") if call.channel == digest.response["channel"]] == []
    assert shown(ready, digest) == before and offered(before, first), "Maya's digest, her buttons on it"
    assert "You can't decide this request" in " ".join(call.text for call in ready.slack.calls("response_url"))


def test_an_approval_in_an_old_digest_when_slack_cannot_say_whose_dm_it_is_is_recorded_and_said_so(
    ready: RunningBot,
) -> None:
    """The outbox no longer keeps Maya's digest, and Slack fails to answer which DM is hers: her approval still
    counts and she is told so, with no apology after it; the digest is left as it is (only a redraw was lost)."""
    digest = weekly_digest(ready)
    first, _, _ = pending_ids(ready)
    ready.clock.set(ready.clock.now() + KEPT + timedelta(days=1))
    assert forget_sent_messages(ready.runtime.deps, ready.runtime.app.client) > 0
    before = shown(ready, digest)
    ready.slack.fail("conversations.open", error="fatal_error")

    ready.driver.click("U0MGR1", digest, APPROVE, value=first)

    said = " ".join(call.text for call in ready.slack.calls("response_url"))
    assert "went wrong" not in said, said
    with ready.sessions() as session:
        assert session.get_one(Resolution, int(first)).status == "approved"
    assert shown(ready, digest) == before


def test_a_forged_copy_of_a_digest_tells_a_missing_request_from_one_not_hers_in_no_way(ready: RunningBot) -> None:
    """Once the outbox no longer keeps Maya's digest, her click's own copy stands for it. She adds to that copy a line
    for a request that is not hers to decide and one for an id no request has: both are drawn alike, so ids counted up
    cannot be tried, many to a click, to learn which exist."""
    digest = weekly_digest(ready)
    first, second, _ = pending_ids(ready)
    with ready.sessions.begin() as session:
        maya, omar, lee = employee(session, "U0MGR1"), employee(session, "U0MGR2"), employee(session, "U0AGENT2")
        employee(session, "U0AGENT1").manager = omar
        for request in session.scalars(select(Resolution).where(Resolution.status == "pending")):
            request.decider = maya if str(request.id) == first else omar
            if str(request.id) == first:
                request.employee = lee
    ready.clock.set(ready.clock.now() + KEPT + timedelta(days=1))
    assert forget_sent_messages(ready.runtime.deps, ready.runtime.app.client) > 0
    click = ready.driver.click_payload("U0MGR1", digest, APPROVE, value=first)
    [line] = [b for b in click["message"]["blocks"] if b.get("block_id") == f"{DIGEST_DECIDE_PREFIX}{first}"]
    missing = str(int(max(pending_ids(ready), key=int)) + 50)
    tried = {
        request_id: {**line, "block_id": f"{DIGEST_DECIDE_PREFIX}{request_id}"} for request_id in (second, missing)
    }
    click["message"]["blocks"] = [*click["message"]["blocks"], *tried.values()]

    ready.driver.send_click(click)

    *_, not_hers, no_such = shown(ready, digest)
    assert not_hers == no_such
    assert as_text([not_hers]) == "No longer yours to decide."
