"""A category the person does not have, refused with the ones they do."""

from services.errors import InvalidInput
from services.text import echoed
from services.typed_words import meant_word

KNOWN_NAMED = 30
"""The categories the refusal names: a profile may hold 100 of 40 characters each, more than the reply /boundaries
shows it in can hold, and more than anyone reads to find the one they meant."""


class UnknownCategory(InvalidInput):
    def __init__(self, category: str, known: list[str]) -> None:
        self.known = known
        meant = meant_word(category, known)
        guess = f"Did you mean `{meant}`? " if meant else ""
        rest = len(known) - KNOWN_NAMED
        super().__init__(
            f"`{echoed(category)}` isn't one of your categories. {guess}You can use: "
            + ", ".join(f"`{name}`" for name in known[:KNOWN_NAMED])
            + (f" …and {rest} more: `/boundaries` lists them all." if rest > 0 else ""),
            field="category",
        )
