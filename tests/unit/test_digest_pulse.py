"""The digest's pulse part: exact scores, gaps and trend per team, and nothing at all where anonymity forbids."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from models import PulseQuestion, Workspace
from services.digest.pulse import TOO_FEW, PulsePart, mean_score
from services.digest.weekly import weekly_digests
from services.policy.pulse import DEFAULT_BANK
from services.pulse.results import QuestionResult
from services.pulse.targets import score_words
from tests.fixture_week import run_pulse_round
from tests.pulse_org import EAST, WEST, load_pulse_org

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
LISTED = T0 - timedelta(weeks=2)
"""The org file listed everyone before the week a digest covers: a manager's first digest covers only what Latitude
saw of them."""
TEXT = {question.key: question.text for question in DEFAULT_BANK}
EAST_ENPS = dict(zip(EAST[:6], (9, 9, 9, 10, 7, 3), strict=True))


def east_then_west(person: str, question: PulseQuestion) -> int:
    """Round 1 (understand, valued, capacity): East 3. Round 2 (authority, recognised, enps): East 4 or 5. West 2."""
    if person in WEST:
        return 2
    if question.key == "enps":
        return EAST_ENPS[person]
    return 3 if question.key in ("understand", "valued", "capacity") else 4 + (EAST.index(person) >= 3)


def pulse_by_manager(sessions: sessionmaker[Session], now: datetime) -> dict[str, PulsePart | None]:
    with sessions() as session:
        workspace = session.scalars(select(Workspace)).one()
        return {d.manager.slack_id: d.pulse for d in weekly_digests(session, workspace=workspace, now=now)}


@pytest.fixture
def first_round(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    """Round 1: five of East answer (shown), four of West (hidden), and HR: Ada's team less East is five people."""
    load_pulse_org(sessions, LISTED)
    run_pulse_round(sessions, T0, [*EAST[:5], *WEST[:4], "U0HR"], east_then_west)
    return sessions


def test_a_team_over_the_threshold_gets_its_scores_and_gaps_and_the_others_only_the_reason(
    first_round: sessionmaker[Session],
) -> None:
    parts = pulse_by_manager(first_round, T0 + timedelta(days=4))

    assert parts["U0MGR1"] == PulsePart(
        "round 1",
        ((TEXT["understand"], 3.0, 4.5), (TEXT["valued"], 3.0, 4.5), (TEXT["capacity"], 3.0, 4.0)),
        (("R1", 3.0),),
    )
    assert parts["U0MGR2"] == PulsePart("round 1", (), (), hidden=TOO_FEW, threshold=5)
    assert parts["U0ADMIN"] == PulsePart(
        "round 1",
        ((TEXT["understand"], 2.6, 4.5), (TEXT["valued"], 2.6, 4.5), (TEXT["capacity"], 2.6, 4.0)),
        (("R1", 2.6),),
    )


def test_the_latest_round_has_the_scores_and_the_trend_only_the_rounds_the_team_was_shown_in(
    first_round: sessionmaker[Session],
) -> None:
    run_pulse_round(first_round, T0 + timedelta(days=7), [*EAST[:6], *WEST[:5]], east_then_west)

    parts = pulse_by_manager(first_round, T0 + timedelta(days=11))

    assert parts["U0MGR1"] == PulsePart(
        "round 2",
        ((TEXT["authority"], 4.5, 4.0), (TEXT["recognised"], 4.5, 4.0), (TEXT["enps"], 50.0, 30.0)),
        (("R1", 3.0), ("R2", 4.5)),
    )
    assert parts["U0MGR2"] == PulsePart(
        "round 2",
        ((TEXT["authority"], 2.0, 4.0), (TEXT["recognised"], 2.0, 4.0), (TEXT["enps"], -100.0, 30.0)),
        (("R2", 2.0),),
    )
    admin = parts["U0ADMIN"]
    assert admin is not None and admin.hidden is None
    assert admin.scores == (
        (TEXT["authority"], 37 / 11, 4.0),
        (TEXT["recognised"], 37 / 11, 4.0),
        (TEXT["enps"], -18.0, 30.0),
    )
    assert admin.trend == (("R1", pytest.approx(2.6)), ("R2", pytest.approx(37 / 11)))  # rounded where shown


def test_a_round_closing_after_now_is_not_in_the_digest(first_round: sessionmaker[Session]) -> None:
    before_its_end = T0 + timedelta(hours=72) - timedelta(minutes=1)
    assert pulse_by_manager(first_round, before_its_end) == {"U0ADMIN": None, "U0MGR1": None, "U0MGR2": None}


def answered(*counts: int) -> QuestionResult:
    """A 1–5 question's result from how many answered 1, 2, 3, 4 and 5."""
    distribution = tuple(zip(range(1, 6), counts, strict=True))
    total = sum(counts)
    average = sum(value * n for value, n in distribution) / total
    return QuestionResult("q", "Q", 1, 5, total, average, distribution, None, None, None)


def test_a_round_whose_averages_mean_exactly_a_half_shows_in_the_trend_rounded_up_as_everywhere() -> None:
    """Averages of 1.0, 2.1 and 4.25 mean 2.45 exactly, which reads 2.5 (halves away from zero); their float mean is
    2.4499999999999997, which would read 2.4 in the digest's trend, its chart and its alt text."""
    results = [answered(4, 0, 0, 0, 0), answered(1, 7, 2, 0, 0), answered(0, 0, 0, 3, 1)]
    assert [r.average for r in results] == [1.0, 2.1, 4.25]
    assert sum(r.average for r in results) / len(results) == 2.4499999999999997

    assert score_words(mean_score(results)) == "2.5"


def test_the_digest_trend_of_a_round_meaning_exactly_a_half_is_that_half_not_a_hair_under(
    sessions: sessionmaker[Session],
) -> None:
    """Twelve answer round 1: everyone 1 to the first question, ten 3s and two 4s to the second, eleven 1s and a 2 to
    the third. Their averages mean 1.75 exactly (1.8 as shown); added up as floats they make 1.7499999999999998."""
    load_pulse_org(sessions, LISTED)
    people = [*EAST, *WEST[:4]]

    def answers(person: str, question: PulseQuestion) -> int:
        last_two = people.index(person) >= 10
        return {"understand": 1, "valued": 4 if last_two else 3, "capacity": 2 if person == people[-1] else 1}[
            question.key
        ]

    run_pulse_round(sessions, T0, people, answers)

    part = pulse_by_manager(sessions, T0 + timedelta(days=4))["U0ADMIN"]
    assert part is not None and part.trend == (("R1", 1.75),)
    assert score_words(part.trend[0][1]) == "1.8"
