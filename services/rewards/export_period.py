"""The range of HR's reward export as typed: `[FROM] [TO] [team:NAME]` after `/rewards export`, or the command
line's `--from`/`--to`/`--team`."""

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

from services.day_words import date_phrases, days_named, written_with_a_year
from services.errors import DomainError, InvalidInput
from services.sentence_words import SENTENCE_END, as_written, unquoted
from services.text import QUOTE_MARKS, mention_in_words

EARLIEST, LATEST = date(2000, 1, 1), date(2099, 12, 31)
"""The days an export may name: every grant falls within them, and the day after LATEST is still a date."""


@dataclass(frozen=True)
class ExportPeriod:
    """Whole UTC days, both ends included."""

    first: date
    last: date
    team: str | None = None
    today: date | None = None
    """UTC's today when the range was read: a range ending later holds only what was granted so far."""

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time(), tzinfo=UTC)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.last + timedelta(days=1), time(), tzinfo=UTC)

    def so_far(self) -> str:
        """Said after the range when it ends after today: a quarter exported before its end is not the whole one."""
        if self.today is None or self.last <= self.today:
            return ""
        return f" — it ends after today ({self.today.isoformat()}), so it holds the grants made so far"

    def covered(self) -> "ExportPeriod":
        """The range up to today when it ends later: what the file holds, named so on the file itself (it outlives
        the message that says "so far")."""
        if self.today is None or self.last <= self.today:
            return self
        return replace(self, last=self.today)

    def describe(self) -> str:
        team = f", team {self.team}" if self.team else ""
        return f"{self.first.isoformat()} to {self.last.isoformat()}{team}"


def parse_period(
    first: str | None, last: str | None, team: str | None, *, now: datetime, names: tuple[str, str] = ("FROM", "TO")
) -> ExportPeriod:
    """FROM and TO as ISO dates within `EARLIEST`..`LATEST`, starting no later than today (UTC); by default this month
    so far. A team named empty stays "" (refused by `check_export`), never read as every team. `names` are what the
    user typed them as."""
    today = now.astimezone(UTC).date()
    start = _day(first, names[0], "the 1st of this month") if first is not None else today.replace(day=1)
    end = _day(last, names[1], "today") if last is not None else today
    if start > today and (last is None or end >= start):  # a range typed backwards is told as that first
        raise InvalidInput(_future(start, today, names[0]))
    if end < start:
        raise InvalidInput(_reversed(start, end, first, last, names))
    return ExportPeriod(first=start, last=end, team=team.strip() if team is not None else None, today=today)


def _future(start: date, today: date, name: str) -> str:
    """A range that has not begun holds no grant: an empty file would pass for a month with no rewards."""
    return (
        f"{name} {start.isoformat()} is after today ({today.isoformat()} in UTC, the clock of the export's days): "
        "nothing has been granted then yet. Check the year and the month."
    )


def _reversed(start: date, end: date, first: str | None, last: str | None, names: tuple[str, str]) -> str:
    """Say which date is missing when the default of one end falls on the wrong side of the other."""
    start_name, end_name = names
    if first is None:
        return (
            f"{end_name} {end.isoformat()} is before {start.isoformat()}, where the range starts without "
            f"{start_name}: give {start_name} too."
        )
    if last is None:
        return (
            f"{start_name} {start.isoformat()} is after {end.isoformat()}, where the range ends without {end_name}: "
            f"give {end_name} too."
        )
    return f"The range ends ({end.isoformat()}) before it starts ({start.isoformat()}): put the earlier date first."


_DAY = re.compile(r"[0-9]{4}-?[0-9]{2}-?[0-9]{2}")
_SHORT_DAY = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
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
    the day meant (`_iso_hint`): a script's dates are written one way."""
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


def _day(text: str, name: str, default: str) -> date:
    """A day as YYYY-MM-DD (or YYYYMMDD): an ISO week (`2026-W52`) would stand for its Monday alone."""
    if not text.strip():  # `--from "$START"` with START unset: not the default's range, silently
        raise InvalidInput(
            f"{name} is empty: write a date as YYYY-MM-DD, like 2026-03-01, or leave it out ({default})."
        )
    short = _SHORT_DAY.fullmatch(text)  # 2026-1-5: year first, as ISO puts it, its zeros left out
    typed = f"{short[1]}-{int(short[2]):02}-{int(short[3]):02}" if short else text
    try:
        day = date.fromisoformat(typed) if _DAY.fullmatch(typed) else None
    except ValueError:
        day = None
    if day is None:
        raise InvalidInput(_not_a_date(text, name, typed))
    if not EARLIEST <= day <= LATEST:
        raise InvalidInput(
            f"{name} {day.isoformat()} is out of range: an export covers days from {EARLIEST.isoformat()} "
            f"to {LATEST.isoformat()}."
        )
    return day


def _not_a_date(text: str, name: str, typed: str) -> str:
    """A channel or person picked in Slack where a date goes (someone after a team's export) is named in words:
    its markup, cut short, read as garbage. A day as people write it is told in YYYY-MM-DD."""
    what = mention_in_words(text)
    if what is None:
        return f"{name} `{text[:20]}` is not a date: {_iso_hint(typed)}"
    return (
        f"{name}: {what} is not a date, nor a team: write a date as YYYY-MM-DD, like 2026-03-01, and a team as "
        "`team:NAME`, like `team:Support East`."
    )


_NUMBERS = re.compile(r"([0-9]{1,2})[/.]([0-9]{1,2})[/.]([0-9]{4})")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_WORDS = re.compile(r"[a-z]+|[0-9]+")
WRITE_ISO = "write it as YYYY-MM-DD, like 2026-03-01."


def _iso_hint(typed: str) -> str:
    """How to write the day meant in YYYY-MM-DD, when it can be told; else the rule alone."""
    return _from_numbers(typed) or _from_words(typed) or _beyond_its_month(typed) or WRITE_ISO


def _from_numbers(typed: str) -> str | None:
    """05/01/2026 or 5.1.2026: the days a day-month-year or a month-day-year could be."""
    numbers = _NUMBERS.fullmatch(typed.strip())
    if numbers is None:
        return None
    one, two, year = (int(part) for part in numbers.groups())
    meant = sorted({_iso(year, m, d) for d, m in ((one, two), (two, one)) if _iso(year, m, d)})
    if not meant:
        return None
    return f"write it as YYYY-MM-DD: {' or '.join(meant)}{', as you mean it' if len(meant) > 1 else ''}."


def _from_words(typed: str) -> str | None:
    """5 January 2026, Jan 5, 2026: that day; March 2026: the month's first and last days."""
    words = _WORDS.findall(typed.casefold())
    months = [n for n, month in enumerate(_MONTHS, start=1) for word in words if word.startswith(month)]
    figures = [int(word) for word in words if word.isdigit()]
    years, days = [f for f in figures if f > 999], [f for f in figures if f <= 31]
    if len(months) != 1 or len(years) != 1 or len(days) > 1 or not _iso(years[0], months[0], 1):
        return None
    if days:
        day = _iso(years[0], months[0], days[0])
        return f"write it as YYYY-MM-DD: {day}." if day else None
    first, last = _month(years[0], months[0])
    return f"{first:%B %Y} is a month, from {first.isoformat()} to {last.isoformat()}."


def _beyond_its_month(typed: str) -> str | None:
    """2026-02-30: a day its month does not have."""
    if not (_DAY.fullmatch(typed) and len(typed) == 10 and int(typed[8:]) >= 1):
        return None
    year, month = int(typed[:4]), int(typed[5:7])
    if not _iso(year, month, 1):
        return None
    first, last = _month(year, month)
    return f"{first:%B %Y} has {last.day} days."


def _month(year: int, month: int) -> tuple[date, date]:
    first = date(year, month, 1)
    return first, (first + timedelta(days=31)).replace(day=1) - timedelta(days=1)


def _iso(year: int, month: int, day: int) -> str:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return ""
