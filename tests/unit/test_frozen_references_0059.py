"""Migration 0059 reads a stored fix's customer again with a copy of today's reader frozen inside the migrations: that
copy must read every line as the live reader does, or the migration would file old fixes under a customer no new fix
is filed under. The corpus is every line the reader's own tests type, and more."""

import ast
from collections.abc import Callable
from decimal import Decimal
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
from services.currency_marks import is_currency_mark, is_currency_word
from services.currency_words import CURRENCIES_OF_WORD
from services.errors import InvalidInput
from services.policy.versions import BoundaryRule
from services.resolutions.typed import OneLiner, read_one_liner, to_request

CATEGORIES = ("refund", "credit", "replacement", "fee_waiver", "reschedule")
REFUND = BoundaryRule(category="refund", description="money back", per_incident=Decimal(150))
TESTS = Path(__file__).parents[1]
Reader = Callable[[str], str | None]
LABELS = ("order", "ticket", "case", "booking", "account", "invoice", "#")
MORE_LINES = (
    "20 order 1,234 late",
    "20 order 1234,5 items missing",
    "20 order 3-4 days late",
    "20 booking 2 nights cancelled",
    "20 İNVOİCE 12 wrong total",
    "20 order 5521-3 boxes missing",
    "20 order 1234 30 dollars short",
    "20 order 1234,5 euros off",
    "20 order 12 20 usd back",
    "20 order 4471 <@U0AGENT2> 56 arrived",
    "20 order 12\u200d34 late",
    "20 ticket 45 - 2 days no reply",
    "20 order 1234,150 minutes on hold",
    "20 #12 34 broken",
    "20 item #12 20 left",
    "20 order ١٢٬٣٤ late",
    "20 order А1234 late",
    "20 no customer named here",
)


def _typed_lines() -> list[str]:
    """The strings the one-liner's tests type that name a reference by a label or a hash, without `ref:`."""
    files = [*TESTS.glob("unit/test_typed_*.py"), *TESTS.glob("e2e/test_resolutions_typed*.py")]
    found = {
        node.value
        for path in files
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }
    named = {line for line in found if any(label in line.lower() for label in LABELS) and "ref:" not in line.lower()}
    return sorted(named | set(MORE_LINES))


def _one_liner(line: str) -> OneLiner:
    """The line as `/resolve` reads it; one that starts with no category is a refund of 20 for it."""
    typed = line.strip().removeprefix("/resolve ")
    try:
        return read_one_liner(typed, CATEGORIES)
    except InvalidInput:
        return read_one_liner(f"refund 20 {typed}", CATEGORIES)


def _live(line: str) -> tuple[str, str | None] | None:
    """What the live reader stores for the line (its summary and customer), `asked` where it asks which customer was
    meant; None where it refuses the line for anything else."""
    try:
        request = to_request(_one_liner(line), REFUND, "USD")
    except InvalidInput as refused:
        return ("", "asked") if refused.field == "customer_ref" else None
    return request.summary, request.customer_ref


def _frozen(summary: str) -> str | None:
    try:
        return read_customer(summary)
    except Asked:
        return "asked"


STORED = [(line, read) for line in _typed_lines() if (read := _live(line)) is not None and read[1] != "asked"]


def test_the_corpus_stores_references_and_none() -> None:
    references = [reference for _, (_, reference) in STORED]
    assert len([reference for reference in references if reference]) > 150
    assert None in references


@pytest.mark.parametrize(("line", "stored"), STORED, ids=[line[:40] for line, _ in STORED])
def test_the_frozen_reader_reads_what_happened_as_the_live_reader_read_the_line(
    line: str, stored: tuple[str, str | None]
) -> None:
    summary, reference = stored
    assert _frozen(summary) == reference


def test_the_frozen_currency_words_are_the_live_ones() -> None:
    """A currency after a number makes it a count (`order 1234 30 dollars short`): one word, as `counts` reads it."""
    words = {word.lower() for word in CURRENCIES_OF_WORD if " " not in word}
    typed = {*words, *(f"{word}s" for word in words), "usd", "kr", "rs.", "$", "€", "₴", "¤", "cad", "a$", "dollar"}
    typed |= {"rub", "top", "all", "cup", "items", "days", "sorry", "₿"}
    assert {word for word in typed if _is_currency(word)} == {
        word for word in typed if is_currency_word(word) or is_currency_mark(word)
    }


ASKED = [line for line in _typed_lines() if _live(line) == ("", "asked")]


@pytest.mark.parametrize("line", ASKED, ids=[line[:40] for line in ASKED])
def test_the_frozen_reader_asks_where_the_live_reader_asks(line: str) -> None:
    """An older reader's fix that today's would ask about keeps its customer: the migration cannot ask."""
    assert _frozen(" ".join(_one_liner(line).words[1:])) == "asked"


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
    ],
)
def test_each_older_reader_reads_as_its_release_stored(reader: Reader, summary: str, stored: str | None) -> None:
    """Checked against each release's own code, run on this file's corpus, when 0059 was written."""
    assert reader(summary) == stored
