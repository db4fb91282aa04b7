"""Emoji in what people type: Slack sends one picked from its menu as its code (`:tada:`), right after the word
before it when no space was typed (`thanks:pray:`); a phone's keyboard sends the character itself (`🎉`)."""

import re
import unicodedata

EMOJI_CODE = re.compile(r":(?:[+-]1|(?=[\w'+-]*[a-z])[a-z0-9_+'-]+):(?::skin-tone-[2-6]:)?", re.IGNORECASE)
"""`:tada:`, `:+1::skin-tone-3:`; never `:30:` of a time (`10:30:45`)."""
_CODES = re.compile(rf"(?:{EMOJI_CODE.pattern})+", re.IGNORECASE)
_ONTO_A_WORD = re.compile(rf"(?<=[^\s:])((?:{EMOJI_CODE.pattern})+)(?!\S)", re.IGNORECASE)
"""After a word's last letter, not after an emoji's closing colon: `:+1::skin-tone-3:` stays one emoji."""


def is_emoji(word: str) -> bool:
    """`:tada:`, `:+1::skin-tone-2:`, or a word of emoji only (`🎉`, `👍🏽`, `⭐️`)."""
    if _CODES.fullmatch(word):
        return True
    return bool(word) and all(unicodedata.category(character) in ("So", "Sk", "Mn", "Cf") for character in word)


def emoji_apart(text: str) -> str:
    """The text with each emoji code typed onto a word set apart from it: `credit:tada: 10` -> `credit :tada: 10`."""
    return _ONTO_A_WORD.sub(r" \1", text)
