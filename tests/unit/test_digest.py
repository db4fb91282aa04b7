"""The digest read model: exact figures for a fixture week, each manager's own subtree and local week."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from models import Workspace
from services.digest import access as digest_access
from services.digest.resolutions import CategoryLine, Theme
from services.digest.week import last_full_week, send_moment, week_so_far
from services.digest.weekly import Digest, weekly_digests
from services.errors import NotAllowed, NotFound
from services.policy.digest import DigestSettings
from services.policy.file import PolicyError
from services.policy.versions import parse_policy
from services.resolutions import decisions
from tests.fixture_week import MONDAY, at, load_fixture_week, log
from tests.helpers import POLICY_EXAMPLE, employee, load_org_and_policy, load_policy


@pytest.fixture
def digests(sessions: sessionmaker[Session]) -> dict[str, Digest]:
    load_fixture_week(sessions)
    with sessions() as session:
        workspace = session.scalars(select(Workspace)).one()
        return {d.manager.slack_id: d for d in weekly_digests(session, workspace=workspace, now=MONDAY)}


def test_the_fixture_week_gives_exact_figures_for_the_manager(digests: dict[str, Digest]) -> None:
    maya = digests["U0MGR1"]
    part = maya.resolutions

    assert (maya.week.first_day, maya.week.last_day, maya.week.label) == (
        date(2026, 2, 23),
        date(2026, 3, 1),
        "2026-W09",
    )
    assert (maya.team_size, part.count, part.last_week, part.within, part.escalated) == (2, 7, 2, 5, 2)
    assert (part.value, part.within_share, part.happy, part.happy_share, part.outcome_known) == (
        (("USD", Decimal(185)),),
        71,
        3,
        43,
        5,
    )
    assert part.categories == (
        CategoryLine("credit", 3, (("USD", Decimal(60)),), 1),
        CategoryLine("refund", 2, (("USD", Decimal(125)),), 1),
        CategoryLine("fee_waiver", 1, (), 0),
        CategoryLine("reschedule", 1, (), 0),
    )
    assert part.category_themes == (Theme("credit", 3, 1), Theme("refund", 2, 1), Theme("fee_waiver", 1, 0))
    assert part.word_themes == (Theme("late", 6, 1), Theme("parcel", 5, 1), Theme("delivery", 2, 0))
    assert [(s.employee and s.employee.name, s.summary) for s in part.stories] == [
        ("Lee Senior", "late delivery again & customer waited two weeks <3"),
        ("Sam Agent", "order 101 parcel arrived late and damaged box"),
    ]
    assert [(w.employee and w.employee.name, w.category, w.amount) for w in maya.waiting] == [
        ("Sam Agent", "fee_waiver", Decimal(40))
    ]
    assert maya.recognition is not None
    assert [p.name for p in maya.recognition.unrecognised] == ["Lee Senior", "Sam Agent"]
    assert maya.pulse is None  # no pulse round has closed


def test_fixes_given_before_a_change_of_currency_keep_their_own(sessions: sessionmaker[Session]) -> None:
    load_fixture_week(sessions)
    load_policy(sessions, at(28, 16), POLICY_EXAMPLE.read_text().replace('currency = "USD"', 'currency = "JPY"'))
    with sessions.begin() as session:
        log(session, "U0AGENT2", "credit", 20, "parcel late, credited in yen", at(28, 17))

    with sessions() as session:
        workspace = session.scalars(select(Workspace)).one()
        [maya] = [d for d in weekly_digests(session, workspace=workspace, now=MONDAY) if d.manager.slack_id == "U0MGR1"]

    given = maya.resolutions
    assert given.value == (("JPY", Decimal(20)), ("USD", Decimal(185)))  # not 205 of either
    assert given.categories[0] == CategoryLine("credit", 4, (("JPY", Decimal(20)), ("USD", Decimal(60))), 1)


def test_a_request_approved_after_its_weeks_digest_is_given_in_the_week_it_was_approved(
    sessions: sessionmaker[Session], session: Session
) -> None:
    """Every amount given is in exactly one digest: a request's in the week it was approved, not the week it was
    logged, whose digest may have gone out before anyone decided."""
    load_org_and_policy(sessions, at(1, 9, month=3))
    sunday_afternoon = datetime(2026, 3, 8, 20, 0, tzinfo=UTC)  # 16:00 in New York
    log(session, "U0AGENT1", "credit", 20, "sorry", sunday_afternoon)
    request = log(session, "U0AGENT1", "refund", 200, "broken", sunday_afternoon, ref="order 7")
    session.commit()

    first = maya_s_digest(session, datetime(2026, 3, 9, 14, 0, tzinfo=UTC)).resolutions  # Monday 09:00 in New York
    maya = employee(session, "U0MGR1")
    decisions.decide(
        session,
        resolution_id=request.id,
        decider=maya,
        approve=True,
        reason=None,
        now=datetime(2026, 3, 9, 15, 0, tzinfo=UTC),
    )
    session.commit()
    second = maya_s_digest(session, datetime(2026, 3, 16, 14, 0, tzinfo=UTC)).resolutions

    assert (first.count, first.value) == (2, (("USD", Decimal(20)),))  # the $200 still waits on Maya
    assert (second.count, second.value) == (0, (("USD", Decimal(200)),))
    assert second.categories == (CategoryLine("refund", 0, (("USD", Decimal(200)),), 1),)


def maya_s_digest(session: Session, now: datetime) -> Digest:
    workspace = session.scalars(select(Workspace)).one()
    [digest] = [d for d in weekly_digests(session, workspace=workspace, now=now) if d.manager.slack_id == "U0MGR1"]
    return digest


def test_each_manager_sees_their_own_subtree_in_their_own_week(digests: dict[str, Digest]) -> None:
    assert sorted(digests) == ["U0ADMIN", "U0MGR1", "U0MGR2"]
    assert (digests["U0MGR2"].resolutions.count, digests["U0MGR2"].team_size) == (1, 1)
    # London's week ends at 00:00 UTC on Monday: Sam's fix at 03:00 UTC belongs to Ada's next week.
    assert (digests["U0ADMIN"].resolutions.count, digests["U0ADMIN"].team_size) == (7, 6)
    assert digests["U0ADMIN"].waiting == ()


def test_this_week_so_far_compares_with_the_same_span_last_week(sessions: sessionmaker[Session]) -> None:
    load_fixture_week(sessions)
    with sessions() as session:
        maya = employee(session, "U0MGR1")
        preview = digest_access.preview_for(session, caller=maya, team_name=None, now=MONDAY)

    assert preview.week.so_far and preview.week.first_day == date(2026, 3, 2)
    assert (preview.resolutions.count, preview.resolutions.last_week) == (1, 0)


def test_only_managers_and_hr_with_a_team_get_a_preview(sessions: sessionmaker[Session]) -> None:
    load_fixture_week(sessions)
    with sessions() as session:
        sam, hana = employee(session, "U0AGENT1"), employee(session, "U0HR")
        with pytest.raises(NotAllowed, match="is for managers"):
            digest_access.preview_for(session, caller=sam, team_name=None, now=MONDAY)
        with pytest.raises(NotAllowed, match="Only HR and admins"):
            digest_access.preview_for(session, caller=sam, team_name="Support West", now=MONDAY)
        with pytest.raises(NotAllowed, match="is for managers"):
            digest_access.preview_for(session, caller=sam, team_name="Support East", now=MONDAY)
        with pytest.raises(NotFound, match="no team called"):
            digest_access.preview_for(session, caller=hana, team_name="Nowhere", now=MONDAY)
        with pytest.raises(NotFound, match="has reports"):
            digest_access.preview_for(session, caller=hana, team_name="People", now=MONDAY)
        west = digest_access.preview_for(session, caller=hana, team_name="support west", now=MONDAY)
    assert west.manager.slack_id == "U0MGR2"


def test_weeks_follow_the_local_calendar_across_daylight_saving() -> None:
    # New York springs forward on Sunday 8 March 2026: that week is an hour short.
    week = last_full_week(datetime(2026, 3, 10, 12, tzinfo=UTC), "America/New_York")

    assert (week.start, week.end) == (datetime(2026, 3, 2, 5, tzinfo=UTC), datetime(2026, 3, 9, 4, tzinfo=UTC))
    assert week.previous_end == week.start
    so_far = week_so_far(datetime(2026, 3, 4, 12, tzinfo=UTC), "Asia/Tokyo")
    assert (so_far.start, so_far.end) == (datetime(2026, 3, 1, 15, tzinfo=UTC), datetime(2026, 3, 4, 12, tzinfo=UTC))
    # Sunday 8 March 09:45 in New York, after springing forward, against Sunday 1 March 09:45 there.
    sunday = week_so_far(datetime(2026, 3, 8, 13, 45, tzinfo=UTC), "America/New_York")
    assert (sunday.previous_start, sunday.previous_end) == (
        datetime(2026, 2, 23, 5, tzinfo=UTC),
        datetime(2026, 3, 1, 14, 45, tzinfo=UTC),
    )


def test_the_send_moment_is_the_policy_weekday_and_hour_in_the_managers_zone() -> None:
    wednesday_noon = DigestSettings(weekday=2, hour=12)

    assert send_moment(MONDAY, "America/New_York", DigestSettings()) == datetime(2026, 3, 2, 14, tzinfo=UTC)
    assert send_moment(MONDAY, "Asia/Tokyo", wednesday_noon) == datetime(2026, 3, 4, 3, tzinfo=UTC)


def test_the_digest_section_of_the_policy_is_optional_and_checked_with_line_numbers() -> None:
    example = POLICY_EXAMPLE.read_text()
    base = example[: example.index("\n# The weekly digest")]

    assert parse_policy(base).digest == DigestSettings()
    assert parse_policy(example).digest == DigestSettings(enabled=True, weekday=0, hour=9)
    assert parse_policy(base + '\n[digest]\nweekday = "Friday"\nhour = 16\n').digest == DigestSettings(True, 4, 16)
    with pytest.raises(PolicyError) as error:
        parse_policy(base + '\n[digest]\nweekday = "someday"\nhour = 24\nwhen = 1\n')
    lines = len(base.splitlines())
    assert error.value.problems == [
        f"line {lines + 5}: digest.when: unknown key (allowed here: enabled, hour, weekday)",
        f"line {lines + 3}: digest.weekday: must be one of monday, tuesday, wednesday, thursday, friday, saturday, "
        f"sunday, got 'someday'",
        f"line {lines + 4}: digest.hour: must be a whole number from 0 to 23, got 24",
    ]
