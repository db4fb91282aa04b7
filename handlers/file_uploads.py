"""A file shared through Slack's two-call upload, streamed from disk: slack_sdk's `files_upload_v2` reads the whole
file into memory first (`content=` or `file=` alike), which a large export must not."""

import io
import tempfile
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, BinaryIO, TextIO
from urllib.error import URLError

from slack_sdk import WebClient

UPLOAD_BLOCK = 1 << 16
"""Bytes sent to the upload URL at a time."""


@contextmanager
def spooled_text(memory: int) -> Iterator[TextIO]:
    """UTF-8 text held in memory up to `memory` bytes, then in a temporary file; `.buffer` is its bytes. The file
    goes when the block ends, however it ends."""
    with tempfile.SpooledTemporaryFile(max_size=memory) as spool:
        text = io.TextIOWrapper(spool, encoding="utf-8", newline="")  # type: ignore[arg-type]
        try:
            yield text
        finally:
            text.detach()  # the spool is closed once, by its own block


def share_file(
    client: WebClient, *, channel: str, file: BinaryIO, length: int, filename: str, title: str, initial_comment: str
) -> None:
    """https://docs.slack.dev/reference/methods/files.getUploadURLExternal: an upload URL made for exactly `length`
    bytes, the bytes from `file` (read from where it stands) posted to it, then files.completeUploadExternal."""
    reply = client.files_getUploadURLExternal(filename=filename, length=length)
    _post(client, str(reply["upload_url"]), file, length)
    files = [{"id": reply["file_id"], "title": title}]
    client.files_completeUploadExternal(files=files, channel_id=channel, initial_comment=initial_comment)


def _post(client: WebClient, url: str, file: BinaryIO, length: int) -> None:
    """Anything but 200 is a failed upload (raised, as urllib raises it); a slow answer raises `UploadUnanswered`."""
    headers = {"Content-Type": "application/octet-stream", "Content-Length": str(length)}
    blocks = iter(lambda: file.read(UPLOAD_BLOCK), b"")
    request = urllib.request.Request(url, data=blocks, headers=headers, method="POST")
    handlers: list[Any] = [urllib.request.HTTPSHandler(context=client.ssl)]
    if client.proxy:
        handlers.append(urllib.request.ProxyHandler({"http": client.proxy, "https": client.proxy}))
    opener = urllib.request.build_opener(*handlers)
    try:
        with opener.open(request, timeout=client.timeout) as answer:
            answer.read()
    except (TimeoutError, URLError) as error:
        if timed_out(error):
            raise UploadUnanswered("Slack's upload URL did not answer in time") from error
        raise


class UploadUnanswered(Exception):
    """The upload URL gave no answer in time: the file is not shared, since files.completeUploadExternal never ran.
    Not an `OSError`, so that it is never taken for a share Slack may have made."""


def timed_out(error: OSError) -> bool:
    """Slack took the call, perhaps, but answered after the client stopped waiting."""
    return isinstance(error, TimeoutError) or isinstance(getattr(error, "reason", None), TimeoutError)
