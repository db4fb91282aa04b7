"""A scheduled pulse round missed while the bot was down opens late on the next tick, if it still fits its period;
never twice for one period. And a round opened by hand counts as opened on its starter's own date."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.cli import main
from models import AuditEvent, PulseRound, Workspace
from services import workspaces
from services.pulse import rounds as pulse_rounds
from services.pulse import schedule as pulse_schedule
from tests.conftest import RunningBot
from tests.e2e.test_pulse_rounds import answer_ids, tick
from tests.helpers import load_org, one_after_the_other, skip_unless_writers_overlap
from tests.pulse_org import EVERYONE, PULSE, load_pulse_org, org_csv

POLICY_LOADED = datetime(2026, 2, 20, 12, 0, tzinfo=UTC)
LAST_TICK = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)  # Sunday noon UTC; then the bot is down
MONTHLY = PULSE.replace('cadence = "weekly"', 'cadence = "monthly"')
OPEN_FIVE_DAYS = PULSE.replace("open_hours = 72", "open_hours = 120")
BIWEEKLY = PULSE.replace('cadence = "weekly"', 'cadence = "biweekly"')


def down_from_sunday_until(bot: RunningBot, back: datetime, *, pulse: str = PULSE) -> None:
    """The policy has scheduled the pulse for weeks; the bot stops after Sunday noon's tick and is back at `back`."""
    load_pulse_org(bot.sessions, POLICY_LOADED, pulse=pulse)
    bot.clock.set(LAST_TICK)
    tick(bot)
    bot.clock.set(back)
    tick(bot)


def at(bot: RunningBot, moment: datetime) -> None:
    bot.clock.set(moment)
    tick(bot)


def rounds(bot: RunningBot) -> list[tuple[int, str, str]]:
    with bot.sessions() as session:
        found = session.scalars(select(PulseRound).order_by(PulseRound.number))
        return [(r.number, str(r.opens_on), r.started_by) for r in found]


def invitations(bot: RunningBot) -> list[str]:
    return sorted(c.channel for c in bot.slack.calls("chat.postMessage") if answer_ids(c))


def late_notices(bot: RunningBot) -> list[str]:
    return sorted(c.channel for c in bot.slack.calls("chat.postMessage") if "opened late" in c.text)


def test_a_monthly_round_missed_by_a_40_hour_outage_opens_on_the_next_tick_for_everyone(
    bot: RunningBot, database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Due on Monday 2 March at 10:00 everywhere: from Sunday 20:00 UTC (UTC+14) to Monday 22:00 UTC (UTC-12)."""
    back = datetime(2026, 3, 3, 4, 0, tzinfo=UTC)  # Tuesday 04:00 UTC, 40 hours after the last tick

    down_from_sunday_until(bot, back, pulse=MONTHLY)

    assert rounds(bot) == [(1, "2026-03-02", "schedule")]
    assert invitations(bot) == sorted(EVERYONE), "everyone's 10:00 has passed: all are asked at once"
    assert late_notices(bot) == ["U0ADMIN", "U0HR"]
    [notice] = [c for c in bot.slack.calls("chat.postMessage") if c.channel == "U0HR" and "opened late" in c.text]
    assert "due on Monday 2 March at 10:00" in notice.text and "Latitude was not running" in notice.text
    assert "full 72 hours" in notice.text
    assert notice.args["text"].endswith("it closes Friday 06 March at 04:00 London time."), "what a phone shows"
    with bot.sessions() as session:
        [opened] = session.scalars(select(PulseRound))
        assert opened.closes_at == back + timedelta(hours=72), "everyone has the policy's open hours"
        [line] = session.scalars(select(AuditEvent).where(AuditEvent.action == "pulse.start"))
        assert (line.actor, line.subject) == ("schedule", "round 1 (opened late)")
        assert line.details["due_on"] == "2026-03-02" and "not running" in line.details["reason"]
    monkeypatch.setenv("DATABASE_URL", database_url)
    assert main(["pulse", "status"]) == 0
    assert "it opened late: it was due on 2026-03-02" in capsys.readouterr().out

    at(bot, back + timedelta(hours=23, minutes=59))
    assert not [c for c in bot.slack.calls("chat.postMessage") if "Reminder:" in c.text]
    at(bot, back + timedelta(hours=24))
    reminded = sorted(c.channel for c in bot.slack.calls("chat.postMessage") if "Reminder:" in c.text)
    assert reminded == sorted(EVERYONE), "the reminder comes a full reminder period after the late invitation"
    at(bot, back + timedelta(days=7))
    assert rounds(bot) == [(1, "2026-03-02", "schedule")], "one round for the month"
    assert len(late_notices(bot)) == 2


@pytest.mark.parametrize(
    ("back", "expected"),
    [
        # Open 72 hours from Thursday 19:00 UTC, it closes before Monday 9 March's hour first comes (Sunday 20:00 UTC).
        (datetime(2026, 3, 5, 19, 0, tzinfo=UTC), [(1, "2026-03-02", "schedule"), (2, "2026-03-09", "schedule")]),
        # From 21:00 it would still be open then: that week is skipped, the next opens as usual.
        (datetime(2026, 3, 5, 21, 0, tzinfo=UTC), [(1, "2026-03-09", "schedule")]),
    ],
)
def test_a_missed_weekly_round_opens_late_only_while_it_can_close_before_the_next_one(
    bot: RunningBot, back: datetime, expected: list[tuple[int, str, str]]
) -> None:
    down_from_sunday_until(bot, back)

    for moment in (back + timedelta(hours=1), datetime(2026, 3, 8, 20, 0, tzinfo=UTC)):
        at(bot, moment)
    at(bot, datetime(2026, 3, 9, 22, 0, tzinfo=UTC))  # Monday 9 March's hour has come everywhere

    assert rounds(bot) == expected
    assert len(late_notices(bot)) == (2 if len(expected) == 2 else 0)


def test_a_round_missed_by_an_outage_that_also_covered_the_last_rounds_end_still_opens_late(bot: RunningBot) -> None:
    """Round 1 (open 120 hours) was due to close on Saturday 28 February; the bot is down from Friday to Tuesday,
    so the first tick back seals it then. It was over before Monday 2 March's hour came: that round opens late."""
    load_pulse_org(bot.sessions, POLICY_LOADED, pulse=OPEN_FIVE_DAYS)
    at(bot, datetime(2026, 2, 22, 20, 0, tzinfo=UTC))  # round 1 opens on time
    at(bot, datetime(2026, 2, 27, 18, 0, tzinfo=UTC))  # the last tick before the outage
    with bot.sessions() as session:
        assert session.scalars(select(PulseRound.closes_at)).one() == datetime(2026, 2, 28, 15, 0, tzinfo=UTC)

    at(bot, datetime(2026, 3, 3, 4, 0, tzinfo=UTC))  # back on Tuesday

    assert rounds(bot) == [(1, "2026-02-23", "schedule"), (2, "2026-03-02", "schedule")]
    assert late_notices(bot) == ["U0ADMIN", "U0HR"]


def test_a_biweekly_round_missed_by_a_long_outage_opens_late_for_its_own_day_and_the_next_keeps_its_date(
    bot: RunningBot,
) -> None:
    """Rounds are due on Mondays 23 February, 9 and 23 March. Back on Tuesday 17 March after nine days down, the
    round of 9 March still fits before 23 March's hour: it opens late for 9 March, and 23 March's opens on time."""
    load_pulse_org(bot.sessions, POLICY_LOADED, pulse=BIWEEKLY)
    at(bot, datetime(2026, 2, 22, 20, 0, tzinfo=UTC))  # round 1 opens on time
    at(bot, datetime(2026, 3, 8, 12, 0, tzinfo=UTC))  # the last tick before the outage

    at(bot, datetime(2026, 3, 17, 4, 0, tzinfo=UTC))  # back on Tuesday
    for day in range(17, 31):
        at(bot, datetime(2026, 3, day, 22, 0, tzinfo=UTC))

    assert rounds(bot) == [(1, "2026-02-23", "schedule"), (2, "2026-03-09", "schedule"), (3, "2026-03-23", "schedule")]
    [notice] = [c for c in bot.slack.calls("chat.postMessage") if c.channel == "U0HR" and "opened late" in c.text]
    assert "due on Monday 9 March at 10:00" in notice.text


def test_no_late_round_for_a_period_whose_round_was_opened_by_hand_while_the_bot_was_down(bot: RunningBot) -> None:
    load_pulse_org(bot.sessions, POLICY_LOADED)
    at(bot, LAST_TICK)
    with bot.sessions.begin() as session:  # HR opens one from the command line on Tuesday
        workspace = session.scalars(select(Workspace)).one()
        tuesday = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
        pulse_rounds.start_round(session, workspace=workspace, by=None, actor="cli:hr", now=tuesday)

    at(bot, datetime(2026, 3, 4, 12, 0, tzinfo=UTC))  # the bot is back on Wednesday
    assert "is closed" in bot.driver.command("U0HR", "/pulse", "close").text
    at(bot, datetime(2026, 3, 4, 13, 0, tzinfo=UTC))

    assert rounds(bot) == [(1, "2026-03-03", "cli:hr")]
    assert (invitations(bot), late_notices(bot)) == (sorted(EVERYONE), [])


def test_no_late_round_when_a_round_opened_by_hand_was_open_while_the_scheduled_one_was_due(bot: RunningBot) -> None:
    load_pulse_org(bot.sessions, POLICY_LOADED)
    bot.clock.set(datetime(2026, 2, 28, 12, 0, tzinfo=UTC))  # Saturday: open until Tuesday noon
    assert "Pulse round 1 is open" in bot.driver.command("U0HR", "/pulse", "start").text

    for day, hour in ((1, 20), (2, 10), (2, 22), (3, 12), (3, 13), (4, 9)):
        at(bot, datetime(2026, 3, day, hour, 0, tzinfo=UTC))

    assert rounds(bot) == [(1, "2026-02-28", "U0HR")]
    assert late_notices(bot) == []


def test_two_processes_ticking_at_once_open_one_late_round(bot: RunningBot) -> None:
    skip_unless_writers_overlap(bot.runtime.engine)
    load_pulse_org(bot.sessions, POLICY_LOADED, pulse=MONTHLY)
    back = datetime(2026, 3, 3, 4, 0, tzinfo=UTC)
    opened: list[PulseRound | None] = []

    def open_late(session: Session) -> None:
        workspace = session.scalars(select(Workspace)).one()
        opened.append(pulse_schedule.open_scheduled_round(session, workspace=workspace, now=back))

    one_after_the_other(bot.sessions, bot.runtime.engine, open_late, open_late)

    assert [found is not None for found in opened] == [True, False], "the second sees the first's round number"
    assert rounds(bot) == [(1, "2026-03-02", "schedule")]


def test_a_round_opened_by_hand_on_sunday_evening_in_california_counts_as_sunday(bot: RunningBot) -> None:
    """Monthly rounds are at least 8 days apart: counted as Monday (its UTC date), this round would cancel the
    scheduled one of Monday 6 April."""
    californian = org_csv().replace(
        "U0HR,Hana Reyes,People,hr,U0ADMIN,,Europe/London", "U0HR,Hana Reyes,People,hr,U0ADMIN,,America/Los_Angeles"
    )
    load_pulse_org(bot.sessions, POLICY_LOADED, pulse=MONTHLY)
    load_org(bot.sessions, POLICY_LOADED, californian)
    bot.clock.set(datetime(2026, 3, 30, 0, 30, tzinfo=UTC))  # Sunday 29 March, 17:30 in California

    assert "Pulse round 1 is open" in bot.driver.command("U0HR", "/pulse", "start").text
    for day, hour in ((2, 1), (5, 20), (6, 10)):
        at(bot, datetime(2026, 4, day, hour, 0, tzinfo=UTC))

    assert rounds(bot) == [(1, "2026-03-29", "U0HR"), (2, "2026-04-06", "schedule")]


def test_a_round_due_while_the_app_was_uninstalled_does_not_open_late_after_the_reinstall(bot: RunningBot) -> None:
    """The bot ran all along; a reinstall starts from then, not a backlog (and 'not running' would be untrue)."""
    load_pulse_org(bot.sessions, POLICY_LOADED, pulse=MONTHLY)
    at(bot, datetime(2026, 2, 28, 12, 0, tzinfo=UTC))
    bot.driver.event({"type": "app_uninstalled"})
    for day, hour in ((1, 20), (2, 10), (2, 22)):  # ticking through the whole window the round was due in
        at(bot, datetime(2026, 3, day, hour, 0, tzinfo=UTC))
    with bot.sessions.begin() as session:  # the admin installs the app again on Tuesday
        workspaces.record_install(
            session, team_id="T0LATITUDE", enterprise_id=None, org_wide=False, name="", now=bot.clock.now()
        )

    at(bot, datetime(2026, 3, 3, 9, 0, tzinfo=UTC))

    assert rounds(bot) == []
    assert not [c for c in bot.slack.calls("chat.postMessage") if "opened late" in c.text]
