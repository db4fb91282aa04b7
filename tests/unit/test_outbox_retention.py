"""The outbox forgets, a few weeks after they were sent, the messages nothing reads or updates any more; it keeps
the ones a later decision or status change still finds, and every message not sent yet."""

from datetime import timedelta

import pytest
from slack_sdk import WebClient
from sqlalchemy import event, select, text
from sqlalchemy.orm import Session, sessionmaker

from bot.app import create_sender_client
from bot.clock import MovableClock
from bot.fakeslack import FakeSlack
from bot.runtime import make_deps
from handlers.deps import Deps
from handlers.jobs.drain_outbox import drain_outbox
from handlers.jobs.forget_sent_messages import forget_sent_messages
from models import Delivery, Workspace
from services import outbox, outbox_retention, outbox_series, settled_updates
from tests.conftest import bot_settings

ONE_SHOTS = [
    "resolution-logged:1",
    "reward-receipt:2",
    "reward-dm:3",
    "digest:T1:U0A:2026-W10",
    "digest-chart:x",
    "digest-redraw:digest:T1:U0A:2026-W10:2026-03-02T14:00:00+00:00",
    "request-unreached:resolution:4:U0B:U0HR",
    "reward-shoutout:3",
    "reward-hr-settled:7:D0HR:1.0",
    "left-slack:8:2026-03-02T09:00:00+00:00:U0HR",
    "pulse-late:T1:2:U0HR",
    "error-dm:U0A:ab12",
    "channel-refused:T1:C0KUDOS:is_archived:U0HR:2026-W10",
    "taken_over_by_org_install:Ev1:T0NORTH:U0HR",
    "team_access_revoked:Ev2:U0HR",
    "update:D1:1.0:1",
]
"""The last: a copy's only update, of a message forgotten already (a digest's)."""
STILL_READ = ["resolution:4:request:U0B", "suggestion:5:channel", "suggestion:5:status:1:done", "suggestion:5:we_did"]


@pytest.fixture
def deps(sessions: sessionmaker[Session], clock: MovableClock, slack: FakeSlack) -> Deps:
    slack.add_user("U0A", "Sam Agent")
    return make_deps(bot_settings(slack, "sqlite://"), sessions, clock)


def queue(deps: Deps, workspace: Workspace, keys: list[str], *, later: bool = False) -> None:
    with deps.sessions.begin() as session:
        for key in keys:
            outbox.enqueue(
                session,
                workspace=session.merge(workspace),
                key=key,
                method="chat.postMessage",
                payload={"channel": "U0A", "text": f"Sam refunded $40 to order 1234 ({key})"},
                now=deps.now(),
                send_at=deps.now() + timedelta(days=400) if later else None,
            )


def kept(deps: Deps) -> set[str]:
    with deps.sessions() as session:
        return set(session.scalars(select(Delivery.idempotency_key)))


def test_a_message_nothing_reads_any_more_is_deleted_five_weeks_after_it_was_sent(
    deps: Deps, workspace: Workspace, slack: FakeSlack, clock: MovableClock
) -> None:
    queue(deps, workspace, ONE_SHOTS + STILL_READ)
    queue(deps, workspace, ["reward-dm:9"], later=True)
    drain_outbox(deps, create_sender_client(bot_settings(slack, "sqlite://")))

    clock.advance(timedelta(days=34))
    forget_sent_messages(deps, WebClient(token="xoxb-x"))
    assert kept(deps) == {*ONE_SHOTS, *STILL_READ, "reward-dm:9"}

    clock.advance(timedelta(days=2))
    gone = forget_sent_messages(deps, WebClient(token="xoxb-x"))

    assert gone == len(ONE_SHOTS)
    assert kept(deps) == {*STILL_READ, "reward-dm:9"}


def test_a_copys_updates_go_together_once_the_newest_is_five_weeks_old_and_none_waits(
    deps: Deps, workspace: Workspace, slack: FakeSlack, clock: MovableClock
) -> None:
    """The next update of a copy is numbered after those kept (`count_under`): they go all at once, never part of
    them, so a copy still updated now and then (a suggestion's post) starts again at 1, never at a number in use."""
    sender = create_sender_client(bot_settings(slack, "sqlite://"))
    queue(deps, workspace, ["update:C1:1.0:1", "update:C2:2.0:1"])
    queue(deps, workspace, ["update:C3:3.0:1"], later=True)
    drain_outbox(deps, sender)
    clock.advance(timedelta(days=20))
    queue(deps, workspace, ["update:C1:1.0:2", "update:C3:3.0:2"])
    drain_outbox(deps, sender)

    clock.advance(timedelta(days=16))
    forget_sent_messages(deps, WebClient(token="xoxb-x"))
    assert kept(deps) == {"update:C1:1.0:1", "update:C1:1.0:2", "update:C3:3.0:1", "update:C3:3.0:2"}

    clock.advance(timedelta(days=20))
    forget_sent_messages(deps, WebClient(token="xoxb-x"))
    assert kept(deps) == {"update:C3:3.0:1", "update:C3:3.0:2"}, "one still to be sent keeps its copy's others"


def test_an_update_owed_to_a_message_goes_once_old_unless_that_message_is_still_on_its_way(
    deps: Deps, workspace: Workspace, slack: FakeSlack, clock: MovableClock
) -> None:
    queue(deps, workspace, ["suggestion:5:channel"])
    queue(deps, workspace, ["suggestion:6:channel"], later=True)
    drain_outbox(deps, create_sender_client(bot_settings(slack, "sqlite://")))
    with deps.sessions.begin() as session:
        landed, on_its_way = (
            session.scalars(select(Delivery).where(Delivery.idempotency_key == f"suggestion:{n}:channel")).one()
            for n in (5, 6)
        )
        shown = {"text": "Planned"}
        settled_updates.hold(session, given_up=[(landed.id, workspace.id)], shown=shown, now=clock.now())
        settled_updates.hold(session, given_up=[(on_its_way.id, workspace.id)], shown=shown, now=clock.now())
        owed = {settled_updates.key_of(landed.id), settled_updates.key_of(on_its_way.id)}

    clock.advance(timedelta(days=34))
    forget_sent_messages(deps, WebClient(token="xoxb-x"))
    assert owed <= kept(deps)

    clock.advance(timedelta(days=2))
    forget_sent_messages(deps, WebClient(token="xoxb-x"))
    assert owed & kept(deps) == {settled_updates.key_of(on_its_way.id)}
    assert {"suggestion:5:channel", "suggestion:6:channel"} <= kept(deps)


def test_a_years_backlog_is_deleted_in_short_batches(
    deps: Deps, workspace: Workspace, slack: FakeSlack, clock: MovableClock
) -> None:
    """The first run after an upgrade finds a year of them: each batch is a statement (and a transaction) of its own,
    so the deletion never holds SQLite's write lock for long."""
    confirmations = [f"resolution-logged:{n}" for n in range(12)]
    queue(deps, workspace, confirmations + [f"resolution:{n}:request:U0B" for n in range(30)])
    drain_outbox(deps, create_sender_client(bot_settings(slack, "sqlite://")))
    clock.advance(timedelta(days=365))
    statements: list[str] = []
    engine = deps.sessions.kw["bind"]
    listen = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listen)
    try:
        gone = forget_sent_messages(deps, WebClient(token="xoxb-x"), batch=5)
    finally:
        event.remove(engine, "before_cursor_execute", listen)

    assert gone == 12
    assert kept(deps) == {f"resolution:{n}:request:U0B" for n in range(30)}
    deletes = [s for s in statements if s.lstrip().upper().startswith("DELETE")]
    # 5 + 5 + 2 confirmations, then one look under each other prefix
    assert len(deletes) == 3 + len(outbox_retention.ONE_SHOT_PREFIXES) - 1


def test_forgetting_looks_only_under_the_prefix_not_at_every_message_sent(deps: Deps, workspace: Workspace) -> None:
    """SQLite, without statistics, would rather read the status index, which holds every message ever sent: that read
    grows with the history, every hour, under SQLite's write lock."""
    engine = deps.sessions.kw["bind"]
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite's query plan")
    seen: list[tuple[str, object]] = []
    listen = lambda _c, _cur, statement, parameters, *_: seen.append((statement, parameters))  # noqa: E731
    event.listen(engine, "before_cursor_execute", listen)
    try:
        forget_sent_messages(deps, WebClient(token="xoxb-x"))
    finally:
        event.remove(engine, "before_cursor_execute", listen)
    statement, parameters = next((s, p) for s, p in seen if s.lstrip().upper().startswith("DELETE"))
    with engine.connect() as connection:
        plan = " | ".join(
            str(row[-1]) for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
        )

    assert "ix_deliveries_due" not in plan
    assert "idempotency_key" in plan or "autoindex_deliveries" in plan, plan


def test_a_copy_being_updated_is_left_for_the_next_hour_rather_than_waited_for(
    deps: Deps, workspace: Workspace, slack: FakeSlack, clock: MovableClock
) -> None:
    """Forgetting holds each copy's turn until its page commits; an update holding another copy's turn may want one
    of those next (a decision updates several copies in its own order). Waiting would deadlock on PostgreSQL: a copy
    whose turn is taken is skipped, and forgotten at a later run."""
    if deps.sessions.kw["bind"].dialect.name != "postgresql":
        pytest.skip("SQLite's writers take turns for the whole database")
    sender = create_sender_client(bot_settings(slack, "sqlite://"))
    queue(deps, workspace, ["update:C1:1.0:1", "update:C2:2.0:1"])
    drain_outbox(deps, sender)
    clock.advance(timedelta(days=40))
    updating = deps.sessions()
    updating.begin()
    outbox_series.take_turns_under(updating, workspace_id=workspace.id, key_prefixes=["update:C2:2.0:"])
    try:
        with deps.sessions.begin() as session:
            session.execute(text("SET LOCAL lock_timeout = '2s'"))  # waiting would end here, as an error
            page = outbox_retention.forget_old_updates(session, after="", now=clock.now())
    finally:
        updating.rollback()
        updating.close()

    assert page.gone == 1 and kept(deps) == {"update:C2:2.0:1"}
    forget_sent_messages(deps, WebClient(token="xoxb-x"))
    assert kept(deps) == set()
