"""The rules of resolutions, on a real database: local days and months, who decides, amounts."""

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import MovableClock
from services.calendar import local_day, local_month
from services.errors import InvalidInput, NotAllowed
from services.money import CURRENCIES, decimals_of, format_money, parse_amount
from services.resolutions import decisions, spending
from services.resolutions import fixes as resolutions
from services.resolutions.customers import customer_key, usable_reference
from services.resolutions.fixes import ResolutionRequest
from tests.helpers import (
    employee,
    load_org,
    load_org_and_policy,
    load_policy,
    skip_unless_writers_overlap,
    wait_at_most_200_ms,
    waits_for_the_other,
)


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("45", "45.00"),
        ("45.50", "45.50"),
        ("$45", "45.00"),
        ("$ 45", "45.00"),
        ("45 $", "45.00"),
        ("USD 45", "45.00"),
        ("45usd", "45.00"),
        ("1,200", "1200.00"),
        ("0", "0.00"),
        ("100000", "100000.00"),
        ("45 dollars", "45.00"),
        ("45 bucks", "45.00"),
    ],
)
def test_amounts_people_type(typed: str, amount: str) -> None:
    assert parse_amount(typed, "USD") == Decimal(amount)


@pytest.mark.parametrize(
    ("typed", "currency"),
    [
        ("€7.5", "EUR"),
        ("7.5 €", "EUR"),
        ("£3", "GBP"),
        ("$3", "CAD"),
        ("CA$45", "CAD"),
        ("A$45", "AUD"),
        ("$45", "NZD"),
        ("45 SEK", "SEK"),
        ("chf 45", "CHF"),
    ],
)
def test_a_sign_is_read_as_the_policy_currency_when_it_can_be(typed: str, currency: str) -> None:
    assert parse_amount(typed, currency) > 0


@pytest.mark.parametrize(
    "typed",
    [
        "-5",
        "1e9",
        "abc",
        "NaN",
        "inf",
        "4.567",
        "100000.01",
        "1,20",
        "25,50",
        "1 200",
        "€25",
        "45 EUR",
        "£3",
        "usd",
        "45 euros",
        "45 yen",
        "5quid",
    ],
)
def test_amounts_that_are_refused(typed: str) -> None:
    with pytest.raises(InvalidInput):
        parse_amount(typed, "USD")


@pytest.mark.parametrize(
    ("typed", "currency", "message"),
    [
        ("¥45.50", "JPY", "`¥45.50` has too many decimals: JPY amounts are whole, like `¥45`."),
        ("45.5", "JPY", "`45.5` has too many decimals: JPY amounts are whole, like `¥45`."),
        ("4.567", "USD", "`4.567` has too many decimals: USD amounts have at most 2 decimals, like `$45.50`."),
    ],
)
def test_an_amount_with_more_decimals_than_its_currency_has_is_refused(typed: str, currency: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=re.escape(message)):
        parse_amount(typed, currency)


def test_yen_are_whole() -> None:
    assert [parse_amount(typed, "JPY") for typed in ("¥45", "1,200", "45.00")] == [45, 1200, 45]


@pytest.mark.parametrize("typed", ["1.200", "1.200,50"])
def test_a_point_between_thousands_of_yen_is_told_the_whole_amount_only(typed: str) -> None:
    """Yen have no decimals: `1.200` can only be 1,200, and the advice is never an amount yen refuse."""
    with pytest.raises(InvalidInput) as refused:
        parse_amount(typed, "JPY")

    advice = str(refused.value)
    assert "`1200`" in advice and "`1.20`" not in advice and "`1200.50`" not in advice


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("order 1234", "1234"),
        ("Order #1234", "ORDER-1234"),
        ("#1234", "no. 1234"),
        ("Ticket: AB-12", "ab12"),
        ("case 9", "CASE-9"),
        ("order1234", "order 1234"),  # the form keeps what was typed; the one-liner reads `order 1234`
        ("order １２３４", "order 1234"),  # full-width digits, as Japanese input methods type them
        ("ＡＢ－１２", "ab-12"),
        ("order 01234", "order 1234"),  # leading zeros
        ("ref ٠١٢٣٤", "1234"),  # Arabic-Indic digits
        ("۱۲۳۴", "1234"),  # Persian digits
        ("१२३४", "#1234"),  # Devanagari digits
        ("\u041eRD-7", "ORD-7"),  # a Cyrillic capital O among Latin letters
        ("\u039fRD-7", "ord-7"),  # a Greek capital Omicron
        ("\u0410\u0412-12", "AB-12"),  # Cyrillic A and Ve, every letter a look-alike
        ("\u0391\u0392-12", "ab-12"),  # Greek Alpha and Beta
        ("\u0441\u0430\u0455\u0435 9", "case 9"),  # small Cyrillic es, a, dze, ie: the label is still a label
        ("\u043erd\u0435r 1234", "1234"),
        ("\u039d\u03a5-\u0397\u0399", "ny-hi"),  # Greek Nu, Upsilon, Eta, Iota read as their capitals look
        ("\u0412\u041e\u0420-1", "\u0432\u043e\u0440-1"),  # a Cyrillic reference in either case
        ("\u039d\u0399\u039a\u0397-1", "\u03bd\u03b9\u03ba\u03b7-1"),  # a Greek one
    ],
)
def test_references_written_differently_are_one_customer(one: str, other: str) -> None:
    assert customer_key(one) == customer_key(other)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("order Işık-12", "IŞIK-12"),  # Turkish: dotless ı is the small letter of I
        ("IŞIK-12", "ışık-12"),
        ("İSTANBUL-5", "istanbul-5"),  # and dotted İ the capital of i
        ("istanbul-5", "ıstanbul-5"),
        ("straße-1", "STRASSE-1"),  # German ß is SS in capitals
        ("STRAẞE-1", "strasse-1"),  # and the capital ẞ folds to ss as well
        ("ΟΔΟΣ-1", "οδοσ-1"),  # Greek: a final sigma ς is the σ its capital Σ is
        ("\u03bf\u03b4\u03bf\u03c2-1", "\u03bf\u03b4\u03bf\u03c3-1"),  # either sigma typed at the end
        ("J\u030c-1", "\u01f0-1"),  # J with a caron has no capital of one character: folded, it is ǰ again
    ],
)
def test_references_in_another_case_are_one_customer(one: str, other: str) -> None:
    """Lower-casing left these apart: the same order typed in capitals gave one customer the limit again."""
    assert customer_key(one) == customer_key(other)


def test_turkish_dotted_and_dotless_i_in_either_case_are_one_letter() -> None:
    """Folding alone keeps `ı` and makes `İ` an `i` with a combining dot above."""
    assert {customer_key(letter) for letter in ("İ", "I", "i", "ı", "i\u0307", "I\u0307")} == {"i"}


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("1234", "12345"),
        ("AB-12", "AB-21"),
        ("nora 1", "1"),
        ("casey 12", "12"),
        ("AB-012", "AB-12"),
        ("0", ""),
        ("\u0414\u041e\u041c-1", "\u0414\u041e\u041c-2"),  # Cyrillic references are compared as before
        ("\u0416-1", "X-1"),  # Cyrillic Zhe looks like no Latin letter
        ("\u041f-1", "n-1"),  # nor does Pe
        ("\u043d\u043e\u0441-1", "\u04bb\u043e\u0441-1"),  # Cyrillic en and shha: two Cyrillic letters
        ("\u0442\u0443-1", "\u0442\u04af-1"),  # Cyrillic u and straight u (Kazakh)
        ("\u03b6\u03b1-1", "\u03be\u03b1-1"),  # Greek zeta and xi
        ("IŞIK-12", "ISIK-12"),  # a letter with a cedilla is its own, in any case
        ("straße-1", "strase-1"),
    ],
)
def test_different_references_stay_different_customers(one: str, other: str) -> None:
    assert customer_key(one) != customer_key(other)


def test_a_reference_that_is_all_label_keeps_its_letters() -> None:
    assert (customer_key("order"), customer_key("#"), customer_key("---")) == ("order", "#", "---")


SHOWN_AS_NOTHING = [
    "\u3164",  # Hangul filler: a letter once read in its NFKC form (U+1160)
    "\uffa0",  # half-width Hangul filler, the same
    "\u115f",  # Hangul choseong filler
    "\u1160",  # Hangul jungseong filler
    "\u00ad",  # soft hyphen
    "\u034f",  # combining grapheme joiner
    "\u200b",  # zero-width space
    "\u200c",  # zero-width non-joiner
    "\u200d",  # zero-width joiner
    "\u200e",  # left-to-right mark
    "\u2060",  # word joiner
    "\ufeff",  # byte order mark
    "\ufe0f",  # variation selector 16
    "\U000e0101",  # a variation selector of the supplement
    "\U000e0031",  # tag digit one
]


@pytest.mark.parametrize("unseen", SHOWN_AS_NOTHING)
def test_a_character_shown_as_nothing_makes_no_new_customer(unseen: str) -> None:
    """Pasted in a number, or in its label, it would make the customer of `1234` look new to every limit."""
    assert customer_key(f"12{unseen}34") == customer_key(f"ord{unseen}er 1234") == customer_key("1234") == "1234"


@pytest.mark.parametrize("unseen", SHOWN_AS_NOTHING)
def test_a_reference_is_kept_without_the_characters_shown_as_nothing(unseen: str) -> None:
    """Stored as the reference shown again to the decider and the employee; one of nothing else names no one."""
    assert usable_reference(f" 12{unseen}34 ") == "1234"
    assert usable_reference(unseen) is None


@pytest.mark.parametrize(
    "typed",
    [
        "(order 1234)",  # a label in brackets: the one-line /resolve reads `(order 1234)` as 1234 too
        "o\u0336rder 1234",  # a combining stroke drawn through the label
        "o\u0345rder 1234",  # a Greek ypogegrammeni, which case folding alone makes the letter ι
        "order 12\u030134",  # a combining accent in the number
        "\u0085order 1234",  # a control character before the label
        "or\ue000der 1234",  # a private-use character in the label
        "\ufff9order 1234",  # an interlinear annotation mark
    ],
)
def test_a_mark_or_control_character_in_a_reference_or_before_its_label_makes_no_new_customer(typed: str) -> None:
    assert customer_key(typed) == "1234"


def test_a_key_is_never_longer_than_its_column() -> None:
    """NFKC makes some characters many (U+FDFA is 18 letters), as folding does (`ß` is `ss`): a long key would refuse
    the fix on PostgreSQL."""
    assert len(customer_key("\ufdfa" * 10)) == len(customer_key("ß" * 60)) == 100


def test_every_policy_currency_is_accepted_as_it_is_shown() -> None:
    for currency in CURRENCIES:
        amount = Decimal("1200.50") if decimals_of(currency) else Decimal(1200)  # no yen cents
        assert parse_amount(format_money(amount, currency), currency) == amount, currency


def test_a_mistake_shows_an_example_in_the_policy_currency() -> None:
    with pytest.raises(InvalidInput, match=r"like `45`, `45\.50` or `45 SEK`"):
        parse_amount("45 kr each", "SEK")


def test_money_is_shown_in_the_policy_currency() -> None:
    assert format_money(Decimal("1200.00"), "USD") == "$1,200"
    assert format_money(Decimal("7.50"), "EUR") == "€7.50"
    assert format_money(Decimal("3"), "SEK") == "3 SEK"


def test_a_local_day_and_month_follow_the_persons_time_zone_across_daylight_saving() -> None:
    evening = datetime(2026, 3, 31, 23, 30, tzinfo=UTC)

    day_start, day_end = local_day(evening, "America/New_York")
    month_start, month_end = local_month(evening, "America/New_York")

    assert (day_start, day_end) == (datetime(2026, 3, 31, 4, tzinfo=UTC), datetime(2026, 4, 1, 4, tzinfo=UTC))
    assert (month_start, month_end) == (datetime(2026, 3, 1, 5, tzinfo=UTC), datetime(2026, 4, 1, 4, tzinfo=UTC))
    assert local_day(evening, "Asia/Tokyo")[0] == datetime(2026, 3, 31, 15, tzinfo=UTC)


def test_a_midnight_hour_that_comes_twice_starts_the_day_and_month_at_its_first_pass() -> None:
    """Havana turns its clocks back from 01:00 to 00:00 on 1 November 2026: 00:30 happens twice."""
    second_pass = datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # 00:30 local, the second time

    first_midnight = datetime(2026, 11, 1, 4, tzinfo=UTC)
    assert local_day(second_pass, "America/Havana")[0] == first_midnight
    assert local_month(second_pass, "America/Havana")[0] == first_midnight


def at(day: int, month: int, year: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("tz", "now", "starts", "ends"),
    [
        ("Australia/Lord_Howe", at(4, 10, 2026, 6), at(3, 10, 2026, 13, 30), at(4, 10, 2026, 13)),  # 23½ hours
        ("Australia/Lord_Howe", at(4, 4, 2027, 5), at(3, 4, 2027, 13), at(4, 4, 2027, 13, 30)),  # 24½ hours
        ("America/Santiago", at(6, 9, 2026, 12), at(6, 9, 2026, 4), at(7, 9, 2026, 3)),  # from 01:00: no midnight
        ("Pacific/Chatham", at(27, 9, 2026, 5), at(26, 9, 2026, 11, 15), at(27, 9, 2026, 10, 15)),  # 23 hours
        ("Europe/London", at(25, 10, 2026, 12), at(24, 10, 2026, 23), at(26, 10, 2026, 0)),  # 25 hours
        (
            "Asia/Kathmandu",
            at(31, 12, 2026, 18, 14),
            at(31, 12, 2026, 18, 15) - timedelta(days=1),
            at(31, 12, 2026, 18, 15),
        ),
    ],
)
def test_a_local_day_lasts_as_long_as_the_persons_clock_says_and_starts_at_its_own_midnight(
    tz: str, now: datetime, starts: datetime, ends: datetime
) -> None:
    assert local_day(now, tz) == (starts, ends)


def test_a_month_ends_at_midnight_on_a_clock_a_quarter_or_half_hour_off_utc() -> None:
    new_year = {"Asia/Kathmandu": at(31, 12, 2026, 18, 15), "Asia/Kolkata": at(31, 12, 2026, 18, 30)}

    for tz, midnight in new_year.items():
        assert local_month(midnight - timedelta(minutes=1), tz)[1] == midnight
        assert local_month(midnight, tz) == (midnight, midnight + timedelta(days=31))


def test_the_monthly_allowance_renews_at_local_midnight_not_utc(
    sessions: sessionmaker[Session], session: Session, clock: MovableClock
) -> None:
    load_org_and_policy(sessions, clock.now())
    sam = employee(session, "U0AGENT1")  # New York
    clock.set(datetime(2026, 3, 31, 23, 0, tzinfo=UTC))  # 19:00 in New York, still March
    resolutions.log_resolution(
        session, employee=sam, now=clock.now(), request=ResolutionRequest("fee_waiver", Decimal(30), "late fee waived")
    )
    clock.advance(timedelta(hours=2))  # 21:00 in New York on March 31: April already in UTC

    march = spending.spent_in(session, sam, "fee_waiver", clock.now(), "USD")
    clock.advance(timedelta(hours=4))  # 01:00 on April 1 in New York
    april = spending.spent_in(session, sam, "fee_waiver", clock.now(), "USD")

    assert (march.today, march.this_month) == (Decimal(30), Decimal(30))
    assert (april.today, april.this_month) == (Decimal(0), Decimal(0))


def test_nobody_decides_their_own_request_and_declined_fixes_do_not_count(
    sessions: sessionmaker[Session], session: Session, clock: MovableClock
) -> None:
    load_org_and_policy(sessions, clock.now())
    maya = employee(session, "U0MGR1")
    logged = resolutions.log_resolution(
        session, employee=maya, now=clock.now(), request=ResolutionRequest("credit", Decimal(300), "big gesture")
    )

    assert [d.slack_id for d in logged.deciders] == ["U0ADMIN"]
    assert not decisions.may_decide(logged.resolution, maya)
    decisions.decide(
        session,
        resolution_id=logged.resolution.id,
        decider=employee(session, "U0ADMIN"),
        approve=False,
        reason="too much",
        now=clock.now(),
    )
    assert spending.spent_in(session, maya, "credit", clock.now(), "USD").today == 0


def test_a_request_counts_in_the_month_it_was_logged_from_then_on_and_stays_counted_once_approved(
    sessions: sessionmaker[Session], session: Session, clock: MovableClock
) -> None:
    load_org_and_policy(sessions, clock.now())
    sam = employee(session, "U0AGENT1")
    clock.set(datetime(2026, 4, 1, 3, 50, tzinfo=UTC))  # 23:50 on March 31 in New York
    logged = resolutions.log_resolution(
        session, employee=sam, now=clock.now(), request=ResolutionRequest("credit", Decimal(60), "big gesture")
    )
    waiting = spending.spent_in(session, sam, "credit", clock.now(), "USD")
    clock.advance(timedelta(days=1))
    decisions.decide(
        session,
        resolution_id=logged.resolution.id,
        decider=employee(session, "U0MGR1"),
        approve=True,
        reason=None,
        now=clock.now(),
    )

    assert (waiting.today, waiting.this_month) == (Decimal(60), Decimal(60))
    assert spending.spent_in(session, sam, "credit", clock.now(), "USD") == spending.Spent(Decimal(0), Decimal(0))
    march = spending.spent_in(session, sam, "credit", datetime(2026, 3, 31, 12, tzinfo=UTC), "USD")
    assert march == spending.Spent(Decimal(60), Decimal(60))


def test_an_admin_may_decide_anyones_request_but_their_own(
    sessions: sessionmaker[Session], session: Session, clock: MovableClock
) -> None:
    org = "slack_id,name,team,role,manager_slack_id\nU0ADMIN,Ada,Ops,admin,\nU0ADMIN2,Bea,Ops,admin,U0ADMIN\n"
    load_org(sessions, clock.now(), org)
    load_policy(sessions, clock.now())
    bea = employee(session, "U0ADMIN2")
    logged = resolutions.log_resolution(
        session, employee=bea, now=clock.now(), request=ResolutionRequest("credit", Decimal(300), "big gesture")
    )

    with pytest.raises(NotAllowed, match="You can't decide your own request"):
        decisions.decide(
            session, resolution_id=logged.resolution.id, decider=bea, approve=True, reason=None, now=clock.now()
        )
    assert logged.resolution.status == "pending"


def test_two_fixes_at_once_by_the_same_person_cannot_both_fit_in_what_is_left_today(
    engine: Engine, sessions: sessionmaker[Session], clock: MovableClock
) -> None:
    """On PostgreSQL two requests really run at once (several workers); SQLite's writers already take turns."""
    skip_unless_writers_overlap(engine)
    load_org_and_policy(sessions, clock.now())
    credit = ResolutionRequest("credit", Decimal(25), "goodwill credit")
    with sessions.begin() as session:
        for _ in range(3):  # 75 of the 100 a day an agent may credit
            resolutions.log_resolution(session, employee=employee(session, "U0AGENT1"), request=credit, now=clock.now())

    with sessions.begin() as first:
        one = resolutions.log_resolution(first, employee=employee(first, "U0AGENT1"), request=credit, now=clock.now())
        assert one.within
        with sessions.begin() as second, waits_for_the_other(second):  # it waits for the first to commit
            resolutions.log_resolution(second, employee=employee(second, "U0AGENT1"), request=credit, now=clock.now())

    with sessions.begin() as session:
        other = resolutions.log_resolution(
            session, employee=employee(session, "U0AGENT1"), request=credit, now=clock.now()
        )
        assert not other.within and other.exceeded[0].startswith("daily limit $100")


def test_two_colleagues_fixing_one_customer_at_once_cannot_both_fit_in_the_customer_limit(
    engine: Engine, sessions: sessionmaker[Session], clock: MovableClock
) -> None:
    skip_unless_writers_overlap(engine)
    load_org_and_policy(sessions, clock.now())
    refund = ResolutionRequest("refund", Decimal(30), "late parcel", customer_ref="ORD-7")
    with sessions.begin() as session:
        for _ in range(2):  # 60 of the 100 one customer may receive in 30 days, a problem a day
            resolutions.log_resolution(session, employee=employee(session, "U0AGENT1"), request=refund, now=clock.now())
            clock.advance(timedelta(hours=25))
    refund = ResolutionRequest("refund", Decimal(40), "still late", customer_ref="ord-7")

    with sessions.begin() as sam:
        assert resolutions.log_resolution(
            sam, employee=employee(sam, "U0AGENT1"), request=refund, now=clock.now()
        ).within
        with sessions.begin() as ines, waits_for_the_other(ines):  # she waits for Sam's fix to commit
            resolutions.log_resolution(ines, employee=employee(ines, "U0AGENT3"), request=refund, now=clock.now())

    with sessions.begin() as ines:
        late = resolutions.log_resolution(ines, employee=employee(ines, "U0AGENT3"), request=refund, now=clock.now())
        assert not late.within and late.exceeded[-1].startswith("per-customer limit $100")


def test_a_fix_does_not_wait_for_an_org_import_updating_the_same_person(
    engine: Engine, sessions: sessionmaker[Session], clock: MovableClock
) -> None:
    """The fixes' lock holds up only other fixes: an import changing everyone's row (seconds, for a large org)
    must not push a `/resolve` past Slack's three seconds."""
    skip_unless_writers_overlap(engine)
    load_org_and_policy(sessions, clock.now())
    credit = ResolutionRequest("credit", Decimal(25), "goodwill credit")

    with sessions.begin() as import_in_progress:
        employee(import_in_progress, "U0AGENT1").tz = "Europe/Paris"
        import_in_progress.flush()
        with sessions.begin() as session:
            wait_at_most_200_ms(session)
            logged = resolutions.log_resolution(
                session, employee=employee(session, "U0AGENT1"), request=credit, now=clock.now()
            )
            assert logged.within
