"""The range of HR's reward export as typed after `/rewards export`: `[FROM] [TO] [team:NAME]`, in any order people
write them."""

import re
from collections.abc import Callable
from datetime import date, datetime

from services.day_words import date_phrases, days_named, written_with_a_year
from services.errors import DomainError, InvalidInput
from services.rewards.export_period import ExportPeriod, parse_period
from services.sentence_words import SENTENCE_END, as_written, unquoted
from services.text import QUOTE_MARKS

_LOOKS_LIKE_A_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")
_TEAM = re.compile(r"(team:)", re.IGNORECASE)  # in any letter case (`Team:`), as `/digest` takes it
_BETWEEN = frozenset({"to", "-", "–", "—", "..", "until"})  # `2026-03-01 to 2026-03-31` is two dates
_JOINED = re.compile(r"(\d{4}-\d{2}-\d{2})(?:\.\.|-|–|—|/|~)(\d{4}-\d{2}-\d{2})")
"""`2026-03-01..2026-03-31`, `2026-03-01–2026-03-31`: a range written as one word, as other tools take it."""


def parse_period_words(
    words: list[str], *, now: datetime, is_a_team: Callable[[str], bool] = lambda name: False
) -> ExportPeriod:
    """`[FROM] [TO] [team:NAME]` as typed after `/rewards export` (a team name may contain spaces); dates typed
    after the team (`team:Support East 2026-03-01`, `team:Support East 1 March 2026`) are the range's, not the name's,
    unless the directory has a team named with them (`is_a_team`). A date is one however many words it is written in
    (`January 5th, 2026`), and a month alone (`March 2026`) is the whole month."""
    head, named, team = (*_TEAM.split(" ".join(words), maxsplit=1), "", "")[:3]
    team, trailing = _dates_after_the_team(team, is_a_team)
    said = _date_words(head.split()) + trailing
    typed = [day for word in said for day in _days_of(word)]
    dates = [word for at, word in enumerate(typed) if at == 0 or word.casefold() not in _BETWEEN]
    if len(dates) > 2:
        raise InvalidInput(
            f"Give at most two dates, FROM and TO, like `2026-03-01 2026-03-31` or `1 March 2026 31 March 2026` "
            f"(I read {len(dates)}: {', '.join(f'`{typed_date[:20]}`' for typed_date in dates[:4])})."
        )
    first, last = ([*dates, None, None])[:2]
    if last is None and first is not None and _is_a_month(first):
        last = first  # `March 2026`: all of March
    until = _as_iso(last, "TO")
    return parse_period(_as_iso(first, "FROM", until=until), until, team if named else None, now=now)


def _as_iso(typed: str | None, name: str, *, until: str | None = None) -> str | None:
    """A date written with its month's name as YYYY-MM-DD; a month is its first day as FROM, its last as TO. FROM
    written without its year takes TO's, or the year before when its month comes after TO's (`Dec 1 to Jan 31, 2026`,
    `April to March 2026`): in TO's month it stays in TO's year, and a range typed backwards (`Jan 31 to Jan 1, 2026`)
    is refused as one, never read as a year long. The command line's `--from` and `--to` stay YYYY-MM-DD only, naming
    the day meant (`export_days`): a script's dates are written one way."""
    if typed is None:
        return None
    end = _iso_day(until) if until is not None and not written_with_a_year(typed) else None
    named = days_named(typed, name, year=end.year if end else None)
    if named is not None and end is not None and named[0].month > end.month:  # `Jan 31 to Jan 1, 2026`: backwards
        named = days_named(typed, name, year=end.year - 1)
    return typed if named is None else (named[1] if name == "TO" else named[0]).isoformat()


def _iso_day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


_QUOTED = re.compile(
    rf"[{QUOTE_MARKS}](?P<name>.+?)[{QUOTE_MARKS}](?=[{SENTENCE_END}]*(?:\s|$))(?P<rest>.*)", re.DOTALL
)
"""A team's name in quotes, whole (`“Floor 5 May 2026” 2026-05-01`); an apostrophe inside it (`'Rosa's Team'`)
closes nothing."""


def _dates_after_the_team(text: str, is_a_team: Callable[[str], bool]) -> tuple[str, list[str]]:
    """The team's name, and the dates typed after it. The whole text is the name when a team is named so (`Nesting
    March 2026`), as is a name in quotes; else the dates ending it are the range's: ISO days, or days written with a
    month's name and a year (`1 March 2026`)."""
    if not text.strip() or is_a_team(text):
        return text, []
    if quoted := _QUOTED.fullmatch(text.strip()):
        return quoted["name"], _date_words(quoted["rest"].split())
    words = text.split()
    phrases = _date_words(words)
    trailing: list[str] = []
    kept = len(words)
    while phrases and _is_trailing_date(phrases[-1], " ".join(words[: kept - len(phrases[-1].split())]), is_a_team):
        kept -= len(phrases[-1].split())
        trailing.insert(0, phrases.pop())
    return " ".join(words[:kept]), trailing


def _is_trailing_date(phrase: str, before: str, is_a_team: Callable[[str], bool]) -> bool:
    """A date ending the team's words, once they are no team's name whole: an ISO day, or a day or month written with
    its name and a year; one that cannot be read (`30 February 2026`) is the date meant when the words before it name
    a team, and is refused for what is wrong with it."""
    if _LOOKS_LIKE_A_DATE.fullmatch(phrase):
        return True
    if len(phrase.split()) < 2 or not re.search(r"\b[0-9]{4}\b", phrase):
        return False
    try:
        return days_named(phrase, "") is not None
    except DomainError:
        return is_a_team(before)


def _date_words(words: list[str]) -> list[str]:
    """The dates as a sentence holds them, each one word however many it was typed in: in quotes (`“2026-03-01”`),
    followed by a comma or full stop (`2026-01-01,`), with its month's name (`January 5th, 2026`)."""
    return [as_written(phrase) for phrase in date_phrases([unquoted(word) for word in words])]


def _is_a_month(text: str) -> bool:
    """Whether `text` names a month by its name; a date that cannot be read is no month."""
    try:
        named = days_named(text, "")
    except DomainError:
        return False
    return named is not None and named[0] != named[1]


def _days_of(word: str) -> tuple[str, ...]:
    joined = _JOINED.fullmatch(word)
    return joined.groups() if joined else (word,)
