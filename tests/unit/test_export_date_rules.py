"""The rules by which an export's dates are read: a range within one month written once, day and month in figures,
dates after a team's name, one reading for Slack's words and the command line's `--from`/`--to`."""

import re
from datetime import UTC, date, datetime

import pytest

from services.day_words import spread_day_ranges
from services.errors import InvalidInput
from services.rewards.export_days import typed_days
from services.rewards.export_period import ExportPeriod, parse_period
from services.rewards.export_words import parse_period_words, typed_range

NOW = datetime(2026, 3, 10, 9, tzinfo=UTC)
TEAMS = {"support east", "floor 5"}


def read(typed: str) -> str:
    return parse_period_words(typed.split(), now=NOW, is_a_team=lambda name: name.casefold() in TEAMS).describe()


@pytest.mark.parametrize(
    ("typed", "spread"),
    [
        ("5-31 Jan 2026", "5 Jan 2026 - 31 Jan 2026"),
        ("5 to 31 of January", "5 January to 31 of January"),
        ("January 5\u201331, 2026", "January 5 2026 \u2013 January 31, 2026"),
        ("5-31 tickets", "5-31 tickets"),
        ("2026-03-01 to 2026-03-31", "2026-03-01 to 2026-03-31"),
    ],
)
def test_the_two_days_of_a_range_in_one_month_each_take_the_month_written_once(typed: str, spread: str) -> None:
    assert " ".join(spread_day_ranges(typed.split())) == spread


@pytest.mark.parametrize(
    ("typed", "day"),
    [("25/01/2026", date(2026, 1, 25)), ("01/25/2026", date(2026, 1, 25)), ("07.07.2026", date(2026, 7, 7))],
)
def test_day_and_month_in_figures_are_the_one_day_they_can_be(typed: str, day: date) -> None:
    assert typed_days(typed, "FROM", "today", today=NOW.date()) == (day, day)


def test_day_and_month_in_figures_that_can_be_two_days_are_refused_naming_both() -> None:
    with pytest.raises(InvalidInput, match=r"could be 5 January 2026 \(day first\) or 1 May 2026 \(month first\)"):
        typed_days("05/01/2026", "FROM", "today", today=NOW.date())


@pytest.mark.parametrize(
    ("typed", "period"),
    [
        ("team:Support East 5 January to 31 January 2026", "2026-01-05 to 2026-01-31, team Support East"),
        ("team:Floor 5 May 2025", "2025-05-01 to 2025-05-31, team Floor 5"),
        ("team:Suport East 5 Jan to 31 Jan 2026", "2026-01-05 to 2026-01-31, team Suport East"),
        ("from 1 Jan 2026 to 31 Jan 2026", "2026-01-01 to 2026-01-31"),
    ],
)
def test_dates_after_a_team_are_read_as_anywhere_else(typed: str, period: str) -> None:
    assert read(typed) == period


def test_a_date_with_no_year_after_a_team_s_name_is_the_latest_not_read_into_the_name() -> None:
    assert read("team:Support East 5 January") == "2026-01-05 to 2026-03-10, team Support East"


def test_the_command_line_reads_dates_as_slack_s_words_do() -> None:
    typed = parse_period("Dec 1", "31/01/2026", None, now=NOW, names=("--from", "--to"))
    words = parse_period_words(["Dec", "1", "to", "31/01/2026"], now=NOW)

    assert typed.describe() == words.describe() == "2025-12-01 to 2026-01-31"


@pytest.mark.parametrize(
    ("typed", "period"),
    [
        ("last month", "2026-02-01 to 2026-02-28"),
        ("this month", "2026-03-01 to 2026-03-31"),
        ("last year", "2025-01-01 to 2025-12-31"),
        ("last week", "2026-03-02 to 2026-03-08"),
        ("this week", "2026-03-09 to 2026-03-15"),
        ("yesterday to today", "2026-03-09 to 2026-03-10"),
        ("since March 2026", "2026-03-01 to 2026-03-10"),
        ("2026-01 to 2026-02", "2026-01-01 to 2026-02-28"),
        ("01/2026", "2026-01-01 to 2026-01-31"),
        ("team Floor 5 2025", "2025-01-01 to 2025-12-31, team Floor 5"),
    ],
)
def test_days_said_as_hr_says_them_count_from_today(typed: str, period: str) -> None:
    assert read(typed) == period


def test_an_end_in_figures_that_can_be_two_days_is_read_in_the_order_the_other_end_is_written() -> None:
    day_first = parse_period("01/03/2026", "31/03/2026", None, now=NOW)
    month_first = parse_period("03/01/2026", "03/31/2026", None, now=NOW)

    assert day_first.describe() == month_first.describe() == "2026-03-01 to 2026-03-31"


def test_both_ends_in_figures_that_can_be_two_days_each_are_refused_naming_the_first() -> None:
    with pytest.raises(InvalidInput, match=r"FROM `01/02/2026` could be 1 February 2026 \(day first\)"):
        parse_period("01/02/2026", "02/02/2026", None, now=NOW)


@pytest.mark.parametrize("typed", [" 2026-03-01 ", "2026-03-01.", "\u201c1 March 2026\u201d", "1 March 2026,"])
def test_a_date_pasted_with_spaces_quotes_or_the_mark_ending_a_sentence_is_that_date(typed: str) -> None:
    assert typed_days(typed, "--from", "today", today=NOW.date()) == (date(2026, 3, 1), date(2026, 3, 1))


@pytest.mark.parametrize(
    ("typed", "period"),
    [
        ("for March 2026", "2026-03-01 to 2026-03-31"),
        ("since March 2026", "2026-03-01 to 2026-03-10"),
        ("team:Support East, last month", "2026-02-01 to 2026-02-28, team Support East,"),
        ("team:Support East - 2026-02", "2026-02-01 to 2026-02-28, team Support East"),
    ],
)
def test_words_said_around_a_range_are_no_date_and_since_runs_to_today(typed: str, period: str) -> None:
    assert read(typed) == period


@pytest.mark.parametrize(
    ("typed", "period"),
    [
        ("yesterday", "2026-03-09 to 2026-03-09"),
        ("today", "2026-03-10 to 2026-03-10"),
        ("since yesterday", "2026-03-09 to 2026-03-10"),
        ("yesterday onwards", "2026-03-09 to 2026-03-10"),
    ],
)
def test_a_day_said_alone_is_that_day_and_opened_runs_to_today(typed: str, period: str) -> None:
    assert read(typed) == period


def test_the_command_line_s_from_yesterday_still_runs_to_today() -> None:
    assert parse_period("yesterday", None, None, now=NOW).describe() == "2026-03-09 to 2026-03-10"


@pytest.mark.parametrize(
    ("said_on", "typed", "period"),
    [
        (date(2026, 4, 1), "last month", "2026-03-01 to 2026-03-31"),
        (date(2026, 4, 1), "yesterday", "2026-03-31 to 2026-03-31"),
        (date(2026, 3, 31), "last month", "2026-02-01 to 2026-02-28"),
        (date(2026, 3, 30), "yesterday to today", "2026-03-29 to 2026-03-30"),
    ],
)
def test_days_said_are_counted_from_the_date_they_are_said_on(said_on: date, typed: str, period: str) -> None:
    now = datetime(2026, 3, 31, 22, tzinfo=UTC)

    assert parse_period_words(typed.split(), now=now, said_on=said_on).describe() == period


def test_days_said_on_a_date_utc_has_not_reached_are_refused_as_not_begun() -> None:
    now = datetime(2026, 3, 31, 22, tzinfo=UTC)

    with pytest.raises(InvalidInput, match=r"FROM 2026-04-01 has begun on your clock but not yet in UTC"):
        parse_period_words(["today"], now=now, said_on=date(2026, 4, 1))


def test_dates_after_a_team_that_two_teams_names_can_end_are_refused_naming_both() -> None:
    teams = {"support east", "support east 2"}

    def reading(typed: str) -> ExportPeriod:
        return parse_period_words(typed.split(), now=NOW, is_a_team=lambda name: name.casefold() in teams)

    with pytest.raises(InvalidInput) as refused:
        reading("team:Support East 2 March 2026")

    assert "team Support East for `2 March 2026` or team Support East 2 for `March 2026`" in str(refused.value)
    whole = reading("team:Support East 2")
    assert whole.team == "Support East 2", "a whole name is that team, no date in it"


@pytest.mark.parametrize(
    ("typed", "dates", "opened", "team"),
    [
        ("5-31 January 2026", ["5 January 2026", "31 January 2026"], False, None),
        ("since 1 March 2026", ["1 March 2026"], True, None),
        ("team:Support East", [], False, "Support East"),
        ("for March 2026", ["March 2026"], False, None),
    ],
)
def test_the_words_typed_hold_the_dates_and_team_read(
    typed: str, dates: list[str], opened: bool, team: str | None
) -> None:
    read = typed_range(typed.split())

    assert (read.dates, read.opened, read.team) == (dates, opened, team)


@pytest.mark.parametrize(
    ("typed", "spread"),
    [
        ("Jan 5 - 31 Mar 2026", "Jan 5 - 31 Mar 2026"),
        ("Jan 5 - 31, 2026", "Jan 5 2026 - Jan 31, 2026"),
        ("5 - 31 Mar 2026", "5 Mar 2026 - 31 Mar 2026"),
    ],
)
def test_days_of_a_range_each_with_its_own_month_take_no_other(typed: str, spread: str) -> None:
    assert " ".join(spread_day_ranges(typed.split())) == spread


@pytest.mark.parametrize(
    ("typed", "period"),
    [
        ("01.03.2026-31.03.2026", "2026-03-01 to 2026-03-31"),
        ("team:Support East 03/2026", "2026-03-01 to 2026-03-31, team Support East"),
        ("team:Support East 3.2026", "2026-03-01 to 2026-03-31, team Support East"),
    ],
)
def test_a_dotted_joined_range_and_a_month_first_figure_after_a_team_are_read(typed: str, period: str) -> None:
    assert read(typed) == period


def test_a_long_word_that_is_no_date_is_shown_cut_with_a_mark_of_the_cut() -> None:
    with pytest.raises(InvalidInput, match=re.escape("FROM `01.03.2026-31.03.2026-01.04.2026-30.04.…` is not a date")):
        read("01.03.2026-31.03.2026-01.04.2026-30.04.2026")


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        (["last", "month"], " — UTC's 2026-03-31 has not ended yet, so it holds the grants made so far"),
        (["2026-03-01", "2026-03-30"], ""),
        (
            ["2026-03-01", "2026-04-30"],
            " — it ends after today in UTC (2026-03-31), so it holds the grants made so far",
        ),
    ],
)
def test_a_range_whose_last_utc_day_has_not_ended_says_it_holds_the_grants_so_far(typed: list[str], said: str) -> None:
    """HR in Sydney at 09:00 on 1 April asks for `last month`: March, whose last UTC day still runs two hours."""
    period = parse_period_words(typed, now=datetime(2026, 3, 31, 22, tzinfo=UTC), said_on=date(2026, 4, 1))

    assert period.so_far() == said
