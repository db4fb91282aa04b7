"""The digest's resolutions part, summarised from a week's rows: figures, stories and complaint themes. Pure."""

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from services.digest.org import Person
from services.money import Amounts, by_currency
from services.text import percent, without_mentions

GIVEN = ("within", "approved")
TOP_THEMES = 3
TOP_WORDS = 5
STORIES = 2
_WORD = re.compile(r"[a-z][a-z'-]{2,}")
_STOP_TEXT = (
    "about after again all also and any are back because been before being but can could customer customers did does "
    "for from gave get got had has have her here him his how into its just more most not now "
    "off once one only order other our out over own per same she should some still such than that the "
    "their them then there these they this those through too under until very was were what when where "
    "which while who why will with would you your asked said told wanted"
)
STOP_WORDS = frozenset(_STOP_TEXT.split(" "))


@dataclass(frozen=True)
class Row:
    """One resolution as the digest needs it (read in bulk, no ORM objects)."""

    id: int
    employee_id: int
    category: str
    amount: Decimal
    status: str
    outcome: str | None
    summary: str
    created_at: datetime
    currency: str
    decided_at: datetime | None
    manager_id: int | None = None
    """The giver's manager when it was logged (None: logged before that was recorded, or with no manager)."""
    words: frozenset[str] = frozenset()
    filed_under: tuple[int, ...] = ()
    """Every manager above the giver when it was logged (none: logged before they were kept, or with no manager)."""

    @property
    def given_at(self) -> datetime | None:
        """When the amount was given: a fix within the boundaries when logged, a request when approved (its
        week's digest may have gone out meanwhile); None for one not given."""
        if self.status == "approved":
            return self.decided_at or self.created_at
        return self.created_at if self.status == "within" else None


def summary_words(summary: str) -> frozenset[str]:
    """The words of a summary that may make a theme, each once (read once per row, not once per manager)."""
    words = _WORD.findall(without_mentions(summary).lower())  # a person named is no complaint, nor their handle
    return frozenset(word for word in words if word not in STOP_WORDS)


@dataclass(frozen=True)
class CategoryLine:
    category: str
    count: int
    value: Amounts
    last_week: int


@dataclass(frozen=True)
class Story:
    employee: Person | None
    category: str
    amount: Decimal
    currency: str
    summary: str


@dataclass(frozen=True)
class Theme:
    """A complaint theme: a category, or a word repeated across summaries; counts this week and last."""

    name: str
    count: int
    last_week: int


@dataclass(frozen=True)
class ResolutionsPart:
    count: int
    last_week: int
    within: int
    escalated: int
    happy: int
    outcome_known: int
    value: Amounts
    categories: tuple[CategoryLine, ...]
    stories: tuple[Story, ...]
    category_themes: tuple[Theme, ...]
    word_themes: tuple[Theme, ...]

    @property
    def within_share(self) -> int:
        return percent(self.within, self.count)

    @property
    def happy_share(self) -> int:
        return percent(self.happy, self.count)


def summarise(
    this_week: Sequence[Row], last_week: Sequence[Row], given: Sequence[Row], people: Mapping[int, Person]
) -> ResolutionsPart:
    """`this_week`'s fixes are those logged in the week; `given`, those whose amount was given in it (`given_at`):
    each amount is counted in one week's digest, whenever its request was decided."""
    return ResolutionsPart(
        count=len(this_week),
        last_week=len(last_week),
        within=sum(row.status == "within" for row in this_week),
        escalated=sum(row.status != "within" for row in this_week),
        happy=sum(row.outcome == "happy" for row in this_week),
        outcome_known=sum(row.outcome is not None for row in this_week),
        value=value_given(given),
        categories=category_lines(this_week, last_week, given),
        stories=best_stories(this_week, people),
        category_themes=category_themes(this_week, last_week),
        word_themes=word_themes(this_week, last_week),
    )


def category_lines(
    this_week: Sequence[Row], last_week: Sequence[Row], given: Sequence[Row]
) -> tuple[CategoryLine, ...]:
    """Each category logged in the week, or with an amount given in it (a request logged earlier, approved now)."""
    counts, before = Counter(row.category for row in this_week), Counter(row.category for row in last_week)
    given_in: dict[str, list[Row]] = {}
    for row in given:
        given_in.setdefault(row.category, []).append(row)
    names = set(counts) | {row.category for row in given if row.amount}
    ordered = sorted(names, key=lambda name: (-counts[name], name))
    return tuple(
        CategoryLine(name, counts[name], value_given(given_in.get(name, [])), before[name]) for name in ordered
    )


def value_given(rows: Iterable[Row]) -> Amounts:
    """What the rows within the boundaries or approved gave, each currency apart."""
    return by_currency((row.currency, row.amount) for row in rows if row.status in GIVEN)


def best_stories(rows: Sequence[Row], people: Mapping[int, Person]) -> tuple[Story, ...]:
    """Happy customers in the employee's own words, the fullest accounts first."""
    happy = sorted(
        (row for row in rows if row.outcome == "happy" and row.summary.strip()),
        key=lambda row: (-len(row.summary), -row.created_at.timestamp(), row.id),
    )
    return tuple(
        Story(people.get(row.employee_id), row.category, row.amount, row.currency, row.summary)
        for row in happy[:STORIES]
    )


def category_themes(this_week: Sequence[Row], last_week: Sequence[Row]) -> tuple[Theme, ...]:
    """The categories customers complained about most (every fix answers a complaint)."""
    counts, before = Counter(row.category for row in this_week), Counter(row.category for row in last_week)
    return _top(counts, before, TOP_THEMES, minimum=1)


def word_themes(this_week: Sequence[Row], last_week: Sequence[Row]) -> tuple[Theme, ...]:
    """Words that come back in several summaries this week (each summary counts a word once)."""
    return _top(_word_counts(this_week), _word_counts(last_week), TOP_WORDS, minimum=2)


def _word_counts(rows: Iterable[Row]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for row in rows:
        counts.update(row.words)
    return counts


def _top(counts: Counter[str], before: Counter[str], limit: int, *, minimum: int) -> tuple[Theme, ...]:
    ranked = sorted((name for name, n in counts.items() if n >= minimum), key=lambda name: (-counts[name], name))
    return tuple(Theme(name, counts[name], before[name]) for name in ranked[:limit])
