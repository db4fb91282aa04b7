"""The upload URLs the fake Slack issued, the bytes sent to them, and which uploads were completed (shared)."""

import threading


class Uploads:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._lengths: dict[str, int] = {}
        self._bytes: dict[str, bytes] = {}
        self._shared: set[str] = set()

    def issue(self, file_id: str, length: int) -> None:
        """An upload URL for `file_id`, for exactly `length` bytes (as given to files.getUploadURLExternal)."""
        with self._lock:
            self._lengths[file_id] = length

    def store(self, file_id: str, content: bytes) -> tuple[int, str] | None:
        """Keep the bytes sent to `file_id`'s upload URL, or say why not (an HTTP status and a reason): a URL never
        issued, or not the length declared for it. Slack's upload URL is made for that length, and it answers anything
        but 200 when an upload fails (https://docs.slack.dev/reference/methods/files.getUploadURLExternal)."""
        with self._lock:
            declared = self._lengths.get(file_id)
            if declared is None:
                return 404, "no such upload URL"
            if len(content) != declared:
                return 400, f"{len(content)} bytes sent where {declared} were declared"
            self._bytes[file_id] = content
            return None

    def share(self, file_ids: list[str]) -> bool:
        """Complete these uploads; False when one was completed already (Slack completes an upload only once)."""
        with self._lock:
            if self._shared.intersection(file_ids):
                return False
            self._shared.update(file_ids)
            return True

    def get(self, file_id: str) -> bytes | None:
        """The bytes uploaded for `file_id`, or None when nothing was uploaded to its URL."""
        with self._lock:
            return self._bytes.get(file_id)
