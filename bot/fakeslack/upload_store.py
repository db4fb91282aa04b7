"""The bytes sent to the fake Slack's upload URLs, and which uploads were completed (shared)."""

import threading


class Uploads:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._bytes: dict[str, bytes] = {}
        self._shared: set[str] = set()

    def store(self, file_id: str, content: bytes) -> None:
        with self._lock:
            self._bytes[file_id] = content

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
