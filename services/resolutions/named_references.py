"""A customer reference named by a label in a one-line `/resolve` (`order 1234`, `invoice 2024/0012`) or a bare
`#4471`, read whole to the next space as `ref:` reads one: a reference cut at its first mark (`order 1,234` read as
`order 1`, `invoice 2024/0012` as `2024`) was another customer to every limit than the one typed."""

import re
import unicodedata

from services.errors import InvalidInput
from services.resolutions.reference_parts import refuse_spaced_reference, spans_time, without_the_sentences_end
from services.text import escape_mrkdwn

REFERENCE_LABELS = ("order", "ticket", "case", "booking", "account", "invoice")
_NAMED_REF = re.compile(  # `order 42`, `Order #42`, `order: 42`, `order no. 42`, `ORDER-42` (not `the order. 2 days`)
    rf"\b({'|'.join(REFERENCE_LABELS)})(?::|\s*(?:no\.?|nr\.?|num\.?|number)(?![a-z]))?[\s#-]*"
    r"((?=\S*\d)[A-Za-z0-9]\S*)",
    re.IGNORECASE,
)
_HASH_REF = re.compile(r"(?<![\w<&])#((?=\S*\d)[A-Za-z0-9]\S*)")
"""`#4471` when nothing is labelled; at least three letters, digits or hyphens, so `#1 priority` is no customer."""
_LEAD = re.compile(r"[A-Za-z0-9-]*")
"""The reference's first letters and digits: `3` in `order 3.5 days`, which a span of time may follow."""
_SENTENCE_THEN_WORD = re.compile(r"(?<=\d)[.,;:!?](?=[^\W\d_])")
"""`1234,late`: a mark of the sentence between digits and a word, typed without its space or part of the reference."""


def named_reference(text: str) -> str | None:
    """The first labelled reference (`order 42`), else a bare `#4471`; digits and signs typed full-width
    (`order １２３４`, `＃４４７１`) are read as their plain forms. The reference runs to the next space, without the
    mark of the sentence after it (`order 1234,`): `order 1,234`, `order 12/34` and `order 12–34` are `order 1234`
    to the limits (`customer_key`). A label before a span of time (`booking 2 nights cancelled`, `the order 3 days
    late`, `ticket 30 minutes wait`) names no customer, nor does any later one: read as `booking 2`, every such fix
    was one customer to the 30-day limit and the history, and a later label may as well be a word of the sentence.
    Marked (`order #2`, `order no. 2`, `order: 2`), the number is the label's. The characters nobody sees are
    expected gone (`without_ignorable`)."""
    text = unicodedata.normalize("NFKC", text)
    named = _NAMED_REF.search(text)
    if named is None:
        return _hash_reference(text)
    lead = _LEAD.match(text, named.start(2)).group()  # type: ignore[union-attr]  # `*` always matches
    if text[named.end(1) : named.start(2)].isspace() and spans_time(lead, text[named.start(2) + len(lead) :]):
        return None
    label = named.group(1)
    number, ended = without_the_sentences_end(named.group(2))
    _refuse_a_word_run_on(number, label)
    if not ended:
        refuse_spaced_reference(number, text[named.end() :], written=f"{label} {number}")
    return f"{label.lower()} {number}"


def _hash_reference(text: str) -> str | None:
    for bare in _HASH_REF.finditer(text):
        number, _ended = without_the_sentences_end(bare.group(1))
        if _enough(number):
            _refuse_a_word_run_on(number, "#")
            return f"#{number}"
    return None


def _enough(number: str) -> bool:
    """At least three letters, digits or hyphens: `#1 priority`, `#1.` name no customer."""
    return sum(character.isalnum() or character == "-" for character in number) >= 3


def _refuse_a_word_run_on(number: str, label: str) -> None:
    """`order 1234,late`: the comma's space forgotten, or a reference written so? Asked, not guessed: read whole it is
    a customer nobody else types, cut it could be another customer than meant."""
    mark = _SENTENCE_THEN_WORD.search(number)
    if mark is None:
        return
    cut, sep = number[: mark.start()], mark.group()
    shown = label if label == "#" else f"{label} "
    raise InvalidInput(
        f"Is the customer reference `{escape_mrkdwn(shown + cut)}` or `{escape_mrkdwn(shown + number)}`? Put a space "
        f"after the `{escape_mrkdwn(sep)}` if the reference ends there (`{escape_mrkdwn(shown + cut + sep)} …`), or "
        f"write it as `ref:{escape_mrkdwn(number)}`. Nothing was logged.",
        field="customer_ref",
    )
