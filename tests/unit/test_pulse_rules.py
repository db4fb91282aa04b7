"""The pulse rules against a real database session: rotation, cadence, answers, the [pulse] section."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import MovableClock
from models import Employee, PulseReceipt, PulseResponse, PulseRound, PulseTally, PulseTurnout, Workspace
from services.errors import InvalidInput, NotFound
from services.policy.file import PolicyError
from services.policy.pulse import DEFAULT_BANK, PulseSettings
from services.policy.versions import parse_policy
from services.pulse import answers as pulse
from services.pulse import closing as pulse_closing
from services.pulse import invitations as pulse_invitations
from services.pulse import openings as pulse_openings
from services.pulse import rounds as pulse_rounds
from services.pulse import schedule as pulse_schedule
from tests.helpers import employee
from tests.pulse_org import EAST, POLICY, WEST, load_pulse_org


def test_every_question_of_the_bank_recurs_as_rounds_rotate() -> None:
    settings = PulseSettings(questions_per_round=4)

    asked = [question.key for number in (1, 2, 3) for question in pulse_rounds.questions_for(number, settings)]

    assert asked[:4] == ["understand", "valued", "capacity", "authority"]
    assert asked[4:8] == ["recognised", "enps", "understand", "valued"]
    assert {q.key for q in DEFAULT_BANK} <= set(asked)


def test_the_cadence_picks_the_weekday_and_the_first_one_of_the_month() -> None:
    weekly = PulseSettings(weekday="wednesday")
    monthly = PulseSettings(cadence="monthly", weekday="monday")

    assert pulse_schedule.scheduled_date(weekly, date(2026, 3, 6)) == date(2026, 3, 4)
    assert pulse_schedule.scheduled_date(monthly, date(2026, 3, 20)) == date(2026, 3, 2)
    assert pulse_schedule.scheduled_date(monthly, date(2026, 6, 1)) == date(2026, 6, 1)
    assert pulse_schedule.scheduled_date(monthly, date(2026, 5, 3)) == date(2026, 4, 6)


def test_biweekly_rounds_fall_every_other_week_from_the_latest_scheduled_one() -> None:
    biweekly = PulseSettings(cadence="biweekly", weekday="monday")
    last = date(2026, 2, 23)

    due = [pulse_schedule.scheduled_date(biweekly, date(2026, 3, day), last) for day in (3, 10, 17, 23)]

    assert due == [date(2026, 2, 23), date(2026, 3, 9), date(2026, 3, 9), date(2026, 3, 23)]
    assert pulse_schedule.scheduled_date(biweekly, date(2026, 3, 17), None) == date(2026, 3, 16), "none yet: any week"
    moved = pulse_schedule.scheduled_date(biweekly, date(2026, 3, 17), date(2026, 2, 27))  # weekday was Friday
    assert moved == date(2026, 3, 9), "the weeks keep their turn when the weekday changes"


def test_the_round_after_one_is_a_week_two_weeks_or_the_next_months_first_weekday_later() -> None:
    monday = date(2026, 12, 7)

    following = [
        pulse_schedule.next_scheduled_date(PulseSettings(cadence=cadence), monday)
        for cadence in ("weekly", "biweekly", "monthly")
    ]

    assert following == [date(2026, 12, 14), date(2026, 12, 21), date(2027, 1, 4)]


def test_the_pulse_section_is_optional_and_defaults_apply() -> None:
    settings = parse_policy(POLICY).pulse

    assert (settings.cadence, settings.anonymity_threshold, settings.questions_per_round) == ("weekly", 5, 3)
    assert settings.bank == DEFAULT_BANK


def test_the_threshold_can_never_be_below_three_and_errors_name_the_line() -> None:
    with pytest.raises(PolicyError) as raised:
        parse_policy(POLICY + '[pulse]\nanonymity_threshold = 2\nreminder_hours = 80\nweekday = "someday"\n')

    problems = raised.value.problems
    assert any("reminder_hours: must be less than open_hours (72)" in p for p in problems)
    assert any("weekday: must be one of monday" in p for p in problems)
    threshold_line = len(POLICY.splitlines()) + 2
    assert f"line {threshold_line}: pulse.anonymity_threshold: can never be below 3 (got 2)" in problems


def test_the_bank_can_be_extended_overridden_or_replaced() -> None:
    extra = '[[pulse.questions]]\nkey = "staffing"\ntext = "We have enough people on shift."\ntarget = 4\n'
    override = '[[pulse.questions]]\nkey = "valued"\ntext = "Service matters here."\n'

    extended = parse_policy(POLICY + "[pulse]\n" + extra + override).pulse.bank
    replaced = parse_policy(POLICY + "[pulse]\nreplace_default_questions = true\n" + extra).pulse.bank

    assert [q.key for q in extended] == [q.key for q in DEFAULT_BANK] + ["staffing"]
    assert extended[1].text == "Service matters here." and extended[1].target is None
    assert [(q.key, q.target) for q in replaced] == [("staffing", 4.0)]


def test_a_target_finer_than_the_scores_shown_is_refused() -> None:
    """Scores show one decimal: against a 3.92 target, 3.9 would read as "gap -0.0" and count below it."""
    question = '[[pulse.questions]]\nkey = "staffing"\ntext = "We have enough people on shift."\ntarget = 3.92\n'

    with pytest.raises(PolicyError) as raised:
        parse_policy(POLICY + "[pulse]\n" + question)

    assert any("target: takes one decimal at most, as scores are shown (got 3.92)" in p for p in raised.value.problems)
    assert parse_policy(POLICY + "[pulse]\n" + question.replace("3.92", "3.9")).pulse.bank[-1].target == 3.9
    assert parse_policy(POLICY + "[pulse]\n" + question, stored=True).pulse.bank[-1].target == 3.92, "in force already"


@pytest.fixture
def opened(sessions: sessionmaker[Session], session: Session, clock: MovableClock) -> Workspace:
    load_pulse_org(sessions, clock.now())
    workspace = session.scalars(select(Workspace)).one()
    pulse_rounds.start_round(session, workspace=workspace, by=None, actor="test", now=clock.now())
    pulse_invitations.due_invitations(session, workspace=workspace, now=clock.now())
    session.commit()
    return workspace


def question_ids(session: Session, workspace: Workspace) -> list[int]:
    current = pulse_rounds.open_round(session, workspace)
    assert current is not None
    return [q.id for q in current.questions]


def test_an_answer_off_the_scale_is_refused_and_nothing_is_written(
    session: Session, opened: Workspace, clock: MovableClock
) -> None:
    first = question_ids(session, opened)[0]

    with pytest.raises(InvalidInput, match="from 1 to 5"):
        pulse.record_answer(
            session, workspace=opened, employee=employee(session, EAST[0]), question_id=first, value=6, now=clock.now()
        )

    assert session.scalars(select(PulseResponse)).all() == []
    assert session.scalars(select(PulseReceipt).where(PulseReceipt.answered)).all() == []


def test_someone_not_asked_in_the_round_cannot_answer(session: Session, opened: Workspace, clock: MovableClock) -> None:
    late = Employee(
        workspace_id=opened.id,
        slack_id="U0LATE",
        name="Late",
        role="frontline",
        created_at=clock.now(),
        updated_at=clock.now(),
    )
    session.add(late)
    session.flush()

    with pytest.raises(NotFound, match="hasn't reached you yet"):
        pulse.record_answer(
            session,
            workspace=opened,
            employee=late,
            question_id=question_ids(session, opened)[0],
            value=3,
            now=clock.now(),
        )


def test_changing_an_answer_changes_only_that_persons_answer_to_that_question(
    session: Session, opened: Workspace, clock: MovableClock
) -> None:
    first, second = question_ids(session, opened)[:2]
    ada, bo = employee(session, EAST[0]), employee(session, EAST[1])
    for person, question, value in [(ada, first, 2), (ada, second, 2), (bo, first, 2), (ada, first, 5)]:
        pulse.record_answer(
            session, workspace=opened, employee=person, question_id=question, value=value, now=clock.now()
        )

    session.expire_all()
    answers = sorted((r.question_id, r.value) for r in session.scalars(select(PulseResponse)))
    assert answers == sorted([(first, 5), (second, 2), (first, 2)])


def test_closing_forgets_the_salt_and_keeps_only_counts_of_shown_cells(
    session: Session, opened: Workspace, clock: MovableClock
) -> None:
    first = question_ids(session, opened)[0]
    for user in [*WEST[:5], *EAST[:5]]:
        pulse.record_answer(
            session, workspace=opened, employee=employee(session, user), question_id=first, value=3, now=clock.now()
        )
    current = pulse_rounds.open_round(session, opened)
    assert current is not None

    [closed] = pulse_closing.close_due_rounds(session, workspace=opened, now=current.closes_at + timedelta(seconds=1))

    assert closed.salt is None and closed.status == "closed"
    assert session.scalars(select(PulseResponse)).all() == []
    assert session.scalars(select(PulseReceipt)).all() == []
    east, west, ada = (employee(session, user).id for user in ("U0MGR1", "U0MGR2", "U0ADMIN"))
    tallies = {(t.group_manager_id, t.value): t.answers for t in session.scalars(select(PulseTally))}
    assert tallies == {(east, 3): 5, (west, 3): 5}
    turnouts = {t.group_manager_id: (t.invited, t.answered) for t in session.scalars(select(PulseTurnout))}
    assert turnouts == {east: (8, 5), west: (8, 5), ada: (3, 0), None: (1, 0)}


MONDAY_ROUND = PulseRound(
    opens_on=date(2026, 12, 7),
    local_time="10:00",
    started_at=datetime(2026, 12, 6, 20, 0, tzinfo=UTC),  # Monday 10:00 in UTC+14
    closes_at=datetime(2026, 12, 11, 20, 0, tzinfo=UTC),  # 72 hours after Monday 10:00 in UTC-12
    open_hours=72,
    reminder_hours=24,
)


@pytest.mark.parametrize(
    ("tz", "words"),
    [
        ("Asia/Kolkata", "arrive in your DMs on Monday 07 December at 10:00 Kolkata time"),  # 04:30 UTC
        ("Asia/Kathmandu", "on their way"),  # 04:15 UTC
        ("Pacific/Chatham", "on their way"),
        ("Pacific/Honolulu", "arrive in your DMs on Monday 07 December at 10:00 Honolulu time"),
        (None, "arrive in your DMs on Monday 07 December at 10:00 UTC"),
    ],
)
def test_someone_not_asked_yet_is_told_when_their_questions_come_on_their_own_clock(tz: str | None, words: str) -> None:
    someone = Employee(tz=tz, active=True, in_directory=True)

    told = pulse_openings.not_reached_yet(MONDAY_ROUND, someone, datetime(2026, 12, 7, 4, 20, tzinfo=UTC))

    assert words in told


@pytest.mark.parametrize(("in_directory", "slack_guest"), [(True, None), (False, False)])
def test_someone_the_org_file_lists_or_slack_calls_a_member_is_told_their_questions_are_on_their_way(
    in_directory: bool, slack_guest: bool | None
) -> None:
    someone = Employee(tz="Asia/Kathmandu", active=True, in_directory=in_directory, slack_guest=slack_guest)

    told = pulse_openings.not_reached_yet(MONDAY_ROUND, someone, datetime(2026, 12, 7, 4, 20, tzinfo=UTC))

    assert "on their way" in told


def test_someone_the_org_file_leaves_out_whom_slack_was_never_asked_about_is_not_promised_questions() -> None:
    """No round asks them until Slack says they are no guest: their hour having come promises nothing."""
    someone = Employee(tz="Asia/Kathmandu", active=True, in_directory=False, slack_guest=None)

    told = pulse_openings.not_reached_yet(MONDAY_ROUND, someone, datetime(2026, 12, 7, 4, 20, tzinfo=UTC))

    assert "on their way" not in told and "arrive" not in told
    assert "Slack hasn't told me yet whether you are a member of this workspace or a guest" in told
