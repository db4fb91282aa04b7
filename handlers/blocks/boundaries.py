"""Block Kit for /boundaries: each category's limits and what is left of the allowance."""

from handlers.blocks.allowance import allowance_words
from handlers.blocks.kit import MESSAGE_BLOCKS, MESSAGE_TEXT, Block, context_block, inline, text_block
from handlers.blocks.packing import CUT_LINE, packed_sections
from models import Employee
from services.money import format_money
from services.policy.versions import BoundaryRule
from services.resolutions.fixes import AllowanceLine
from services.text import escape_mrkdwn

ROOM = MESSAGE_BLOCKS - 3
"""Blocks left for the categories: the header, the note /boundaries puts first for someone just added, and the
line saying descriptions were left out."""
CATEGORY_BUDGET = MESSAGE_TEXT - 1_500
"""Characters for the categories: the rest is for the header and the notes around them."""
SHORTENED = "Descriptions left out to fit one message: `/boundaries <category>` shows a category in full."
LEFT_OUT = "`/boundaries <category>` shows any of them."
NAMED_ONLY = "…and {count} more, only named to fit one message: `/boundaries <category>` shows any of them in full."
NAMES_LINE = 200
"""Room kept for the line before the categories named only."""
INSIDE = "Inside them, fix it and log it with `/resolve`; nobody needs to approve."
NOT_LISTED_YET = (
    "They are not yours yet: the org file does not list you, so *every fix you log goes to the admins to decide*, "
    "however small. Ask HR to add you; from then on, inside these limits nobody needs to approve."
)
NO_ADMIN_YET = (
    "They are not yours yet: the org file does not list you, and nobody is an admin in Latitude yet to decide a fix "
    "for someone it does not list, so `/resolve` cannot log one for now. Once HR imports the org file with you in it, "
    "inside these limits nobody needs to approve."
)


def limits_words(rule: BoundaryRule, currency: str) -> str:
    if not rule.involves_money:
        return "no money involved: just log it"
    parts = [
        f"{label} {format_money(value, currency)}"
        for label, value in (
            ("up to", rule.per_incident),
            ("per day", rule.per_day),
            ("per month", rule.per_month),
            ("per customer in 30 days", rule.per_customer_30d),
        )
        if value is not None
    ]
    if rule.needs_customer_ref:
        parts.append("customer reference needed")
    return ", ".join(parts)


def boundaries(
    lines: list[AllowanceLine], currency: str, version: int, employee: Employee, *, no_admin: bool = False
) -> list[Block]:
    """Every category, several to a section: a profile may hold 100, more than a message has blocks or text.

    When their descriptions would not fit one message, they are left out; past that, the last categories are only
    named, as many as it takes for the message to hold them all (`/boundaries <category>` shows any one in full).
    """
    header = f"*Your boundaries* (profile `{escape_mrkdwn(employee.boundary_profile)}`, policy version {version}). " + (
        INSIDE if employee.in_directory else NO_ADMIN_YET if no_admin else NOT_LISTED_YET
    )
    rows = [category_words(line, currency) for line in lines]
    shortened = _length(rows) > CATEGORY_BUDGET
    if shortened:
        rows = [category_words(line, currency, described=False) for line in lines]
    names = [f"`{escape_mrkdwn(line.rule.category)}`" for line in lines]
    full = _in_full(rows, names)
    packed = packed_sections(rows[:full], ROOM - 3, gap="\n\n", where=LEFT_OUT, budget=CATEGORY_BUDGET + CUT_LINE)
    return [text_block(header), *packed, *_named_only(names[full:]), *([context_block(SHORTENED)] if shortened else [])]


def _in_full(rows: list[str], names: list[str]) -> int:
    """How many categories show in full, the ones after them named only, for all of them to fit the budget: a name
    is shorter than its category in full, so naming more makes room. When the names left would be more than
    `_named_only` shows (an older stored policy may hold longer names, and more of them), none is named only: the
    categories in full end where the message must, saying how many were left out and where they are."""
    for full in range(len(rows), -1, -1):
        rest = names[full:]
        named = _length(rest) + NAMES_LINE if rest else 0
        if _length(rows[:full]) + named <= CATEGORY_BUDGET:
            return full if _all_named(rest) else len(rows)  # naming fewer would put more in full, over the budget
    return len(rows)


def _named_only(names: list[str]) -> list[Block]:
    if not names:
        return []
    return [context_block(NAMED_ONLY.format(count=len(names))), *_names(names)]


def _names(names: list[str]) -> list[Block]:
    return packed_sections(names, 2, gap=", ", where=LEFT_OUT)


def _all_named(names: list[str]) -> bool:
    """Whether `_named_only` shows every one of these names, rather than cut them short."""
    return all(block["type"] == "section" for block in _names(names))


def category_words(line: AllowanceLine, currency: str, *, described: bool = True) -> str:
    return (
        f"*{escape_mrkdwn(line.rule.category)}* — {escape_mrkdwn(limits_words(line.rule, currency))}"
        + (f"\n{inline(line.rule.description, 500)}" if described and line.rule.description else "")
        + (f"\nLeft: {allowance_words(line, currency)}" if line.rule.involves_money else "")
    )


def _length(rows: list[str]) -> int:
    return sum(len(row) + 2 for row in rows)
