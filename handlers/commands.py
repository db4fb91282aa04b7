"""What every slash command shares: `help`, usage text, and telling a mistake from a request."""

from collections.abc import Mapping
from dataclasses import dataclass

from services.emoji import is_emoji
from services.text import ECHOED, as_slack_shows, echoed, escape_mrkdwn, mention_in_words
from services.typed_words import COURTESY, bare_word, meant_word, one_slip_apart

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


ASKING_FOR_HELP = COURTESY | {"me", "i", "need"}
"""Words said around `help` as people ask for it (`help me`, `please help`, `i need help`, `help, thanks`): still only
asking how it works."""
ABOUT_THE_BOT = frozenset(
    {"how does this work", "how does it work", "how do i use this", "how do i use it", "what does this do"}
)
"""Whole questions about the command itself, asked in its place: never an idea (`how about a quieter break room`)."""


def is_help(text: str) -> bool:
    """`help` or `?`, with one slip (`hlep`, `help?`, `help!!`) and maybe politeness around it (`please help`,
    `help me 🙏`), or a question about the command itself (`how does this work?`): words that can only ask how the
    command works, which /suggest would otherwise send to a manager as an idea and /resolve name as an unknown
    category."""
    typed = text.strip().lower()
    words = [(word, bare_word(word)) for word in typed.split() if not is_emoji(word) and bare_word(word)]
    if typed in HELP_WORDS or " ".join(bare for _, bare in words) in ABOUT_THE_BOT:
        return True
    asked = [(word, bare) for word, bare in words if bare not in ASKING_FOR_HELP]
    return len(asked) == 1 and (asked[0][0] in HELP_WORDS or one_slip_apart(asked[0][1], "help"))


def without_courtesy(words: list[str]) -> list[str]:
    """The words that ask something, without politeness and emoji before or after them: `results please`,
    `please start 🙏` ask for `results` and `start`, `catalog, please` for `catalog` (the comma was the courtesy's);
    words between (a team's name) are kept as typed."""
    start, end = 0, len(words)
    while start < end and _courteous(words[start]):
        start += 1
    while end > start and _courteous(words[end - 1]):
        end -= 1
    asked = words[start:end]
    if asked and end < len(words):
        asked[-1] = asked[-1].rstrip(",;") or asked[-1]
    return asked


def _courteous(word: str) -> bool:
    return bare_word(word).lower() in COURTESY or is_emoji(word)


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
