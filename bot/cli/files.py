"""The files HR hands the command line (the org CSV, the policy TOML): UTF-8 text, or a message that says which
file is not, where, and how to save it so."""

import codecs
import re
from pathlib import Path

WORKBOOK_SIGNATURES = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
"""How a zip (an .xlsx or .ods workbook is one) and an OLE2 file (an .xls workbook) start: HR sending the workbook
itself, rather than a CSV saved from it, is no text in any encoding."""


_LINE_END = re.compile(rb"\r\n|\r|\n")


class UnreadableFile(Exception):
    """The file cannot be read, or is not UTF-8 text; the message says what to do."""


def read_utf8(path: Path, *, how_to_save: str) -> str:
    """The file's text (a UTF-8 byte-order mark is left for the parser, which skips it)."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UnreadableFile(f"cannot read {path}: {error.strerror}") from None
    if data.startswith(WORKBOOK_SIGNATURES):
        raise UnreadableFile(f"{path} is a workbook (an Excel .xlsx or .xls, or a zip), not a text file: {how_to_save}")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in data:
        raise UnreadableFile(f'{path} is UTF-16 ("Unicode") text, not UTF-8: {how_to_save}')
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = len(_LINE_END.findall(data, 0, error.start)) + 1  # Windows, Unix or old Mac line ends
        raise UnreadableFile(
            f"{path} is not UTF-8 text: line {line} has a character in another encoding "
            f"(such as Windows-1252): {how_to_save}"
        ) from None
