"""Reading the org CSV: every row checked, each problem naming its line, before anything is written."""

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, String

from models import ROLES, Employee, Team
from services.calendar import is_time_zone
from services.errors import InvalidInput
from services.org_delimiter import LINE_END as _LINE_END
from services.org_delimiter import read_layout
from services.org_managers import Directory, cycle_problems, outside_manager_problem
from services.text import plural

REQUIRED_COLUMNS = ("slack_id", "name", "team", "role", "manager_slack_id")
OPTIONAL_COLUMNS = ("email", "tz", "profile")
_SLACK_USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}\Z")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+\Z")
_PROFILE = re.compile(r"^[a-z][a-z0-9_]*\Z")


# What the directory's columns hold: a longer cell is the row's problem, not the database's error.
def _longest(column: ColumnElement[Any]) -> int:
    kind = column.type
    assert isinstance(kind, String) and kind.length, f"{column} has no length"
    return kind.length


_LONGEST = {
    "name": _longest(Employee.__table__.c.name),
    "team": _longest(Team.__table__.c.name),
    "email": _longest(Employee.__table__.c.email),
    "profile": _longest(Employee.__table__.c.profile),
}


@dataclass(frozen=True)
class OrgRow:
    line: int
    slack_id: str
    name: str
    team: str
    role: str
    manager_slack_id: str | None
    email: str | None
    tz: str | None
    profile: str | None
    columns: frozenset[str]  # the optional columns the file has: one it lacks leaves the stored value alone

    def optional_values(self) -> dict[str, str | None]:
        """What the row sets beyond the required columns; an empty cell is None, which clears the value."""
        return {column: getattr(self, column) for column in OPTIONAL_COLUMNS if column in self.columns}


class OrgFileError(InvalidInput):
    """The file has problems; each names its line. Nothing was written."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


def parse_org_csv(text: str, *, directory: Directory | None = None) -> list[OrgRow]:
    """The file's people, every row checked. `directory`: the stored people, for an import that updates only the
    people in the file, where a manager it does not list is looked for; None: every manager must be in the file."""
    text = text.lstrip("\ufeff")
    layout = read_layout(text, REQUIRED_COLUMNS)
    if not text[layout.header_at :].strip():
        raise OrgFileError(
            [f"the file is empty: it needs a header line ({','.join(REQUIRED_COLUMNS)}) and a row a person"]
        )
    # newline="": a file saved with a carriage return alone at each line's end (Excel's "CSV (Macintosh)") reads too
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=layout.delimiter)
    if layout.header_at:
        next(reader.reader)  # read past the `sep=` line, so that the reader counts it among the file's lines
    if layout.contradiction:
        raise OrgFileError([layout.contradiction])
    columns = _read_header(reader)
    rows, problems, listed = [], [], set()
    for line, raw in _records(reader):
        values = {key: _unquoted_cell(value or "") for key, value in raw.items() if key is not None}
        if not any(values.values()) and not _extra_cells(raw):
            continue  # `,,,,` below the people: a spreadsheet saves the rows it has formatted, empty or not
        values["role"] = values.get("role", "").lower()  # `Manager`, as a spreadsheet capitalises it, is a role
        listed.add(values.get("slack_id", ""))
        row_problems = _broken_cells(reader.line_num, raw, reader.reader.dialect.delimiter) or (
            _row_problems(values) + _extra_cells(raw) + _unnamed_cells(values)
        )
        problems += [f"line {line}: {problem}" for problem in row_problems]
        if not row_problems:
            rows.append(_to_row(line, values, columns))
    problems += cross_row_problems(rows, listed, directory)
    if problems:
        raise OrgFileError(sorted(problems, key=_line_number))
    if not rows:
        raise OrgFileError(["the file has a header but no people"])
    return rows


_CURLY_PAIR = re.compile(r"[“„‟«»]\s*(?P<cell>[^“”„‟«»]*?)\s*[”“»«]")
"""A cell wholly in one pair of the double quotes a word processor curls (`“Support East”`, `„Müller“`, `«Équipe
Est»`); one holding other curly quotes (`“JJ” Smith “Jr”`) is kept as written."""


def _unquoted_cell(value: str) -> str:
    """A cell's text without the spaces and curly double quotes around it, as CSV takes straight ones off."""
    plain = value.strip()
    curled = _CURLY_PAIR.fullmatch(plain)
    return curled["cell"] if curled else plain


def _records(reader: "csv.DictReader[str]") -> Iterator[tuple[int, dict[str | None, Any]]]:
    """Each row with the line it starts on (the csv module skips blank lines before a row, and counts a line break
    inside a quoted cell as a line); a file it cannot read is the problem of the line after the last row read."""
    while True:
        after = reader.line_num + 1
        try:
            raw = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            too_long = "field larger than field limit" in str(error)
            why = 'a cell runs on from here without end: is a quote (") left open?' if too_long else str(error)
            raise OrgFileError([f"line {after}: not readable as CSV: {why}"]) from None
        breaks = sum(len(_LINE_END.findall(cell)) for cell in _cells(raw))  # one more for a quote open to the end
        yield max(after, reader.line_num - breaks), raw


def _cells(raw: dict[str | None, Any]) -> list[str]:
    return [cell for cell in (*raw.values(), *(raw.get(None) or [])) if isinstance(cell, str)]


def _broken_cells(last_line: int, raw: dict[str | None, Any], delimiter: str) -> list[str]:
    """A cell that holds a line break once trimmed (one at its end, Alt+Enter in a spreadsheet, is trimmed away): no
    cell of the directory holds one. Where the lines it took in hold cells of their own, a quote (") opened it and
    closed it on a later line, or never, and the rows it swallowed are no rows of their own."""
    broken = [cell.strip() for cell in _cells(raw) if _LINE_END.search(cell.strip())]
    if not broken:
        return []
    if any(delimiter in cell for cell in broken):
        return [f'a quote (") opens a cell that runs on to line {last_line}: close it, or take it out']
    return ["a cell holds a line break (Alt+Enter in a spreadsheet): take it out"]


_UNNAMED = "\0unnamed "
"""A header cell left empty (`profile,,`: a spreadsheet saves the columns it has formatted): a column with no name,
allowed as long as no row writes in it."""


def _unnamed_cells(values: dict[str, str]) -> list[str]:
    written = sum(1 for key, value in values.items() if key.startswith(_UNNAMED) and value)
    return [f"{plural(written, 'cell')} under a column with no name in the header"] if written else []


def _extra_cells(raw: dict[str | None, object]) -> list[str]:
    """A row longer than the header (a shifted row, a stray comma) is refused: its last cells would be lost. A cell
    opened with a curly quote (`“Agent, Ben”`, typed in a word processor) is named as the likely cause: CSV quotes
    only with straight ones, so its comma split it."""
    extra = [cell for cell in raw.get(None) or [] if str(cell).strip()]  # type: ignore[attr-defined]
    if not extra:
        return []
    cells = [str(cell).strip() for key, cell in raw.items() if key is not None] + [str(cell).strip() for cell in extra]
    curly = next((cell[0] for cell in cells if cell and cell[0] in _CURLY_OPENING), None)
    counted = f"{plural(len(extra), 'cell')} more than the header has columns"
    return [counted + (_SPLIT_BY_A_CURLY_QUOTE.format(quote=curly) if curly else "")]


_SPLIT_BY_A_CURLY_QUOTE = (
    ": a cell opens with a curly quote ({quote}), which CSV does not read as a quote, so a comma in it split it: write "
    'straight quotes ("…")'
)
_CURLY_OPENING = "“„‘‚«»"


def _read_header(reader: "csv.DictReader[str]") -> frozenset[str]:
    """Check the header, names matched whatever their letter case and spaces; returns the optional columns it has."""
    written = [name.strip() for name in reader.fieldnames or []]
    line = f"line {reader.line_num}"  # 1, or 2 below a `sep=` line
    header = [name.lower() or f"{_UNNAMED}{n}" for n, name in enumerate(written)]
    reader.fieldnames = header
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise OrgFileError([f"{line}: missing column(s) {', '.join(missing)} (need {','.join(REQUIRED_COLUMNS)})"])
    known = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
    unknown = [
        repr(as_written)
        for as_written, name in zip(written, header, strict=True)
        if name not in known and not name.startswith(_UNNAMED)
    ]
    if unknown:
        raise OrgFileError([f"{line}: unknown column(s) {', '.join(unknown)} (the columns are {','.join(known)})"])
    repeated = sorted({name for name in header if header.count(name) > 1})
    if repeated:
        raise OrgFileError([f"{line}: column(s) {', '.join(repeated)} given more than once: keep one of each"])
    return frozenset(header) & frozenset(OPTIONAL_COLUMNS)


def _row_problems(values: dict[str, str]) -> list[str]:
    problems = []
    if not _SLACK_USER_ID.match(values.get("slack_id", "")):
        problems.append(f"slack_id {values.get('slack_id')!r} is not a Slack user id (like U012AB3CD)")
    for column in ("name", "team"):
        if not values.get(column):
            problems.append(f"{column} is empty")
    if values.get("role") not in ROLES:
        problems.append(f"unknown role {values.get('role')!r} (use {', '.join(ROLES)})")
    if values.get("email") and not _EMAIL.match(values["email"]):
        problems.append(f"email {values['email']!r} is not an email address")
    if values.get("tz") and not is_time_zone(values["tz"]):
        problems.append(f"tz {values['tz']!r} is not an IANA time zone (like Europe/Paris)")
    if values.get("profile") and not _PROFILE.match(values["profile"]):
        problems.append(f"profile {values['profile']!r} must be lowercase letters, digits and _")
    for column, longest in _LONGEST.items():
        if len(values.get(column) or "") > longest:
            problems.append(f"{column} is {len(values[column]):,} characters long (at most {longest})")
    return problems


def _to_row(line: int, values: dict[str, str], columns: frozenset[str]) -> OrgRow:
    return OrgRow(
        line=line,
        slack_id=values["slack_id"],
        name=values["name"],
        team=values["team"],
        role=values["role"],
        manager_slack_id=values.get("manager_slack_id") or None,
        email=values.get("email") or None,
        tz=values.get("tz") or None,
        profile=values.get("profile") or None,
        columns=columns,
    )


def _line_number(problem: str) -> int:
    """Problems are told in the order of the file's lines, as someone fixing it reads it."""
    return int(problem.removeprefix("line ").partition(":")[0])


def cross_row_problems(rows: list[OrgRow], listed: set[str], directory: Directory | None) -> list[str]:
    """Duplicates, managers and cycles; `listed`: every row's slack_id, a row with a problem of its own included,
    so that its reports are not also told their manager is missing from the file. `directory`: the stored people,
    where a manager the file leaves out is looked for (None: the file is the whole organisation)."""
    problems = _duplicate_problems(rows)
    for row in rows:
        if row.manager_slack_id == row.slack_id:
            problems.append(f"line {row.line}: {row.slack_id} cannot be their own manager")
        elif row.manager_slack_id and row.manager_slack_id not in listed:
            problem = outside_manager_problem(row.manager_slack_id, directory)
            problems += [f"line {row.line}: {problem}"] if problem else []
    if not problems:
        manager_of = {row.slack_id: row.manager_slack_id for row in rows}
        problems += cycle_problems(manager_of, {row.slack_id: row.line for row in rows}, directory)
    return problems


def _duplicate_problems(rows: list[OrgRow]) -> list[str]:
    """A Slack id or an email on two rows, naming both. An email is one mailbox whatever its letter case, and Slack
    gives each member their own: a row copied and edited without its email would file the second person's rewards
    under the first one's address in the export. A row repeating a whole person is told once, as a duplicate id."""
    problems: list[str] = []
    first_line: dict[str, int] = {}
    first_email: dict[str, OrgRow] = {}
    for row in rows:
        if row.slack_id in first_line:
            problems.append(
                f"line {row.line}: duplicate slack_id {row.slack_id} (first on line {first_line[row.slack_id]})"
            )
            continue
        first_line[row.slack_id] = row.line
        owner = first_email.setdefault(row.email.lower(), row) if row.email else row
        if owner is not row:
            problems.append(
                f"line {row.line}: duplicate email {row.email} ({row.slack_id}; also on line {owner.line}, "
                f"{owner.slack_id}): each person needs their own"
            )
    return problems
