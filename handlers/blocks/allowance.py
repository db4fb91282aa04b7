"""What is left of a category's caps, as /boundaries, the App Home and a logged fix's confirmation say it."""

from decimal import Decimal

from services.money import format_money
from services.resolutions.fixes import AllowanceLine


def allowance_words(line: AllowanceLine, currency: str) -> str:
    """A cap used up reads "none left", and the month's says how much of it was used: after HR lowers a limit below
    what someone already gave this month, "$0 left" alone would look like a mistake."""
    parts = []
    if line.left_today is not None:
        parts.append(_left(line.left_today, currency, "today"))
    if line.left_this_month is not None and line.rule.per_month is not None:
        month = _left(line.left_this_month, currency, "this month")
        if not line.left_this_month:
            used, limit = format_money(line.spent.this_month, currency), format_money(line.rule.per_month, currency)
            month += f" (you have used {used} of your {limit})"
        parts.append(month)
    return ", ".join(parts) or "no daily or monthly cap"


def _left(amount: Decimal, currency: str, when: str) -> str:
    return f"{format_money(amount, currency)} left {when}" if amount else f"none left {when}"
