"""Weekly digests go out on schedule: once per manager and week, late after an outage, with a chart."""

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from bot.fakeslack import Call
from bot.fakeslack.blockkit import message_problems
from handlers.blocks.digest import as_text
from handlers.jobs.forget_sent_messages import forget_sent_messages
from handlers.jobs.send_weekly_digests import send_weekly_digests
from models import Delivery, Resolution, Workspace
from services import outbox
from tests.conftest import RunningBot, bot_settings
from tests.fixture_week import MONDAY, at, load_fixture_week, load_recognition, pile_of_pending
from tests.helpers import employee, load_org

MANAGERS = ("U0ADMIN", "U0MGR1", "U0MGR2")


@pytest.fixture
def ready(bot: RunningBot) -> RunningBot:
    load_fixture_week(bot.sessions)
    bot.clock.set(MONDAY)
    return bot


def tick(bot: RunningBot) -> None:
    send_weekly_digests(bot.runtime.deps, bot.runtime.app.client)


def digests_to(bot: RunningBot, user: str) -> list[Call]:
    return [c for c in bot.slack.calls("chat.postMessage", channel=user) if "Your team's week" in c.text]


def test_the_digest_carries_the_weeks_exact_figures_and_a_chart(ready: RunningBot) -> None:
    ready.clock.set(at(2, 14, month=3))  # 09:00 in New York

    tick(ready)

    [digest] = digests_to(ready, "U0MGR1")
    text = as_text(digest.args["blocks"])
    assert "Your team's week: Mon 23 Feb – Sun 01 Mar" in text
    assert "Maya Manager's team: 2 people, direct and indirect · 2026-W09" in text
    assert "*Customer fixes:* 7 (last week 2), $185 given" in text
    assert "71% handled on the spot within boundaries, 2 went to a manager" in text
    assert (
        "• credit: 3 · $60 (last week 1)\n• refund: 2 · $125 (last week 1)\n• fee_waiver: 1 · $0 (last week 0)" in text
    )
    assert "> late delivery again & customer waited two weeks <3\n— Lee Senior, credit $30" in text
    assert "&amp; customer waited two weeks &lt;3" in digest.text
    assert "complained about:* credit 3 (last week 1), refund 2 (last week 1), fee_waiver 1 (last week 0)" in text
    assert "*Words that came back:* late 6 (last week 1), parcel 5 (last week 1), delivery 2 (last week 0)" in text
    assert "*Customers:* 3 of 7 fixes (43%) left the customer happy; 2 without a recorded outcome" in text
    assert "*Waiting on you (1), oldest first:*\n*Sam Agent* — fee_waiver of $40" in text
    [chart] = [f for f in ready.slack.files() if f.channel == digest.response["channel"]]
    [upload] = [u for u in ready.slack.calls("upload") if u.args["file_id"] == chart.args["files"][0]["id"]]
    assert next(iter(upload.files.values())).startswith(b"\x89PNG")


def test_the_digest_says_who_was_recognised_and_who_nobody_has_recognised_lately(ready: RunningBot) -> None:
    load_recognition(ready.sessions)
    ready.clock.set(at(2, 14, month=3))

    tick(ready)

    [digest] = digests_to(ready, "U0MGR1")
    text = as_text(digest.args["blocks"])
    assert (
        "*Recognition:* 3 received by the team, 2 given by it "
        "(rewards among them: 1 received, 0 given; the rest shout-outs)\n"
        "Nobody has recognised these people since Tue 10 Feb, when Latitude's record of this team starts — a word "
        "from you would count:\n"
        "• Sam Agent"
    ) in text
    assert message_problems({"text": digest.text, "blocks": digest.args["blocks"]}) == []


def test_the_buttons_in_the_digest_decide_the_request(ready: RunningBot) -> None:
    ready.clock.set(at(2, 14, month=3))
    tick(ready)
    [digest] = digests_to(ready, "U0MGR1")

    ready.driver.click("U0MGR1", digest, "resolution_approve")

    with ready.sessions() as session:
        waiver = session.query(Resolution).filter_by(category="fee_waiver").one()
        assert (waiver.status, waiver.decided_by_id) == ("approved", employee(session, "U0MGR1").id)
    digest_now = ready.slack.message(digest.response["channel"], digest.response["ts"])
    assert "Your team's week" in as_text(digest_now["blocks"]), "the rest of the digest stays"
    assert "approved by Maya Manager" in as_text(digest_now["blocks"])
    assert "resolution_approve" not in str(digest_now["blocks"])


def test_declining_in_the_digest_through_the_reason_modal_shows_the_outcome_in_the_digest(ready: RunningBot) -> None:
    ready.clock.set(at(2, 14, month=3))
    tick(ready)
    [digest] = digests_to(ready, "U0MGR1")

    ready.driver.click("U0MGR1", digest, "resolution_decline")
    [opened] = ready.slack.calls("views.open")
    submitted = ready.driver.submit("U0MGR1", opened.args["view"], {"reason": "Waivers wait for the audit"})

    assert submitted.status == 200 and submitted.body == ""
    digest_now = ready.slack.message(digest.response["channel"], digest.response["ts"])
    assert "Your team's week" in as_text(digest_now["blocks"]), "the rest of the digest stays"
    assert "declined by Maya Manager: Waivers wait for the audit" in as_text(digest_now["blocks"])
    assert "resolution_decline" not in str(digest_now["blocks"])
    assert [c.method for c in ready.slack.calls() if c.method.endswith(":failed")] == []


def test_each_manager_gets_it_at_their_own_local_hour(ready: RunningBot) -> None:
    tick(ready)  # 09:00 UTC: London's 09:00, New York's 04:00, Los Angeles' 01:00
    assert [len(digests_to(ready, m)) for m in MANAGERS] == [1, 0, 0]

    ready.clock.set(at(2, 14, month=3))
    tick(ready)
    assert [len(digests_to(ready, m)) for m in MANAGERS] == [1, 1, 0]

    ready.clock.set(at(2, 17, month=3))
    tick(ready)
    assert [len(digests_to(ready, m)) for m in MANAGERS] == [1, 1, 1]


def test_exactly_one_digest_per_manager_and_week_across_reruns_and_a_restart(ready: RunningBot) -> None:
    ready.clock.set(at(2, 17, month=3))

    tick(ready)
    tick(ready)
    restarted = ready.another_runtime(bot_settings(ready.slack, str(ready.runtime.settings.database_url)))
    try:
        send_weekly_digests(restarted.deps, restarted.app.client)
    finally:
        restarted.close()

    assert [len(digests_to(ready, m)) for m in MANAGERS] == [1, 1, 1]
    assert len(ready.slack.files()) == 3
    ready.clock.set(at(9, 17, month=3))
    tick(ready)
    assert [len(digests_to(ready, m)) for m in MANAGERS] == [2, 2, 2]


def test_a_chart_slack_rate_limited_is_uploaded_after_retry_after_exactly_once(ready: RunningBot) -> None:
    ready.clock.set(at(2, 14, month=3))  # 09:00 in New York: Maya's digest is due
    ready.slack.fail("files.getUploadURLExternal", status=429, retry_after=60)  # the first chart's upload

    send_weekly_digests(ready.runtime.deps, ready.runtime.sender_client)  # the scheduler's client
    digests = {c.response["channel"] for m in MANAGERS for c in digests_to(ready, m)}
    charted = [f.channel for f in ready.slack.files()]
    assert len(charted) == len(digests) - 1
    ready.clock.advance(timedelta(seconds=30))
    send_weekly_digests(ready.runtime.deps, ready.runtime.sender_client)
    assert len(ready.slack.files()) == len(digests) - 1, "uploaded before Slack's Retry-After"
    for _ in range(3):
        ready.clock.advance(timedelta(minutes=5))
        send_weekly_digests(ready.runtime.deps, ready.runtime.sender_client)

    charted = [f.channel for f in ready.slack.files()]
    assert sorted(charted) == sorted(digests), "one chart in each digest's DM, none lost, none twice"


def test_a_missed_send_goes_out_late_in_the_same_week_only(ready: RunningBot) -> None:
    ready.clock.set(at(4, 12, month=3))  # the bot was down until Wednesday

    tick(ready)

    [late] = digests_to(ready, "U0MGR1")
    assert "Mon 23 Feb – Sun 01 Mar" in late.text
    ready.clock.set(at(16, 12, month=3))  # down all the next week, back on Monday before 09:00 in New York
    tick(ready)
    assert len(digests_to(ready, "U0MGR1")) == 1
    ready.clock.advance(timedelta(hours=2))
    tick(ready)
    assert "Mon 09 Mar – Sun 15 Mar" in digests_to(ready, "U0MGR1")[-1].text


def test_a_disabled_digest_sends_nothing(ready: RunningBot) -> None:
    from tests.helpers import POLICY_EXAMPLE, load_policy

    example = POLICY_EXAMPLE.read_text()
    head, digest = example.split("\n[digest]\n")
    load_policy(ready.sessions, MONDAY, head + "\n[digest]\n" + digest.replace("enabled = true", "enabled = false"))
    ready.clock.set(at(2, 17, month=3))

    tick(ready)

    assert ready.slack.calls("chat.postMessage") == []


def test_300_pending_approvals_stay_within_block_kit_limits(ready: RunningBot) -> None:
    pile_of_pending(ready.sessions, 300, at(26, 10))
    ready.clock.set(at(2, 14, month=3))

    tick(ready)

    [digest] = digests_to(ready, "U0MGR1")
    assert message_problems(digest.args) == []
    assert len(digest.args["blocks"]) <= 50
    assert "*Waiting on you (301), oldest first:*" in digest.text
    assert "and 291 more: your App Home shows the oldest 10" in digest.text
    assert "waived a fee &lt;b&gt;" in digest.text


def test_a_manager_who_is_a_bot_user_is_refused_one_digest_hr_hear_it_once_and_the_next_import_tries_again(
    ready: RunningBot,
) -> None:
    ready.slack.add_user("U0MGR2", "Build Bot", is_bot=True)
    for day in (2, 9, 16):  # three Mondays, every manager's digest due
        ready.clock.set(at(day, 17, month=3))
        tick(ready)

    assert [c.response["error"] for c in ready.slack.calls("chat.postMessage:failed", channel="U0MGR2")] == [
        "cannot_dm_bot"
    ], "not tried again the next weeks"
    assert [len(digests_to(ready, m)) for m in ("U0ADMIN", "U0MGR1")] == [3, 3]
    for person in ("U0HR", "U0ADMIN"):
        [notice] = [c for c in ready.slack.messages_to(person) if "weekly digest could not reach" in c.text]
        assert "<@U0MGR2> is a bot user" in notice.text and "import it again" in notice.text

    load_org(ready.sessions, ready.clock.now())  # the org file imported again: tried once more
    ready.clock.set(at(23, 17, month=3))
    tick(ready)
    assert len(ready.slack.calls("chat.postMessage:failed", channel="U0MGR2")) == 2
    told = [c for p in ("U0HR", "U0ADMIN") for c in ready.slack.messages_to(p) if "digest could not reach" in c.text]
    assert len(told) == 2, "HR are told once"


def test_a_bot_users_digest_stays_refused_and_hr_told_once_however_long_until_the_next_import(
    ready: RunningBot,
) -> None:
    ready.slack.add_user("U0MGR2", "Build Bot", is_bot=True)
    mondays = [(day, 3) for day in (2, 9, 16, 23, 30)] + [(day, 4) for day in (6, 13, 20, 27)] + [(4, 5), (11, 5)]
    for day, month in mondays:  # ten weeks, old messages forgotten each Monday
        ready.clock.set(at(day, 17, month=month))
        forget_sent_messages(ready.runtime.deps, ready.runtime.app.client)
        tick(ready)

    assert len(ready.slack.calls("chat.postMessage:failed", channel="U0MGR2")) == 1, "refused once until an import"
    assert len(digests_to(ready, "U0MGR1")) == len(mondays)
    for person in ("U0HR", "U0ADMIN"):
        assert len([c for c in ready.slack.messages_to(person) if "digest could not reach" in c.text]) == 1


def test_hr_told_of_a_bot_users_digest_under_a_key_without_the_team_are_not_told_again(ready: RunningBot) -> None:
    ready.slack.add_user("U0MGR2", "Build Bot", is_bot=True)
    with ready.sessions.begin() as session:
        workspace = session.scalars(select(Workspace)).one()
        key = "request-unreached:digest:U0MGR2:U0HR"  # how HR's notice was keyed before it named the workspace
        outbox.enqueue(session, workspace=workspace, key=key, method="chat.postMessage", payload={}, now=MONDAY)
        session.execute(update(Delivery).where(Delivery.idempotency_key == key).values(status="sent"))
    ready.clock.set(at(2, 17, month=3))

    tick(ready)

    told = {
        p: [c for c in ready.slack.messages_to(p) if "digest could not reach" in c.text] for p in ("U0HR", "U0ADMIN")
    }
    assert [len(told["U0HR"]), len(told["U0ADMIN"])] == [0, 1]
    with ready.sessions() as session:
        keys = session.scalars(select(Delivery.idempotency_key).where(Delivery.idempotency_key.like("request-unr%")))
        assert set(keys) == {key, f"request-unreached:digest:{workspace.slack_team_id}:U0MGR2:U0ADMIN"}
