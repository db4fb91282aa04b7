"""Migration 0059 reads a stored fix's customer again with a copy of today's reader frozen inside the migrations: that
copy must read every line as the live reader did when 0059 was written, or the migration would file old fixes under a
customer no new fix was filed under. `frozen_references_0059.json` holds the live reader's readings then: what it
stored for every line its own tests typed and more (the summary and the customer), the summaries it asked about, and
the words it took for currencies. It is a snapshot: when the live reader changes, neither it nor the frozen copy does.
Once, the review of 0059 brought both up to the live reader's new questions, so that 0059 keeps the fixes it asks about
(`order 1234/5 items missing`, read right as `order 1234` until 6 Dec, was filed under `12345`); the older readers'
readings stayed as they were.
"""

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from models.migrations.frozen.older_references_0059 import (
    read_across_marks,
    read_first_part,
    read_first_part_spans,
    read_lower_label,
    read_two_characters,
)
from models.migrations.frozen.reference_words_0059 import Asked, _is_currency
from models.migrations.frozen.references_0059 import read_customer

Reader = Callable[[str], str | None]
SNAPSHOT = json.loads((Path(__file__).parent / "frozen_references_0059.json").read_text())
STORED: list[tuple[str, str | None]] = [(summary, reference) for summary, reference in SNAPSHOT["stored"]]
ASKED: list[str] = SNAPSHOT["asked"]


def _frozen(summary: str) -> str | None:
    try:
        return read_customer(summary)
    except Asked:
        return "asked"


def test_the_snapshot_holds_references_and_none() -> None:
    references = [reference for _, reference in STORED]
    assert len([reference for reference in references if reference]) > 150
    assert None in references
    assert len(ASKED) > 20


@pytest.mark.parametrize(("summary", "reference"), STORED, ids=[summary[:40] for summary, _ in STORED])
def test_the_frozen_reader_reads_what_happened_as_the_live_reader_read_it(summary: str, reference: str | None) -> None:
    assert _frozen(summary) == reference


def test_the_frozen_currency_words_are_the_live_ones() -> None:
    """A currency after a number makes it a count (`order 1234 30 dollars short`): one word, as `counts` reads it."""
    assert [word for word in SNAPSHOT["currency"] if not _is_currency(word)] == []
    assert [word for word in SNAPSHOT["not_currency"] if _is_currency(word)] == []


@pytest.mark.parametrize("summary", ASKED, ids=[summary[:40] for summary in ASKED])
def test_the_frozen_reader_asks_where_the_live_reader_asks(summary: str) -> None:
    """An older reader's fix that today's would ask about keeps its customer: the migration cannot ask."""
    assert _frozen(summary) == "asked"


@pytest.mark.parametrize(
    ("reader", "summary", "stored"),
    [
        (read_two_characters, "order 12,345 late", "order 12"),
        (read_two_characters, "order 12٣٤ late", "order 12٣"),
        (read_two_characters, "the order 3 days late, order 1234", "order 1234"),
        (read_first_part, "order 1,234 late", "order 1"),
        (read_first_part, "booking 2 nights cancelled", "booking 2"),
        (read_first_part, "order 12\u200d34 late", "order 12"),
        (read_first_part_spans, "order 3-4 days late", "order 3-4"),
        (read_first_part_spans, "booking 2 nights cancelled", None),
        (read_across_marks, "order 1234,5 items missing", "order 1234,5"),
        (read_across_marks, "order 3-4 days late", "order 3-4"),
        (read_lower_label, "İNVOİCE 12 wrong total", "i\u0307nvoi\u0307ce 12"),
        (read_lower_label, "order 5521-3 boxes missing", None),  # asked, nothing logged
        (read_lower_label, "order 1234/5 items missing", "order 1234/5"),  # asked only since 0059's review
        (read_lower_label, "order 1234-150 minutes on hold", "order 1234-150"),
        (read_lower_label, "order 2/3 days late", "order 2/3"),  # a range with a slash named none since then
        (read_first_part, "order 1234/5 items missing", "order 1234"),
    ],
)
def test_each_older_reader_reads_as_its_release_stored(reader: Reader, summary: str, stored: str | None) -> None:
    """Checked against each release's own code, run on this file's corpus, when 0059 was written."""
    assert reader(summary) == stored
