"""Which delimiter separates the org CSV's cells, and where its header begins: below Excel's `sep=` line, if any."""

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass

LINE_END = re.compile(r"\r\n|\r|\n")
_SEP_LINE = re.compile(r'"?sep=([^"\r\n])"?([,;\t ]*)(?:\r\n|\r|\n|\Z)', re.IGNORECASE)
"""`sep=;` on the first line, which some exports write so that Excel picks the delimiter: the header follows it. A
sheet program saving the file again pads it to the header's width with its own delimiter (`sep=;,,,,`)."""


@dataclass(frozen=True)
class Layout:
    header_at: int  # where the header begins: 0, or past a `sep=` line
    delimiter: str
    contradiction: str | None  # the `sep=` line names another delimiter than the header's: the file's problem


def read_layout(text: str, required: Sequence[str]) -> Layout:
    """The delimiter a `sep=` line names, trusted when nothing but repeats of it follow it; else the header's own.
    Padded with another one (`sep=;,,,,`), the file was saved again since, with that other, which the header shows."""
    sep_line = _SEP_LINE.match(text)
    header_at = sep_line.end() if sep_line else 0
    header = LINE_END.split(text[header_at:], 1)[0]
    own = _delimiter(header)
    if sep_line is None or sep_line[2].strip(sep_line[1] + " "):
        return Layout(header_at, own, None)
    stated = sep_line[1]
    return Layout(header_at, stated, _contradiction(stated, own, header, required))


def _contradiction(stated: str, own: str, header: str, required: Sequence[str]) -> str | None:
    """What to say when the header, split by the stated delimiter, lacks columns that its own delimiter finds."""
    names = {
        mark: {cell.strip().lower() for cell in next(csv.reader([header], delimiter=mark))} for mark in {stated, own}
    }
    if set(required) <= names[stated] or not set(required) <= names[own]:
        return None
    return f"line 1 says `sep={stated}` but the header on line 2 is separated by `{own}`: fix or delete line 1"


def _delimiter(header: str) -> str:
    """A comma; where the header has none, a semicolon, as Excel saves "CSV" in the many locales whose decimal mark
    is a comma, or a tab, as it saves "Text (Tab delimited)"."""
    others = [mark for mark in (";", "\t") if mark in header]
    return others[0] if "," not in header and len(others) == 1 else ","
