"""A category the person does not have, refused with the ones they do."""

from services.errors import InvalidInput
from services.text import echoed, meant_word


class UnknownCategory(InvalidInput):
    def __init__(self, category: str, known: list[str]) -> None:
        self.known = known
        meant = meant_word(category, known)
        guess = f"Did you mean `{meant}`? " if meant else ""
        super().__init__(
            f"`{echoed(category)}` isn't one of your categories. {guess}You can use: "
            + ", ".join(f"`{name}`" for name in known),
            field="category",
        )
