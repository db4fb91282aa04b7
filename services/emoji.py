"""Emoji in what people type: Slack sends one picked from its menu as its code (`:tada:`), right after the word
before it when no space was typed (`thanks:pray:`); a phone's keyboard sends the character itself (`🎉`)."""

import re
import unicodedata
from collections.abc import Collection

from services.text import without_mentions

_ONE_CODE = r":(?:[+-]1|(?=[0-9_+'-]*[a-z])[a-z0-9_+'-]+):"
EMOJI_CODE = re.compile(rf"{_ONE_CODE}(?::skin-tone-[2-6]:)?")
"""`:tada:`, `:+1::skin-tone-3:`, in lower case as Slack sends them: never `:30:` of a time (`10:30:45`), nor a
reference typed between colons (`ref:AB12:`, `ticket:INC-1234:`)."""
_ONE = re.compile(_ONE_CODE)
_CODES = re.compile(rf"(?:{_ONE_CODE})+")
"""Codes one after another, a skin tone one of them: read one way only, so a long run that fails fails at once."""
_SPACES = re.compile(r"(\s+)")


def is_emoji(word: str) -> bool:
    """`:tada:`, `:+1::skin-tone-2:`, or a word of emoji only (`🎉`, `👍🏽`, `⭐️`)."""
    if _CODES.fullmatch(word):
        return True
    return bool(word) and all(unicodedata.category(character) in ("So", "Sk", "Mn", "Cf") for character in word)


def codes_ending(text: str, end: int) -> int:
    """Where the emoji codes typed right before `end` begin (`end` when there are none), read back from `end` one
    code at a time, so a long text costs one pass: `thanks:pray::skin-tone-2:` -> 6."""
    start = end
    while start and text[start - 1] == ":":
        opened = text.rfind(":", 0, start - 1)
        if opened < 0 or not _ONE.fullmatch(text, opened, start):
            break
        start = opened
    return start


def emoji_apart(text: str, labels: Collection[str] = ()) -> str:
    """The text with each emoji code typed onto a word set apart from it: `credit:tada: 10` -> `credit :tada: 10`.
    A code is not set apart after an emoji's closing colon (`:+1::skin-tone-3:` stays one emoji), nor where its
    colons are the text's own (`_colons_typed`)."""
    return "".join(_word_apart(piece, labels) for piece in _SPACES.split(text))


def _word_apart(word: str, labels: Collection[str]) -> str:
    start = codes_ending(word, len(word))
    if 0 < start < len(word) and word[start - 1] != ":" and not _colons_typed(word[:start], word[start:], labels):
        return f"{word[:start]} {word[start:]}"
    return word


_OPENING = "([{\"'“‘«„‚"


def _colons_typed(before: str, code: str, labels: Collection[str]) -> bool:
    """Whether what reads as a code after `before` is text between colons typed as such: after a label's colon
    (`ref:ab12:`, `outcome:happy:`) or an abbreviation's of up to three letters (`re:late:`, `eta:tomorrow:`), in
    the middle of a time (`10:30am:`) or in a link or path (`https://example.com/a:b:`)."""
    word = before.lstrip(_OPENING).lower()
    if word in labels or (word.isalpha() and len(word) <= 3):
        return True
    return (before[-1].isdigit() and code[1].isdigit()) or "/" in before


_LETTER_OR_DIGIT = re.compile(r"[^\W_]")
_NUMBER_CODES = re.compile(r"(?<![\w:]):(?:100|1234):(?![\w:])")
"""Slack's two codes of digits alone (`:100:`, `:1234:`), as a word of their own: never part of a time."""


_LOOKS_LIKE_A_WORD = re.compile(r"[0-9#*]\ufe0f?\u20e3|\u2139\ufe0f?|(?<!\S)(?:(?:</?3+)+|[:;]-?[DPp]|[xX]D)(?!\S)")
"""Emoji whose characters are a digit or a letter (`1️⃣` is `1` and a keycap, `ℹ️` a small letter `i`) and the
faces and hearts typed as text (`<3`, `:D`, `xD`), each a word of its own: pictures, not words."""


def without_codes(text: str) -> str:
    """`text` with its emoji, as codes (those of digits alone included), keycaps, `ℹ️` or typed faces and hearts,
    each left out for a space."""
    return _LOOKS_LIKE_A_WORD.sub(" ", _NUMBER_CODES.sub(" ", EMOJI_CODE.sub(" ", text)))


def has_words(text: str) -> bool:
    """Whether `text` holds a letter or digit besides its emoji codes and the people or channels it names: `:tada:`,
    `:100:`, `👍`, `!!` or `🙏 @ines` alone say nothing."""
    return bool(_LETTER_OR_DIGIT.search(without_codes(without_mentions(text))))


def emoji_trimmed(text: str) -> str:
    """`text` without the emoji set apart before and after its words: `:tada: Support East 🎉` -> `Support East`;
    `text` itself when it is nothing else, for its reader to say so."""
    words = [word for word in _WORD.finditer(text) if not is_emoji(word[0])]
    return text[words[0].start() : words[-1].end()] if words else text


_WORD = re.compile(r"\S+")
