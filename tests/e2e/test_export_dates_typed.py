"""`/rewards export` dates typed as HR types them: a range within one month written once, a date after the team's name
without its year, day and month in figures. Each is read as meant and the file sent, or refused naming what was read
and how to write it, and nothing is sent."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select, update

from models import Employee, Team
from tests.conftest import RunningBot
from tests.e2e.test_rewards_export import file_title
from tests.helpers import load_org_and_policy


@pytest.fixture
def ready(bot: RunningBot) -> RunningBot:
    load_org_and_policy(bot.sessions, bot.clock.now())
    return bot


@pytest.mark.parametrize(
    "typed",
    [
        "5\u201331 January 2026",
        "5-31 Jan 2026",
        "5 to 31 January 2026",
        "5 - 31 January 2026",
        "5th to 31st of January 2026",
        "January 5\u201331, 2026",
        "Jan 5 to 31, 2026",
        "from 5 January 2026 to 31 January 2026",
        "between 5 January 2026 and 31 January 2026",
        "5 January 2026 through 31 January 2026",
    ],
)
def test_a_range_within_one_month_written_once_is_those_days(ready: RunningBot, typed: str) -> None:
    """`/rewards export 5–31 January 2026` was refused: "FROM `5–31` is not a date"."""
    reply = ready.driver.command("U0HR", "/rewards", f"export {typed}")

    assert "Preparing the reward export for 2026-01-05 to 2026-01-31 (" in reply.text, reply.text
    assert len(ready.slack.files()) == 1


@pytest.mark.parametrize(
    ("typed", "period"),
    [
        ("team:Support East 5 January to 31 January 2026", "2026-01-05 to 2026-01-31"),
        ("team:Support East Jan 5 to Jan 31, 2026", "2026-01-05 to 2026-01-31"),
        ("team:Support East 5-31 January 2026", "2026-01-05 to 2026-01-31"),
        ("team:Support East Dec 1 to Jan 31, 2026", "2025-12-01 to 2026-01-31"),
        ("team:Support East 25/01/2026 31/01/2026", "2026-01-25 to 2026-01-31"),
        ("team:Support East 2026-01-01..2026-01-31", "2026-01-01 to 2026-01-31"),
    ],
)
def test_dates_after_the_team_are_read_as_before_it_with_or_without_their_year(
    ready: RunningBot, typed: str, period: str
) -> None:
    """`/rewards export team:Support East 5 January to 31 January 2026` was answered "There is no team called 'Support
    East 5 January to'": only a date with its year was told apart from the team's name."""
    reply = ready.driver.command("U0HR", "/rewards", f"export {typed}")

    assert f"Preparing the reward export for {period}, team Support East (" in reply.text, reply.text
    assert len(ready.slack.files()) == 1


def test_a_date_after_the_team_with_no_year_to_take_is_the_latest_as_it_is_before_the_team(ready: RunningBot) -> None:
    """Was "There is no team called 'Support East 5 January'"; then refused for its year, now read as the latest 5
    January, as the reply says."""
    after = ready.driver.command("U0HR", "/rewards", "export team:Support East 5 January")
    before = ready.driver.command("U0HR", "/rewards", "export 5 January team:Support East")

    assert (
        "Preparing the reward export for 2026-01-05 to 2026-03-02, team Support East (`5 January` has no year: read as "
        "5 January 2026;" in after.text
    ), after.text
    assert after.text == before.text


@pytest.mark.parametrize(
    ("typed", "period"),
    [
        ("25/01/2026 31/01/2026", "2026-01-25 to 2026-01-31"),
        ("01/25/2026 - 01/31/2026", "2026-01-25 to 2026-01-31"),
        ("25.01.2026 to 31.01.2026", "2026-01-25 to 2026-01-31"),
        ("2026-01-01 31/01/2026", "2026-01-01 to 2026-01-31"),
        ("01/01/2026 31/01/2026", "2026-01-01 to 2026-01-31"),
        ("Jan 5 to 31/01/2026", "2026-01-05 to 2026-01-31"),
    ],
)
def test_day_and_month_in_figures_are_read_when_only_one_order_makes_a_date(
    ready: RunningBot, typed: str, period: str
) -> None:
    """`/rewards export 25/01/2026 31/01/2026` was refused as not a date, though no month 25 or 31 exists."""
    reply = ready.driver.command("U0HR", "/rewards", f"export {typed}")

    assert f"Preparing the reward export for {period} (" in reply.text, reply.text
    assert len(ready.slack.files()) == 1


def test_day_and_month_in_figures_that_make_two_dates_are_refused_naming_both_and_how_to_write_each(
    ready: RunningBot,
) -> None:
    """Was "FROM `05/01/2026` is not a date: write it as YYYY-MM-DD: 2026-01-05 or 2026-05-01, as you mean it"."""
    reply = ready.driver.command("U0HR", "/rewards", "export 05/01/2026 2026-01-31")

    assert (
        "FROM `05/01/2026` could be 5 January 2026 (day first) or 1 May 2026 (month first): write the one you mean as "
        "YYYY-MM-DD (2026-01-05 or 2026-05-01) or with its month's name (`5 January 2026`)."
    ) in reply.text, reply.text
    assert ready.slack.files() == []


@pytest.mark.parametrize(
    ("typed", "period"),
    [
        ("last month", "2026-02-01 to 2026-02-28"),
        ("Last Month.", "2026-02-01 to 2026-02-28"),
        ("last week", "2026-02-23 to 2026-03-01"),
        ("team:Support East last month", "2026-02-01 to 2026-02-28, team Support East"),
        ("1 February 2026 to today", "2026-02-01 to 2026-03-02"),
        ("since 1 February 2026", "2026-02-01 to 2026-03-02"),
        ("February 2026 onwards", "2026-02-01 to 2026-03-02"),
        ("2026-02", "2026-02-01 to 2026-02-28"),
        ("02/2026", "2026-02-01 to 2026-02-28"),
        ("2026/02/01 2026/02/28", "2026-02-01 to 2026-02-28"),
        ("2025", "2025-01-01 to 2025-12-31"),
        ("team Support East 2026-02", "2026-02-01 to 2026-02-28, team Support East"),
    ],
)
def test_a_range_said_as_hr_says_it_is_those_days(ready: RunningBot, typed: str, period: str) -> None:
    """Each was refused as "not a date" (`TO `month` is not a date`, `FROM `2026-02` is not a date`), or, for
    `team Support East`, as "at most two dates"."""
    reply = ready.driver.command("U0HR", "/rewards", f"export {typed}")

    assert f"Preparing the reward export for {period} (" in reply.text, reply.text
    assert len(ready.slack.files()) == 1


def test_a_year_written_in_two_figures_is_refused_saying_to_write_it_in_full(ready: RunningBot) -> None:
    """`25/1/26` could be 2026's 25 January, or a day of a year written first: it is asked about, never guessed."""
    reply = ready.driver.command("U0HR", "/rewards", "export 25/1/26")

    assert "FROM `25/1/26` is not a date: write the year in full, like `25/1/2026`, or YYYY-MM-DD." in reply.text
    assert ready.slack.files() == []


@pytest.mark.parametrize(
    ("typed", "period"),
    [
        ("01/02/2026 - 28/02/2026", "2026-02-01 to 2026-02-28"),
        ("01/02/2026-28/02/2026", "2026-02-01 to 2026-02-28"),
        ("02/01/2026 02/28/2026", "2026-02-01 to 2026-02-28"),
        ("December-February 2026", "2025-12-01 to 2026-02-28"),
        ("Jan\u2013Feb 2026", "2026-01-01 to 2026-02-28"),
        ("from the 1st of February 2026", "2026-02-01 to 2026-03-02"),
    ],
)
def test_a_range_is_read_whole_as_it_is_written(ready: RunningBot, typed: str, period: str) -> None:
    """`01/02/2026 - 28/02/2026` was refused as two days could be meant by `01/02/2026`, though its other end can only
    be written day first; `December-February 2026` and `01/02/2026-28/02/2026` were one date not understood."""
    reply = ready.driver.command("U0HR", "/rewards", f"export {typed}")

    assert f"Preparing the reward export for {period} (" in reply.text, reply.text
    assert len(ready.slack.files()) == 1


@pytest.mark.parametrize(
    ("typed", "period"),
    [
        ("for February 2026", "2026-02-01 to 2026-02-28"),
        ("last month for team Support East", "2026-02-01 to 2026-02-28, team Support East"),
        ("team:Support East, last month", "2026-02-01 to 2026-02-28, team Support East"),
        ("team:Support East - February 2026", "2026-02-01 to 2026-02-28, team Support East"),
        ("team:Support East for February 2026", "2026-02-01 to 2026-02-28, team Support East"),
    ],
)
def test_a_range_said_with_the_words_around_it_is_that_range(ready: RunningBot, typed: str, period: str) -> None:
    """`/rewards export for February 2026` was refused ("FROM `for` is not a date"), and `team:Support East, last
    month` looked for a team called "Support East, last month"."""
    reply = ready.driver.command("U0HR", "/rewards", f"export {typed}")

    assert f"Preparing the reward export for {period} (" in reply.text, reply.text
    assert len(ready.slack.files()) == 1


@pytest.mark.parametrize(
    ("typed", "period"),
    [
        ("yesterday", "2026-03-01 to 2026-03-01"),
        ("Yesterday.", "2026-03-01 to 2026-03-01"),
        ("today", "2026-03-02 to 2026-03-02"),
        ("team:Support East yesterday", "2026-03-01 to 2026-03-01, team Support East"),
        ("since yesterday", "2026-03-01 to 2026-03-02"),
        ("yesterday to today", "2026-03-01 to 2026-03-02"),
    ],
)
def test_a_day_said_alone_is_that_day(ready: RunningBot, typed: str, period: str) -> None:
    """`/rewards export yesterday` on 2 March exported 1 and 2 March: the day said was read as FROM, to today."""
    reply = ready.driver.command("U0HR", "/rewards", f"export {typed}")

    assert f"Preparing the reward export for {period} (" in reply.text, reply.text
    assert len(ready.slack.files()) == 1


def _requester_in(bot: RunningBot, tz: str) -> None:
    with bot.sessions.begin() as session:
        session.execute(update(Employee).where(Employee.slack_id == "U0HR").values(tz=tz))


@pytest.mark.parametrize(
    ("tz", "moment", "typed", "period"),
    [
        ("Australia/Sydney", datetime(2026, 3, 31, 22, tzinfo=UTC), "last month", "2026-03-01 to 2026-03-31"),
        ("Australia/Sydney", datetime(2026, 3, 31, 22, tzinfo=UTC), "yesterday", "2026-03-31 to 2026-03-31"),
        ("Australia/Sydney", datetime(2026, 3, 31, 22, tzinfo=UTC), "last week", "2026-03-23 to 2026-03-29"),
        ("America/Los_Angeles", datetime(2026, 3, 31, 22, tzinfo=UTC), "last month", "2026-02-01 to 2026-02-28"),
        ("America/Los_Angeles", datetime(2026, 4, 1, 2, tzinfo=UTC), "last month", "2026-02-01 to 2026-02-28"),
        ("America/Los_Angeles", datetime(2026, 4, 1, 2, tzinfo=UTC), "this month", "2026-03-01 to 2026-03-31"),
        ("America/Los_Angeles", datetime(2026, 4, 1, 2, tzinfo=UTC), "yesterday", "2026-03-30 to 2026-03-30"),
    ],
)
def test_days_said_are_counted_from_the_requesters_own_date(
    ready: RunningBot, tz: str, moment: datetime, typed: str, period: str
) -> None:
    """HR in Sydney at 09:00 on 1 April (22:00 UTC on 31 March) typing `last month` got February: the words were
    counted from UTC's date. The days exported stay whole UTC days, as the reply says."""
    _requester_in(ready, tz)
    ready.clock.set(moment)

    reply = ready.driver.command("U0HR", "/rewards", f"export {typed}")

    assert f"Preparing the reward export for {period} (whole days in UTC" in reply.text, reply.text
    unfinished = period.endswith(ready.clock.now().date().isoformat())  # UTC's today has not ended
    assert ("has not ended yet, so it holds the grants made so far" in reply.text) == unfinished, reply.text
    [shared] = ready.slack.files()
    assert file_title(shared).endswith(" (so far)") == unfinished, file_title(shared)


def test_this_month_said_where_it_has_begun_before_utc_s_is_refused_as_not_begun(ready: RunningBot) -> None:
    """In Sydney on 1 April, `this month` is April, whose first UTC day has not begun: nothing granted in it yet."""
    _requester_in(ready, "Australia/Sydney")
    ready.clock.set(datetime(2026, 3, 31, 22, tzinfo=UTC))

    reply = ready.driver.command("U0HR", "/rewards", "export this month")

    assert "FROM 2026-04-01 has begun on your clock but not yet in UTC" in reply.text, reply.text
    assert "`2026-03-31` holds what has been granted so far" in reply.text
    assert ready.slack.files() == []


def test_dates_after_a_team_that_two_teams_names_can_end_are_refused_naming_both_readings(ready: RunningBot) -> None:
    """With teams `Support East` and `Support East 2`, `team:Support East 2 March 2026` exported Support East from 2
    March to today, silently."""
    with ready.sessions.begin() as session:
        east = session.scalars(select(Team).where(Team.name == "Support East")).one()
        session.add(Team(workspace_id=east.workspace_id, name="Support East 2"))

    reply = ready.driver.command("U0HR", "/rewards", "export team:Support East 2 March 2026")
    quoted = ready.driver.command("U0HR", "/rewards", 'export team:"Support East 2" March 2026')
    iso = ready.driver.command("U0HR", "/rewards", "export team:Support East 2026-03-02")

    assert (
        "`team:Support East 2 March 2026` can be read two ways: team Support East for `2 March 2026` or team Support "
        'East 2 for `March 2026`. Put the team\'s name in quotes (`team:"Support East" 2 March 2026` or '
        '`team:"Support East 2" March 2026`), or write the dates as YYYY-MM-DD.'
    ) in reply.text, reply.text
    assert "Preparing the reward export for 2026-03-01 to 2026-03-31, team Support East 2 (" in quoted.text, quoted.text
    assert "Preparing the reward export for 2026-03-02 to 2026-03-02, team Support East (" in iso.text, iso.text
    assert len(ready.slack.files()) == 2


@pytest.mark.parametrize(
    ("typed", "period"),
    [
        ("team:Support East 03/2026", "2026-03-01 to 2026-03-31, team Support East"),
        ("01.02.2026-28.02.2026", "2026-02-01 to 2026-02-28"),
        ("Jan 5 - 28 Feb 2026", "2026-01-05 to 2026-02-28"),
    ],
)
def test_a_month_first_figure_after_a_team_a_dotted_joined_range_and_two_months_days_are_read(
    ready: RunningBot, typed: str, period: str
) -> None:
    """`team:Support East 03/2026` looked for a team of that name, `01.02.2026-28.02.2026` was refused as `01.02.2026-
    28.02.202`, and `Jan 5 - 28 Feb 2026` as three dates, one of them never typed (`Feb 2026`)."""
    reply = ready.driver.command("U0HR", "/rewards", f"export {typed}")

    assert f"Preparing the reward export for {period} (" in reply.text, reply.text
    assert len(ready.slack.files()) == 1
