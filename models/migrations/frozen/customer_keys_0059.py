"""A customer's reference as compared (`customer_key`), as services/resolutions/customers.py keys it at 0059."""

import re
import unicodedata

_IGNORABLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164"
    "\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)
_LABELS = re.compile(
    r"^[\W_]*(?:(?:order|ticket|case|booking|account|invoice|customer|ref|reference|no|nr|number)(?![a-z])[\s.:#-]*|#\s*)+"
)
_NOT_LETTER_OR_DIGIT = re.compile(r"[\W_]+")
_FOLDED_APART = str.maketrans({"\u0130": "i", "\u0131": "i", "\u0345": None})
_LATIN_LOOK_ALIKES = str.maketrans(
    "авекмнорстухіјѕԛԝαβεζηικμνορτυχ",  # Cyrillic, then Greek
    "abekmhopctyxijsqwabezhikmnoptyx",
)


def without_ignorable(text: str) -> str:
    return _IGNORABLE.sub("", text)


def as_key_reads(character: str) -> str:
    """Nothing for a mark or a control, format, private-use or unassigned character; a digit of any script as 0-9."""
    if unicodedata.category(character)[0] in "MC":
        return ""
    value = unicodedata.decimal(character, None)
    return character if value is None else str(value)


def customer_key(reference: str) -> str:
    normal = unicodedata.normalize("NFKC", without_ignorable(reference)).strip().translate(_FOLDED_APART)
    folded = unicodedata.normalize("NFKC", normal.casefold()).translate(_LATIN_LOOK_ALIKES)
    lowered = "".join(map(as_key_reads, folded))
    key = _NOT_LETTER_OR_DIGIT.sub("", _LABELS.sub("", lowered)) or _NOT_LETTER_OR_DIGIT.sub("", lowered) or lowered
    return ((key.lstrip("0") or "0") if key.isascii() and key.isdigit() else key)[:100]


def usable_reference(reference: str | None) -> str | None:
    """The reference as stored: without the characters shown as nothing and the spaces around it; None without a
    letter or digit."""
    stripped = without_ignorable(reference or "").strip()
    return stripped if any(character.isalnum() for character in stripped) else None
