"""One end of HR's reward export range as typed, in Slack or on the command line: a day or a month as people write
it, or refused naming what was read and the day meant in YYYY-MM-DD."""

import calendar
import re
from datetime import date, timedelta

from services.day_words import MONTH_NAMES, MONTHS, SHOWN, days_named, written_with_a_year
from services.errors import InvalidInput
from services.rewards.export_quarters import QUARTER, quarter_days
from services.sentence_words import as_written
from services.text import mention_in_words, truncate

EARLIEST, LATEST = date(2000, 1, 1), date(2099, 12, 31)
"""The days an export may name: every grant falls within them, and the day after LATEST is still a date."""

_DAY = re.compile(r"[0-9]{4}-?[0-9]{2}-?[0-9]{2}")
_SHORT_DAY = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_NUMBERS = re.compile(r"([0-9]{1,2})([/.-])([0-9]{1,2})\2([0-9]{4})")
"""Day, month and year in figures, either order, one mark between them: `25/01/2026`, `01.25.2026`."""
_YEAR_FIRST = re.compile(r"([0-9]{4})([/.])([0-9]{1,2})\2([0-9]{1,2})")
"""`2026/01/25`, `2026.01.25`: year, month, day, as ISO orders them with another mark."""
_MONTH_IN_FIGURES = re.compile(r"([0-9]{4})[-/.]([0-9]{1,2})|([0-9]{1,2})[/.]([0-9]{4})")
"""`2026-01`, `2026/1`, `01/2026`: a month, as a spreadsheet's period column or a payslip writes it."""
_YEAR = re.compile(r"[0-9]{4}")
_SPANS = ("week", "month", "quarter", "year")
SPANS_SAID = {
    **{f"{which} {span}": back for which, back in (("this", 0), ("last", 1), ("previous", 1)) for span in _SPANS},
}
"""Days as HR says them, counted back from today: whole weeks (Monday to Sunday), months, quarters and years (`last
month`: the one before this)."""
DAYS_SAID = {"today": 0, "now": 0, "yesterday": 1}


class RangeRefused(InvalidInput):
    """The dates were read, and the days they name refused (out of range, not begun, typed backwards): never to be
    read again as something else, such as a team's name."""


def typed_days(
    text: str, name: str, default: str, *, today: date, year: int | None = None, order: str | None = None
) -> tuple[date, date]:
    """The first and last day a typed date names: a day twice (`2026-03-01`, `20260301`, `2026-3-1`, `2026/03/01`,
    `1 March 2026`, `01/03/2026` when only one order of day and month is a date, `today`), a month, a quarter or a year
    its first and last days (`March 2026`, `2026-03`, `last month`, `Q1 2026`, `2025`). `year`: the year of a day,
    month or quarter written without one (else the latest by `today`: `Mar 3`, `Q3`); `order`: `figures_order` of the
    range's other end, by which `01/03/2026` is read. An ISO week (`2026-W52`) would stand for its Monday alone:
    refused."""
    if not text.strip():  # `--from "$START"` with START unset: not the default's range, silently
        raise InvalidInput(
            f"{name} is empty: write a date as YYYY-MM-DD, like 2026-03-01, or leave it out ({default})."
        )
    text = as_written(text.strip())  # `--from " 2026-03-01 "` pasted from a cell, `“1 March 2026.”` from a sentence
    named = (
        days_named(text, name, year=year, latest_by=today)
        or _said_days(text, today)
        or quarter_days(text, today=today, year=year)
        or _days_in_figures(text)
    )
    if named is None:
        day = _numbered_day(text, name, order) or _iso_day(text, name)
        named = (day, day)
    for day in named:
        if not EARLIEST <= day <= LATEST:
            raise RangeRefused(
                f"{name} {day.isoformat()} is out of range: an export covers days from {EARLIEST.isoformat()} "
                f"to {LATEST.isoformat()}."
            )
    return named


def _said_days(text: str, today: date) -> tuple[date, date] | None:
    said = " ".join(text.casefold().split())
    if said in DAYS_SAID:
        day = today - timedelta(days=DAYS_SAID[said])
        return day, day
    if said.endswith("week") and said in SPANS_SAID:
        monday = today - timedelta(days=today.weekday() + 7 * SPANS_SAID[said])
        return monday, monday + timedelta(days=6)
    if said.endswith("month") and said in SPANS_SAID:
        first = today.replace(day=1)
        for _ in range(SPANS_SAID[said]):
            first = (first - timedelta(days=1)).replace(day=1)
        return _month(first.year, first.month)
    if said.endswith("quarter") and said in SPANS_SAID:
        month = (today.month - 1) // 3 * 3 + 1 - 3 * SPANS_SAID[said]
        begun = date(today.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)
        return quarter_days(f"Q{(begun.month + 2) // 3} {begun.year}", today=today)
    if said.endswith("year") and said in SPANS_SAID:
        year = today.year - SPANS_SAID[said]
        return date(year, 1, 1), date(year, 12, 31)
    return None


def _days_in_figures(text: str) -> tuple[date, date] | None:
    """A day written year first with slashes or dots (`2026/01/25`), a month (`2026-01`), a year (`2025`)."""
    plain = text.strip()
    if (day := _YEAR_FIRST.fullmatch(plain)) and (read := _date(int(day[1]), int(day[3]), int(day[4]))):
        return read, read
    if month := _MONTH_IN_FIGURES.fullmatch(plain):
        year, number = (int(month[1]), int(month[2])) if month[1] else (int(month[4]), int(month[3]))
        return _month(year, number) if 1 <= number <= 12 and year >= 1 else None
    if _YEAR.fullmatch(plain) and int(plain) >= 1:
        return date(int(plain), 1, 1), date(int(plain), 12, 31)
    return None


def first_day(text: str, name: str, default: str, *, today: date, until: date | None, order: str | None = None) -> date:
    """FROM: a day written with its month's name and without its year takes TO's (`until`), or the year before when
    its month comes after TO's (`Dec 1 to Jan 31, 2026`, `April to March 2026`): in TO's month it stays in TO's year,
    and a range typed backwards (`Jan 31 to Jan 1, 2026`) is refused as one, never read as a year long."""
    year = until.year if until is not None and not written_with_a_year(text) else None
    start = typed_days(text, name, default, today=today, year=year, order=order)[0]
    if year is not None and until is not None and start.month > until.month and start.year == year:
        start = typed_days(text, name, default, today=today, year=year - 1, order=order)[0]
    return start


def without_its_year(text: str) -> bool:
    """Whether `text` is a day, a month or a quarter written without its year (`Mar 3`, `March`, `Q3`): read as the
    latest that has begun, or after the range's other end."""
    plain = as_written(text.strip())
    if quarter := QUARTER.fullmatch(plain):
        return not (quarter[2] or quarter[3])
    return not written_with_a_year(plain) and any(word.strip(",.").casefold() in MONTHS for word in plain.split())


def last_day_after(text: str, name: str, *, start: date, today: date, order: str | None = None) -> date:
    """TO written without its year (`without_its_year`): the last day of the first it can be that ends on or after
    `start` (`Dec 20 to Jan 5` runs into the next year, `Mar 10 to Q1` stays in Q1 of FROM's year); ending in FROM's
    month it stays in FROM's year, so that a range typed backwards (`Jan 31 to Jan 1`) is refused as one, never read as
    a year long."""
    named = typed_days(text, name, "today", today=today, year=start.year, order=order)
    if named[1] < start and named[1].month != start.month:
        named = typed_days(text, name, "today", today=today, year=start.year + 1, order=order)
    return named[1]


def spelt(day: date) -> str:
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def _iso_day(text: str, name: str) -> date:
    short = _SHORT_DAY.fullmatch(text)  # 2026-1-5: year first, as ISO puts it, its zeros left out
    typed = f"{short[1]}-{int(short[2]):02}-{int(short[3]):02}" if short else text
    try:
        day = date.fromisoformat(typed) if _DAY.fullmatch(typed) else None
    except ValueError:
        day = None
    if day is None:
        raise InvalidInput(_not_a_date(text, name, typed))
    return day


DAY_FIRST, MONTH_FIRST = "day first", "month first"


def figures_order(text: str | None) -> str | None:
    """Whether a day in figures can only be written day first (`25/01/2026`) or month first (`01/25/2026`): the order
    the range's other end is read in (`01/03/2026 - 31/03/2026` is all of March)."""
    numbers = _NUMBERS.fullmatch(as_written(text.strip())) if text else None
    if numbers is None or not (int(numbers[1]) > 12) ^ (int(numbers[3]) > 12):
        return None
    return DAY_FIRST if int(numbers[1]) > 12 else MONTH_FIRST


def _numbered_day(text: str, name: str, order: str | None) -> date | None:
    """`25/01/2026`, `01/25/2026`, `25.01.2026`: the one day its numbers can be, day or month first, or in `order`;
    refused, naming both, when they can be two (`05/01/2026`). None when they are no day at all."""
    numbers = _NUMBERS.fullmatch(text.strip())
    if numbers is None:
        return None
    one, two, year = int(numbers[1]), int(numbers[3]), int(numbers[4])
    day_first, month_first = _date(year, two, one), _date(year, one, two)
    if day_first and month_first and order is not None:
        return day_first if order == DAY_FIRST else month_first
    if day_first and month_first and day_first != month_first:
        raise InvalidInput(
            f"{name} `{text.strip()}` could be {spelt(day_first)} (day first) or {spelt(month_first)} (month "
            f"first): write the one you mean as YYYY-MM-DD ({day_first.isoformat()} or {month_first.isoformat()}) "
            f"or with its month's name (`{spelt(day_first)}`)."
        )
    return day_first or month_first


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _not_a_date(text: str, name: str, typed: str) -> str:
    """A channel or person picked in Slack where a date goes (someone after a team's export) is named in words:
    its markup, cut short, read as garbage. A day as people write it is told in YYYY-MM-DD."""
    what = mention_in_words(text)
    if what is None:
        return f"{name} `{truncate(text, SHOWN)}` is not a date: {_iso_hint(typed)}"
    return (
        f"{name}: {what} is not a date, nor a team: write a date as YYYY-MM-DD, like 2026-03-01, and a team as "
        "`team:NAME`, like `team:Support East`."
    )


_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_WORDS = re.compile(r"[a-z]+|[0-9]+")
WRITE_ISO = "write it as YYYY-MM-DD, like 2026-03-01."


def _iso_hint(typed: str) -> str:
    """How to write the day meant in YYYY-MM-DD, when it can be told; else the rule alone."""
    return _from_words(typed) or _beyond_its_month(typed) or _short_year(typed) or WRITE_ISO


_SHORT_YEAR = re.compile(r"([0-9]{1,2})([/.-])([0-9]{1,2})\2([0-9]{2})")


def _short_year(typed: str) -> str | None:
    """`25/1/26`: two figures could be the year, or the day of a year written first."""
    short = _SHORT_YEAR.fullmatch(typed.strip())
    if short is None:
        return None
    return f"write the year in full, like `{short[1]}{short[2]}{short[3]}{short[2]}20{short[4]}`, or YYYY-MM-DD."


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
    return first, first.replace(day=calendar.monthrange(year, month)[1])


def _iso(year: int, month: int, day: int) -> str:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return ""
