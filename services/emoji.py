"""Emoji in what people type: Slack sends one picked from its menu as its code (`:tada:`), right after the word
before it when no space was typed (`thanks:pray:`); a phone's keyboard sends the character itself (`🎉`)."""

import re
import unicodedata

_ONE_CODE = r":(?:[+-]1|(?=[\w'+-]*[a-z])[a-z0-9_+'-]+):"
EMOJI_CODE = re.compile(rf"{_ONE_CODE}(?::skin-tone-[2-6]:)?", re.IGNORECASE)
"""`:tada:`, `:+1::skin-tone-3:`; never `:30:` of a time (`10:30:45`)."""
_ONE = re.compile(_ONE_CODE, re.IGNORECASE)
_CODES = re.compile(rf"(?:{_ONE_CODE})+", re.IGNORECASE)
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


def emoji_apart(text: str) -> str:
    """The text with each emoji code typed onto a word set apart from it: `credit:tada: 10` -> `credit :tada: 10`.
    After an emoji's closing colon a code is not set apart: `:+1::skin-tone-3:` stays one emoji."""
    return "".join(_word_apart(piece) for piece in _SPACES.split(text))


def _word_apart(word: str) -> str:
    start = codes_ending(word, len(word))
    if 0 < start < len(word) and word[start - 1] != ":":
        return f"{word[:start]} {word[start:]}"
    return word
