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


def days_named(
    text: str, name: str, *, latest_by: date | None = None, year: int | None = None
) -> tuple[date, date] | None:
    """The first and last day `text` names when it is written with a month's name (a day: that day twice; a month:
    its first and last days); None when it names no month. Written without its year, it is in `year`, or else the
    latest year in which it has begun by `latest_by` (one of them is needed then). Refused, saying what is wrong, when
    the month has no such day, or the weekday written is not that day's. `name`: what the user typed it as (`FROM`)."""
    words = text.replace(",", " ").split()
    parts = [_part(word) for word in words]
    months = [part.month for part in parts if part.month is not None]
    if len(months) != 1 or _phrase_end(words, 0) != len(words):
        if months:
            raise InvalidInput(f"{name} `{truncate(text, SHOWN)}` is not a date: {WRITE_A_DATE}.")
        return None
    weekday = parts[0].weekday if len(parts) > 1 else None
    days = [part.day for part in parts if part.day is not None and part.year is None]
    years = [part.year for part in parts if part.year is not None] or [
        _unwritten_year(months[0], days[0] if days else 1, year, latest_by)
    ]
    if years[0] < 1:
        raise InvalidInput(f"{name} `{truncate(text, SHOWN)}` is not a date: {WRITE_A_DATE}.")
    first, last = date(years[0], months[0], 1), calendar.monthrange(years[0], months[0])[1]
    if not days:
        return first, first.replace(day=last)
    day = _day_checked(f"{name} `{truncate(text, SHOWN)}`", first, days[0], weekday)
    return day, day


def _unwritten_year(month: int, day: int, year: int | None, latest_by: date | None) -> int:
    if year is not None:
        return year
    if latest_by is None:
        raise ValueError("a date written without its year is read with `year` or `latest_by`")
    return _latest_year(month, day, latest_by)


def _latest_year(month: int, day: int, today: date) -> int:
    """The latest year in which that day of that month has come by `today` (29 February: the latest leap year's);
    this year's when the month has no such day, to be refused for it."""
    for year in range(today.year, today.year - 8, -1):
        if 1 <= day <= calendar.monthrange(year, month)[1] and date(year, month, day) <= today:
            return year
    return today.year


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


_DAY_TO_DAY = re.compile(r"([0-9]{1,2}(?:st|nd|rd|th)?)([-–—])([0-9]{1,2}(?:st|nd|rd|th)?,?)", re.IGNORECASE)
RANGE_MARKS = frozenset({"to", "-", "–", "—", "until", "till", "through", "thru"})
"""What people write between a range's two days: `5 to 31 January`, `5 - 31 January`."""


def spread_day_ranges(words: list[str]) -> list[str]:
    """Two days of one month written once with it, each written with it: `5-31 January 2026`, `5 to 31 Jan 2026` ->
    `5 January 2026 to 31 January 2026`; `January 5–31, 2026` -> `January 5 2026 – January 31, 2026`; two months
    written as one word apart (`January-March 2026` -> `January - March 2026`). Other words stay as they are."""
    split = _split_day_to_day(words)
    spread, at = [], 0
    while at < len(split):
        if _is_day_to_day(split, at) and (month := _month_around(split, at)) is not None:
            before, after = month
            spread += [split[at], *before, split[at + 1], *after, split[at + 2]]
            at += 3
            continue
        spread.append(split[at])
        at += 1
    return spread


def _is_day_to_day(words: list[str], at: int) -> bool:
    return (
        at + 2 < len(words) and _is_day(words[at]) and words[at + 1].lower() in RANGE_MARKS and _is_day(words[at + 2])
    )


def _is_day(word: str) -> bool:
    part = _part(word)
    return part.day is not None and part.year is None


def _split_day_to_day(words: list[str]) -> list[str]:
    """`5-31` as `5`, `-`, `31` where a month's name comes after or before it."""
    split: list[str] = []
    for at, word in enumerate(words):
        joined = _DAY_TO_DAY.fullmatch(word)
        near = [words[at - 1]] if at else []
        near += (
            words[at + 1 : at + 3] if at + 1 < len(words) and words[at + 1].lower() == _OF else words[at + 1 : at + 2]
        )
        split += list(joined.groups()) if joined and any(_part(w).month is not None for w in near) else [word]
    return _year_then_day([part for word in split for part in _month_to_month(word)])


_YEAR_THEN = re.compile(r"([0-9]{4},?)([-–—])(\S+)")


def _year_then_day(words: list[str]) -> list[str]:
    """A year, a dash and the next date's month or day as one word, as a range of two dates each with its year is
    written (`Feb 1, 2026-Feb 28, 2026`, `1 Feb 2026-28 Feb 2026`): the year, the dash and the next date apart."""
    split: list[str] = []
    for at, word in enumerate(words):
        joined = _YEAR_THEN.fullmatch(word)
        after = _part(joined[3]) if joined else None
        month_next = at + 1 < len(words) and _part(words[at + 1]).month is not None
        if joined and after is not None and (after.month is not None or (after.day is not None and month_next)):
            split += list(joined.groups())
        else:
            split.append(word)
    return split


_MONTH_TO_MONTH = re.compile(r"([^\W\d_]+\.?)([-–—])([^\W\d_]+\.?,?)")


def _month_to_month(word: str) -> tuple[str, ...]:
    """`January-March` as `January`, `-`, `March`."""
    joined = _MONTH_TO_MONTH.fullmatch(word)
    if joined and _part(joined[1]).month is not None and _part(joined[3]).month is not None:
        return joined.groups()
    return (word,)


def _month_around(words: list[str], at: int) -> tuple[list[str], list[str]] | None:
    """What goes after the range's first day and before its second (`words[at]` and `words[at + 2]`): the month and
    year that follow the second day (`5 to 31 January 2026`), or the year after it with the month before the first
    (`January 5 to 31, 2026`); None when no month's name is there, or one is on either side (`Jan 5 - 31 Mar 2026`),
    each day's own."""
    following = words[at + 3 :]
    if following[:1] and following[0].lower() == _OF:
        following = following[1:]
    before = at > 0 and _part(words[at - 1]).month is not None
    if before and following and _part(following[0]).month is not None:
        return None  # `Jan 5 - 31 Mar 2026`: each day has its own month
    if following and _part(following[0]).month is not None:
        year = following[1:2] if len(following) > 1 and _part(following[1]).year is not None else []
        return [following[0], *year], []
    if before:
        year = following[:1] if following and _part(following[0]).year is not None else []
        return year, [words[at - 1]]
    return None
