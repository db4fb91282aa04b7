"""When an open round reaches each person, on their own clock, and what someone it has not reached yet is told."""

from datetime import UTC, datetime, time, timedelta

from models import Employee, PulseRound
from services import directory
from services.calendar import moment_words, zone

NOT_ASKED_UNTIL_SLACK_SAYS = (
    "This pulse round hasn't reached you yet: HR's org file doesn't list you, and Slack hasn't told me yet whether "
    "you are a member of this workspace or a guest, so I can't send you its questions. Try `/pulse` again in a few "
    "minutes."
)


def asked_by_rounds(employee: Employee) -> bool:
    """Whom a round asks (`rounds.invitable` queries the same): someone active whom the org file lists, or whom Slack
    says is a member, not a guest; one it does not list whom Slack was never asked about is not asked yet."""
    return bool(employee.active) and not directory.unvetted(employee) and not directory.unlisted_guest(employee)


def local_opening(pulse_round: PulseRound, employee: Employee) -> datetime:
    """The round's local hour in this person's own time zone (never before the round started)."""
    if pulse_round.local_time is None:
        return pulse_round.started_at
    local = datetime.combine(pulse_round.opens_on, time.fromisoformat(pulse_round.local_time), zone(employee.tz))
    return max(local.astimezone(UTC), pulse_round.started_at)


def opens_for(pulse_round: PulseRound, employee: Employee) -> datetime:
    """When the round opens for this person: their local hour, unless it would come too late to remind them before
    the close, which was fixed from everyone's zone when the round opened (their zone moved west since, or they
    joined since from further west than anyone then): then when it opened in the last zone it counted, so they
    have its `open_hours` and reminder like everyone (at once, if that has passed)."""
    own = local_opening(pulse_round, employee)
    if own + timedelta(hours=pulse_round.reminder_hours) < pulse_round.closes_at:
        return own
    return min(own, pulse_round.closes_at - timedelta(hours=pulse_round.open_hours))


def not_reached_yet(pulse_round: PulseRound, employee: Employee, now: datetime) -> str:
    """Why someone the round has not asked yet cannot answer, and when their questions come, on their own clock:
    a round comes around the Earth, and those further west are asked up to a day after those further east."""
    if not asked_by_rounds(employee):
        return NOT_ASKED_UNTIL_SLACK_SAYS
    opening = opens_for(pulse_round, employee)
    if opening <= now:  # their hour has come: the next tick, within a minute, sends their questions
        return "This pulse round hasn't reached you yet: your questions are on their way to your DMs."
    arrive = moment_words(opening, employee.tz, deadline=True)
    return f"This pulse round hasn't reached you yet: your questions arrive in your DMs on {arrive}."
