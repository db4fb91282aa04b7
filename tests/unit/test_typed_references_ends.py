"""Where a reference typed in one line ends when a mark after its digits could be its own or the sentence's: read as
the form keys it, or asked about, never filed under another customer than the form's."""

from decimal import Decimal

import pytest

from services.errors import InvalidInput
from services.policy.versions import BoundaryRule
from services.resolutions.customers import customer_key
from services.resolutions.typed import OneLiner, to_request

REFUND = BoundaryRule(category="refund", description="money back", per_incident=Decimal(150))


def read(typed: str) -> str | None:
    return to_request(OneLiner(category="refund", words=typed.split()), REFUND, "USD").customer_ref


@pytest.mark.parametrize(
    ("typed", "reference"),
    [
        ("50 order 1234,5 items missing", "order 1234"),
        ("50 order 1234,56 boxes lost", "order 1234"),
        ("50 order 1234,2 days late", "order 1234"),
        ("50 #4471,5 items missing", "#4471"),
        ("50 order 1234\u20142 items missing", "order 1234"),  # an em dash
        ("50 order 1234.5 items missing", "order 1234"),
        ("50 order 1,234 items missing", "order 1,234"),
        ("50 order 1,234,5 items missing", "order 1,234"),
        ("50 order 1234,150 minutes on hold", "order 1234"),
        ("50 order 12345,100 items", "order 12345"),
        ("50 order 12,345,678 items", "order 12,345,678"),
        ("50 order 1234-5678 items missing", "order 1234-5678"),
        ("50 order 5521-3 arrived late", "order 5521-3"),
    ],
)
def test_a_count_after_a_comma_ends_the_reference_and_thousands_do_not(typed: str, reference: str) -> None:
    """`order 1234,5 items missing` was customer `12345`, another customer to every limit than order 1234, and
    `order 1234,150 minutes on hold` customer `1234150`: three digits after a comma are thousands only after one to
    three."""
    assert read(typed) == reference


@pytest.mark.parametrize(
    ("typed", "reference"),
    [
        ("50 ticket 45 - 2 days no reply", "ticket 45"),
        ("50 ticket 33 - 2 weeks", "ticket 33"),
        ("50 order 12 - 3 days late", "order 12"),
        ("50 order 12 \u2013 3 days late", "order 12"),  # an en dash
    ],
)
def test_a_dash_with_spaces_after_a_reference_is_the_sentences_pause(typed: str, reference: str) -> None:
    """`ticket 45 - 2 days no reply` was read as a range of days, `45 - 2`, and named no customer."""
    assert read(typed) == reference


@pytest.mark.parametrize(
    "typed",
    [
        "50 order 3-4 days late",
        "50 order 3\u20134 weeks late",
        "50 order 3 to 4 days late",
        "50 booking 2 or 3 nights cancelled",
        "50 order 10:30pm slot missed",
        "50 order 1:30 hours on hold",
        "50 order 2-3 days late",
        "50 order 1-2 days late",
        "50 ticket 24-48 hours",
        "50 order 24/48 hours late",
        "50 order 13/24 hours late",
    ],
)
def test_a_range_of_days_or_a_time_said_so_after_a_label_names_no_customer(typed: str) -> None:
    """`order 3-4 days late` was customer `3-4`: every fix written so was one customer to the 30-day limit. `order
    24/48 hours late` was asked about, `24` or `24/48`, though neither names a customer."""
    assert read(typed) is None


@pytest.mark.parametrize(
    ("typed", "asked"),
    [
        ("order 1234,5 late", "`1234` or `1234,5`"),
        ("order 1234,150 late", "`1234` or `1234,150`"),
        ("order 5521-3 boxes missing", "`5521` or `5521-3`"),
        ("#5521\u20133 days late", "`5521` or `5521\u20133`"),  # an en dash
        ("#12 34 late", "`12` or `12 34`"),
        ("#12 34 56 late", "`12` or `12 34 56`"),
        ("order 12\u303f34 late", "`12` or `12\u303f34`"),  # an ideographic half fill space
        ("order 12\u260534 late", "`12` or `12\u260534`"),
        ("order 45:12 late", "`45` or `45:12`"),
        ("order 1234:56 late", "`1234` or `1234:56`"),
    ],
)
def test_a_number_the_form_keys_whole_but_one_line_would_cut_is_asked_about(typed: str, asked: str) -> None:
    """The form keys `1234,5`, `#12 34`, `12〿34` and `45:12` as one number; the one-liner read another customer, or
    none (`#12 34`, `order 45:12`)."""
    with pytest.raises(InvalidInput, match="Nothing was logged") as raised:
        read(f"50 {typed}")

    assert f"Is the customer reference {asked}?" in str(raised.value)


@pytest.mark.parametrize(
    "typed",
    [
        "booking 19:30 cold food",
        "booking 18:00 no show",
        "booking 8:15 breakfast cold",
        "order 12:30 delivery slot",
        "order 10:30 tomorrow",
        "order 12:30-14:00 slot missed",
        "order 12:34 late",
        "#12:30 delivery",
        "#1:30 wait",
    ],
)
def test_a_time_of_day_after_a_label_or_a_hash_names_no_customer(typed: str) -> None:
    """`booking 19:30 cold food` was asked about, `19` or `19:30`, though a time of day names no customer: a line
    that had always logged was refused."""
    assert read(f"50 {typed}") is None


@pytest.mark.parametrize(
    "typed",
    [
        "replacement #2 14 May failed",
        "attempt #2 12 Jan",
        "#1 20 Dec delivery",
        "#12 14 May redelivered",
        "#1 2 34 late",
        "item #12 20 left",
        "seat #14 22 row",
    ],
)
def test_a_short_hash_before_a_date_or_one_digit_names_no_customer(typed: str) -> None:
    """`replacement #2 14 May failed` was asked about, `2` or `2 14`, though `14 May` is a date: a line that had
    always logged was refused."""
    assert read(f"50 {typed}") is None


@pytest.mark.parametrize(
    ("typed", "form"),
    [
        ("order \u04101234", "A1234"),  # a Cyrillic capital A
        ("#\u04101234", "A1234"),
        ("order \u039f-77", "O-77"),  # a Greek capital Omicron
        ("order \u00c9-12", "\u00c9-12"),
        ("order E\u0301-12", "\u00c9-12"),  # its accent typed as a combining mark
    ],
)
def test_a_reference_with_a_letter_of_another_script_is_the_forms_customer(typed: str, form: str) -> None:
    """`order А1234` and `order É-12` named no customer in one line, though the form keys them `a1234` and `é12`."""
    customer_ref = read(f"50 {typed} arrived late")

    assert customer_ref is not None and customer_key(customer_ref) == customer_key(form)


def test_a_plus_or_an_ampersand_after_a_reference_ends_it() -> None:
    """`order 1234+1235 mixed` was asked about, `1234` or `1234+1235`, where it had always been order 1234."""
    assert read("50 order 1234+1235 mixed") == "order 1234"
    assert read("50 order 1234&1235 mixed") == "order 1234"


def test_a_script_written_without_spaces_ends_the_reference() -> None:
    """Chinese and Japanese put no space after a number: `order 1234已退款` is order 1234, not a new customer."""
    assert read("50 order 1234\u5df2\u9000\u6b3e") == "order 1234"


@pytest.mark.parametrize(
    ("typed", "asked"),
    [
        ("ticket 45-2 days no reply", "`45` or `45-2`"),
        ("case 77-2 weeks waiting", "`77` or `77-2`"),
        ("order 77-2 hours late", "`77` or `77-2`"),
        ("ticket 88-3 hours", "`88` or `88-3`"),
        ("ticket 48-24 hours", "`48` or `48-24`"),
        ("ticket 45\u20132 days no reply", "`45` or `45\u20132`"),  # an en dash
        ("ticket 5-5 days", "`5` or `5-5`"),
        ("ticket 883-2 hours", "`883` or `883-2`"),
        ("order 1234-3 days late", "`1234` or `1234-3`"),
        ("order 2024-3 boxes missing", "`2024` or `2024-3`"),  # a year's one or two digits after a dash, as before
        ("ticket 48/24 hours", "`48` or `48/24`"),
    ],
)
def test_a_dash_between_digits_going_down_is_no_range_and_is_asked_about(typed: str, asked: str) -> None:
    """`ticket 45-2 days no reply` was read as a range of days, `45` to `2`, and named no customer, though the form
    keys `45-2` as ticket 452: a refund was refused as naming none, a credit logged without one."""
    with pytest.raises(InvalidInput, match="Nothing was logged") as raised:
        read(f"50 {typed}")

    assert f"Is the customer reference {asked}?" in str(raised.value)


@pytest.mark.parametrize(
    ("typed", "asked", "apart"),
    [
        ("order 1234/5 items missing", "`1234` or `1234/5`", "`order 1234, 5 …`"),
        ("order 1234/12 boxes lost", "`1234` or `1234/12`", "`order 1234, 12 …`"),
        ("order 1234/2 broken cups", "`1234` or `1234/2`", "`order 1234, 2 …`"),
        ("ticket 45/2 days no reply", "`45` or `45/2`", "`ticket 45, 2 …`"),
        ("#4471/3 days late", "`4471` or `4471/3`", "`#4471, 3 …`"),
        ("order 1234/150 minutes on hold", "`1234` or `1234/150`", "`order 1234, 150 …`"),
        ("order 1234-150 minutes on hold", "`1234` or `1234-150`", "`order 1234, 150 …`"),
        ("order 1234\u2013150 minutes on hold", "`1234` or `1234\u2013150`", "`order 1234, 150 …`"),  # an en dash
    ],
)
def test_a_count_after_a_slash_or_three_after_a_dash_is_asked_about(typed: str, asked: str, apart: str) -> None:
    """`order 1234/5 items missing` was customer `12345` and `order 1234-150 minutes on hold` customer `1234150`,
    without a word, where the `5` and the `150` may count the sentence's items and minutes: the fix went to another
    customer than order 1234. Asked as a count after a comma is, with the same ways to write either."""
    with pytest.raises(InvalidInput, match="Nothing was logged") as raised:
        read(f"50 {typed}")

    mark = "slash" if "/" in typed else "dash"
    assert f"Is the customer reference {asked}?" in str(raised.value)
    assert f"or {apart} if the number after the {mark} is not part of it." in str(raised.value)


@pytest.mark.parametrize(
    ("typed", "reference"),
    [
        ("50 order 1234, 5 items missing", "order 1234"),
        ("50 ref:1234/5 items missing", "1234/5"),
        ("50 order 1234/5678 items missing", "order 1234/5678"),
        ("50 invoice 2024/0012 3 items missing", "invoice 2024/0012"),
        ("50 order 1234/05 items missing", "order 1234/05"),
        ("50 order 12/5 items missing", "order 12/5"),
        ("50 order 12/05/2024 2 days late", "order 12/05/2024"),
        ("50 order 1234/5 arrived late", "order 1234/5"),
        ("50 order INV-2024-0042 3 items missing", "order INV-2024-0042"),
        ("50 order 123-456 items missing", "order 123-456"),
        ("50 order 12-150 minutes on hold", "order 12-150"),
        ("50 order 5/31 items missing", "order 5/31"),
        ("50 invoice 2024/123 items missing", "invoice 2024/123"),
        ("50 invoice 2024-123 items missing", "invoice 2024-123"),
        ("50 order 2024/12 items missing", "order 2024/12"),
        ("50 invoice 1999/7 items missing", "invoice 1999/7"),
    ],
)
def test_a_reference_written_with_slashes_or_groups_is_read_whole(typed: str, reference: str) -> None:
    """A reference's parts (`1234/5678`, `2024/0012`, `123-456`), a date either way round (`12/5`, `5/31`), a year and
    a serial (`2024/123`, `2024-123`: they were asked about) or a last part no count follows (`1234/5 arrived`) are read
    whole; either reading of a question is written as it asks."""
    assert read(typed) == reference
