"""What someone is told when the reply they would answer cannot be found: the same words whether or not it existed,
made only of what the button carries and the round's dates. Read-only."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Employee, PulseComment, PulseRound, Workspace
from services.calendar import moment_words
from services.errors import AlreadyDone, DomainError, NotFound
from services.pulse.rounds import replies_open
from services.text import plural

NOT_YOURS = "That conversation does not exist, or it is not yours."


def unanswerable(
    session: Session,
    workspace: Workspace,
    reader: Employee,
    now: datetime,
    *,
    round_id: int | None,
    comment: str | None,
    round_number: int | None = None,
) -> DomainError:
    """Why there is nothing this person can answer, from the round the button names (by its id; for a button sent
    before it carried the id, by the number it carried then, as an older Show more button's number names its round,
    else by the comment its message quotes): it must not depend on replies' rows."""
    if round_id is None and round_number is not None:
        numbered = select(PulseRound.id).where(
            PulseRound.workspace_id == workspace.id, PulseRound.number == round_number
        )
        round_id = session.scalar(numbered)
    round_id = round_id if round_id is not None else _round_quoting(session, workspace, comment)
    if round_id is None:
        return NotFound(f"{NOT_YOURS[:-1]}, or replies to it have ended.")
    named = select(PulseRound).where(PulseRound.workspace_id == workspace.id, PulseRound.id == round_id)
    pulse_round = session.scalars(named).one_or_none()
    if pulse_round is not None and pulse_round.status == "closed" and not replies_open(pulse_round, now):
        return replies_ended(pulse_round, reader)
    return NotFound(NOT_YOURS)


def _round_quoting(session: Session, workspace: Workspace, comment: str | None) -> int | None:
    """The one round of this workspace holding a comment in these words; None if none does, or several."""
    if not comment:
        return None
    holding = (
        select(PulseComment.round_id)
        .join(PulseRound, PulseRound.id == PulseComment.round_id)
        .where(PulseRound.workspace_id == workspace.id, PulseComment.text == comment)
        .distinct()
        .limit(2)
    )
    found = list(session.scalars(holding))
    return found[0] if len(found) == 1 else None


def replies_ended(pulse_round: PulseRound, reader: Employee) -> AlreadyDone:
    """Since when a round's comments take no replies, on the reader's own clock, and why."""
    when = ""
    if pulse_round.relay_ends_at is not None:
        when = f" (since {moment_words(pulse_round.relay_ends_at, reader.tz)}"
        if pulse_round.closed_at is not None:
            days = (pulse_round.relay_ends_at - pulse_round.closed_at).days
            when += f", {plural(days, 'day')} after the round closed" if days else ", when the round closed"
        when += ")"
    return AlreadyDone(
        f"Replies to round {pulse_round.number}'s comments have ended{when}: the way back to their authors "
        "is erased a fixed time after the round closes, to keep them anonymous."
    )
