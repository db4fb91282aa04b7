"""Teams as people name them in commands: HR's export and the digest's `team:NAME`."""

import difflib
from collections.abc import Callable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Team, Workspace
from services.sentence_words import as_written, unquoted

_APOSTROPHES = str.maketrans("’‘", "''")
TEAMS_NAMED = 20
"""The teams a message naming the workspace's teams lists (when a team named was not found); it counts the others."""


def find_team(session: Session, workspace: Workspace, name: str) -> Team | None:
    """The team of that name, whatever its letter case, `É` included (SQLite's lower() knows only ASCII), and
    `%` and `_` as letters, not wildcards; in quotes too, as a phone types them (`“Support East”`), unless a team's
    name has them; with the full stop or mark that ends a sentence after it (`support east.`), unless a team's name
    ends so; its words split over lines or by several spaces, as a paste may, as one space, and a curled apostrophe
    as a straight one. A workspace has a few dozen teams at most."""
    wanted = name.strip().casefold()
    teams = list(session.scalars(select(Team).where(Team.workspace_id == workspace.id).order_by(Team.id)))
    spellings = (wanted, unquoted(wanted).strip(), as_written(wanted))
    for asked in spellings:
        if found := next((team for team in teams if team.name.casefold() == asked), None):
            return found
    for asked in spellings:
        if found := next((team for team in teams if _as_asked(team.name) == _as_asked(asked)), None):
            return found
    return None


def names_a_team(session: Session, workspace: Workspace) -> Callable[[str], bool]:
    """Whether a name as typed is a team's (`find_team`): for a command to read its words with the directory."""
    return lambda name: find_team(session, workspace, name) is not None


def spaced(name: str) -> str:
    """A team's name as two spellings of it compare: letter case and runs of spaces or line breaks aside."""
    return " ".join(name.casefold().split())


def _as_asked(name: str) -> str:
    """`spaced`, and the apostrophe a phone curls (`Rosa’s Team` for `Rosa's Team`) as typed on a keyboard: for
    names asked for, not for the org file's, where two such teams stay two."""
    return spaced(name).translate(_APOSTROPHES)


def team_names(session: Session, workspace: Workspace) -> list[str]:
    return list(session.scalars(select(Team.name).where(Team.workspace_id == workspace.id).order_by(Team.name)))


def team_names_in_words(session: Session, workspace: Workspace, shown: Callable[[str], str]) -> str:
    """The first TEAMS_NAMED teams by name, each as `shown` writes it, and how many others there are."""
    return names_in_words(team_names(session, workspace), shown)


def names_in_words(names: Sequence[str], shown: Callable[[str], str]) -> str:
    """`team_names_in_words` of names already read."""
    listed = ", ".join(shown(name) for name in names[:TEAMS_NAMED]) or "none yet"
    return f"{listed} and {len(names) - TEAMS_NAMED} more" if len(names) > TEAMS_NAMED else listed


def closest_teams(name: str, names: Sequence[str]) -> list[str]:
    """The teams whose names `name` is nearest to (difflib's ratio), when near enough to be a slip of them, letter case
    and spacing aside; as near, those it begins most like, a slip on the first letters being the rarer (`Support
    Eest`: `Support East`, not `Support West`); several when still as near; none when none is."""
    typed = spaced(name)
    alike = {
        team: (difflib.SequenceMatcher(None, typed, spaced(team)).ratio(), _alike_from(typed, team)) for team in names
    }
    best = max(alike.values(), default=(0.0, 0))
    return sorted(team for team, near in alike.items() if near == best) if best[0] >= _CLOSE else []


def _alike_from(typed: str, team: str) -> int:
    """How many first characters of `typed` are the team's."""
    named = spaced(team)
    return next(
        (at for at, (a, b) in enumerate(zip(typed, named, strict=False)) if a != b), min(len(typed), len(named))
    )


_CLOSE = 0.75
"""How alike a name typed and a team's must be: `Support Eest` and `Support East` are 0.92, `Suport` and `Support
East` 0.67, `Eest` and `East` 0.75."""
