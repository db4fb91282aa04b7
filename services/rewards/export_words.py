"""The range of HR's reward export as typed after `/rewards export`: `[FROM] [TO] [team:NAME]`, in any order people
write them."""

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from services.day_words import (
    MONTHS,
    RANGE_MARKS,
    date_phrases,
    days_named,
    spread_day_ranges,
    written_with_a_year,
)
from services.errors import DomainError, InvalidInput
from services.rewards.export_days import DAYS_SAID, SPANS_SAID, RangeRefused, typed_days
from services.rewards.export_period import ExportPeriod, parse_period
from services.rewards.export_quarters import QUARTER, quarters_joined
from services.rewards.export_refusals import TEAM_MARK, team_or_dates, too_many, two_readings
from services.rewards.export_team_words import unknown_team
from services.sentence_words import SENTENCE_END, as_written, unquoted
from services.typed_words import QUOTE_MARKS

_LOOKS_LIKE_A_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")
_IN_FIGURES = re.compile(r"\d{1,2}([/.-])\d{1,2}\1\d{4}|\d{4}([/.])\d{1,2}\2\d{1,2}")
_SAID_OR_SHORT = re.compile(r"\d{4}(?:[-/.]\d{1,2})?|\d{1,2}[/.]\d{4}")
"""A year (`2025`) or a month in figures, year or month first (`2026-03`, `03/2026`)."""
_TEAM = re.compile(r"(?:^|(?<=\s))(team:|team(?=\s|$))", re.IGNORECASE)
"""`team:` in any letter case (`Team:`), or `team` as a word before the name, as `/digest` takes it (`team` last, with
no name after it, names none: refused, naming the teams)."""
_BETWEEN = RANGE_MARKS | {"..", "and"}
"""Left out between two dates: `2026-03-01 to 2026-03-31`, `between 1 March 2026 and 31 March 2026`."""
_FILLERS = frozenset({"for", "in", "during"})
"""Words a date may be said with, meaning nothing more: `for March 2026`, `last month for team Support East`."""
_OPENINGS = frozenset({"from", "between", "since", "onwards", "onward"})
"""What a range may be opened or closed with: `from 1 March 2026 to 31 March 2026`, `between 1 March 2026 and 31 March
2026`, `1 March 2026 onwards`."""
_JOINED = re.compile(
    r"(\d{4}-\d{2}-\d{2})(?:\.\.|-|–|—|/|~)(\d{4}-\d{2}-\d{2})|(\d{1,2}/\d{1,2}/\d{4})(?:\.\.|-|–|—|~)(\d{1,2}/\d{1,2}/\d{4})"
    r"|(\d{1,2}\.\d{1,2}\.\d{4})(?:\.\.|-|–|—|~)(\d{1,2}\.\d{1,2}\.\d{4})"
)
"""`2026-03-01..2026-03-31`, `2026-03-01–2026-03-31`, `01/03/2026-31/03/2026`, `01.03.2026-31.03.2026`: a range
written as one word, as other tools take it."""


def parse_period_words(
    words: list[str],
    *,
    now: datetime,
    is_a_team: Callable[[str], bool] = lambda name: False,
    said_on: date | None = None,
    known_teams: Callable[[], Sequence[str]] | None = None,
) -> ExportPeriod:
    """`[FROM] [TO] [team:NAME]` as typed after `/rewards export` (a team name may contain spaces); dates typed
    after the team (`team:Support East 2026-03-01`, `team:Support East 1 March 2026`) are the range's, not the name's,
    unless the directory has a team named with them (`is_a_team`). A date is one however many words it is written in
    (`January 5th, 2026`), and a month alone (`March 2026`) is the whole month. `said_on`: the requester's own date,
    from which `yesterday` or `last month` are counted (default: UTC's). Words that are no range but begin or end with
    a team's name, without `team` (`Support East last month`), are that team's; when they are a range either way
    (`last month March`, with a team March), the requester is asked which was meant. Dates read and then refused (not
    begun yet) are refused, never read as a team's name. Words that are no range but begin or end with what reads as
    a team's name slipped (`Support Eest last month`) are told the team nearly named, from `known_teams`."""
    try:
        period = _period_of(words, now, is_a_team, said_on)
    except RangeRefused:
        raise
    except DomainError as refused:
        as_a_team = _with_a_team_named_bare(words, now, is_a_team, said_on)
        if isinstance(as_a_team, tuple):
            return as_a_team[1]
        raise (as_a_team or _team_slipped(words, now, is_a_team, said_on, known_teams) or refused) from None
    as_a_team = _with_a_team_named_bare(words, now, is_a_team, said_on) if period.team is None else None
    if isinstance(as_a_team, tuple):
        raise InvalidInput(team_or_dates(as_a_team[0], period))
    return period


def _team_slipped(
    words: list[str],
    now: datetime,
    is_a_team: Callable[[str], bool],
    said_on: date | None,
    known_teams: Callable[[], Sequence[str]] | None,
) -> DomainError | None:
    """No team called as the words begin or end (`unknown_team`), where `team` is not typed and the teams are known."""
    if known_teams is None or _TEAM.search(" ".join(words)):
        return None

    def reads_as_range(rest: list[str]) -> bool:
        try:
            _period_of(rest, now, is_a_team, said_on)
        except RangeRefused:
            return True
        except DomainError:
            return False
        return True

    return unknown_team(words, teams=known_teams(), reads_as_range=reads_as_range)


def _period_of(words: list[str], now: datetime, is_a_team: Callable[[str], bool], said_on: date | None) -> ExportPeriod:
    typed = typed_range(words, is_a_team)
    first, last = ([*typed.dates, None, None])[:2]
    if last is None and first is not None and not typed.opened and _is_one_date(first, said_on or _utc_day(now)):
        last = first  # `March 2026`: all of March; `yesterday`: that day; `since March 2026`: to today
    return parse_period(first, last, typed.team, now=now, said_on=said_on)


def _with_a_team_named_bare(
    words: list[str], now: datetime, is_a_team: Callable[[str], bool], said_on: date | None
) -> tuple[list[str], ExportPeriod] | DomainError | None:
    """The first range the words are with `team:` put before a team's name they begin or end with (`March 2026
    Support East`, with teams March and Support East: Support East's), as they were read; else the first refusal;
    None when they begin or end with no team's name."""
    refused: DomainError | None = None
    for named in _teams_named_bare(words, is_a_team):
        try:
            return named, _period_of(named, now, is_a_team, said_on)
        except DomainError as error:
            refused = refused or error
    return refused


def _teams_named_bare(words: list[str], is_a_team: Callable[[str], bool]) -> Iterator[list[str]]:
    """The words with `team:` put before a team they begin or end with, the longest name first, where no other
    `team` is typed."""
    for at in range(len(words), 0, -1):
        if is_a_team(_name(words[:at])) and not _TEAM.search(" ".join(words[at:])):
            yield [*words[at:], f"{TEAM_MARK}{words[0]}", *words[1:at]]
    for at in range(len(words)):
        if is_a_team(_name(words[at:])) and not _TEAM.search(" ".join(words[:at])):
            yield [*words[:at], f"{TEAM_MARK}{words[at]}", *words[at + 1 :]]


@dataclass(frozen=True)
class TypedRange:
    """The dates and team read from the words, before they are told as days."""

    dates: list[str]
    opened: bool
    """Whether the dates came with `from`, `since` or `onwards`: one date so opened runs to today."""
    team: str | None


def typed_range(words: list[str], is_a_team: Callable[[str], bool] = lambda name: False) -> TypedRange:
    """The dates typed (at most two) and the team named, refused when more than two dates are read."""
    head, named, team = (*_TEAM.split(" ".join(words), maxsplit=1), "", "")[:3]
    team, trailing = _team_and_dates(named, team, is_a_team)
    said = _date_words(head.split()) + trailing
    read = [day for word in said for day in _days_of(word) if word.casefold() not in _FILLERS]
    typed = _without_openings(read)
    dates = [word for at, word in enumerate(typed) if at == 0 or word.casefold() not in _BETWEEN]
    if len(dates) > 2:
        raise InvalidInput(too_many(dates))
    return TypedRange(dates=dates, opened=len(typed) != len(read), team=team if named else None)


_QUOTED = re.compile(
    rf"[{QUOTE_MARKS}](?P<name>.+?)[{QUOTE_MARKS}](?=[{SENTENCE_END}]*(?:\s|$))(?P<rest>.*)", re.DOTALL
)
"""A team's name in quotes, whole (`“Floor 5 May 2026” 2026-05-01`); an apostrophe inside it (`'Rosa's Team'`)
closes nothing."""


def _team_and_dates(keyword: str, text: str, is_a_team: Callable[[str], bool]) -> tuple[str, list[str]]:
    """After `team` written as a word, the name may begin with it (`team Team Alpha`, or `Team Alpha` alone)."""
    team, trailing = _dates_after_the_team(text, is_a_team)
    if keyword.casefold() == "team" and not is_a_team(team):
        whole, after = _dates_after_the_team(f"{keyword} {text}", is_a_team)
        return (whole, after) if is_a_team(whole) else (team, trailing)
    return team, trailing


def _dates_after_the_team(text: str, is_a_team: Callable[[str], bool]) -> tuple[str, list[str]]:
    """The team's name, and the dates typed after it. The whole text is the name when a team is named so (`Nesting
    March 2026`), as is a name in quotes; else the words ending it that are all dates are the range's, the most of
    them that leave a team's name before them (`Floor 5` of `Floor 5 May 2026`), or the most of them at all."""
    if not text.strip() or is_a_team(text):
        return text, []
    if quoted := _QUOTED.fullmatch(text.strip()):
        return quoted["name"], _date_words(quoted["rest"].split())
    words = text.split()
    first = max(1, len(words) - _MOST_RANGE_WORDS)
    splits = [
        at for at in range(first, len(words)) if _all_dates(_date_words(words[at:]), _name(words[:at]), is_a_team)
    ]
    teams = [at for at in splits if is_a_team(_name(words[:at]))]
    if len(teams) > 1:
        raise InvalidInput(two_readings(words, teams[:2]))
    at = next(iter(teams), splits[0] if splits else len(words))
    trailing = _date_words(words[at:])
    return " ".join(words[:at]), trailing[1:] if trailing and trailing[0] in _AFTER_THE_NAME else trailing


_MOST_RANGE_WORDS = 16
"""The most words a range after a team's name is read from (`from the 1st of January 2026 until the 31st of March
2026` takes 12): a pasted paragraph is not read again from each of its words, in the seconds Slack waits."""

_AFTER_THE_NAME = _FILLERS | {"-", "–", "—"}
"""What may part a team's name from its dates: `team:Support East - last month`, `team:Support East for March 2026`."""


def _name(words: list[str]) -> str:
    """A team's name as the words before its dates hold it: `Support East,` is `Support East`."""
    return as_written(" ".join(words))


def _all_dates(phrases: list[str], before: str, is_a_team: Callable[[str], bool]) -> bool:
    """Whether the phrases after a team's name are a range: dates, with a word between them (`to`). A date written
    without its year (`5 January to 31 January 2026`) is one when a later date has a year or the words before name a
    team, as one that cannot be read (`30 February 2026`) is, to be refused for what is wrong with it."""
    phrases = phrases[1:] if phrases and phrases[0].casefold() in _OPENINGS | _AFTER_THE_NAME else phrases
    if not phrases or phrases[0].casefold() in _BETWEEN:
        return False
    for at, phrase in enumerate(phrases):
        later_year = any(written_with_a_year(later) for later in phrases[at + 1 :])
        if not (at and phrase.casefold() in _BETWEEN) and not _is_trailing_date(phrase, before, is_a_team, later_year):
            return False
    return True


def _is_trailing_date(phrase: str, before: str, is_a_team: Callable[[str], bool], later_year: bool) -> bool:
    if any(pattern.fullmatch(phrase) for pattern in (_LOOKS_LIKE_A_DATE, _JOINED, _IN_FIGURES)):
        return True
    if quarter := QUARTER.fullmatch(phrase):  # `Q1 2026`; `Q1` alone may end a team's name
        return bool(quarter[2] or quarter[3]) or is_a_team(before)
    if _SAID_OR_SHORT.fullmatch(phrase) or phrase.casefold() in SPANS_SAID or phrase.casefold() in DAYS_SAID:
        return is_a_team(before)  # `team:Support East last month`, `2026-03`, `2025`: a team may end so
    if not any(word.strip(",.").casefold() in MONTHS for word in phrase.split()):
        return False
    if not written_with_a_year(phrase):
        return later_year or is_a_team(before)
    try:
        return days_named(phrase, "") is not None  # written with its year
    except DomainError:
        return is_a_team(before)


def _date_words(words: list[str]) -> list[str]:
    """The dates as a sentence holds them, each one word however many it was typed in: in quotes (`“2026-03-01”`),
    followed by a comma or full stop (`2026-01-01,`), with its month's name (`January 5th, 2026`); the days of a
    range within a month each with its month and year (`5-31 January 2026`, `January 5 to 31, 2026`)."""
    plain = quarters_joined(
        spread_day_ranges(_said_joined([unquoted(word) for word in words if word.casefold() != "the"]))
    )
    return [as_written(phrase) for phrase in date_phrases(plain)]


def _said_joined(words: list[str]) -> list[str]:
    """`last`, `month` as `last month`: days said as HR says them are one date."""
    joined: list[str] = []
    for word in words:
        if joined and f"{joined[-1]} {as_written(word)}".casefold() in SPANS_SAID:
            joined[-1] = f"{joined[-1]} {as_written(word)}"
        else:
            joined.append(word)
    return joined


def _is_one_date(text: str, today: date) -> bool:
    """Whether `text` alone is the whole range: more than a day (`March 2026`, `2026-03`, `last month`), or a day said
    as counted from today (`yesterday`: that day, not from it to today); a date that cannot be read is none."""
    if " ".join(text.casefold().split()) in DAYS_SAID:
        return True
    try:
        first, last = typed_days(text, "", "", today=today)
    except DomainError:
        return False
    return first != last


def _utc_day(now: datetime) -> date:
    return now.astimezone(UTC).date()


def _without_openings(typed: list[str]) -> list[str]:
    """The range's words without the `from`, `between` or `onwards` around its dates; alone, it is refused."""
    kept = [word for word in typed if word.casefold() not in _OPENINGS]
    return kept or typed


def _days_of(word: str) -> tuple[str, ...]:
    joined = _JOINED.fullmatch(word)
    return tuple(day for day in joined.groups() if day) if joined else (word,)
