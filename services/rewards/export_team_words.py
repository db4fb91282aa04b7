"""Words typed after `/rewards export` that are no date but read as a team's name, typed without `team` and with a
slip (`Support Eest last month`): the team nearly named is suggested, or the workspace's teams are named, where the
words were refused as a date (`TO Eest is not a date`)."""

import re
from collections.abc import Callable, Iterator, Sequence

from services.day_words import MONTHS, SHOWN, WEEKDAYS
from services.errors import NotFound
from services.rewards.export_days import DAYS_SAID, SPANS_SAID
from services.rewards.export_quarters import QUARTER
from services.sentence_words import as_written
from services.teams import closest_teams, names_in_words
from services.text import truncate
from services.typed_words import mistyped

_DATE_WORDS = frozenset(
    {
        *MONTHS,
        *WEEKDAYS,
        *(word for said in [*SPANS_SAID, *DAYS_SAID] for word in said.split()),
        *("from", "between", "since", "onwards", "onward", "for", "in", "during", "the"),
        *("to", "until", "till", "through", "thru", "semicolon", "semicolons"),
    }
)
"""Words a range is written with: a name holding one, or a slip of one (`Marhc`), is a date mistyped, never a team's."""
_SLIPPED = 4
"""From this length a word of `_DATE_WORDS` typed with a slip is still taken for it (`lsat`; `on` is not `in`)."""
_FIGURES = re.compile(r"[0-9]{4}|[0-9]+(?:st|nd|rd|th)|.*[0-9][-/.:–—].*|[-/.:–—][0-9].*")
"""A word that is a date or part of one written in figures: a year, a day (`5th`), a date with its marks (`2026-13-01`,
`2026-W09`, `03/`)."""
_IN_A_NAME = re.compile(r"[\w'’&().+-]+")
"""What a word of a team's name is made of: letters and figures, and the marks of a name (`R&D`, `Rosa's`, `Tier-2`)."""


def unknown_team(
    words: list[str], *, teams: Sequence[str], reads_as_range: Callable[[list[str]], bool]
) -> NotFound | None:
    """Words beginning or ending with a name that no date holds (the longest first), the others a range: no team is
    called so, and the team whose name it nearly is, is suggested with the words to type (`team:Support East last
    month`), else the teams are named. None when the words are not so: they are refused as dates."""
    for name, rest, first in _names_at_the_ends(words):
        if _looks_like_a_team(name) and reads_as_range(rest):
            return NotFound(_no_team_called(as_written(" ".join(name)), rest, first, teams))
    return None


def _names_at_the_ends(words: list[str]) -> Iterator[tuple[list[str], list[str], bool]]:
    """Each name the words may begin or end with, the rest, and whether the name comes first."""
    for at in range(len(words), 0, -1):
        yield words[:at], words[at:], True
    for at in range(1, len(words)):
        yield words[at:], words[:at], False


def _looks_like_a_team(name: list[str]) -> bool:
    """Words with a letter in them, none a date's word or part of one (`2026-13-01`, `Q3`, `last`, `Marhc`)."""
    plain = [word.strip(",.:;!?()\"'“”‘’").casefold() for word in name]
    return any(character.isalpha() for word in plain for character in word) and not any(map(_a_date_s, plain))


def _a_date_s(word: str) -> bool:
    """Whether a word is a date's, or none of a name's (`<b>`)."""
    if (
        not _IN_A_NAME.fullmatch(word)
        or word in _DATE_WORDS
        or _FIGURES.fullmatch(word)
        or QUARTER.fullmatch(word.strip("-–—"))
    ):
        return True
    return len(word) >= _SLIPPED and any(mistyped(word, said) for said in _DATE_WORDS if len(said) >= _SLIPPED)


def _no_team_called(name: str, rest: list[str], first: bool, teams: Sequence[str]) -> str:
    shown = truncate(name.replace("`", "'"), SHOWN)
    meant = closest_teams(name, teams)
    if not meant:
        listed = names_in_words(teams, str)
        return f"No team is called `{shown}`, nor is it a date (write one like 2026-03-01). Teams: {listed}."
    typed = [" ".join([f"team:{team}", *rest] if first else [*rest, f"team:{team}"]) for team in meant]
    return f"No team is called `{shown}`. Did you mean {_either(meant)}? Write {_either(typed)}."


def _either(said: list[str]) -> str:
    return " or ".join(f"`{words}`" for words in said)
