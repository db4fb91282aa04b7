"""Reading the policy TOML: typed values, and errors that name the line they are about."""

import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from services.errors import InvalidInput
from services.money import CURRENCIES, decimals_of, has_minor_units_of, minor_units_rule
from services.policy.toml_where import left_open

MAX_MONEY = Decimal(1_000_000)  # no boundary or reward in a frontline policy comes near this
_HEADER = re.compile(r"^\s*\[+\s*([^\]]+?)\s*\]+\s*(#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-\"'.]+)\s*=")
_TOML_WHERE = re.compile(r" \(at line (?P<line>\d+), column (?P<column>\d+)\)$")
_AT_END = " (at end of document)"
EMPTY = "the policy file is empty (or holds only comments): start from policy.example.toml"
NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}\Z")
"""A name people type and Slack carries as a menu value: reward keys and boundary categories."""
_LONE_CARRIAGE_RETURN = re.compile(r"\r(?!\n)")
NAME_RULE = "1 to 40 lowercase letters, digits and _"
SLACK_CHANNEL = re.compile(r"^[CG][A-Z0-9]{2,}\Z")
SLACK_CHANNEL_RULE = "a Slack channel id like C0123ABCD"


class PolicyError(InvalidInput):
    """The policy file has problems; each names its line. Nothing was loaded."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("the policy file was not loaded:\n" + "\n".join(problems))


@dataclass
class PolicyText:
    """The parsed TOML with a way to find the line of any table or key, and a list of problems."""

    text: str
    data: dict[str, Any]
    problems: list[str] = field(default_factory=list)

    @classmethod
    def parse(cls, text: str) -> "PolicyText":
        text = with_line_feeds(text.lstrip("\ufeff"))  # saved with a byte-order mark, as some Windows editors do
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise PolicyError([toml_problem(str(error), text)]) from None
        if not data:
            raise PolicyError([EMPTY])
        return cls(text=text, data=data)

    def line_of(self, *path: str) -> int:
        """The line where a dotted path is defined: its key, its [table] header, or its parent's."""
        for depth in range(len(path), 0, -1):
            found = self._find(path[:depth])
            if found:
                return found
        return 1

    def _find(self, path: tuple[str, ...]) -> int:
        """The line defining `path`; for a table only ever named inside its sub-tables' headers (a mistyped
        `[profile.agent]` makes a table `profile`), the first of those headers."""
        dotted = ".".join(path)
        inside = 0
        for number, table, key in self._lines():
            if key is None and table == dotted:
                return number
            if key is not None and ".".join([*table.split("."), key] if table else [key]) == dotted:
                return number
            if key is None and not inside and table.startswith(dotted + "."):
                inside = number
        return inside

    def _lines(self) -> Iterator[tuple[int, str, str | None]]:
        table = ""
        for number, line in enumerate(self.text.split("\n"), start=1):  # tomllib's lines (`_curly_quote_at`)
            header = _HEADER.match(line)
            if header:
                table = header.group(1).replace('"', "").replace("'", "").replace(" ", "")
                yield number, table, None
                continue
            key = _KEY.match(line)
            if key:
                yield number, table, key.group(1).strip("\"'")

    def problem(self, path: tuple[str, ...], message: str) -> None:
        where = ".".join(path)
        self.problems.append(f"line {self.line_of(*path)}: {where}: {message}" if where else message)

    def raise_if_problems(self) -> None:
        if self.problems:
            raise PolicyError(self.problems)

    # -- typed reads that record a problem and return a default ---------------------------------
    def table(self, path: tuple[str, ...], value: Any) -> dict[str, Any]:
        if isinstance(value, dict):
            return value
        self.problem(path, f"must be a table (like [{'.'.join(path)}]), got {value!r}")
        return {}

    def unknown_keys(self, path: tuple[str, ...], table: dict[str, Any], allowed: set[str]) -> None:
        for key in sorted(set(table) - allowed):
            self.problem((*path, key), f"unknown key (allowed here: {', '.join(sorted(allowed))})")

    def money(self, path: tuple[str, ...], value: Any, currency: str | None = None) -> Decimal | None:
        """A TOML number (not text), finite, from 0 to MAX_MONEY, with at most the decimals of `currency` (two
        without one: hours of time off)."""
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            quoted = " (write it without quotes)" if isinstance(value, str) else ""
            self.problem(path, f"must be an amount of money, a number like 50 or 19.99, got {value!r}{quoted}")
            return None
        amount = _decimal(value)
        if amount is None or amount > MAX_MONEY:
            self.problem(path, f"must be at most {MAX_MONEY:,}, got {value!r}")
            return None
        if amount < 0:
            self.problem(path, f"cannot be negative (got {value})")
            return None
        if not has_minor_units_of(amount, currency):
            cents = decimals_of(currency) == 2
            too_many = "has more than two decimals" if cents else f"has more decimals than {currency} has"
            why = "money is counted in cents" if cents else minor_units_rule(currency)
            self.problem(path, f"{too_many} (got {value!r}): {why}")
            return None
        return amount

    def number(self, path: tuple[str, ...], value: Any, *, minimum: float, maximum: float) -> float | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or not minimum <= value <= maximum:
            self.problem(path, f"must be a number from {minimum:g} to {maximum:g}, got {value!r}")
            return None
        return float(value)

    def whole(self, path: tuple[str, ...], value: Any, *, minimum: int, maximum: int) -> int | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
            self.problem(path, f"must be a whole number from {minimum} to {maximum}, got {value!r}")
            return None
        return value

    def string(self, path: tuple[str, ...], value: Any, *, choices: tuple[str, ...] | None = None) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str) or (choices is not None and value not in choices):
            expected = f"one of {', '.join(choices)}" if choices else "text in quotes"
            self.problem(path, f"must be {expected}, got {value!r}")
            return None
        return value

    def currency(self, path: tuple[str, ...], value: Any) -> str | None:
        """One of CURRENCIES; a three-decimal currency (KWD) is refused saying so, and `usd` with the code to write."""
        if isinstance(value, str) and value not in CURRENCIES and decimals_of(value.upper()) == 3:
            offered = ", ".join(CURRENCIES)
            self.problem(path, f"{value} has three decimals, which Latitude does not offer yet: use one of {offered}")
            return None
        if isinstance(value, str) and value.upper() in CURRENCIES and value not in CURRENCIES:
            self.problem(path, f'is an ISO code in capitals: write "{value.upper()}", not {value!r}')
            return None
        return self.string(path, value, choices=CURRENCIES)

    def flag(self, path: tuple[str, ...], value: Any) -> bool | None:
        if value is None:
            return None
        if not isinstance(value, bool):
            self.problem(path, f"must be true or false, got {value!r}")
            return None
        return value


def _decimal(value: int | float) -> Decimal | None:
    """The number as written (str of a float is its shortest repr), or None for inf and nan."""
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None


def with_line_feeds(text: str) -> str:
    """The text with each line ended by a carriage return alone (an old Mac editor's, which TOML does not allow) ended
    by a line feed: read, and its problems named by their line, as saved elsewhere. TOML allows a carriage return
    nowhere but before a line feed, so nothing a valid file says changes."""
    return _LONE_CARRIAGE_RETURN.sub("\n", text)


def toml_problem(message: str, text: str) -> str:
    """tomllib's "Invalid value (at line 3, column 12)" told as every other problem is, by its line first; one "at end
    of document" by the line where the string, array or table left open began, else by the file's last line."""
    where = _TOML_WHERE.search(message)
    if where is None and message.endswith(_AT_END):
        opening = left_open(text)
        if opening is not None:
            return f"line {opening.line}: not valid TOML: {opening.what} is never closed (column {opening.column})"
        last = text.count("\n", 0, len(text.rstrip())) + 1
        return f"line {last}: not valid TOML: {message[: -len(_AT_END)]} at the end of the file"
    if where is None:
        return f"not valid TOML: {message}"
    told = f"line {where['line']}: not valid TOML: {message[: where.start()]} (column {where['column']})"
    return told + _curly_quote_at(text, int(where["line"]), int(where["column"]))


_CURLY_QUOTES = "“”„‟‘’‚‛«»"
_CURLY_QUOTES_HINT = (
    ': the quote there is curly ({quote}), as TextEdit, Word or a phone type quotes; TOML takes straight ones (" or '
    "'): turn smart quotes off and type them again"
)


def _curly_quote_at(text: str, line: int, column: int) -> str:
    """Said after tomllib's message when it stopped at a curly quote (`currency = “USD”`): an editor's smart quotes,
    which "Invalid value" alone would not tell."""
    lines = text.split("\n")  # as tomllib counts lines: `splitlines` also ends one at U+2028, U+0085 or a form feed
    found = lines[line - 1][column - 1 : column] if 0 < line <= len(lines) else ""
    return _CURLY_QUOTES_HINT.format(quote=found) if found and found in _CURLY_QUOTES else ""
