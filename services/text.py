"""Making user text safe for Slack mrkdwn and for spreadsheets."""

import re

_MENTION_WORDS = re.compile(r"@(channel|here|everyone)\b", re.IGNORECASE)
_PERSON_OR_CHANNEL = re.compile(r"(<@[UW][A-Z0-9]+>|<#[CG][A-Z0-9]+>)")
# A spreadsheet runs a cell starting with one of these as a formula: exports prefix such cells with a quote.
FORMULA_START = frozenset("=+-@\t\r")


def escape_mrkdwn(text: str) -> str:
    """Escape `&`, `<`, `>` so user text cannot form links or broadcasts, and defuse @channel/@here.

    A person or channel named as Slack writes them (`<@U123>`, `<#C123>`: a command's text after
    `handlers.middleware.as_typed`) stays a mention; anything else in angle brackets shows as typed.
    """
    parts = _PERSON_OR_CHANNEL.split(text)
    return "".join(part if index % 2 else _escape(part) for index, part in enumerate(parts))


def _escape(text: str) -> str:
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MENTION_WORDS.sub(lambda match: "@\u200b" + match.group(1), escaped)


def plural(count: int, word: str, many: str | None = None) -> str:
    """`1 question`, `3 questions`, `0 questions`; `many` for a plural that is not word + s."""
    return f"{count} {word if count == 1 else many or word + 's'}"


def truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
