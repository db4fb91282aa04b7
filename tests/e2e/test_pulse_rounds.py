"""Pulse rounds end to end: start, DM fan-out through the outbox, answers, reminder, close."""

import re
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.cli import main
from bot.fakeslack.server import Call
from handlers.jobs.run_pulse_rounds import run_pulse_rounds
from handlers.pulse_invitations import queue_invitations
from models import Delivery, PulseComment, PulseReceipt, PulseResponse, PulseRound, Workspace
from services import outbox
from services.pulse import answers
from services.pulse import rounds as pulse_rounds
from tests.conftest import RunningBot
from tests.helpers import count, employee, one_after_the_other, skip_unless_writers_overlap
from tests.pulse_org import EAST, EVERYONE, load_pulse_org


def tick(bot: RunningBot) -> None:
    run_pulse_rounds(bot.runtime.deps, bot.runtime.sender_client)


def questions_dm(bot: RunningBot, user: str) -> Call:
    """The first questions DM the person got."""
    return next(c for c in bot.slack.messages_to(user) if c.method == "chat.postMessage")


def answer_ids(message: Call) -> list[list[str]]:
    """Each question's answer buttons' action ids, in order."""
    return [
        [e["action_id"] for e in block["elements"]]
        for block in message.args["blocks"]
        if block["type"] == "actions" and block["elements"][0]["action_id"].startswith("pulse_answer:")
    ]


def answer(bot: RunningBot, user: str, question: int, value: int) -> None:
    bot.driver.send_click(answer_click(bot, user, question, value))


def answer_click(bot: RunningBot, user: str, question: int, value: int) -> dict[str, Any]:
    """The click on `value` for `question` in the person's questions DM as it shows now, to send now or later."""
    message = questions_dm(bot, user)
    ids = answer_ids(message)[question]
    low = int(ids[0].rsplit(":", 1)[1])
    return bot.driver.click_payload(user, message, ids[value - low])


def start(bot: RunningBot) -> None:
    load_pulse_org(bot.sessions, bot.clock.now())
    reply = bot.driver.command("U0HR", "/pulse", "start")
    assert "Pulse round 1 is open" in reply.text


def test_hr_starts_a_round_and_all_twenty_people_get_three_questions_once(bot: RunningBot) -> None:
    start(bot)

    dms = bot.slack.calls("chat.postMessage")
    assert sorted(c.channel for c in dms) == sorted(EVERYONE)
    assert all(len(answer_ids(c)) == 3 and len(answer_ids(c)[0]) == 5 for c in dms)
    assert "I know what superior customer service means here." in dms[0].text
    tick(bot)
    assert len(bot.slack.calls("chat.postMessage")) == 20
    with bot.sessions() as session:
        assert count(session, PulseReceipt) == 20
        assert session.scalars(select(Delivery.status)).all() == ["sent"] * 20


def test_the_invitations_notification_says_when_the_round_closes_on_the_readers_clock_without_a_date_token(
    bot: RunningBot,
) -> None:
    """A phone's notification shows a date token as its fallback, in UTC: the closing time is written out in the
    reader's own zone instead."""
    start(bot)
    closes = bot.clock.now() + timedelta(hours=72)

    in_new_york, in_tokyo = questions_dm(bot, "U0A01"), questions_dm(bot, "U0B01")

    east = closes.astimezone(ZoneInfo("America/New_York"))
    west = closes.astimezone(ZoneInfo("Asia/Tokyo"))
    head = "Team pulse — round 1: 3 quick questions, one click each. Open until"
    assert in_new_york.args["text"] == f"{head} {east:%A %d %B} at {east:%H:%M} New York time."
    assert in_tokyo.args["text"] == f"{head} {west:%A %d %B} at {west:%H:%M} Tokyo time."
    assert "<!date^" in str(in_new_york.args["blocks"]), "the message itself says when it closes"


def test_a_round_closing_at_the_readers_midnight_says_so_rather_than_naming_the_day_it_closes_as(
    bot: RunningBot,
) -> None:
    """ "Open until Thursday 19 March" reads as through Thursday: a round that closes as that day begins says 00:00."""
    bot.clock.set(datetime(2026, 3, 16, 0, 0, tzinfo=ZoneInfo("Asia/Tokyo")))
    start(bot)
    closes = bot.clock.now() + timedelta(hours=72)
    assert closes.astimezone(ZoneInfo("Asia/Tokyo")).hour == 0

    in_tokyo = questions_dm(bot, "U0B01").args["text"]

    assert in_tokyo.endswith("Open until Thursday 19 March at 00:00 Tokyo time."), in_tokyo


def test_a_frontline_employee_cannot_start_a_round(bot: RunningBot) -> None:
    load_pulse_org(bot.sessions, bot.clock.now())

    reply = bot.driver.command("U0A01", "/pulse", "start")

    assert "Only HR or an admin can start a pulse round" in reply.text
    with bot.sessions() as session:
        assert count(session, PulseRound) == 0


def test_a_second_start_while_a_round_is_open_is_refused(bot: RunningBot) -> None:
    start(bot)

    reply = bot.driver.command("U0ADMIN", "/pulse", "start")

    assert "Pulse round 1 is already open" in reply.text
    assert re.search(r"it closes \w+ \d\d \w+ at \d\d:\d\d London time\)", reply.text), "on Ada's clock"
    assert len(bot.slack.calls("chat.postMessage")) == 20


def test_an_answer_replaces_the_buttons_and_a_second_click_changes_it_without_counting_twice(bot: RunningBot) -> None:
    start(bot)

    four, two = answer_click(bot, "U0A01", 0, 4), answer_click(bot, "U0A01", 0, 2)
    bot.driver.send_click(four)
    bot.driver.send_click(two)  # the same button row, clicked again before the answer took it away

    updates = [c for c in bot.slack.messages_to("U0A01") if c.method == "chat.update"]
    assert len(updates) == 2
    assert "Thanks — answered *2*" in updates[-1].text
    assert len(answer_ids(updates[-1])) == 2, "the answered question's buttons are gone"
    with bot.sessions() as session:
        assert session.scalars(select(PulseResponse.value)).all() == [2]
        [receipt] = session.scalars(select(PulseReceipt).where(PulseReceipt.answered))
        assert receipt.employee_id == employee(session, "U0A01").id


def test_an_answer_is_stored_without_the_person(bot: RunningBot) -> None:
    start(bot)

    answer(bot, "U0A01", 1, 5)

    with bot.sessions() as session:
        [response] = session.scalars(select(PulseResponse))
        columns = {column.name for column in PulseResponse.__table__.columns}
        assert "employee_id" not in columns
        assert "U0A01" not in response.respondent


def test_slash_pulse_resends_the_callers_open_questions(bot: RunningBot) -> None:
    start(bot)
    answer(bot, "U0A02", 0, 3)

    reply = bot.driver.command("U0A02", "/pulse")

    assert "2 open pulse questions" in reply.text
    resent = [c for c in bot.slack.messages_to("U0A02") if c.method == "chat.postMessage"][-1]
    assert len(answer_ids(resent)) == 2
    assert "answered *3*" in resent.text


def test_one_reminder_goes_only_to_people_who_have_not_answered_then_the_round_closes(bot: RunningBot) -> None:
    start(bot)
    for user in EAST[:3]:
        answer(bot, user, 0, 4)

    bot.clock.advance(timedelta(hours=23))
    tick(bot)
    assert len(bot.slack.calls("chat.postMessage")) == 20, "no reminder before reminder_hours"
    bot.clock.advance(timedelta(hours=1))
    tick(bot)
    tick(bot)

    reminders = [c for c in bot.slack.calls("chat.postMessage") if "Reminder:" in c.text]
    assert sorted(c.channel for c in reminders) == sorted(set(EVERYONE) - set(EAST[:3]))
    bot.clock.advance(timedelta(hours=48))
    tick(bot)
    with bot.sessions() as session:
        [closed] = session.scalars(select(PulseRound))
        assert (closed.status, closed.salt) == ("closed", None)
    late = bot.driver.click("U0A04", questions_dm(bot, "U0A04"), answer_ids(questions_dm(bot, "U0A04"))[0][0])
    assert late.status == 200
    [told] = bot.slack.calls("response_url")
    assert "has closed" in told.args["text"]


def queue_a_round(bot: RunningBot) -> None:
    """A round opened (as from the CLI) with everyone's invitation queued, none sent yet."""
    load_pulse_org(bot.sessions, bot.clock.now())
    deps = bot.runtime.deps
    with deps.sessions.begin() as session:
        workspace = session.scalars(select(Workspace)).one()
        pulse_rounds.start_round(session, workspace=workspace, by=None, actor="cli:test", now=deps.now())
        queue_invitations(session, workspace=workspace, now=deps.now())


def test_fan_out_survives_429s_a_5xx_and_a_crash_without_duplicates_or_misses(bot: RunningBot) -> None:
    queue_a_round(bot)
    deps = bot.runtime.deps
    with deps.sessions.begin() as session:  # a sender claims half, then its process dies
        outbox.claim_due(session, now=deps.now(), limit=10)
    bot.slack.fail("chat.postMessage", times=3, status=429, retry_after=1)
    bot.slack.fail("chat.postMessage", times=3, status=503)

    tick(bot)
    sent_first = len(bot.slack.calls("chat.postMessage"))
    assert sent_first == 4, "six of the ten unclaimed hit a fault: 429s wait for Retry-After, 5xx for the backoff"
    bot.clock.advance(timedelta(minutes=6))  # past the dead sender's lease and the retries' backoff
    tick(bot)
    tick(bot)

    assert sorted(c.channel for c in bot.slack.calls("chat.postMessage")) == sorted(EVERYONE)
    assert len(bot.slack.calls("chat.postMessage:failed")) == 6
    with bot.sessions() as session:
        assert session.scalars(select(Delivery.status)).all() == ["sent"] * 20


def test_invitations_still_waiting_when_the_round_closes_early_are_never_sent(bot: RunningBot) -> None:
    queue_a_round(bot)
    bot.slack.fail("chat.postMessage", times=5, status=429, retry_after=60)
    tick(bot)
    invited_before = sorted(c.channel for c in bot.slack.calls("chat.postMessage") if answer_ids(c))

    closed = bot.driver.command("U0HR", "/pulse", "close")
    bot.clock.advance(timedelta(minutes=5))  # past Slack's Retry-After
    tick(bot)

    assert "answered, fewer than the 5 a result needs, so it shows none." in closed.text, "nobody answered"
    assert "results are ready" not in closed.text
    assert len(invited_before) == 15
    assert sorted(c.channel for c in bot.slack.calls("chat.postMessage") if answer_ids(c)) == invited_before
    with bot.sessions() as session:
        assert session.scalars(select(Delivery.idempotency_key)).all() == [], "closing forgets who was invited"


def test_after_close_the_outbox_no_longer_says_who_was_reminded_so_who_answered_early(bot: RunningBot) -> None:
    """A database reader subtracting the reminded from the invited would find who answered before the reminder."""
    start(bot)
    for user in EAST[:5]:
        for question in range(3):
            answer(bot, user, question, 4)
    bot.clock.advance(timedelta(hours=24))
    tick(bot)
    tick(bot)
    with bot.sessions() as session:
        keys = session.scalars(select(Delivery.idempotency_key)).all()
    assert any(key.startswith("pulse-reminder:") for key in keys), "the reminders went out"

    bot.clock.advance(timedelta(hours=49))
    tick(bot)  # the round ends and is sealed

    with bot.sessions() as session:
        keys = session.scalars(select(Delivery.idempotency_key)).all()
        payloads = " ".join(str(payload) for payload in session.scalars(select(Delivery.payload)))
    assert not [key for key in keys if key.startswith(("pulse:", "pulse-reminder:"))]
    assert not [user for user in EVERYONE if user in payloads]


def test_app_home_shows_the_questions_waiting_until_they_are_answered(bot: RunningBot) -> None:
    start(bot)

    bot.driver.open_home("U0A01")
    for question in range(3):
        answer(bot, "U0A01", question, 5)
    bot.driver.open_home("U0A01")

    before, after = bot.slack.calls("views.publish")
    assert "Team pulse — round 1:* 3 questions waiting for you" in before.text
    assert "Team pulse" not in after.text


def test_the_change_button_brings_an_answered_questions_buttons_back(bot: RunningBot) -> None:
    start(bot)
    answer(bot, "U0A03", 0, 4)
    answered = [c for c in bot.slack.messages_to("U0A03") if c.method == "chat.update"][-1]

    bot.driver.click("U0A03", answered, answered.args["blocks"][3]["accessory"]["action_id"])

    reopened = [c for c in bot.slack.messages_to("U0A03") if c.method == "chat.update"][-1]
    assert len(answer_ids(reopened)) == 3
    [current] = [
        e
        for b in reopened.args["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e.get("style") == "primary"
    ]
    assert current["value"].endswith(":4")


def test_the_cli_opens_a_round_that_the_next_tick_sends(
    bot: RunningBot, database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    load_pulse_org(bot.sessions, bot.clock.now())
    monkeypatch.setenv("DATABASE_URL", database_url)

    assert main(["pulse", "start"]) == 0
    assert main(["pulse", "start"]) == 0, "a round is open, as asked: a script starting one goes on"
    bot.clock.set(datetime.now(UTC) + timedelta(seconds=1))  # the CLI reads the system clock
    tick(bot)
    assert main(["pulse", "status"]) == 0

    out, err = capsys.readouterr()
    assert "opened pulse round 1" in out
    assert "round 1: 20 asked, 0 answered, 0 reminded" in out
    assert "Pulse round 1 is already open" in out and err == ""
    assert len(bot.slack.calls("chat.postMessage")) == 20


def test_starting_a_round_over_one_past_its_end_that_nothing_closed_says_what_to_do_and_exits_2(
    bot: RunningBot, database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    load_pulse_org(bot.sessions, bot.clock.now())
    monkeypatch.setenv("DATABASE_URL", database_url)
    assert main(["pulse", "start"]) == 0
    with bot.sessions.begin() as session:  # the bot was not running when the round was due to close
        [opened] = session.scalars(select(PulseRound))
        opened.closes_at = datetime.now(UTC) - timedelta(hours=2)
    capsys.readouterr()

    assert main(["pulse", "start"]) == 2, "the round asked for is not there: a script must notice"
    out, err = capsys.readouterr()
    assert out == ""
    assert "error: pulse round 1 was due to close at" in err and "is not closed yet" in err
    assert "`python -m bot pulse close`, then `python -m bot pulse start`" in err
    with bot.sessions.begin() as session:
        assert [r.status for r in session.scalars(select(PulseRound))] == ["open"]

    assert main(["pulse", "close"]) == 0
    assert main(["pulse", "start"]) == 0
    assert "opened pulse round 2" in capsys.readouterr().out


def test_a_comment_sent_again_while_the_first_is_being_saved_replaces_it_instead_of_failing(bot: RunningBot) -> None:
    skip_unless_writers_overlap(bot.runtime.engine)
    start(bot)

    def save(session: Session, text: str) -> None:
        workspace = session.scalars(select(Workspace)).one()
        [pulse_round] = session.scalars(select(PulseRound))
        answers.save_comment(
            session,
            workspace=workspace,
            employee=employee(session, EAST[0]),
            round_id=pulse_round.id,
            text=text,
            relay_key=bot.runtime.deps.relay_key,
            now=bot.clock.now(),
        )

    one_after_the_other(
        bot.sessions,
        bot.runtime.engine,
        lambda session: save(session, "the first words"),
        lambda session: save(session, "the later words"),
    )

    with bot.sessions() as session:
        assert session.scalars(select(PulseComment.text)).all() == ["the later words"]
