"""What `/rewards export` says when the words typed after it can be read more than one way, or hold too many dates."""

from services.day_words import SHOWN
from services.rewards.export_period import ExportPeriod
from services.sentence_words import as_written
from services.text import truncate

TEAM_MARK = "team:"
_LISTED = 6
_BACKTICK, _QUOTE = "`", "'"
"""The most dates a refusal of too many names back, each as typed (cut at `SHOWN`); it counts the others."""


def team_or_dates(named: list[str], period: ExportPeriod) -> str:
    """The words are a range with and without the team's name they begin or end with: both named, never guessed."""
    team = next(at for at, word in enumerate(named) if word.startswith(TEAM_MARK))
    name = truncate(_name([named[team].removeprefix(TEAM_MARK), *named[team + 1 :]]), SHOWN)
    dates = f"{period.first.isoformat()} {period.last.isoformat()}"
    return (
        f"`{name}` names a team and a date: write `{' '.join(named)}` for team {name}'s grants, or `{dates}` for the "
        "range read without a team."
    )


def too_many(dates: list[str]) -> str:
    """More than two dates read, each named back whole enough to be found in what was typed."""
    shown = ", ".join(f"`{truncate(typed.replace(_BACKTICK, _QUOTE), SHOWN)}`" for typed in dates[:_LISTED])
    more = f" and {len(dates) - _LISTED} more" if len(dates) > _LISTED else ""
    return (
        "Give at most two dates, FROM and TO, like `2026-03-01 2026-03-31` or `1 March 2026 31 March 2026` "
        f"(I read {len(dates)}: {shown}{more})."
    )


def two_readings(words: list[str], splits: list[int]) -> str:
    """`team:Support East 2 March 2026` with teams `Support East` and `Support East 2`: each reading named, and how to
    write it so that it is the only one."""
    readings = [(_name(words[:at]), " ".join(words[at:])) for at in splits]
    told = " or ".join(f"team {name} for `{dates}`" for name, dates in readings)
    quoted = " or ".join(f'`team:"{name}" {dates}`' for name, dates in readings)
    return (
        f"`team:{' '.join(words)}` can be read two ways: {told}. Put the team's name in quotes ({quoted}), "
        "or write the dates as YYYY-MM-DD."
    )


def _name(words: list[str]) -> str:
    return as_written(" ".join(words))
