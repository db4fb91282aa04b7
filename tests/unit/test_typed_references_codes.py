"""A reference starting with letters, read in one line as an all-digit one is: a count after a slash or a dash asked
about, a code's parts kept whole; and the marks between digits that people type as a pause of the sentence."""

from decimal import Decimal

import pytest

from services.errors import InvalidInput
from services.policy.versions import BoundaryRule
from services.resolutions.typed import OneLiner, to_request

REFUND = BoundaryRule(category="refund", description="money back", per_incident=Decimal(150))


def read(typed: str) -> str | None:
    return to_request(OneLiner(category="refund", words=f"50 {typed}".split()), REFUND, "USD").customer_ref


def asked(typed: str) -> str:
    with pytest.raises(InvalidInput, match="Nothing was logged") as raised:
        read(typed)
    return str(raised.value)


@pytest.mark.parametrize(
    ("typed", "short", "long", "mark"),
    [
        ("order AB12/5 items missing", "AB12", "AB12/5", "slash"),
        ("order A5521-3 boxes missing", "A5521", "A5521-3", "dash"),
        ("invoice INV-2024-3 days late", "INV-2024", "INV-2024-3", "dash"),
        ("ticket XY45-2 days no reply", "XY45", "XY45-2", "dash"),
        ("#AB12/5 items missing", "AB12", "AB12/5", "slash"),
        ("order É12\u20133 boxes missing", "É12", "É12\u20133", "dash"),  # an en dash
    ],
)
def test_a_count_after_a_slash_or_a_dash_of_a_code_with_letters_is_asked_about(
    typed: str, short: str, long: str, mark: str
) -> None:
    """`order AB12/5 items missing` was customer `ab125` without a word, as `order 1234/5 items missing` was `12345`
    before it was asked about: a second refund for AB12 passed its limit unseen."""
    question = asked(typed)

    assert f"Is the customer reference `{short}` or `{long}`?" in question
    assert f"if the number after the {mark} is not part of it" in question


@pytest.mark.parametrize(
    ("typed", "reference"),
    [
        ("order INV-2024-0042 late", "order INV-2024-0042"),
        ("order AB-1234 late", "order AB-1234"),
        ("order SKU-12-345 units damaged", "order SKU-12-345"),
        ("order 12-34-5 items missing", "order 12-34-5"),
        ("order 2024-12-3 days late", "order 2024-12-3"),
        ("order A1234/5678 late", "order A1234/5678"),
        ("order AB12 3 items missing", "order AB12"),
        ("order AB12/5 arrived", "order AB12/5"),
        ("order A5521-3 arrived late", "order A5521-3"),
        ("order AB-3 days late", "order AB-3"),
        ("invoice INV-2024/12 items missing", "invoice INV-2024/12"),
        ("invoice INV-2024-123 items missing", "invoice INV-2024-123"),
        ("order AB12/5", "order AB12/5"),
    ],
)
def test_a_codes_own_parts_read_whole(typed: str, reference: str) -> None:
    """Codes keep their parts: four digits after a mark, three after fewer than four, a year's serial, a last part no
    count follows, letters alone before the mark."""
    assert read(typed) == reference


@pytest.mark.parametrize(
    ("typed", "short", "long"),
    [
        ("order 1234\u20145 late", "1234", "1234\u20145"),
        ("order AB12\u20145 late", "AB12", "AB12\u20145"),
        ("#4471\u20142 late", "4471", "4471\u20142"),
    ],
)
def test_an_em_dash_before_a_number_and_a_word_is_asked_about_as_a_comma_is(typed: str, short: str, long: str) -> None:
    """`order 1234—5 late` was customer `12345` without a word: an em dash is typed as the sentence's pause, as a
    comma is, so the 5 may as well be the sentence's."""
    question = asked(typed)

    assert f"Is the customer reference `{short}` or `{long}`?" in question
    assert "if the number after the em dash is not part of it" in question


@pytest.mark.parametrize(
    ("typed", "reference"),
    [
        ("order 1234.5 late", "order 1234.5"),
        ("order AB12.5 late", "order AB12.5"),
        ("order 1234\u20145 items missing", "order 1234"),
        ("order 1234 \u2014 5 late", "order 1234"),
        ("order 12\u201334 late", "order 12\u201334"),  # an en dash
    ],
)
def test_a_point_between_digits_stays_a_codes_part(typed: str, reference: str) -> None:
    """A point between digits is a version's or a code's part as often as anything (`order 1234.5`): kept whole. An em
    dash before a count ends the reference, as a comma does; an en dash is a part's."""
    assert read(typed) == reference
