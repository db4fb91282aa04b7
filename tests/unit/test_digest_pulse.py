"""The digest's pulse part: exact scores, gaps and trend per team, and nothing at all where anonymity forbids."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from models import PulseQuestion, Workspace
from services.digest.pulse import TOO_FEW, PulsePart
from services.digest.weekly import weekly_digests
from services.policy.pulse import DEFAULT_BANK
from tests.fixture_week import run_pulse_round
from tests.pulse_org import EAST, WEST, load_pulse_org

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
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
    load_pulse_org(sessions, T0)
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
