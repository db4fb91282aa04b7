"""Days written with the month's name, as people and Slack's own date formats write them: `5 January 2026`,
`January 5th, 2026`, `Monday, January 5th, 2026`, `5 Jan 2026`, and a month alone, `March 2026`."""

import calendar
import re
from dataclasses import dataclass
from datetime import date

from services.errors import InvalidInput
from services.text import truncate

MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
"""In English, whatever the server's locale (`calendar.month_name` follows it)."""
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = {
    **{name.lower(): number for number, name in enumerate(MONTH_NAMES, start=1)},
    **{name[:3].lower(): number for number, name in enumerate(MONTH_NAMES, start=1)},
    "sept": 9,
}
"""A month by its name or the abbreviation people write (`Jan`, `Sept`), in lower case."""
WEEKDAYS = {
    **{name.lower(): number for number, name in enumerate(WEEKDAY_NAMES)},
    **{name[:3].lower(): number for number, name in enumerate(WEEKDAY_NAMES)},
    **{"tues": 1, "weds": 2, "thur": 3, "thurs": 3},
}
_DAY = re.compile(r"([0-9]{1,2})(?:st|nd|rd|th)?")
_YEAR = re.compile(r"[0-9]{4}")
_OF = "of"
SHOWN = 40
"""The most of a typed date a message names back."""
WRITE_A_DATE = "write it like `5 January 2026`, `January 5, 2026` or YYYY-MM-DD"


@dataclass(frozen=True)
class _Part:
    """One word of a date, as read: which part of a date it can be."""

    weekday: int | None
    month: int | None
    day: int | None
    year: int | None


def _part(word: str) -> _Part:
    plain = word.strip(",.").lower()
    day = _DAY.fullmatch(plain)
    return _Part(
        weekday=WEEKDAYS.get(plain),
        month=MONTHS.get(plain),
        day=int(day[1]) if day else None,
        year=int(plain) if _YEAR.fullmatch(plain) else None,
    )


def date_phrases(words: list[str]) -> list[str]:
    """The words with each date written with its month's name joined into one (`5`, `January`, `2026` ->
    `5 January 2026`; `Mon,`, `Jan`, `5th,`, `2026` -> `Mon, Jan 5th, 2026`); other words stay as they are."""
    phrases, at = [], 0
    while at < len(words):
        end = _phrase_end(words, at)
        phrases.append(" ".join(words[at:end]))
        at = end
    return phrases


def _phrase_end(words: list[str], start: int) -> int:
    """Where the date written from `start` ends: a weekday, then day [of] month [year] or month [day] [year]; the
    next word when no month's name is there."""
    parts = [_part(word) for word in words[start : start + 6]]
    at = 1 if parts[0].weekday is not None and len(parts) > 1 else 0
    if parts[at].day is not None and at + 1 < len(parts):
        of = 1 if words[start + at + 1].lower() == _OF and at + 2 < len(parts) else 0
        if parts[at + 1 + of].month is not None:
            at += 2 + of
            return start + at + (1 if at < len(parts) and parts[at].year is not None else 0)
    if parts[at].month is None:
        return start + 1
    at += 1
    if at < len(parts) and parts[at].day is not None and parts[at].year is None:
        at += 1
    return start + at + (1 if at < len(parts) and parts[at].year is not None else 0)


def written_with_a_year(text: str) -> bool:
    """Whether a date's words hold a year (`5 January 2026`), not only a day and a month (`5 January`)."""
    return any(_part(word).year is not None for word in text.replace(",", " ").split())


def days_named(text: str, name: str, *, year: int | None = None) -> tuple[date, date] | None:
    """The first and last day `text` names when it is written with a month's name (a day: that day twice; a month:
    its first and last days); None when it names no month. Refused, saying what is wrong, when no year is given (nor
    `year`, the one to read without), the month has no such day, or the weekday written is not that day's. `name`:
    what the user typed it as (`FROM`)."""
    words = text.replace(",", " ").split()
    parts = [_part(word) for word in words]
    months = [part.month for part in parts if part.month is not None]
    if len(months) != 1 or _phrase_end(words, 0) != len(words):
        if months:
            raise InvalidInput(f"{name} `{truncate(text, SHOWN)}` is not a date: {WRITE_A_DATE}.")
        return None
    weekday = parts[0].weekday if len(parts) > 1 else None
    years = [part.year for part in parts if part.year is not None] or ([year] if year is not None else [])
    days = [part.day for part in parts if part.day is not None and part.year is None]
    if not years or years[0] < 1:
        raise InvalidInput(
            f"{name} `{truncate(text, SHOWN)}` {'has no year' if not years else 'is not a date'}: {WRITE_A_DATE}."
        )
    first, last = date(years[0], months[0], 1), calendar.monthrange(years[0], months[0])[1]
    if not days:
        return first, first.replace(day=last)
    day = _day_checked(f"{name} `{truncate(text, SHOWN)}`", first, days[0], weekday)
    return day, day


def _day_checked(typed: str, month: date, number: int, weekday: int | None) -> date:
    """That day of the month, refused when the month has no such day or it falls on another weekday than written."""
    last = calendar.monthrange(month.year, month.month)[1]
    if not 1 <= number <= last:
        raise InvalidInput(f"{typed}: {MONTH_NAMES[month.month - 1]} {month.year} has {last} days.")
    day = month.replace(day=number)
    if weekday is not None and weekday != day.weekday():
        raise InvalidInput(
            f"{typed}: {day.day} {MONTH_NAMES[day.month - 1]} {day.year} is a {WEEKDAY_NAMES[day.weekday()]}, not a "
            f"{WEEKDAY_NAMES[weekday]}. Check the date."
        )
    return day
