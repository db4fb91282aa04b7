"""Dates shown to people are on their own clock: Slack renders a date token in each reader's time zone, and a
service's words use the person's zone, so a fix logged late in the evening is not dated the next (UTC) day."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from handlers.blocks.digest_team import suggestions_section
from handlers.blocks.resolutions import approval_request, history_blocks, outcome_for_employee, recent_section
from handlers.blocks.rewards import history_text, leaderboard_text
from handlers.blocks.suggestion_lists import list_blocks
from models import Employee, Nomination, Resolution, RewardGrant, Suggestion
from services.calendar import moment_words
from services.rewards.fairness import Leaderboard
from services.rewards.grants import RewardHistory
from services.suggestions.digest import SuggestionLine, SuggestionsPart
from services.suggestions.listing import Listed
from services.text import duration_words

EVENING_IN_NEW_YORK = datetime(2026, 3, 5, 23, 30, tzinfo=UTC)  # 18:30 on 5 March there, 08:30 on 6 March in Tokyo
TOKEN = f"<!date^{int(EVENING_IN_NEW_YORK.timestamp())}^"


def a_resolution() -> Resolution:
    sam = Employee(name="Sam", slack_id="U1", in_directory=True)
    return Resolution(
        id=3,
        employee=sam,
        category="refund",
        amount=Decimal("45"),
        currency="EUR",
        summary="late parcel",
        customer_ref="1234",
        status="approved",
        created_at=EVENING_IN_NEW_YORK,
        decided_by=Employee(name="Maya", slack_id="U2", in_directory=True),
    )


def texts(blocks: list[dict]) -> str:
    return "\n".join(str(block) for block in blocks)


@pytest.mark.parametrize(
    "where",
    [
        lambda r: recent_section([r]),
        lambda r: history_blocks([r]),
        lambda r: outcome_for_employee(r),
        lambda r: approval_request(r, [], heading="Needs your decision"),
    ],
    ids=["app home", "earlier for this customer", "outcome DM", "decider's request"],
)
def test_a_resolution_is_dated_on_the_readers_own_clock(where) -> None:
    shown = texts(where(a_resolution()))

    assert TOKEN in shown
    assert "Mar 05" not in shown.split("|")[0], "no UTC date outside the token's fallback"


def test_rewards_history_dates_each_line_and_the_renewal_on_the_readers_clock() -> None:
    lee = Employee(name="Lee", slack_id="U2")
    received = RewardGrant(
        title="Voucher",
        value=Decimal(0),
        unit="",
        status="approved",
        granted_at=EVENING_IN_NEW_YORK,
        nominator=lee,
        reason="thanks",
    )
    given = Nomination(title="Shout-out", status="approved", created_at=EVENING_IN_NEW_YORK, nominee=lee)
    april = datetime(2026, 4, 1, tzinfo=UTC)
    history = RewardHistory(
        received=[received], given=[given], allowance=5, allowance_left=4, renews_at=april, may_nominate=True
    )

    shown = history_text(history)

    assert shown.count(TOKEN) == 2
    assert f"renews <!date^{int(april.timestamp())}^{{date_short}} at {{time}}|01 April 00:00 UTC>" in shown


def test_the_leaderboard_starts_on_the_readers_clock() -> None:
    march = datetime(2026, 3, 1, tzinfo=UTC)
    board = Leaderboard(period="month", start=march, givers=[], receivers=[], teams=[], mutual_pairs=None)

    assert f"(since <!date^{int(march.timestamp())}^" in leaderboard_text(board)


def test_suggestions_are_dated_by_the_day_on_the_readers_clock_without_the_exact_second() -> None:
    """An anonymous idea sent at 21:00 in New York (02:00 UTC the next day) is listed on the day it was sent."""
    sent = datetime(2026, 3, 6, 2, 0, tzinfo=UTC)
    idea = Suggestion(id=7, what="More chairs", status="open", created_at=sent, author=None, backers=[])
    line = SuggestionLine(number=7, what="More chairs", status="open", backers=0, at=sent)
    part = SuggestionsPart(waiting=(line,), waiting_count=1, done=())

    listed = texts(list_blocks(Listed([], 0), Listed([idea], 1), tz="America/New_York"))
    in_digest = texts(suggestions_section(part, 1000, tz="America/New_York"))

    assert "· 05 Mar ·" in listed and "since 05 Mar ·" in in_digest
    assert "<!date" not in listed + in_digest, "a date token would carry the second it was sent"


@pytest.mark.parametrize(
    ("tz", "words"),
    [
        ("America/New_York", "Tuesday 31 March at 20:00 New York time"),
        ("Asia/Tokyo", "Wednesday 01 April at 09:00 Tokyo time"),
        ("America/Argentina/Buenos_Aires", "Tuesday 31 March at 21:00 Buenos Aires time"),
        ("Africa/Abidjan", "Wednesday 01 April"),
        ("Etc/UTC", "Wednesday 01 April at 00:00 UTC"),
        ("Etc/GMT+5", "Tuesday 31 March at 19:00 UTC-05:00"),
        (None, "Wednesday 01 April at 00:00 UTC"),
        ("Europe", "Wednesday 01 April at 00:00 UTC"),
        ("localtime", "Wednesday 01 April at 00:00 UTC"),
    ],
)
def test_a_moment_in_words_is_on_the_persons_clock_and_says_utc_when_their_zone_is_unknown(
    tz: str | None, words: str
) -> None:
    assert moment_words(datetime(2026, 4, 1, tzinfo=UTC), tz) == words


def test_a_deadline_at_the_persons_midnight_says_the_time_where_a_month_that_starts_does_not() -> None:
    midnight_in_tokyo = datetime(2026, 3, 18, 15, 0, tzinfo=UTC)
    assert moment_words(midnight_in_tokyo, "Asia/Tokyo") == "Thursday 19 March"
    assert moment_words(midnight_in_tokyo, "Asia/Tokyo", deadline=True) == "Thursday 19 March at 00:00 Tokyo time"


@pytest.mark.parametrize(
    ("wait", "words"),
    [
        (timedelta(days=2, hours=23), "2 days"),
        (timedelta(days=1), "1 day"),
        (timedelta(hours=23, minutes=59), "23 hours"),
        (timedelta(hours=1), "1 hour"),
        (timedelta(minutes=59), "59 minutes"),
        (timedelta(seconds=10), "1 minute"),
    ],
)
def test_a_wait_is_said_in_its_largest_whole_unit(wait: timedelta, words: str) -> None:
    assert duration_words(wait) == words
