"""How a fix is typed after /resolve (and a category after /boundaries): which words name the category."""

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from services.errors import InvalidInput
from services.money import looks_like_amount, names_money
from services.resolutions.fixes import UnknownCategory
from services.text import SLACK_MENTION, escape_mrkdwn

SHOWN = 40
"""Characters of what happened shown back in a corrected command."""


class CategoryNotFirst(InvalidInput):
    """An amount typed before the category (`45 refund …`): the command as it should have been typed."""

    def __init__(self, category: str, amount: str, rest: list[str]) -> None:
        after = " ".join(rest)
        after = after if len(after) <= SHOWN else after[:SHOWN].rstrip() + "…"
        corrected = escape_mrkdwn(" ".join(["/resolve", category, amount, after]).strip())
        super().__init__(f"Put the category first: `{corrected}`", field="category")


class NamedFirst(InvalidInput):
    """A person or channel named before the category (`@lee refund 45 …`): where the category goes instead."""

    def __init__(self, category: str) -> None:
        super().__init__(
            f"Start with the category, like `/resolve {category} …`, then what happened: name a colleague or a channel "
            "after it, if you like.",
            field="category",
        )


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
    """The category and the words after it; an amount before a category is `CategoryNotFirst`, any other first word
    that names none `UnknownCategory`."""
    words = text.split()
    found = typed_category(words, categories)
    if found is None and SLACK_MENTION.fullmatch(words[0]):
        named = typed_category(words[1:], categories)
        raise NamedFirst(named[0] if named else "refund")
    if found is None:
        after = typed_category(words[1:], categories) if _is_amount(words[0]) else None
        if after is not None:
            raise CategoryNotFirst(after[0], words[0], words[1 + after[1] :])
        raise UnknownCategory(words[0].lower(), sorted(categories))
    category, taken = found
    return OneLiner(category=category, words=words[taken:])


def _is_amount(word: str) -> bool:
    return looks_like_amount(word) or names_money(word)
