"""Ranges HR types for the export that were read wrong, silently: a quarter or a month without its year as TO, a
quarter with a comma or full stop between or after its words, a team whose name is also a date named without `team`,
and read as another team after the dates were refused; a team named with the word `team` in it, two quarters joined by
a dash. On Sunday 6 December 2026."""

import re
from datetime import UTC, date, datetime

import pytest

from services.errors import InvalidInput
from services.rewards.export_period import parse_period
from services.rewards.export_words import parse_period_words

NOW = datetime(2026, 12, 6, 9, tzinfo=UTC)
TEAMS = frozenset({"north", "dream team", "support east"})
NAMED_AS_DATES = TEAMS | {"march", "q1"}


def read(typed: str, *, teams: frozenset[str] = TEAMS, now: datetime = NOW, said_on: date | None = None) -> str:
    named = parse_period_words(typed.split(), now=now, is_a_team=lambda name: name.casefold() in teams, said_on=said_on)
    return named.describe()


@pytest.mark.parametrize(
    ("typed", "period"),
    [
        ("Mar 10 2026 to Q1", "2026-03-10 to 2026-03-31"),
        ("May 1, 2026 to Q2", "2026-05-01 to 2026-06-30"),
        ("Feb 15 2026 to Q1", "2026-02-15 to 2026-03-31"),
        ("Mar 10 2026 to March", "2026-03-10 to 2026-03-31"),
        ("Mar 10 2026 to Mar 31", "2026-03-10 to 2026-03-31"),
        ("May 1 2026 to Q1", "2026-05-01 to 2027-03-31"),
        ("Dec 20 2025 to Jan 5", "2025-12-20 to 2026-01-05"),
    ],
)
def test_to_without_its_year_is_the_first_that_ends_on_or_after_from(typed: str, period: str) -> None:
    """`Mar 10 2026 to Q1` ran to 31 March 2027: Q1 of FROM's year was skipped for beginning before FROM."""
    assert read(typed) == period


def test_the_command_line_reads_to_without_its_year_as_the_first_that_ends_on_or_after_from() -> None:
    period = parse_period("2026-03-10", "Q1", None, now=NOW, names=("--from", "--to"))

    assert period.describe() == "2026-03-10 to 2026-03-31"
    assert period.read_as == "`Q1` has no year: read as 31 March 2026"


def test_a_range_typed_backwards_without_its_year_is_still_refused() -> None:
    with pytest.raises(InvalidInput, match=re.escape("The range ends (2026-01-01) before it starts (2026-01-31)")):
        read("Jan 31 2026 to Jan 1")


@pytest.mark.parametrize(
    ("typed", "period"),
    [
        ("Q1, 2026", "2026-01-01 to 2026-03-31"),
        ("Q1 2026.", "2026-01-01 to 2026-03-31"),
        ("for Q1, 2026", "2026-01-01 to 2026-03-31"),
        ("Q1. 2026", "2026-01-01 to 2026-03-31"),
        ("2026, Q1.", "2026-01-01 to 2026-03-31"),
        ("North Q1, 2026", "2026-01-01 to 2026-03-31, team North"),
        ("team:North Q1 2026.", "2026-01-01 to 2026-03-31, team North"),
        ("March 2026.", "2026-03-01 to 2026-03-31"),
        ("March, 2026.", "2026-03-01 to 2026-03-31"),
        ("1 March 2026. to 31 March 2026.", "2026-03-01 to 2026-03-31"),
    ],
)
def test_a_quarter_and_its_year_with_a_comma_or_full_stop_are_still_one_date(typed: str, period: str) -> None:
    """`Q1, 2026` and `Q1 2026.` were read as `Q1` and the whole of 2026."""
    assert read(typed) == period


@pytest.mark.parametrize(
    ("typed", "refusal"),
    [
        (
            "last month March",
            "`March` names a team and a date: write `last month team:March` for team March's grants, or "
            "`2026-11-01 2027-03-31` for the range read without a team.",
        ),
        ("March", "write `team:March` for team March's grants, or `2026-03-01 2026-03-31` for the range read"),
        ("Q1 last month", "write `last month team:Q1` for team Q1's grants, or `2026-01-01 2026-11-30` for the range"),
    ],
)
def test_words_that_are_a_range_with_and_without_a_team_s_name_are_refused_naming_both(
    typed: str, refusal: str
) -> None:
    """`last month March`, with a team March, was 1 November 2026 to 31 March 2027, with no team."""
    with pytest.raises(InvalidInput, match=re.escape(refusal)):
        read(typed, teams=NAMED_AS_DATES)


def test_a_team_whose_name_is_a_date_is_named_with_team() -> None:
    assert read("last month team:March", teams=NAMED_AS_DATES) == "2026-11-01 to 2026-11-30, team March"
    assert read("team:Q1", teams=NAMED_AS_DATES) == "2026-12-01 to 2026-12-06, team Q1"


def test_dates_read_then_refused_are_never_read_again_as_a_team() -> None:
    """In Tokyo on 1 January 2027 (UTC's 31 December), `Q1` is Q1 2027, not begun in UTC: it was team Q1, this
    month."""
    with pytest.raises(InvalidInput, match="FROM 2027-01-01 has begun on your clock but not yet in UTC"):
        read("Q1", teams=NAMED_AS_DATES, now=datetime(2026, 12, 31, 16, tzinfo=UTC), said_on=date(2027, 1, 1))


@pytest.mark.parametrize(
    ("typed", "period"),
    [
        ("Dream Team last month", "2026-11-01 to 2026-11-30, team Dream Team"),
        ("last month dream team", "2026-11-01 to 2026-11-30, team dream team"),
        ("Support East last month", "2026-11-01 to 2026-11-30, team Support East"),
    ],
)
def test_a_team_whose_name_holds_the_word_team_can_be_named_without_team(typed: str, period: str) -> None:
    """`Dream Team last month` was refused: "FROM `Dream` is not a date"."""
    assert read(typed) == period


@pytest.mark.parametrize(
    "typed", ["Q1 2026-Q2 2026", "Q1 2026\u2013Q2 2026", "2026 Q1-2026 Q2", "Q1 2026 - Q2 2026", "2026-Q1 to 2026-Q2"]
)
def test_two_quarters_each_with_its_year_joined_by_a_dash_are_that_range(typed: str) -> None:
    """`Q1 2026-Q2 2026` was refused as three dates (`Q1`, `2026-Q2`, `2026`)."""
    assert read(typed) == "2026-01-01 to 2026-06-30"


def test_words_beginning_with_one_team_s_name_and_ending_with_another_s_are_the_one_they_are_a_range_with() -> None:
    """With teams March and Support East, `March 2026 Support East` was refused as three dates (`2026`, `Support`,
    `East`): only its first team's name was tried."""
    assert read("March 2026 Support East", teams=NAMED_AS_DATES) == "2026-03-01 to 2026-03-31, team Support East"
