"""A reference named by a label in one line is read across a mark between its digits, as `ref:` and the form read
it, and an amount followed by a comma and a group of three digits is asked about: cut short, either was a way past a
limit."""

import time
import unicodedata
from decimal import Decimal

import pytest

from services.errors import InvalidInput
from services.policy.versions import BoundaryRule
from services.resolutions.customers import customer_key
from services.resolutions.typed import OneLiner, to_request

REFUND = BoundaryRule(category="refund", description="money back", per_incident=Decimal(150))

SPELLINGS = [
    "order 12\u200d34",  # a zero-width joiner
    "order 12\u200c34",  # a zero-width non-joiner
    "order 1\u200e234",  # a left-to-right mark
    "order 123\u034f4",  # a combining grapheme joiner
    "order 1\u180e234",  # a Mongolian vowel separator
    "order \u200d1234",
    "order 1,234",
    "order 1.234",
    "order 1_234",
    "order 12/34",
    "order 12\u201334",  # an en dash
    "order 12'34",
    "order 12\u00b734",  # a middle dot
    "order 12\u201934",
]


def read(typed: str) -> tuple[Decimal, str | None, str]:
    request = to_request(OneLiner(category="refund", words=typed.split()), REFUND, "USD")
    return request.amount, request.customer_ref, request.summary


@pytest.mark.parametrize("reference", SPELLINGS)
def test_a_reference_with_a_mark_or_an_unseen_character_inside_is_read_whole(reference: str) -> None:
    """`order 12\u200d34` was `order 12`, `order 1,234` `order 1`: another customer to the per-customer limit."""
    _amount, customer_ref, _summary = read(f"50 {reference} arrived late")

    assert customer_ref is not None
    assert customer_key(customer_ref) == customer_key("ref:1234") == "1234"
    assert all(unicodedata.category(character) not in ("Cf", "Mn") for character in customer_ref)


@pytest.mark.parametrize(
    ("typed", "reference"),
    [
        ("50 invoice 2024/0012 paid twice", "invoice 2024/0012"),
        ("50 #12/34 arrived late", "#12/34"),
        ("50 order 1,234, arrived late", "order 1,234"),
        ("50 (order 1.234) arrived late", "order 1.234"),
        ("50 order 1234 arrived late", "order 1234"),
        ("50 order 1234, arrived late", "order 1234"),
        ("50 order A-9 arrived late", "order A-9"),
    ],
)
def test_a_reference_keeps_its_inner_marks_and_loses_the_sentences(typed: str, reference: str) -> None:
    assert read(typed)[1] == reference


def test_two_invoices_of_one_year_are_two_customers() -> None:
    first, second = read("50 invoice 2024/0012 paid")[1], read("50 invoice 2024/0013 paid")[1]

    assert (customer_key(first or ""), customer_key(second or "")) == ("20240012", "20240013")


@pytest.mark.parametrize(
    ("typed", "reference"),
    [("50 order 3 days late", None), ("50 order 10:30 slot missed", None), ("50 #1, #4471 late", "#4471")],
)
def test_a_span_of_time_and_a_short_hash_still_name_no_customer(typed: str, reference: str | None) -> None:
    assert read(typed)[1] == reference


@pytest.mark.parametrize(
    ("typed", "reference"),
    [
        ("50 order 1234,late", "order 1234"),
        ("50 #4471.Thanks", "#4471"),
        ("50 order 1234(2 items) missing", "order 1234"),
        ("50 order 1234...late", "order 1234"),
        ("50 order 1234\u2014arrived late", "order 1234"),
        ("50 order 1234/returned", "order 1234"),
        ("50 order 1234/ sent back", "order 1234"),
    ],
)
def test_a_mark_before_anything_but_a_digit_ends_the_reference(typed: str, reference: str) -> None:
    """Read to the next space, `order 1234(2 items)` was `12342`, the customer of order 12342."""
    assert read(typed)[1] == reference


def test_a_reference_followed_by_a_spaced_group_is_still_asked_about() -> None:
    with pytest.raises(InvalidInput, match="Nothing was logged") as raised:
        read("50 order 1,234 567 late")

    assert "Is the customer reference `1,234` or `1,234 567`?" in str(raised.value)


@pytest.mark.parametrize("amount", ["1, 200", "1 ,200", "1 , 200", "$1, 200", "1, 200,"])
def test_a_mark_and_a_space_before_the_thousands_is_asked_about_never_read_as_1(amount: str) -> None:
    with pytest.raises(InvalidInput, match=r"Write the amount without a space: `1200` or `1,200`, not `1 200`\."):
        read(f"{amount} order 1234 arrived late")


@pytest.mark.parametrize(
    ("typed", "amount", "summary"),
    [
        ("20, sorry for the wait", 20, "sorry for the wait"),
        ("20, 5 boxes lost", 20, "5 boxes lost"),
        ("1234, 500 boxes lost", 1234, "500 boxes lost"),
        ("20: order 5 lost", 20, "order 5 lost"),
        ("1,200 order 5 lost", 1200, "order 5 lost"),
    ],
)
def test_a_mark_after_the_amount_before_anything_but_thousands_is_the_sentences(
    typed: str, amount: int, summary: str
) -> None:
    assert (read(typed)[0], read(typed)[2]) == (Decimal(amount), summary)


@pytest.mark.parametrize(
    ("typed", "reference"),
    [
        ("20 invoice INV/2024/0012 late", "invoice INV/2024/0012"),
        ("20 order SO/12345 late", "order SO/12345"),
        ("20 order ORD_12345 late", "order ORD_12345"),
        ("20 #ORD_5512 late", "#ORD_5512"),
        ("20 invoice INV/2024/0012 replaced order 7781", "invoice INV/2024/0012"),
    ],
)
def test_a_reference_of_letters_then_a_mark_and_digits_is_read_whole(typed: str, reference: str) -> None:
    """Read only when its first part held a digit, `INV/2024/0012` named no customer, or the next label's."""
    assert read(typed)[1] == reference


@pytest.mark.parametrize("run", ["-" * 16000, "ab" * 16000 + "/", "1," * 16000])
def test_a_long_run_after_a_label_is_read_at_once(run: str) -> None:
    """Slack's 3 s: a run each of whose characters was tried again as the reference's start, or the end of its
    letters, took seconds (16,000 hyphens 3.7 s; a pasted run of letters before a slash, minutes)."""
    started = time.perf_counter()
    read(f"20 order {run} late")
    assert time.perf_counter() - started < 2


@pytest.mark.parametrize(
    ("typed", "reference"),
    [
        ("45 order w/2 items missing, order 5512", "order 5512"),
        ("45 order w/2 items missing #4471", "#4471"),
        ("10 order qty.2 wrong - order 88123", "order 88123"),
        ("10 ticket pt.2 of ticket 4471", "ticket 4471"),
        ("10 order late,2 days; order 1234", "order 1234"),
        ("10 order item.3 missing", None),
        ("10 booking room/2 nights", None),
    ],
)
def test_a_word_a_mark_and_a_digit_is_no_reference(typed: str, reference: str | None) -> None:
    """`order w/2 items` read as customer `w2` joined unrelated fixes and hid the real customer named later."""
    assert read(typed)[1] == reference


@pytest.mark.parametrize(
    ("typed", "form"),
    [
        ("order 12\u030134", "12\u030134"),  # a combining acute accent left on a digit
        ("order 1\u0301234", "1\u0301234"),
        ("order 12\u20e334", "12\u20e334"),  # a keycap's enclosing mark
        ("order 12\ue00034", "12\ue00034"),  # a private-use sign
        ("order 12\u0663\u0664", "12\u0663\u0664"),  # Arabic-Indic digits after Latin ones
        ("order \u0661\u0662\u0663\u0664", "\u0661\u0662\u0663\u0664"),
        ("o\u0336rder 1234", "o\u0336rder 1234"),  # a strike-through mark on the label
    ],
)
def test_a_mark_or_a_digit_of_another_script_in_the_number_is_the_forms_customer(typed: str, form: str) -> None:
    """`order 12\u030134` was customer `12`, `order 12\u0663\u0664` too: the form keys both `1234`, so a number written
    this way in one line was a customer the per-customer limit had not seen."""
    customer_ref = read(f"50 {typed} arrived late")[1]

    assert customer_ref == "order 1234"
    assert customer_key(customer_ref) == customer_key(form) == "1234"


@pytest.mark.parametrize(
    ("typed", "asked"),
    [
        ("order 1 2 34", "`1` or `1 2 34`"),
        ("order 12 3 4", "`12` or `12 3 4`"),
        ("order 1 2 3 4", "`1` or `1 2 3 4`"),
        ("ref:1 2 34", "`1` or `1 2 34`"),
        ("order 12\u0301 34", "`12` or `12 34`"),  # a mark before the space
        ("order 12\u280034", "`12` or `12 34`"),  # Braille's blank, which looks like a space
        ("#1234 56", "`1234` or `1234 56`"),
        ("ref:12 3\u03014", "`12` or `12 34`"),  # a mark on the next group
        ("ref:12 3 4", "`12` or `12 3 4`"),
    ],
)
def test_a_number_split_by_spaces_however_short_its_groups_is_asked_about(typed: str, asked: str) -> None:
    """`order 1 2 34` was customer `1` (a group of one digit let the rest pass as the summary's), `#1234 56` customer
    `1234`: the form keys `1 2 34` as `1234` and `1234 56` as `123456`."""
    with pytest.raises(InvalidInput, match="Nothing was logged") as raised:
        read(f"50 {typed} arrived late")

    assert f"Is the customer reference {asked}?" in str(raised.value)


@pytest.mark.parametrize(
    ("typed", "reference"),
    [("ref:ABC123 2 DAYS LATE", "ABC123"), ("ref:4471 1 TB drive dead", "4471"), ("ref:ABC 1 DEF", "ABC")],
)
def test_one_digit_before_capitals_after_a_reference_is_the_sentences(typed: str, reference: str) -> None:
    """`2 DAYS`, `1 TB`: a count in capitals is no part of the reference before it."""
    assert read(f"20 {typed}")[1] == reference


@pytest.mark.parametrize(
    "number",
    ["\u0661\u0662\u066c\u0663\u0664", "12\u201034", "12\u201134", "12\u221234", "12\u066b34"],
    ids=["arabic-thousands", "hyphen", "non-breaking-hyphen", "minus", "arabic-decimal"],
)
def test_a_mark_of_another_script_between_the_numbers_parts_is_read_across(number: str) -> None:
    """`order ١٢٬٣٤` (Arabic's `1,234`) was customer `12`, `order 12‐34` too: the form keys both `1234`."""
    customer_ref = read(f"50 order {number} arrived late")[1]

    assert customer_ref is not None and customer_key(customer_ref) == customer_key(number) == "1234"
