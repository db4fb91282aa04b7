"""Making user text safe for Slack mrkdwn and for spreadsheets."""

import re

_MENTION_WORDS = re.compile(r"@(channel|here|everyone)\b", re.IGNORECASE)
# A spreadsheet runs a cell starting with one of these as a formula: exports prefix such cells with a quote.
FORMULA_START = frozenset("=+-@\t\r")


def escape_mrkdwn(text: str) -> str:
    """Escape `&`, `<`, `>` so user text cannot form links or mentions, and defuse @channel/@here."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MENTION_WORDS.sub(lambda match: "@\u200b" + match.group(1), escaped)


def truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
