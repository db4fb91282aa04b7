"""Block Kit for /boundaries: each category's limits and what is left of the allowance."""

from handlers.blocks.kit import MESSAGE_BLOCKS, Block, inline, packed_sections, text_block
from handlers.blocks.resolutions import allowance_words
from models import Employee
from services.money import format_money
from services.policy.versions import BoundaryRule
from services.resolutions.fixes import AllowanceLine
from services.text import escape_mrkdwn

ROOM = MESSAGE_BLOCKS - 2
"""Blocks left for the categories: the header, and the note /boundaries puts first for someone just added."""


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
    if rule.requires_customer_ref:
        parts.append("customer reference needed")
    return ", ".join(parts)


def boundaries(lines: list[AllowanceLine], currency: str, version: int, employee: Employee) -> list[Block]:
    """Every category, several to a section: a profile may hold 100, more than a message has blocks."""
    header = (
        f"*Your boundaries* (profile `{escape_mrkdwn(employee.boundary_profile)}`, policy version {version}). "
        "Inside them, fix it and log it with `/resolve`; nobody needs to approve."
    )
    rows = [category_words(line, currency) for line in lines]
    return [text_block(header), *packed_sections(rows, ROOM, gap="\n\n", where="the `/resolve` form lists them all.")]


def category_words(line: AllowanceLine, currency: str) -> str:
    return (
        f"*{escape_mrkdwn(line.rule.category)}* — {escape_mrkdwn(limits_words(line.rule, currency))}"
        + (f"\n{inline(line.rule.description, 500)}" if line.rule.description else "")
        + (f"\nLeft: {allowance_words(line, currency)}" if line.rule.involves_money else "")
    )
