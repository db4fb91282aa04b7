"""The quiet hours rule: a night on each person's own wall clock (none when their zone is unknown), and the policy's
`quiet_hours` with a clear error, naming its line, for a window that cannot be one."""

from datetime import UTC, datetime, time

import pytest

from services.policy.changes import policy_changes
from services.policy.file import PolicyError
from services.policy.quiet_hours import QuietHours
from services.policy.versions import parse_policy
from tests.helpers import POLICY_EXAMPLE

NIGHT = QuietHours()
EXAMPLE = POLICY_EXAMPLE.read_text()


def utc(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("moment", "tz", "held"),
    [
        (utc(2, 16), "Australia/Sydney", True),  # 03:00 in Sydney
        (utc(2, 20, 59), "Australia/Sydney", True),  # 07:59
        (utc(2, 21), "Australia/Sydney", False),  # 08:00
        (utc(2, 8, 59), "Australia/Sydney", False),  # 19:59
        (utc(2, 9), "Australia/Sydney", True),  # 20:00
        (utc(2, 2, 29), "Asia/Kolkata", True),  # 07:59 at UTC+5:30
        (utc(2, 2, 30), "Asia/Kolkata", False),  # 08:00
        (utc(2, 14, 30), "Asia/Kolkata", True),  # 20:00
        (utc(2, 2, 14), "Asia/Kathmandu", True),  # 07:59 at UTC+5:45
        (utc(2, 2, 15), "Asia/Kathmandu", False),
    ],
)
def test_the_night_is_read_on_the_recipients_own_clock(moment: datetime, tz: str, held: bool) -> None:
    assert NIGHT.hold(moment, tz) is held


def test_the_morning_follows_the_clocks_across_daylight_saving() -> None:
    """New York: 08:00 is 13:00 UTC on Saturday 7 March 2026 and 12:00 UTC from Sunday 8 March."""
    assert NIGHT.hold(utc(7, 12, 30), "America/New_York")
    assert not NIGHT.hold(utc(7, 13), "America/New_York")
    assert NIGHT.hold(utc(8, 11, 59), "America/New_York")
    assert not NIGHT.hold(utc(8, 12), "America/New_York")


@pytest.mark.parametrize(
    ("moment", "tz", "morning"),
    [
        (utc(5, 2, 30), "Europe/London", utc(5, 8)),  # 02:30 in London: its 08:00 the same day
        (utc(4, 21), "Europe/London", utc(5, 8)),  # 21:00: the next day's 08:00
        (utc(8, 2), "America/New_York", utc(8, 12)),  # 21:00 EST Saturday: 08:00 EDT Sunday, by the new time
        (utc(5, 9), "Europe/London", utc(5, 9)),  # in her day: at once
        (utc(5, 2), None, utc(5, 2)),  # no known zone: at once
    ],
)
def test_the_next_morning_is_the_end_of_the_night_on_the_recipients_clock(
    moment: datetime, tz: str | None, morning: datetime
) -> None:
    assert NIGHT.morning(moment, tz) == morning


@pytest.mark.parametrize("tz", [None, "", "Mars/Olympus_Mons", "Europe"])
def test_someone_whose_zone_is_unknown_is_never_held(tz: str | None) -> None:
    assert [NIGHT.hold(utc(2, hour), tz) for hour in (3, 9, 21)] == [False, False, False]
    assert NIGHT.hold(utc(2, 3), "UTC")


def test_a_window_within_one_day_holds_only_inside_it() -> None:
    lunch = QuietHours(time(12), time(13, 30))

    assert [lunch.hold(utc(2, hour, minute), "UTC") for hour, minute in [(11, 59), (12, 0), (13, 29), (13, 30)]] == [
        False,
        True,
        True,
        False,
    ]


def test_the_example_policy_keeps_the_nights_quiet_and_false_turns_that_off() -> None:
    assert parse_policy(EXAMPLE).quiet_hours == QuietHours(time(20), time(8))
    assert parse_policy(EXAMPLE.replace('quiet_hours = "20:00-08:00"', "")).quiet_hours == QuietHours(time(20), time(8))
    assert parse_policy(EXAMPLE.replace('"20:00-08:00"', "false")).quiet_hours is None
    assert parse_policy(EXAMPLE.replace('"20:00-08:00"', '"22:30-06:30"')).quiet_hours == QuietHours(
        time(22, 30), time(6, 30)
    )
    assert parse_policy(EXAMPLE.replace('"20:00-08:00"', '" 21:00 – 07:00 "')).quiet_hours == QuietHours(
        time(21), time(7)
    )


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ('"8pm-8am"', 'must be a window of 24-hour times like "20:00-08:00" (two digits for each hour and minute)'),
        (
            '"20:00-8:00"',
            'must be a window of 24-hour times like "20:00-08:00" (two digits for each hour and minute), or false for '
            "none, got '20:00-8:00'",
        ),
        ('"20:00"', "must be a window of 24-hour times"),
        ('"24:00-08:00"', "must be a window of 24-hour times"),
        ('"20.00-08.00"', "must be a window of 24-hour times"),
        (
            "true",
            'must be a window of 24-hour times like "20:00-08:00" (two digits for each hour and minute), or false for '
            "none, got true",
        ),
        ("20", "must be a window of 24-hour times"),
        ('"08:00-08:00"', "starts and ends at 08:00: write false to hold nothing"),
        ('"18:00-12:00"', "18:00-12:00 lasts longer than 16 hours, which leaves too short a day"),
    ],
)
def test_a_quiet_window_that_cannot_be_one_is_refused_naming_its_line(value: str, problem: str) -> None:
    text = EXAMPLE.replace('"20:00-08:00"', value)
    line = text.splitlines().index(f"quiet_hours = {value}") + 1

    with pytest.raises(PolicyError) as raised:
        parse_policy(text)

    assert [p for p in raised.value.problems if p.startswith(f"line {line}: quiet_hours: {problem}")], raised.value


def test_a_new_window_is_named_in_what_the_load_changes() -> None:
    before = parse_policy(EXAMPLE)

    assert policy_changes(before, parse_policy(EXAMPLE.replace('"20:00-08:00"', "false"))) == [
        "quiet hours 20:00-08:00 -> none"
    ]
    assert policy_changes(before, parse_policy(EXAMPLE.replace('"20:00-08:00"', '"21:00-07:00"'))) == [
        "quiet hours 20:00-08:00 -> 21:00-07:00"
    ]


def test_on_the_night_the_clocks_go_back_a_window_ending_in_the_repeated_hour_ends_on_its_second_pass() -> None:
    """New York, 1 November 2026: 01:00-02:00 comes twice (EDT, then EST). At 01:10 EST (06:10 UTC) the night of a
    window ending at 01:30 still runs, until 01:30 EST (06:30 UTC); the first 01:30 (05:30 UTC) has passed."""
    late_night = QuietHours(time(22), time(1, 30))
    second_pass = datetime(2026, 11, 1, 6, 10, tzinfo=UTC)

    assert late_night.hold(second_pass, "America/New_York")
    assert late_night.morning(second_pass, "America/New_York") == datetime(2026, 11, 1, 6, 30, tzinfo=UTC)
    assert late_night.morning(datetime(2026, 11, 1, 5, 10, tzinfo=UTC), "America/New_York") == datetime(
        2026, 11, 1, 5, 30, tzinfo=UTC
    )
