"""A customer's fixes, by anyone in the workspace: the per-customer limit and the history a decider sees."""

import re
import unicodedata
import zlib
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from models import Resolution
from services.rows import take_turns
from services.text import without_ignorable

CUSTOMER_WINDOW = timedelta(days=30)
INCIDENT_WINDOW = timedelta(hours=24)
"""Fixes for one customer in one category this close together are one customer problem: the per-incident limit holds
for their total, so a refund split into four small ones (by one person, or by two) is still one refund."""
# The statuses that count against a limit, the customer's and every other.
COUNTED = ("within", "pending", "approved")

_LABELS = re.compile(
    r"^[\W_]*(?:(?:order|ticket|case|booking|account|invoice|customer|ref|reference|no|nr|number)(?![a-z])[\s.:#-]*|#\s*)+"
)
_NOT_LETTER_OR_DIGIT = re.compile(r"[\W_]+")
_MARKS_AND_CONTROLS = "MC"
"""Unicode's general categories of combining marks and of controls, formats, private use and unassigned points."""
KEY_LENGTH = 100
"""Resolution.customer_key's length."""
_FOLDED_APART = str.maketrans({"\u0130": "i", "\u0131": "i", "\u0345": None})
"""What case folding (`str.casefold`) alone would keep apart or make a letter, read before it. Turkish pairs `I` with
dotless `ı` and dotted `İ` with `i`, where folding pairs `I` with `i`, keeps `ı` and makes `İ` an `i` and a combining
dot: `İ` and `ı` are read as `i`, so the four are one letter and `IŞIK-12` typed in capitals is `ışık-12`. The cost:
Turkish `ılık` and `ilik` are one customer, as `ILIK` typed on a keyboard without `İ` could be either. A Greek
ypogegrammeni NFKC left uncombined is a mark, which the key drops as it drops the others, where folding would make
it the letter `ι`."""
_LATIN_LOOK_ALIKES = str.maketrans(
    "авекмнорстухіјѕԛԝαβεζηικμνορτυχ",  # Cyrillic, then Greek
    "abekmhopctyxijsqwabezhikmnoptyx",
)
"""Lower-case Cyrillic and Greek letters read as the Latin letter that they, or their capitals, look like: the
entries of Unicode's confusables list (confusables.txt, UTS #39) for letters of these two scripts that look like an
ASCII letter, so that a reference typed with one of them in place of a Latin letter is no new customer.

Applied after case folding, so a letter and its capital fold alike and a reference stays one customer in either
case: `в` is `b` as `В` is, and Greek `ν`, `η`, `υ` are read as their capitals `Ν`, `Η`, `Υ` look (`n`, `h`,
`y`), not as the `v`, `n`, `u` they resemble when small. No two letters of one script fold to the same Latin letter,
so two references written wholly in Cyrillic, or wholly in Greek, stay as different as they were; look-alikes
that would share a letter with one already here are left out (Cyrillic `һ` and `ү`, which Bashkir and Kazakh tell
from `н` and `у`). The cost: a Cyrillic reference whose every letter has a Latin twin (`ТОК-1`) is one customer
with the Latin reference it looks like (`TOK-1`). Nobody reading the two could tell them apart, and an order
number typed wholly in Cyrillic is rare, whereas one letter of another script in a Latin reference is the way to
make one customer look new to the limits.
"""
_SAME_CUSTOMER = (
    Resolution.workspace_id == bindparam("workspace_id"),
    Resolution.customer_key == bindparam("customer"),
)
CUSTOMER_TOTAL = select(func.coalesce(func.sum(Resolution.amount), 0)).where(
    *_SAME_CUSTOMER,
    Resolution.category == bindparam("category"),
    Resolution.currency == bindparam("currency"),
    Resolution.status.in_(COUNTED),
    Resolution.created_at >= bindparam("since"),
)
_CUSTOMER_HISTORY = (
    select(Resolution)
    .where(*_SAME_CUSTOMER, Resolution.id != bindparam("resolution_id"))
    .order_by(Resolution.created_at.desc(), Resolution.id.desc())
    .limit(5)
)


def customer_key(reference: str) -> str:
    """The reference as compared: its letters and digits, without case or a leading label, so that `Order #1234`,
    `order 1234`, `ref:1234` (stored as `1234`) and `1234` are one customer. Read in its NFKC form first: `order
    １２３４` in full-width digits, as Japanese input methods type it, is `order 1234`; digits of any script are read
    as 0-9 (`١٢٣٤` is `1234`), and a number's leading zeros are dropped (`01234` is `1234`), or the same order
    written another way would be a new customer to every limit. Case is folded in full, as `str.casefold` folds it,
    not lower-cased: `STRASSE-1` is `straße-1`, Greek `ΟΔΟΣ` is `οδος` with its final sigma, and Turkish `İ`, `I`,
    `i`, `ı` are one letter (`_FOLDED_APART`), so `IŞIK-12` is `ışık-12`; the folded text is read in NFKC again, to
    join what folding took apart (`J̌` is `ǰ`). Cyrillic and Greek letters that look like Latin ones are read as those
    (`ORD-7` typed with a Cyrillic `О` or a Greek `Ο` is `ord7`; see `_LATIN_LOOK_ALIKES`). The characters shown as
    nothing are dropped before all that (`without_ignorable`): a Hangul filler, which NFKC makes a letter, or a
    zero-width space pasted into `12\u316434` would make one customer look new; so are the marks NFKC leaves
    uncombined and the control characters, and marks before a label (`o\u0336rder 1234` and `(order 1234)` are
    `1234`). The key is cut to its column's length: NFKC and folding may make one character many.

    A reference that is all label (`#`, `order`) keeps its own letters.
    """
    normal = unicodedata.normalize("NFKC", without_ignorable(reference)).strip().translate(_FOLDED_APART)
    folded = unicodedata.normalize("NFKC", normal.casefold()).translate(_LATIN_LOOK_ALIKES)
    lowered = "".join(map(as_key_reads, folded))
    key = _NOT_LETTER_OR_DIGIT.sub("", _LABELS.sub("", lowered)) or _NOT_LETTER_OR_DIGIT.sub("", lowered) or lowered
    return ((key.lstrip("0") or "0") if key.isascii() and key.isdigit() else key)[:KEY_LENGTH]


def as_key_reads(character: str) -> str:
    """One character as the key reads it: nothing for a mark or a control, format, private-use or unassigned
    character; a digit of any script as 0-9."""
    if unicodedata.category(character)[0] in _MARKS_AND_CONTROLS:
        return ""
    value = unicodedata.decimal(character, None)
    return character if value is None else str(value)


def usable_reference(reference: str | None) -> str | None:
    """The reference without the characters shown as nothing (`without_ignorable`) and the spaces around it, as it is
    stored and shown again; None when it has no letter or digit (`ref:" "`, `--`, a Hangul filler alone), which names
    no customer."""
    stripped = without_ignorable(reference or "").strip()
    return stripped if any(character.isalnum() for character in stripped) else None


def lock_customer(session: Session, workspace_id: int, customer_ref: str) -> None:
    """Fixes for one customer by two colleagues at once take turns until the first commits.

    Keyed by the workspace and a 32-bit hash of the customer key: a rare collision only makes two customers'
    fixes take turns.
    """
    digest = zlib.crc32(customer_key(customer_ref).encode())
    take_turns(session, workspace_id, [digest - 2**32 if digest >= 2**31 else digest])


def customer_total(
    session: Session,
    workspace_id: int,
    customer_ref: str,
    category: str,
    now: datetime,
    currency: str,
    window: timedelta = CUSTOMER_WINDOW,
) -> Decimal:
    """What the customer received in the category in the `window` (30 days) before `now`, in `currency` (the
    policy's)."""
    customer = customer_key(customer_ref)
    values = {"workspace_id": workspace_id, "customer": customer, "category": category, "currency": currency}
    total = session.scalar(CUSTOMER_TOTAL, {**values, "since": now - window})
    return Decimal(total or 0)


def customer_history(session: Session, resolution: Resolution) -> list[Resolution]:
    """The last five earlier fixes for the same customer, newest first: nobody should ask the customer twice."""
    if not resolution.customer_key:
        return []
    values = {"workspace_id": resolution.workspace_id, "customer": resolution.customer_key}
    return list(session.scalars(_CUSTOMER_HISTORY, {**values, "resolution_id": resolution.id}))
