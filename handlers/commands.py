"""What every slash command shares: `help`, usage text, and telling a mistake from a request."""

from collections.abc import Mapping
from dataclasses import dataclass

from services.text import (
    ECHOED,
    as_slack_shows,
    bare_word,
    echoed,
    escape_mrkdwn,
    meant_word,
    mention_in_words,
    one_slip_apart,
)

HELP_WORDS = frozenset({"help", "-h", "--help", "?"})


@dataclass(frozen=True)
class Usage:
    """A command's usage: one line of purpose, then (syntax, what it does) pairs."""

    command: str
    purpose: str
    forms: tuple[tuple[str, str], ...]

    def text(self, problem: str | None = None) -> str:
        lines = [f":warning: {problem}", ""] if problem else []
        lines.append(f"*{self.command}* — {self.purpose}")
        lines += [f"• `{syntax}` — {meaning}" for syntax, meaning in self.forms]
        return "\n".join(lines)

    def words(self) -> frozenset[str]:
        """The fixed words that may follow the command (`catalog` in `/rewards catalog`)."""
        return frozenset(
            parts[1] for syntax, _ in self.forms if len(parts := syntax.split()) > 1 and parts[1].isalpha()
        )


ASKING_FOR_HELP = frozenset({"me", "please", "pls", "plz"})
"""Words that may follow `help` as people ask for it (`help me`, `help please`): still only asking how it works."""


def is_help(text: str) -> bool:
    """`help`, `?`, and `help` with one slip (`hlep`, `help?`, `hepl`), maybe followed by `me` or `please`: words that
    can only ask how the command works, which /suggest would otherwise send to a manager as an idea and /resolve
    name as an unknown category."""
    first, *rest = text.strip().lower().split() or [""]
    if rest and not all(bare_word(word) in ASKING_FOR_HELP for word in rest):
        return False
    return first in HELP_WORDS or one_slip_apart(bare_word(first) if rest else first, "help")


def unknown_argument(usage: Usage, text: str, labels: Mapping[str, str] | None = None) -> str:
    """Name what was not understood: the first word, or what follows a word the command knows. People and channels
    after it are named as Slack shows them (`@maya`, by the names Slack sent with them: `labels`), as markup between
    backticks shows as typed."""
    first, _, rest = text.strip().partition(" ")
    rest = as_slack_shows(rest, labels or {}, stranger="someone")
    if first.lower() in usage.words() and rest.strip():
        problem = f"I don't know `{echoed(rest.strip())}` after `{escape_mrkdwn(first)}`."
    elif what := mention_in_words(first):
        problem = f"I don't know what to do with {what} here."
    elif meant := meant_word(first, usage.words()):
        retyped = echoed(" ".join([usage.command, meant, *rest.split()]), limit=2 * ECHOED)
        return usage.text(f"I don't know `{echoed(first)}` here. Did you mean `{retyped}`? Nothing was done.")
    else:
        problem = f"I don't know `{echoed(first)}` here."
    return usage.text(f"{problem} This is what `{usage.command}` understands:")
