"""One end of HR's reward export range as typed: a day in YYYY-MM-DD, or refused naming the day meant in it."""

import re
from datetime import date, timedelta

from services.errors import InvalidInput
from services.text import mention_in_words

EARLIEST, LATEST = date(2000, 1, 1), date(2099, 12, 31)
"""The days an export may name: every grant falls within them, and the day after LATEST is still a date."""

_DAY = re.compile(r"[0-9]{4}-?[0-9]{2}-?[0-9]{2}")
_SHORT_DAY = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")


def typed_day(text: str, name: str, default: str) -> date:
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
