"""Telling what someone meant from what they typed: a word with a slip in it, quotes and punctuation around a word,
dashes set between words, courtesy around what is asked."""

import re
import string
from collections.abc import Iterable


def one_slip_apart(typed: str, meant: str) -> bool:
    """The same, or one letter added, dropped, or swapped with its neighbour."""
    if len(typed) == len(meant):
        apart = [i for i, (a, b) in enumerate(zip(typed, meant, strict=True)) if a != b]
        swapped = len(apart) == 2 and apart[1] == apart[0] + 1 and typed[apart[0]] == meant[apart[1]]
        return not apart or (swapped and typed[apart[1]] == meant[apart[0]])
    shorter, longer = sorted((typed, meant), key=len)
    return len(longer) == len(shorter) + 1 and any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer)))


LONG_WORD = 6
"""From this length a word with one letter changed is still that word mistyped: `anonimous`, `exprot`; a shorter one
may be another word someone means (`list` and `lost`)."""


def mistyped(typed: str, meant: str) -> bool:
    """`typed` is `meant` written with one slip (`one_slip_apart`, ignoring case), or a long word (`LONG_WORD`) with
    one letter changed."""
    typed, meant = typed.lower(), meant.lower()
    if one_slip_apart(typed, meant):
        return True
    changed = len(typed) == len(meant) and sum(a != b for a, b in zip(typed, meant, strict=True)) == 1
    return changed and len(meant) >= LONG_WORD


QUOTE_MARKS = "\"'“”„‟‘’‚‛«»‹›"
"""The quotes keyboards type, straight and curly (a phone curls `"` as it is typed), and guillemets."""


DASHES = frozenset("-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d")
"""A hyphen and the dashes a phone makes of `-` or `--` (en and em dash), the minus sign, their full-width forms."""


def is_lone_dash(word: str) -> bool:
    """`—`, `–`, `-`, `--` set apart between words: a pause in the sentence (`refund — 20`), never a minus."""
    return bool(word) and all(character in DASHES for character in word)


def without_leading_dashes(words: list[str]) -> list[str]:
    """The words after any lone dashes that begin them (`— great job`: `great job`)."""
    start = 0
    while start < len(words) and is_lone_dash(words[start]):
        start += 1
    return words[start:]


_LEADING_DASHES = re.compile(rf"\s*(?:[{re.escape(''.join(sorted(DASHES)))}]+(?!\S)\s*)*")


def after_leading_dashes(text: str) -> str:
    """`without_leading_dashes` for a text whose line breaks and spaces stay as typed."""
    leading = _LEADING_DASHES.match(text)
    return text[leading.end() :] if leading else text


COURTESY = frozenset({"please", "pls", "plz", "thanks", "thx"})
"""Politeness typed around what is asked (`results please`, `please refund 10 …`), never itself what is asked."""


def bare_word(word: str) -> str:
    """A word without the quotes and punctuation around it: `“catalog”`, `'refund'`, `happy!` copied or typed as a
    sentence's word are the word itself."""
    return word.strip(string.punctuation + QUOTE_MARKS)


def meant_word(typed: str, words: Iterable[str]) -> str | None:
    """The one of `words` that `typed` is a slip of (`exprot` -> `export`, `“catalog”` -> `catalog`), None when none
    or several are."""
    typed = bare_word(typed) or typed
    close = {word for word in words if mistyped(typed, word)}
    return close.pop() if len(close) == 1 else None
