"""Suggestions arriving together (PostgreSQL: on SQLite two writers never overlap). Each test forces the interleaving
two real requests at once produce: one transaction held open while the other runs beside it."""

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import MovableClock
from models import Suggestion, Workspace
from services.errors import AlreadyDone
from services.suggestions import lifecycle
from services.suggestions.lifecycle import SuggestionRequest
from tests.helpers import employee, one_after_the_other, skip_unless_writers_overlap
from tests.suggestions_helpers import load_suggestion_org

IDEA = SuggestionRequest(what="A second card reader at the returns desk")


def sam_suggests(session: Session, now: MovableClock) -> None:
    workspace = session.scalars(select(Workspace)).one()
    author = employee(session, "U0AGENT1")
    lifecycle.submit(session, workspace=workspace, author=author, request=IDEA, relay=None, now=now.now())


def test_the_same_suggestion_sent_twice_at_once_is_kept_once_and_the_second_is_told_so(
    engine: Engine, sessions: sessionmaker[Session], clock: MovableClock
) -> None:
    """Two `/suggest` sent together (Enter pressed twice, the form sent from two tabs): the second waits for the
    first, then finds it, rather than each missing the other and the owner getting the idea twice."""
    skip_unless_writers_overlap(engine)
    load_suggestion_org(sessions, clock.now())

    def again(session: Session) -> None:
        with pytest.raises(AlreadyDone, match="You sent exactly this a moment ago"):
            sam_suggests(session, clock)

    one_after_the_other(sessions, engine, lambda session: sam_suggests(session, clock), again)

    with sessions() as session:
        assert session.scalars(select(Suggestion.what)).all() == [IDEA.what]
