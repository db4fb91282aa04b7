"""The digest's recognition part: exact counts in each manager's own week, revoked grants ignored, the 30-day nudge."""

from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from models import Workspace
from services.digest.recognition import RecognitionPart
from services.digest.weekly import weekly_digests
from tests.fixture_week import MONDAY, load_fixture_week, load_recognition


def recognition_by_manager(sessions: sessionmaker[Session]) -> dict[str, RecognitionPart | None]:
    """Each manager's part, the people nobody recognised by name."""
    with sessions() as session:
        workspace = session.scalars(select(Workspace)).one()
        return {
            d.manager.slack_id: named(d.recognition) for d in weekly_digests(session, workspace=workspace, now=MONDAY)
        }


def named(part: RecognitionPart | None) -> RecognitionPart | None:
    return replace(part, unrecognised=tuple(p.name for p in part.unrecognised)) if part else None  # type: ignore[misc]


def test_each_team_gets_the_grants_of_its_own_week_and_who_had_none_in_30_days(
    sessions: sessionmaker[Session],
) -> None:
    load_fixture_week(sessions)
    load_recognition(sessions)

    parts = recognition_by_manager(sessions)

    assert parts["U0MGR1"] == RecognitionPart(
        given=2, received=3, unrecognised=("Sam Agent",), rewards_given=0, rewards_received=1
    )
    assert parts["U0MGR2"] == RecognitionPart(given=1, received=1, unrecognised=(), rewards_given=0, rewards_received=0)
    assert parts["U0ADMIN"] == RecognitionPart(
        given=3,
        received=3,
        unrecognised=("Hana Reyes", "Maya Manager", "Omar Manager", "Sam Agent"),
        rewards_given=1,
        rewards_received=1,
    )


def test_without_any_grant_everyone_on_the_team_is_unrecognised(sessions: sessionmaker[Session]) -> None:
    load_fixture_week(sessions)

    parts = recognition_by_manager(sessions)

    assert parts["U0MGR1"] == RecognitionPart(given=0, received=0, unrecognised=("Lee Senior", "Sam Agent"))
