"""Quarters as HR names them for the export: `Q1 2026`, `2026 Q1`, `Q1-2026`, `2026-Q1`; `Q3` without its year is
the latest Q3 that has begun (in its year's first quarter, `Q4` is last year's)."""

import re
from datetime import date, timedelta

QUARTER = re.compile(r"q([1-4])(?:\s*[-/]?\s*([0-9]{4}))?|([0-9]{4})\s*[-/]?\s*q([1-4])", re.IGNORECASE)
"""A quarter, with or without its year, as one phrase (`Q1 2026` is joined before it is read)."""
_QUARTER_WORD = re.compile(r"q[1-4]", re.IGNORECASE)
_YEAR_WORD = re.compile(r"[0-9]{4}")
_ENDS = ",."
"""What a quarter or its year may be followed by in a sentence (`Q1, 2026`, `for Q1 2026.`), meaning nothing more."""


def quarter_days(text: str, *, today: date, year: int | None = None) -> tuple[date, date] | None:
    """The first and last day of the quarter `text` names; None when it names none. Without its year, it takes
    `year` (the range's other end's), or the latest that has begun by `today`."""
    typed = QUARTER.fullmatch(text.strip())
    if typed is None:
        return None
    number = int(typed[1] or typed[4])
    month = 3 * number - 2
    written = typed[2] or typed[3]
    if written:
        year = int(written)
    elif year is None:
        year = today.year if date(today.year, month, 1) <= today else today.year - 1
    if year < 1:
        return None
    first = date(year, month, 1)
    last = date(year, 12, 31) if number == 4 else date(year, month + 3, 1) - timedelta(days=1)
    return first, last


def quarters_joined(words: list[str]) -> list[str]:
    """`Q1`, `2026` as `Q1 2026` (and `2026`, `Q1` as `2026 Q1`, `Q1,`, `2026.` as `Q1 2026.`): a quarter and its year
    are one date; two quarters each with its year joined by a dash (`Q1 2026-Q2 2026`) are two."""
    joined: list[str] = []
    for word in _dash_apart(words):
        if joined and _is_pair(joined[-1], word):
            joined[-1] = f"{joined[-1].rstrip(_ENDS)} {word}"
        else:
            joined.append(word)
    return joined


def _is_pair(before: str, word: str) -> bool:
    quarter_first = _QUARTER_WORD.fullmatch(before.rstrip(_ENDS)) and _YEAR_WORD.fullmatch(word.rstrip(_ENDS))
    year_first = _YEAR_WORD.fullmatch(before.rstrip(_ENDS)) and _QUARTER_WORD.fullmatch(word.rstrip(_ENDS))
    return bool(quarter_first or year_first)


_YEAR_DASH_QUARTER = re.compile(r"([0-9]{4})([-–—])(q[1-4])", re.IGNORECASE)
_QUARTER_DASH_YEAR = re.compile(r"(q[1-4])([-–—])([0-9]{4})", re.IGNORECASE)
_DASH_FIRST = re.compile(r"([-–—])(q[1-4]|[0-9]{4})", re.IGNORECASE)
_DASH_LAST = re.compile(r"(q[1-4]|[0-9]{4})([-–—])", re.IGNORECASE)


def _dash_apart(words: list[str]) -> list[str]:
    """`2026-Q2` after a quarter without its year (`Q1 2026-Q2 2026`) is that quarter's year, a dash and the next
    quarter; `Q1-2026` after a year and before a quarter (`2026 Q1-2026 Q2`) likewise: the dash joins two dates. So
    is a dash typed onto one of two quarters, each with its year, with a space on its other side only (`Q3 2025
    -Q4 2025`, `Q3 2025- Q4 2025`)."""
    apart: list[str] = []
    for at, word in enumerate(words):
        before, after = (words[at - 1] if at else ""), (words[at + 1] if at + 1 < len(words) else "")
        year_dash = _YEAR_DASH_QUARTER.fullmatch(word)
        quarter_dash = _QUARTER_DASH_YEAR.fullmatch(word)
        if year_dash and _QUARTER_WORD.fullmatch(before.rstrip(_ENDS)) and _YEAR_WORD.fullmatch(after.rstrip(_ENDS)):
            apart += year_dash.groups()
        elif quarter_dash and _YEAR_WORD.fullmatch(before) and _QUARTER_WORD.fullmatch(after.rstrip(_ENDS)):
            apart += quarter_dash.groups()
        else:
            apart += _dash_typed_onto(words, at)
    return apart


def _dash_typed_onto(words: list[str], at: int) -> list[str]:
    """The word at `at` with a dash typed onto it set apart, when a quarter and its year are on each side of it."""
    word, around = words[at], ["", "", *words, "", ""]  # `words[at]` is `around[at + 2]`
    dash_first, dash_last = _DASH_FIRST.fullmatch(word), _DASH_LAST.fullmatch(word)
    if dash_first and _is_pair(around[at], around[at + 1]) and _is_pair(dash_first[2], around[at + 3]):
        return list(dash_first.groups())
    if dash_last and _is_pair(around[at + 1], dash_last[1]) and _is_pair(around[at + 3], around[at + 4]):
        return list(dash_last.groups())
    return [word]
