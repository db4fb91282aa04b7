"""Ranges HR types for the export that were refused or misread: quarters, dates without their year, two dates each
with a comma joined by a dash, a team named without `team`, and more than two dates named back whole."""

import re
from datetime import UTC, date, datetime

import pytest

from services.errors import InvalidInput
from services.rewards.export_period import parse_period
from services.rewards.export_words import parse_period_words

NOW = datetime(2026, 3, 10, 9, tzinfo=UTC)
TEAMS = {"support east", "floor 5"}


def read(typed: str, said_on: date | None = None) -> str:
    named = parse_period_words(typed.split(), now=NOW, is_a_team=lambda name: name.casefold() in TEAMS, said_on=said_on)
    return named.describe()


@pytest.mark.parametrize(
    ("typed", "period"),
    [
        ("Q1 2026", "2026-01-01 to 2026-03-31"),
        ("q4 2025", "2025-10-01 to 2025-12-31"),
        ("2025 Q4", "2025-10-01 to 2025-12-31"),
        ("Q4-2025", "2025-10-01 to 2025-12-31"),
        ("2025-Q4", "2025-10-01 to 2025-12-31"),
        ("Q2 2025 to Q3 2025", "2025-04-01 to 2025-09-30"),
        ("Q3 to Q4 2025", "2025-07-01 to 2025-12-31"),
        ("Q1", "2026-01-01 to 2026-03-31"),
        ("Q2", "2025-04-01 to 2025-06-30"),
        ("last quarter", "2025-10-01 to 2025-12-31"),
        ("this quarter", "2026-01-01 to 2026-03-31"),
        ("team:Support East Q4 2025", "2025-10-01 to 2025-12-31, team Support East"),
        ("Q4 2025 team Support East", "2025-10-01 to 2025-12-31, team Support East"),
    ],
)
def test_a_quarter_is_its_three_months_and_without_its_year_the_latest_begun(typed: str, period: str) -> None:
    """`Q1 2026` was refused ("FROM `Q1` is not a date"), and `Q2 2025 to Q3 2025` as four dates."""
    assert read(typed) == period


@pytest.mark.parametrize(
    ("typed", "period", "read_as"),
    [
        ("Mar 3", "2026-03-03 to 2026-03-10", "`Mar 3` has no year: read as 3 March 2026"),
        ("Mar 12", "2025-03-12 to 2026-03-10", "`Mar 12` has no year: read as 12 March 2025"),
        ("3 March to 10 March", "2026-03-03 to 2026-03-10", "`3 March` and `10 March` have no year: read as"),
        ("Mar 12 to Mar 20", "2025-03-12 to 2025-03-20", "have no year: read as 12 March 2025 to 20 March 2025"),
        ("Dec 20 to Jan 5", "2025-12-20 to 2026-01-05", "read as 20 December 2025 to 5 January 2026"),
        ("March", "2026-03-01 to 2026-03-31", "`March` has no year: read as 1 March 2026 to 31 March 2026"),
        ("April", "2025-04-01 to 2025-04-30", "`April` has no year: read as 1 April 2025 to 30 April 2025"),
        ("1 March 2026 to Mar 12", "2026-03-01 to 2026-03-12", "`Mar 12` has no year: read as 12 March 2026"),
        ("2026-03-01", "2026-03-01 to 2026-03-10", ""),
    ],
)
def test_a_date_without_its_year_is_the_latest_begun_and_said_so(typed: str, period: str, read_as: str) -> None:
    """`/rewards export Mar 3` was refused for its year: a date typed without one is the latest that has begun (TO
    the first after FROM), and the range says how it was read."""
    named = parse_period_words(typed.split(), now=NOW)

    assert named.describe() == period
    assert read_as in named.read_as if read_as else named.read_as == ""


def test_a_date_without_its_year_is_the_latest_by_the_requester_s_own_date() -> None:
    """HR in Los Angeles on the evening of 9 March (UTC's 10 March): `Mar 10` has not come yet there."""
    assert read("Mar 10", said_on=date(2026, 3, 9)) == "2025-03-10 to 2026-03-10"
    assert read("Mar 10") == "2026-03-10 to 2026-03-10"


def test_a_range_typed_backwards_without_its_year_is_refused_not_read_as_a_year_long() -> None:
    with pytest.raises(InvalidInput, match=re.escape("The range ends (2026-01-01) before it starts (2026-01-31)")):
        read("Jan 31 to Jan 1")


@pytest.mark.parametrize(
    "typed",
    ["Feb 1, 2026-Feb 28, 2026", "Feb 1, 2026\u2013Feb 28, 2026", "1 Feb 2026-28 Feb 2026"],
)
def test_two_dates_each_with_its_year_joined_by_a_dash_are_that_range(typed: str) -> None:
    """`Feb 1, 2026-Feb 28, 2026` was read as four dates (`Feb 1`, `2026-Feb`, `28`, `2026`)."""
    assert read(typed) == "2026-02-01 to 2026-02-28"


def test_a_month_in_figures_is_not_split_at_its_dash() -> None:
    assert read("2026-02 to 2026-03") == "2026-02-01 to 2026-03-31"


@pytest.mark.parametrize(
    ("typed", "period"),
    [
        ("Support East", "2026-03-01 to 2026-03-10, team Support East"),
        ("support east last month", "2026-02-01 to 2026-02-28, team support east"),
        ("last month Support East", "2026-02-01 to 2026-02-28, team Support East"),
        ("Floor 5 2025", "2025-01-01 to 2025-12-31, team Floor 5"),
        ("Q4 2025 Floor 5", "2025-10-01 to 2025-12-31, team Floor 5"),
    ],
)
def test_a_team_named_without_team_before_or_after_the_dates_is_that_team(typed: str, period: str) -> None:
    """`/rewards export Support East last month` was read as three dates (`Support`, `East`, `last month`)."""
    assert read(typed) == period


def test_words_naming_no_team_and_no_date_are_refused_as_before() -> None:
    with pytest.raises(InvalidInput, match="`Eest` is not a date"):
        read("Support Eest")


@pytest.mark.parametrize("typed", ["team", "Team", "2026-03 team"])
def test_team_with_no_name_after_it_names_an_empty_team_to_be_refused(typed: str) -> None:
    """Was "FROM `team` is not a date"; an empty team is refused naming the teams (`check_export`)."""
    assert parse_period_words(typed.split(), now=NOW).team == ""


def test_more_than_two_dates_are_named_back_whole() -> None:
    """Each was cut at 20 characters (`Saturday, 31 January`), not to be found in what was typed."""
    typed = "Monday, 5 January 2026 to Saturday, 31 January 2026 and Sunday, 1 February 2026"

    with pytest.raises(InvalidInput) as refused:
        read(typed)

    assert "(I read 3: `Monday, 5 January 2026`, `Saturday, 31 January 2026`, `Sunday, 1 February 2026`)" in str(
        refused.value
    )


def test_many_dates_are_named_back_six_and_counted_each_cut_with_a_mark() -> None:
    days = [f"2026-01-{day:02}" for day in range(1, 9)]
    long = "2026-01-01..2026-01-31..2026-02-01..2026-02-28..2026-03-01"

    with pytest.raises(InvalidInput) as refused:
        read(" ".join([long, *days]))

    assert f"(I read 9: `{long[:39]}…`, `2026-01-01`" in str(refused.value)
    assert "`2026-01-05` and 3 more)." in str(refused.value)


def test_a_backtick_typed_in_a_date_cannot_close_the_code_it_is_shown_in() -> None:
    with pytest.raises(InvalidInput) as refused:
        read("2026-01-01 2026-01-02 `x`")

    assert "`'x'`" in str(refused.value)


def test_the_command_line_reads_quarters_and_dates_without_their_year() -> None:
    quarters = parse_period("Q1 2026", "Q1 2026", None, now=NOW, names=("--from", "--to"))
    yearless = parse_period("Dec 20", "Jan 5", None, now=NOW, names=("--from", "--to"))

    assert quarters.describe() == "2026-01-01 to 2026-03-31"
    assert yearless.describe() == "2025-12-20 to 2026-01-05"


def test_29_february_without_its_year_is_the_latest_leap_year_s() -> None:
    assert read("29 Feb") == "2024-02-29 to 2026-03-10"


@pytest.mark.parametrize(
    ("typed", "refusal"),
    [
        ("Tuesday, January 5th", "FROM `Tuesday, January 5th`: 5 January 2026 is a Monday, not a Tuesday."),
        ("Mar 0", "FROM `Mar 0`: March 2026 has 31 days."),
        ("Feb 30", "FROM `Feb 30`: February 2026 has 28 days."),
    ],
)
def test_a_date_without_its_year_that_cannot_be_read_in_its_latest_year_is_refused_saying_why(
    typed: str, refusal: str
) -> None:
    with pytest.raises(InvalidInput, match=re.escape(refusal)):
        read(typed)
