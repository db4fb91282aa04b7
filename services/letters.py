"""How much a short text says, counted in letters as its reader sees them, whatever the script."""

from unicodedata import category, east_asian_width

_MARKS = ("Mn", "Mc")
"""The vowel signs and tone marks written onto a letter (Hindi `ा`, Thai `้`): each a letter to its reader."""


def letters(text: str) -> int:
    """Letters and digits, a Chinese, Japanese or Korean character counting two, and a mark written onto a letter
    (a vowel sign, a tone mark) one: `कॉफ़ी` is five, as `coffee` is six. A mark after anything else (the `️` that
    makes `⭐` a picture) is no letter."""
    count, in_word = 0, False
    for character in text:
        if character.isalnum() or character == "_":
            count += 2 if east_asian_width(character) in "WF" else 1
            in_word = True
        elif in_word and category(character) in _MARKS:
            count += 1
        else:
            in_word = False
    return count
