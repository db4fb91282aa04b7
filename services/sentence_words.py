"""A command's words as a sentence holds them: in the quotes a phone curls around them, with the mark that ends the
sentence after them. One rule for every command, in two strengths: a word that only shows something is read in
quotes and before any closing mark (`as_written`); a word that changes things for everyone at once, and for good
(`/pulse start`, `/pulse close`), only before a full stop or an exclamation mark (`as_stated`): in quotes, or before a
question mark or an ellipsis, it may be a question or a word quoted, and is asked about first."""

from services.typed_words import QUOTE_MARKS

SENTENCE_END = ".,;:!?…"
"""What ends a sentence or a clause, typed after the last word of a command as after any sentence's."""
STATEMENT_END = ".!"
"""What ends a sentence that says something: `start.`, `close!` (never `start?`, `start…`)."""


def as_written(word: str) -> str:
    """A word (or a team's name) without the quotes around it (`“results”`, `‘start’`, `«list»`, `‹Support East›`)
    and the mark a sentence ends with (`list.`, `results!`, `“catalog.”`, `top?`). Never a guess: the word itself,
    only set in a sentence."""
    plain = word
    while (trimmed := plain.strip().strip(QUOTE_MARKS).rstrip(SENTENCE_END)) != plain:
        plain = trimmed
    return plain or word


def plain_word(word: str) -> str:
    """`as_written` in lower case: `“Results”` and `list.` are `results` and `list`."""
    return as_written(word).lower()


def stated_word(word: str) -> str:
    """A word that acts for everyone, in lower case, read only as said: `start.` and `Close!` are `start` and `close`;
    `start?`, `“start”`, `'close'`, `start…` stay as typed, to be asked about."""
    return (word.rstrip(STATEMENT_END) or word).lower()


def unquoted(word: str) -> str:
    """A word without the quotes around it (`“2026-03-01”`), its other marks kept (`5th,` in `January 5th, 2026`)."""
    return word.strip(QUOTE_MARKS) or word


def is_sentence_mark(word: str) -> bool:
    """A word made only of the marks between a sentence's parts (`,`, `.`, `!`, `…`, `...`): `@lee ! great job`."""
    return bool(word) and all(mark in SENTENCE_END for mark in word)
