"""How a fix is typed after /resolve (and a category after /boundaries): which words name the category."""

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from services.resolutions.fixes import UnknownCategory


@dataclass(frozen=True)
class OneLiner:
    category: str
    words: list[str]


def category_key(words: Sequence[str]) -> str:
    """A category as people type it: any case, its words apart or joined by `-` (`Fee waiver`, `fee-waiver`: the
    policy's `fee_waiver`)."""
    return "_".join(words).lower().replace("-", "_")


def typed_category(words: Sequence[str], categories: Collection[str]) -> tuple[str, int] | None:
    """The category the first two words name, else the first one, with how many words it took."""
    for taken in (2, 1):
        if len(words) >= taken and (key := category_key(words[:taken])) in categories:
            return key, taken
    return None


def read_one_liner(text: str, categories: Collection[str]) -> OneLiner:
    """The category and the words after it; a first word that names none is `UnknownCategory`."""
    words = text.split()
    found = typed_category(words, categories)
    if found is None:
        raise UnknownCategory(words[0].lower(), sorted(categories))
    category, taken = found
    return OneLiner(category=category, words=words[taken:])
