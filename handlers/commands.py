"""What every slash command shares: `help`, usage text, and telling a mistake from a request."""

from dataclasses import dataclass

from services.text import escape_mrkdwn

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


def is_help(text: str) -> bool:
    return text.strip().lower() in HELP_WORDS


def unknown_argument(usage: Usage, text: str) -> str:
    word = text.strip().split()[0] if text.strip() else ""
    return usage.text(f"I don't know `{escape_mrkdwn(word)}` here. This is what `{usage.command}` understands:")
