"""Scheduled pulse rounds: the cadence, each person's own time zone, and the scheduler's registration."""

from datetime import UTC, datetime

from sqlalchemy import select

from bot.scheduler import SCHEDULE, build_scheduler
from models import PulseRound
from services import directory
from services.policy.versions import load_policy
from tests.conftest import RunningBot
from tests.e2e.test_pulse_rounds import tick
from tests.helpers import add_org_people, load_org
from tests.pulse_org import EAST, EVERYONE, POLICY, PULSE, WEST, load_pulse_org, org_csv

SUNDAY = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
MONDAY_HOURS = ((1, 20), (2, 1), (2, 10), (2, 15))  # (day of March, UTC hour)


def dm_channels(bot: RunningBot) -> set[str]:
    return {c.channel for c in bot.slack.calls("chat.postMessage")}


def at(bot: RunningBot, day: int, hour: int) -> None:
    bot.clock.set(datetime(2026, 3, day, hour, 0, tzinfo=UTC))
    tick(bot)


def test_tokyo_and_new_york_get_the_monday_round_at_ten_their_time(bot: RunningBot) -> None:
    load_pulse_org(bot.sessions, SUNDAY, east_tz="America/New_York", west_tz="Asia/Tokyo")

    at(bot, 1, 19)  # Sunday 19:00 UTC: Monday 10:00 has come nowhere yet
    with bot.sessions() as session:
        assert session.scalars(select(PulseRound)).all() == []
    at(bot, 1, 20)  # Monday 10:00 in UTC+14: the round opens, nobody here is there
    assert dm_channels(bot) == set()
    at(bot, 2, 1)  # Monday 10:00 in Tokyo (UTC+9)
    assert dm_channels(bot) == {"U0MGR2", *WEST}
    at(bot, 2, 10)  # Monday 10:00 in London
    assert dm_channels(bot) == {"U0MGR2", *WEST, "U0ADMIN", "U0HR"}
    at(bot, 2, 14)  # 09:00 in New York (EST): not yet
    assert not dm_channels(bot) & {"U0MGR1", *EAST}
    at(bot, 2, 15)  # 10:00 in New York

    assert sorted(c.channel for c in bot.slack.calls("chat.postMessage")) == sorted(EVERYONE)
    with bot.sessions() as session:
        [scheduled] = session.scalars(select(PulseRound))
        assert (scheduled.number, scheduled.local_time, str(scheduled.opens_on)) == (1, "10:00", "2026-03-02")


def test_new_york_gets_ten_oclock_local_across_the_daylight_saving_change(bot: RunningBot) -> None:
    load_pulse_org(bot.sessions, SUNDAY, east_tz="America/New_York", west_tz="America/New_York")

    at(bot, 9, 13)  # Monday 9 March: New York is on EDT (UTC-4) since Sunday
    assert dm_channels(bot) == {"U0ADMIN", "U0HR"}
    at(bot, 9, 14)

    assert {"U0MGR1", *EAST} <= dm_channels(bot)


def test_a_weekly_round_opens_once_a_week_and_not_while_one_is_open(bot: RunningBot) -> None:
    load_pulse_org(bot.sessions, SUNDAY)

    for day, hour in ((2, 12), (3, 12), (5, 12), (9, 12), (9, 13)):
        at(bot, day, hour)

    with bot.sessions() as session:
        rounds = session.scalars(select(PulseRound).order_by(PulseRound.number)).all()
        assert [(r.number, str(r.opens_on), r.status) for r in rounds] == [
            (1, "2026-03-02", "closed"),
            (2, "2026-03-09", "open"),
        ]
        assert [q.key for q in rounds[1].questions] == ["authority", "recognised", "enps"]


def rounds(bot: RunningBot) -> list[PulseRound]:
    with bot.sessions() as session:
        return list(session.scalars(select(PulseRound)))


def tick_through_monday(bot: RunningBot) -> None:
    """The hours in which the enabled schedule opens the round and sends its DMs (see the first test)."""
    for day, hour in MONDAY_HOURS:
        at(bot, day, hour)


def test_no_round_is_scheduled_without_a_policy(bot: RunningBot) -> None:
    load_org(bot.sessions, SUNDAY, org_csv())
    add_org_people(bot.slack, org_csv())

    tick_through_monday(bot)

    assert (rounds(bot), bot.slack.calls("chat.postMessage")) == ([], [])
    load_pulse_org(bot.sessions, SUNDAY)
    at(bot, 2, 16)
    assert [str(r.opens_on) for r in rounds(bot)] == ["2026-03-02"], "with a policy the same Monday opens it"


def test_no_round_is_scheduled_when_the_pulse_is_disabled(bot: RunningBot) -> None:
    load_pulse_org(bot.sessions, SUNDAY, pulse="[pulse]\nenabled = false\n")

    tick_through_monday(bot)

    assert (rounds(bot), bot.slack.calls("chat.postMessage")) == ([], [])
    load_pulse_org(bot.sessions, SUNDAY)
    at(bot, 2, 16)
    assert [str(r.opens_on) for r in rounds(bot)] == ["2026-03-02"], "enabled again, the same Monday opens it"


def test_the_scheduler_registers_every_job_including_the_pulse_tick(bot: RunningBot) -> None:
    scheduler = build_scheduler(bot.runtime.deps, bot.runtime.app.client, lambda: True)

    assert sorted(job.id for job in scheduler.get_jobs()) == sorted(job.name for job in SCHEDULE)
    assert "run_pulse_rounds" in {job.name for job in SCHEDULE}


def test_someone_invited_late_is_reminded_a_full_reminder_period_after_their_invitation(bot: RunningBot) -> None:
    """A newcomer added on Tuesday, or everyone after the bot was down on Monday, is invited then: the reminder
    must not arrive in the same minute as the questions."""
    load_pulse_org(bot.sessions, SUNDAY, east_tz="Europe/London", west_tz="Europe/London")
    at(bot, 1, 20)  # Sunday 20:00 UTC: Monday 10:00 in the first time zone, the round opens
    at(bot, 3, 12)  # the bot was down until Tuesday noon: London is invited now, a day late
    nia = "U0NEW,Nia New,Support East,frontline,U0MGR1,,Europe/London,\n"
    load_org(bot.sessions, bot.clock.now(), org_csv("Europe/London", "Europe/London") + nia)
    add_org_people(bot.slack, org_csv("Europe/London", "Europe/London") + nia)
    at(bot, 3, 13)

    first_day = [c.channel for c in bot.slack.calls("chat.postMessage") if c.channel in ("U0NEW", EAST[0])]
    assert sorted(first_day) == sorted(["U0NEW", EAST[0]]), "one DM each: the questions, no reminder yet"
    at(bot, 4, 14)  # a day later (the reminder period is 24 h)
    reminded = [c.channel for c in bot.slack.calls("chat.postMessage") if "Reminder" in c.text]
    assert {"U0NEW", EAST[0]} <= set(reminded)


SHORT_ROUND = '[pulse]\nlocal_time = "10:00"\nopen_hours = 4\nreminder_hours = 2\n'
"""Open four hours after 10:00 in the last time zone: with the org below, 15:00 to 19:00 UTC on Monday."""
MOVER = EAST[0]


def with_a_mover(bot: RunningBot, pulse: str) -> None:
    """East's first agent has no time zone in the org file: theirs is Slack's, New York until they move."""
    load_pulse_org(bot.sessions, SUNDAY, pulse=pulse)
    row = f"{MOVER},East Agent {MOVER[-2:]},Support East,frontline,U0MGR1,,America/New_York,"
    load_org(bot.sessions, SUNDAY, org_csv().replace(row, row.replace(",America/New_York,", ",,")))
    add_org_people(bot.slack, org_csv().replace(row, row.replace(",America/New_York,", ",,")))
    bot.slack.add_user(MOVER, f"East Agent {MOVER[-2:]}", tz="America/New_York")
    bot.driver.user_change(MOVER, tz="America/New_York", tz_label="Eastern Standard Time", tz_offset=-18000)


def moves_to_honolulu(bot: RunningBot) -> None:
    bot.driver.user_change(MOVER, tz="Pacific/Honolulu", tz_label="Hawaii-Aleutian Standard Time", tz_offset=-36000)


def test_someone_who_moves_west_of_everyone_in_a_short_round_is_asked_at_its_last_opening(bot: RunningBot) -> None:
    """The round closes at 19:00 UTC, four hours after it opened in New York; 10:00 in Honolulu is 20:00 UTC. Asked
    at their own hour they would never be asked: they are asked with New York, and reminded with it."""
    with_a_mover(bot, SHORT_ROUND)
    at(bot, 1, 20)  # the round opens, New York's 10:00 the last counted
    bot.clock.set(datetime(2026, 3, 2, 12, 0, tzinfo=UTC))
    moves_to_honolulu(bot)

    at(bot, 2, 15)
    assert MOVER in dm_channels(bot), "asked at 15:00 UTC, when the round opened in New York"
    at(bot, 2, 17)
    reminders = [c.channel for c in bot.slack.calls("chat.postMessage") if "Reminder" in c.text]
    assert MOVER in reminders, "and reminded two hours later, before the close"
    with bot.sessions() as session:
        assert session.scalars(select(PulseRound)).one().closes_at == datetime(2026, 3, 2, 19, 0, tzinfo=UTC)


def test_someone_who_moves_west_of_everyone_in_a_long_round_is_asked_at_their_own_hour(bot: RunningBot) -> None:
    with_a_mover(bot, PULSE)  # open 72 hours
    at(bot, 1, 20)
    bot.clock.set(datetime(2026, 3, 2, 12, 0, tzinfo=UTC))
    moves_to_honolulu(bot)

    at(bot, 2, 15)
    assert MOVER not in dm_channels(bot), "05:00 in Honolulu, and the round stays open three days"
    at(bot, 2, 20)
    assert MOVER in dm_channels(bot), "10:00 in Honolulu"


def test_someone_further_west_asking_before_their_hour_is_told_when_it_comes_on_their_own_clock(
    bot: RunningBot,
) -> None:
    load_pulse_org(bot.sessions, SUNDAY, east_tz="Pacific/Honolulu", west_tz="Asia/Kathmandu")
    at(bot, 2, 5)  # Monday 10:45 in Kathmandu (UTC+5:45): asked; 19:00 on Sunday in Honolulu
    assert {"U0MGR2", *WEST} <= dm_channels(bot)

    reply = bot.driver.command("U0A01", "/pulse")

    assert "your questions arrive in your DMs on Monday 02 March at 10:00 Honolulu time" in reply.text


def test_a_policy_loaded_before_the_org_file_opens_no_round_until_the_org_is_imported(bot: RunningBot) -> None:
    """Day zero, in the order the README's set-up does not insist on: the policy first, the org file later."""
    with bot.sessions.begin() as session:
        workspace = directory.ensure_workspace(session, slack_team_id="T0LATITUDE", now=SUNDAY)
        load_policy(session, workspace=workspace, text=POLICY + PULSE, loaded_by="test", now=SUNDAY)

    at(bot, 2, 15)  # Monday 10:00 in New York: due everywhere
    with bot.sessions() as session:
        assert session.scalars(select(PulseRound)).all() == []
    load_org(bot.sessions, bot.clock.now(), org_csv())
    add_org_people(bot.slack, org_csv())
    at(bot, 2, 16)

    with bot.sessions() as session:
        [opened] = session.scalars(select(PulseRound))
        assert str(opened.opens_on) == "2026-03-02"
    assert {"U0MGR1", "U0ADMIN"} <= dm_channels(bot)


def test_a_round_due_before_the_first_org_import_is_not_opened_late_as_if_the_bot_had_been_down(
    bot: RunningBot,
) -> None:
    """With nobody to ask when it was due, nothing was missed: no round opens when the org file comes days later,
    told to HR as downtime ("Latitude was not running"); the next one opens on schedule."""
    with bot.sessions.begin() as session:
        workspace = directory.ensure_workspace(session, slack_team_id="T0LATITUDE", now=SUNDAY)
        load_policy(session, workspace=workspace, text=POLICY + PULSE, loaded_by="test", now=SUNDAY)
    at(bot, 2, 15)  # Monday 10:00 in New York: due everywhere, and nobody to ask

    load_org(bot.sessions, datetime(2026, 3, 4, 15, 0, tzinfo=UTC), org_csv())
    add_org_people(bot.slack, org_csv())
    at(bot, 4, 16)  # Wednesday: the Monday round's hour has passed everywhere

    with bot.sessions() as session:
        assert session.scalars(select(PulseRound)).all() == []
    assert not [call for call in bot.slack.calls("chat.postMessage") if "opened late" in call.text]
    at(bot, 9, 15)
    with bot.sessions() as session:
        assert [str(opened.opens_on) for opened in session.scalars(select(PulseRound))] == ["2026-03-09"]


def test_a_round_whose_hour_was_still_to_come_somewhere_when_the_org_was_imported_opens_late_after_downtime(
    bot: RunningBot,
) -> None:
    """Imported on Monday at noon UTC, before New York's 10:00, with the bot down until Wednesday: New York was missed
    while it was down, so the round opens late."""
    with bot.sessions.begin() as session:
        workspace = directory.ensure_workspace(session, slack_team_id="T0LATITUDE", now=SUNDAY)
        load_policy(session, workspace=workspace, text=POLICY + PULSE, loaded_by="test", now=SUNDAY)
    load_org(bot.sessions, datetime(2026, 3, 2, 12, 0, tzinfo=UTC), org_csv())
    add_org_people(bot.slack, org_csv())

    at(bot, 4, 16)

    with bot.sessions() as session:
        assert [str(opened.opens_on) for opened in session.scalars(select(PulseRound))] == ["2026-03-02"]
