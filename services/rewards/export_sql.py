"""The reward export's query: every cell formatted by the database, in the documented column order."""

from collections.abc import Callable
from datetime import datetime
from typing import Any, NamedTuple, Protocol

from sqlalchemy import Select, String, case, cast, func, literal, select
from sqlalchemy.orm import aliased

from models import Employee, RewardGrant, Team, Workspace
from services.rewards.export_mentions import sqlite_reason_cell
from services.text import FORMULA_START

SQLITE_FORMULA_GLOB = "[" + "".join(sorted(FORMULA_START - {"-"})) + "-]*"
"""A cell that starts like a formula, as a GLOB pattern (`-` last in the class, where it is literal)."""
SQLITE_NEEDS_QUOTES_GLOB = '*[{delimiter}"\r\n]*'
"""A cell Python's CSV writer would quote (QUOTE_MINIMAL with CRLF line ends): the delimiter, a quote, CR or LF."""
POSTGRESQL_FORMULA_CODES = sorted(map(ord, FORMULA_START))
"""The same test on PostgreSQL, as the code of a cell's first character (`ascii`): cheaper than substr or a regex."""


class Layout(NamedTuple):
    """What separates the cells, and the decimal mark of `value`: Excel in a locale whose decimal mark is a comma
    splits a CSV at semicolons, and reads `25.00` as text or a date."""

    delimiter: str
    decimal: str


COMMAS = Layout(",", ".")
SEMICOLONS = Layout(";", ",")


class Period(Protocol):
    """Grants from `start` (included) to `end` (excluded)."""

    @property
    def start(self) -> datetime: ...

    @property
    def end(self) -> datetime: ...


def export_query(
    workspace: Workspace,
    period: Period,
    team: Team | None,
    dialect: str,
    *,
    neutralise: bool,
    blank: Any = "",
    decimal: str = ".",
) -> Select[*tuple[Any, ...]]:
    """The export's rows with every cell already formatted by the database, in the documented column order.

    Formatting in SQL (ISO timestamps, two-decimal values, formula-safe text) lets the CSV writer take
    whole batches at C speed. `blank` is what an empty cell holds: "" for Python's writer, NULL for
    COPY (which quotes an empty string to tell it from NULL, where Python's writer does not).
    """

    def text(column: Any) -> Any:
        cell = func.coalesce(column, "") if blank == "" else func.nullif(column, "")
        if not neutralise:
            return cell
        if dialect == "sqlite":  # one GLOB per cell is cheaper than substr and IN; NULL falls to the else
            return case((column.op("GLOB")(literal(SQLITE_FORMULA_GLOB, String)), "'" + column), else_=cell)
        return case((func.ascii(column).in_(POSTGRESQL_FORMULA_CODES), "'" + column), else_=cell)

    return _select(workspace, period, team, dialect, text, blank, decimal=decimal)


def csv_lines_query(
    workspace: Workspace, period: Period, team: Team | None, layout: Layout = COMMAS
) -> Select[tuple[str]]:
    """SQLite: each grant as one finished CSV line, byte for byte what Python's CSV writer makes of the row.

    Building the line in SQL (formula-safe prefix, quotes doubled, quoted only when needed, CRLF) hands
    Python one string per row instead of eighteen, which it writes out in batches. The line is one
    `printf` (a chain of `||` copies the growing line again at every step), and `%w`
    doubles a quoted cell's quotes as it copies it (where NULL gives an empty cell). A reason that
    mentions someone is the one cell Python makes (`export_mentions.prepare` first).
    """

    def text(column: Any) -> Any:
        """The formula-safe quote goes inside the double quotes; it never changes whether a cell needs them."""
        risky = column.op("GLOB")(literal(SQLITE_FORMULA_GLOB, String))
        needs_quotes = column.op("GLOB")(literal(SQLITE_NEEDS_QUOTES_GLOB.format(delimiter=layout.delimiter), String))
        quoted = case((risky, literal('"\'%w"', String)), else_=literal('"%w"', String))
        return case((needs_quotes, func.printf(quoted, column)), (risky, "'" + column), else_=column)

    def reason(column: Any) -> Any:
        return sqlite_reason_cell(column, text(column))

    query = _select(workspace, period, team, "sqlite", text, "", reason, layout.decimal)
    cells = list(query.selected_columns)
    line = layout.delimiter.join(["%s"] * len(cells)) + "\r\n"
    return query.with_only_columns(func.printf(literal(line, String), *cells))


def _select(
    workspace: Workspace,
    period: Period,
    team: Team | None,
    dialect: str,
    text: Callable[[Any], Any],
    blank: Any,
    reason: Callable[[Any], Any] | None = None,
    decimal: str = ".",
) -> Select[*tuple[Any, ...]]:
    """`text` formats the free text (names, email, team, title, reason unless `reason` is given); the codes go
    out as stored.

    A code can neither start like a formula nor need quotes, by what is allowed into it: a Slack user id
    (`U`/`W`, capitals and digits), a reward key (lowercase, digits, `_`), a kind, a currency or
    `hours`, a status (a test in `tests/unit/test_rewards_rules.py` keeps it so). Leaving their checks out
    saves a third of the database's work on the line. The team and manager are the grant's own, the recipient's when
    it was granted: a quarter exported by team keeps the grants of someone who moved since with their old team.
    """
    recipient, manager = aliased(Employee), aliased(Employee)
    nominator, approver = aliased(Employee), aliased(Employee)
    query = (
        select(
            RewardGrant.id,
            _iso_sql(RewardGrant.granted_at, dialect),
            recipient.slack_id,
            *map(text, (recipient.name, recipient.email, Team.name, manager.name)),
            RewardGrant.item_key,
            text(RewardGrant.title),
            RewardGrant.kind,
            _money_sql(RewardGrant.value, dialect, decimal),
            RewardGrant.unit,
            *map(text, (nominator.name, approver.name)),
            (reason or text)(RewardGrant.reason),
            func.coalesce(cast(RewardGrant.resolution_id, String), blank),
            RewardGrant.status,
            func.coalesce(_iso_sql(RewardGrant.fulfilled_at, dialect), blank),
        )
        .join(recipient, RewardGrant.recipient_id == recipient.id)
        .outerjoin(Team, RewardGrant.team_id == Team.id)
        .outerjoin(manager, RewardGrant.manager_id == manager.id)
        .join(nominator, RewardGrant.nominator_id == nominator.id)
        .outerjoin(approver, RewardGrant.approver_id == approver.id)
        .where(
            RewardGrant.workspace_id == workspace.id,
            RewardGrant.granted_at >= period.start,
            RewardGrant.granted_at < period.end,
            RewardGrant.status.in_(("approved", "fulfilled")),
        )
        .order_by(RewardGrant.granted_at, RewardGrant.id)
    )
    return query.where(RewardGrant.team_id == team.id) if team is not None else query


def _iso_sql(column: Any, dialect: str) -> Any:
    """UTC ISO 8601 with a Z (timestamps are stored as UTC on both databases)."""
    if dialect == "sqlite":
        return func.strftime("%Y-%m-%dT%H:%M:%SZ", column)
    return func.to_char(func.timezone("UTC", column), 'YYYY-MM-DD"T"HH24:MI:SS"Z"')


def _money_sql(column: Any, dialect: str, decimal: str) -> Any:
    money = func.printf("%.2f", column) if dialect == "sqlite" else cast(column, String)
    return money if decimal == "." else func.replace(money, ".", decimal)
