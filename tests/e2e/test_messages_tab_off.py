"""The app's Messages tab off in a workspace: after Slack's first refusal no DM is sent there, HR's Home says why,
and DMs go again once it is found back on (a try every ten minutes, or someone opening the Messages tab)."""

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import event, select

from handlers.digest_chart import UPLOAD
from handlers.jobs.drain_outbox import drain_outbox
from handlers.jobs.send_weekly_digests import send_weekly_digests
from models import Delivery, Workspace
from services import outbox
from services.messages_tab import RETRY_AFTER
from tests.conftest import RunningBot, running_bot
from tests.e2e.test_handover_summary import requests_to_maya
from tests.e2e.test_people_leaving import WITHOUT_MAYA, reimport
from tests.fixture_week import at, load_fixture_week
from tests.helpers import load_org_and_policy

OVER_THE_LIMIT = "refund 80 order {} parcel lost in transit"
POST = "chat.postMessage"
TAB_OFF_ON_HOME = "Latitude's Messages tab is off in this workspace:* DMs cannot reach anyone"


def resolve(bot: RunningBot, order: int) -> None:
    bot.driver.command("U0AGENT1", "/resolve", OVER_THE_LIMIT.format(order))


def home_of(bot: RunningBot, person: str) -> str:
    bot.driver.open_home(person)
    return bot.slack.calls("views.publish", user_id=person)[-1].text


def dms_tried(bot: RunningBot) -> list[str]:
    """The channel of every DM Slack was asked to deliver, delivered or refused."""
    posts = [c for c in bot.slack.calls() if c.method in ("chat.postMessage", "chat.postMessage:failed")]
    return [str(c.args.get("channel")) for c in posts if str(c.args.get("channel")).startswith(("U", "D"))]


def tab_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if "Messages tab is off" in r.getMessage()]


def test_with_the_messages_tab_off_no_dm_is_sent_after_slacks_first_refusal_and_hr_sees_it_on_their_home(
    bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.slack.state.app_home.messages_tab = False
    resolve(bot, 42)  # refused by Slack: the workspace learns its Messages tab is off

    manager_home = bot.driver.open_home("U0MGR1")
    assert manager_home.status == 200
    [home] = bot.slack.calls("views.publish", user_id="U0MGR1")
    assert "resolution_approve" in str(home.args["view"]), "the request waits on the manager's Home"
    bot.driver.click_in_view("U0MGR1", home.args["view"], "resolution_approve")
    resolve(bot, 43)
    bot.clock.advance(RETRY_AFTER / 2)
    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)

    assert dms_tried(bot) == ["U0MGR1"], "only the first DM reached Slack; the outcome and the next request did not"
    with bot.sessions() as session:
        query = select(Delivery).where(Delivery.method == "chat.postMessage").order_by(Delivery.id)
        dms = session.scalars(query).all()
        assert {d.status for d in dms} == {"failed"}
        assert {d.last_error for d in dms[1:]} == {"not_sent_messages_tab_off"} and len(dms) >= 3
    assert len(tab_warnings(caplog)) == 1
    assert TAB_OFF_ON_HOME in home_of(bot, "U0HR") and TAB_OFF_ON_HOME in home_of(bot, "U0ADMIN")
    assert TAB_OFF_ON_HOME not in home_of(bot, "U0AGENT1")


def test_a_messages_tab_turned_back_on_is_found_by_one_try_later_and_dms_go_again(
    bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.slack.state.app_home.messages_tab = False
    resolve(bot, 42)
    bot.clock.advance(RETRY_AFTER)
    resolve(bot, 43)  # the try: still refused, and nobody warned again
    resolve(bot, 44)
    assert dms_tried(bot) == ["U0MGR1", "U0MGR1"]

    bot.slack.state.app_home.messages_tab = True
    bot.clock.advance(RETRY_AFTER / 2)
    resolve(bot, 45)
    assert len(dms_tried(bot)) == 2, "no try before its time"
    bot.clock.advance(RETRY_AFTER / 2)
    resolve(bot, 46)
    resolve(bot, 47)

    assert [c.args["channel"] for c in bot.slack.calls("chat.postMessage")] == ["U0MGR1", "U0MGR1"]
    assert len(tab_warnings(caplog)) == 1
    assert any("Messages tab is on" in r.getMessage() for r in caplog.records)
    assert TAB_OFF_ON_HOME not in home_of(bot, "U0HR")


def test_someone_opening_the_messages_tab_says_it_is_on_and_dms_go_again_at_once(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.slack.state.app_home.messages_tab = False
    resolve(bot, 42)
    bot.slack.state.app_home.messages_tab = True

    opened = bot.driver.open_messages_tab("U0AGENT2")
    resolve(bot, 43)

    assert opened.status == 200
    assert len(bot.slack.calls("chat.postMessage", channel="U0MGR1")) == 1
    with bot.sessions() as session:
        assert session.scalars(select(Workspace.dms_off_since)).one() is None


def test_a_handover_summary_to_a_bot_user_tells_hr_once(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    requests_to_maya(bot, 12)
    bot.slack.add_user("U0ADMIN", "Ada Admin", is_bot=True)

    reimport(bot.sessions, bot.clock.now(), WITHOUT_MAYA)
    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)
    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)

    [refused] = bot.slack.calls("chat.postMessage:failed", channel="U0ADMIN")
    assert refused.response["error"] == "cannot_dm_bot"
    [notice] = [c for c in bot.slack.messages_to("U0HR") if "handed over could not reach" in c.text]
    blocks = str(notice.args["blocks"])
    assert "summary of the 12 requests and nominations" in blocks and "<@U0ADMIN> is a bot user" in blocks
    assert "name a person in their place in the org file" in blocks
    assert [c for c in bot.slack.messages_to("U0AGENT1") if "could not reach" in c.text] == [], "told of the hand-over"


def test_the_dms_due_beside_the_try_wait_for_its_answer_and_go_once_it_went_through(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.slack.state.app_home.messages_tab = False
    resolve(bot, 42)
    bot.slack.state.app_home.messages_tab = True
    bot.clock.advance(RETRY_AFTER)
    with bot.sessions.begin() as session:
        workspace = session.scalars(select(Workspace)).one()
        for person in ("U0AGENT1", "U0AGENT2", "U0MGR2"):
            payload = {"channel": person, "text": "Your weekly note"}
            outbox.enqueue(
                session, workspace=workspace, key=f"note:{person}", method=POST, payload=payload, now=bot.clock.now()
            )

    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)
    assert len(bot.slack.calls(POST)) == 1, "one tried; the others wait for its answer"
    bot.clock.advance(timedelta(minutes=1))
    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)

    notes = [c.args["channel"] for c in bot.slack.calls(POST) if c.text == "Your weekly note"]
    assert sorted(notes) == ["U0AGENT1", "U0AGENT2", "U0MGR2"]
    assert tab_on_again_to(bot, "U0HR") == tab_on_again_to(bot, "U0ADMIN") == ["Latitude's Messages tab is on again"]
    with bot.sessions() as session:
        assert (
            session.scalars(select(Delivery.status).where(Delivery.idempotency_key.like("note:%"))).all()
            == ["sent"] * 3
        )


def test_another_process_and_a_restart_know_the_messages_tab_is_off_and_nobody_is_warned_again(
    bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.slack.state.app_home.messages_tab = False
    resolve(bot, 42)

    with contextmanager(running_bot)(bot.runtime.settings, bot.slack, bot.clock, bot.engines) as other:
        other.driver.command("U0AGENT1", "/resolve", OVER_THE_LIMIT.format(43))
        drain_outbox(other.runtime.deps, other.runtime.sender_client)

    assert dms_tried(bot) == ["U0MGR1"]
    assert len(tab_warnings(caplog)) == 1


def dm_refused_for_the_tab(bot: RunningBot, person: str = "U0AGENT2") -> None:
    """The Messages tab is turned off, and Slack's refusal of a DM queued for the drain flags the workspace."""
    bot.slack.state.app_home.messages_tab = False
    with bot.sessions.begin() as session:
        workspace = session.scalars(select(Workspace)).one()
        payload = {"channel": person, "text": "A note"}
        key = f"note:{person}:{bot.clock.now():%H%M%S}"
        outbox.enqueue(session, workspace=workspace, key=key, method=POST, payload=payload, now=bot.clock.now())
    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)


def test_a_digests_chart_due_while_the_messages_tab_is_off_is_given_up_like_a_dm(bot: RunningBot) -> None:
    load_fixture_week(bot.sessions)
    bot.clock.set(at(2, 14, month=3))  # 09:00 in New York: the managers' digests are due
    bot.slack.fail("files.getUploadURLExternal", status=429, retry_after=60, times=3)
    send_weekly_digests(bot.runtime.deps, bot.runtime.sender_client)
    digests = [c for c in bot.slack.calls(POST) if "Your team's week" in c.text]
    assert digests and not bot.slack.files(), "every chart waits out Slack's Retry-After"

    dm_refused_for_the_tab(bot)
    bot.clock.advance(timedelta(minutes=2))
    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)

    assert bot.slack.calls("files.getUploadURLExternal") == [], "no chart upload tried into a DM while the tab is off"
    with bot.sessions() as session:
        charts = session.scalars(select(Delivery).where(Delivery.method == UPLOAD)).all()
        assert len(charts) == len(digests)
        assert {(d.status, d.last_error) for d in charts} == {("failed", "not_sent_messages_tab_off")}


def test_a_digest_due_while_the_messages_tab_is_off_is_given_up_and_queues_no_chart(bot: RunningBot) -> None:
    load_fixture_week(bot.sessions)
    bot.clock.set(at(2, 14, month=3))
    dm_refused_for_the_tab(bot)
    bot.slack.state.app_home.messages_tab = True  # nobody knows yet: no try is due before ten minutes are up

    send_weekly_digests(bot.runtime.deps, bot.runtime.sender_client)

    assert [c for c in bot.slack.calls(POST) if "Your team's week" in c.text] == []
    assert bot.slack.calls("files.getUploadURLExternal") == []
    with bot.sessions() as session:
        digests = session.scalars(select(Delivery).where(Delivery.idempotency_key.like("digest:%"))).all()
        assert digests and {(d.status, d.last_error) for d in digests} == {("failed", "not_sent_messages_tab_off")}
        assert session.scalars(select(Delivery).where(Delivery.method == UPLOAD)).all() == []


def test_a_dm_on_its_way_when_the_tab_was_found_off_does_not_say_it_is_on_again(
    bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    with bot.sessions.begin() as session:
        workspace = session.scalars(select(Workspace)).one()
        for key, channel in (("note:U0AGENT2", "U0AGENT2"), ("post:general", "C0GENERAL")):
            payload = {"channel": channel, "text": "A note"}
            outbox.enqueue(session, workspace=workspace, key=key, method=POST, payload=payload, now=bot.clock.now())
    held = bot.slack.pause(POST, channel="C0GENERAL")  # the batch is recorded once its last message is answered
    one_by_one = replace(bot.runtime.deps, sender_threads=1)  # the DM is delivered first
    with ThreadPoolExecutor(1) as sender:
        drained = sender.submit(drain_outbox, one_by_one, bot.runtime.sender_client)
        held.wait_until_arrived()
        assert len(bot.slack.calls(POST, channel="U0AGENT2")) == 1, "delivered before the tab was turned off"
        bot.slack.state.app_home.messages_tab = False
        resolve(bot, 42)  # refused: the workspace is flagged
        held.release()
        drained.result()
    resolve(bot, 43)

    assert dms_tried(bot) == ["U0AGENT2", "U0MGR1"], "the next request was not sent: the tab is still known off"
    assert len(tab_warnings(caplog)) == 1
    assert not any("Messages tab is on" in r.getMessage() for r in caplog.records)
    with bot.sessions() as session:
        assert session.scalars(select(Workspace.dms_off_since)).one() is not None


def tab_on_again_to(bot: RunningBot, person: str) -> list[str]:
    return [str(c.args["text"]) for c in bot.slack.messages_to(person) if "Messages tab is on again" in c.text]


def test_a_quiet_workspace_finds_its_messages_tab_on_again_within_ten_minutes_and_hr_hears_it(
    bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.slack.state.app_home.messages_tab = False
    resolve(bot, 42)
    bot.clock.advance(RETRY_AFTER)
    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)  # the scheduled drain: no DM due, the try all the same
    assert dms_tried(bot) == ["U0MGR1", "U0HR"], "one try, refused; the admin's DM waits for its answer"
    bot.clock.advance(timedelta(minutes=1))
    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)
    assert len(dms_tried(bot)) == 2 and TAB_OFF_ON_HOME in home_of(bot, "U0HR")

    bot.slack.state.app_home.messages_tab = True
    bot.clock.advance(RETRY_AFTER - timedelta(minutes=1))
    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)
    bot.clock.advance(timedelta(minutes=1))
    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)

    assert tab_on_again_to(bot, "U0ADMIN") == tab_on_again_to(bot, "U0HR") == ["Latitude's Messages tab is on again"]
    assert TAB_OFF_ON_HOME not in home_of(bot, "U0HR")
    assert len(tab_warnings(caplog)) == 1
    assert any("Messages tab is on" in r.getMessage() for r in caplog.records)
    with bot.sessions() as session:
        tries = session.scalars(select(Delivery).where(Delivery.idempotency_key.like("messages-tab-on:%"))).all()
        assert sorted(d.status for d in tries) == ["sent", "sent"], "one message each, tried again at each try"


@contextmanager
def statements_of(bot: RunningBot) -> Iterator[list[str]]:
    engine = bot.sessions.kw["bind"]
    seen: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def drains(bot: RunningBot, count: int) -> None:
    for _ in range(count):  # the scheduled drain, every 10 seconds
        bot.clock.advance(timedelta(seconds=10))
        drain_outbox(bot.runtime.deps, bot.runtime.sender_client)


def test_a_workspace_migrating_with_its_messages_tab_off_queues_no_try_at_every_drain(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    dm_refused_for_the_tab(bot)
    with bot.sessions.begin() as session:
        session.scalars(select(Workspace)).one().migrating_since = bot.clock.now()
    bot.clock.advance(RETRY_AFTER)

    with statements_of(bot) as seen:
        drains(bot, 3)

    assert [s for s in seen if "FROM employees" in s or s.startswith(("INSERT", "UPDATE"))] == []


def test_a_workspace_with_nobody_to_tell_its_messages_tab_is_on_finds_it_on_with_the_next_dm_due_there(
    bot: RunningBot,
) -> None:
    """No HR person nor admin to send the try to: the first DM due there is the try, in any period, not given up."""
    dm_refused_for_the_tab(bot)  # no org file: no HR person nor admin
    bot.slack.state.app_home.messages_tab = True
    bot.clock.advance(RETRY_AFTER)
    drains(bot, 3)

    with bot.sessions.begin() as session:
        workspace = session.scalars(select(Workspace)).one()
        payload = {"channel": "U0AGENT3", "text": "A note"}
        outbox.enqueue(
            session, workspace=workspace, key="note:U0AGENT3", method=POST, payload=payload, now=bot.clock.now()
        )
    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)

    assert "U0AGENT3" in [str(c.args.get("channel")) for c in bot.slack.calls("chat.postMessage")]
    with bot.sessions() as session:
        assert session.scalars(select(Workspace.dms_off_since)).one() is None


def test_a_try_slack_refuses_because_its_reader_is_a_bot_user_leaves_the_next_dm_to_find_the_tab_on(
    bot: RunningBot,
) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0HR", "Hal Bot", is_bot=True)
    bot.slack.state.app_home.messages_tab = False
    resolve(bot, 42)
    bot.slack.state.app_home.messages_tab = True
    bot.clock.advance(RETRY_AFTER)
    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)  # the try, to HR: refused as a bot's
    assert [c.response["error"] for c in bot.slack.calls("chat.postMessage:failed", channel="U0HR")] == [
        "cannot_dm_bot"
    ]

    bot.clock.advance(timedelta(minutes=1))
    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)

    assert tab_on_again_to(bot, "U0ADMIN") == ["Latitude's Messages tab is on again"]
    with bot.sessions() as session:
        assert session.scalars(select(Workspace.dms_off_since)).one() is None
