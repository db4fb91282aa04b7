"""Where a TOML mistake that runs to the end of the file began: tomllib says only "at end of document" of a string,
array or inline table left open, and HR needs the line where it opened, not the last one."""

from dataclasses import dataclass

QUOTES = ('"""', "'''", '"', "'")
CLOSERS = {"[": "]", "{": "}"}
WHAT = {
    '"""': 'the text opened with """ here',
    "'''": "the text opened with ''' here",
    '"': 'the text opened with " here',
    "'": "the text opened with ' here",
    "[": "the [ here",
    "{": "the { here",
}


@dataclass(frozen=True)
class Opening:
    line: int
    column: int
    what: str
    """How the opening reads in a message ("the text opened with \" here")."""


def left_open(text: str) -> Opening | None:
    """The string, array or inline table still open at the end of `text` (a string first: inside it nothing else
    counts), or None when everything opened was closed."""
    opened: list[tuple[int, str]] = []
    at = 0
    while at < len(text):
        char = text[at]
        quote = next((q for q in QUOTES if text.startswith(q, at)), None)
        if quote is not None:
            end = _string_end(text, at, quote)
            if end is None:
                return _opening(text, at, quote)
            at = end
            continue
        if char == "#":
            newline = text.find("\n", at)
            at = len(text) if newline < 0 else newline
        elif char in CLOSERS:
            opened.append((at, char))
        elif opened and char == CLOSERS[opened[-1][1]]:
            opened.pop()
        at += 1
    return _opening(text, *opened[-1]) if opened else None


def _string_end(text: str, start: int, quote: str) -> int | None:
    """Just past the string opening at `start`; None when it never closes, on its line for a one-line string (tomllib
    names the line itself of one closed on a later line, so one that reaches the end of the file is this one)."""
    at = start + len(quote)
    while at < len(text):
        if text.startswith(quote, at):
            return at + len(quote)
        if len(quote) == 1 and text[at] == "\n":
            return None
        at += 2 if quote.startswith('"') and text[at] == "\\" else 1
    return None


def _opening(text: str, at: int, token: str) -> Opening:
    line_start = text.rfind("\n", 0, at) + 1
    return Opening(line=text.count("\n", 0, at) + 1, column=at - line_start + 1, what=WHAT[token])
