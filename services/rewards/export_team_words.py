"""Words typed after `/rewards export` that are no date but read as a team's name, typed without `team` and with a
slip (`Support Eest last month`): the team nearly named is suggested, or the workspace's teams are named, where the
words were refused as a date (`TO Eest is not a date`)."""

import re
from collections.abc import Callable, Iterator, Sequence

from services.day_words import MONTHS, SHOWN, WEEKDAYS
from services.errors import NotFound
from services.rewards.export_days import DAYS_SAID, SPANS_SAID
from services.sentence_words import as_written
from services.teams import closest_teams, names_in_words
from services.text import truncate
from services.typed_words import mistyped

_RANGE_WORDS = frozenset(
    {
        *(word for said in [*SPANS_SAID, *DAYS_SAID] for word in said.split()),
        *("from", "between", "since", "onwards", "onward", "for", "in", "during", "the"),
        *("to", "until", "till", "through", "thru", "semicolon", "semicolons"),
    }
)
"""The words a range is written with, besides the names of months and days; one cut short is still one (`fro`)."""
_DATE_WORDS = frozenset(
    {
        *MONTHS,
        *WEEKDAYS,
        *_RANGE_WORDS,
        *("ytd", "mtd", "qtd", "wtd", "date", "next", "past", "ago", "fiscal", "half"),
        *("spring", "summer", "autumn", "fall", "winter", "xmas", "christmas"),
    }
)
"""Words a range is written with, or a period people name that the export does not read (`ytd`, `Spring 2026`): a
name holding one, or a slip of one (`Marhc`), is a date mistyped, never a team's."""
_SLIPPED = 4
"""From this length a word of `_DATE_WORDS` typed with a slip is still taken for it (`lsat`; `on` is not `in`)."""
_CUT_SHORT = 3
"""From this length a word that begins one of `_RANGE_WORDS` is taken for it (`fro`, `las`, `mont`)."""
_IN_A_NAME = re.compile(r"(?:[^\W\d_]|['’&().+-])+")
"""What a word of a team's name typed with a slip is made of: letters, and the marks of a name (`R&D`, `Rosa's`).
Never a figure: `Q5`, `H1`, `W09`, `2026` or a day (`fro 1 March`) are a date's, mistyped or not."""


def unknown_team(
    words: list[str], *, teams: Sequence[str], reads_as_range: Callable[[list[str]], bool]
) -> NotFound | None:
    """Words beginning or ending with a name that no date holds (the longest first), the others a range: no team is
    called so, and the team whose name it nearly is, is suggested with the words to type (`team:Support East last
    month`), else the teams are named. None when the words are not so: they are refused as dates. A name is tried
    at most a word longer than the longest team's, so that a long text is refused as quickly as before."""
    longest = max((len(team.split()) for team in teams), default=0) + 1
    named = _words_of_a_name(words, longest)
    for name, rest, first in _names_at_the_ends(words, longest):
        if all(named[at] for at in name) and _has_a_letter(words, name) and reads_as_range(rest):
            typed = as_written(" ".join(words[at] for at in name))
            return NotFound(_no_team_called(typed, rest, first, teams))
    return None


def _names_at_the_ends(words: list[str], longest: int) -> Iterator[tuple[range, list[str], bool]]:
    """Where each name of at most `longest` words the words may begin or end with is, the rest, and whether the
    name comes first."""
    for at in range(min(len(words), longest), 0, -1):
        yield range(at), words[at:], True
    for at in range(max(1, len(words) - longest), len(words)):
        yield range(at, len(words)), words[:at], False


def _words_of_a_name(words: list[str], longest: int) -> list[bool]:
    """Whether each word may be a team's name's, told once for each word a name may hold: those within `longest` of
    either end."""
    ends = len(words) - longest
    return [(at < longest or at >= ends) and not _a_date_s(_plain(word)) for at, word in enumerate(words)]


def _has_a_letter(words: list[str], name: range) -> bool:
    return any(character.isalpha() for at in name for character in words[at])


def _plain(word: str) -> str:
    return word.strip(",.:;!?()\"'“”‘’").casefold()


def _a_date_s(word: str) -> bool:
    """Whether a word is a date's, or none of a name's (`<b>`, `Q5`): one of `_DATE_WORDS`, a slip of one (`Marhc`),
    one cut short (`fro`), or two run together (`lastmonth`, `last-month`)."""
    if not _IN_A_NAME.fullmatch(word) or word in _DATE_WORDS or _run_together(word):
        return True
    if len(word) >= _CUT_SHORT and any(said.startswith(word) for said in _RANGE_WORDS if len(said) > len(word)):
        return True
    return len(word) >= _SLIPPED and any(mistyped(word, said) for said in _DATE_WORDS if len(said) >= _SLIPPED)


def _run_together(word: str) -> bool:
    """`lastmonth`, `thisweek`, `last-month`: date words written as one."""
    parts = [part for part in re.split(r"[-_.]", word) if part]
    if len(parts) > 1:
        return all(part in _DATE_WORDS for part in parts)
    return any(word[:at] in _DATE_WORDS and word[at:] in _DATE_WORDS for at in range(2, len(word) - 1))


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
