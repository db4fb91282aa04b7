"""The relay's key and the tags it makes: the way back to a comment's author, which the database cannot follow.

A tag is an HMAC of the relay handle and the author under a key derived from a secret the process holds (RELAY_SECRET,
by default the signing secret) and the database never does.
"""

import hashlib
import hmac
from dataclasses import dataclass


@dataclass(frozen=True)
class RelayKey:
    """The relay's key, and while RELAY_SECRET changes the one it replaces: a tag is made with the current key and
    found with either, so a comment made before the change can still be replied to."""

    current: bytes
    previous: bytes | None = None

    def tag(self, handle: str, employee_id: int) -> str:
        return author_tag(self.current, handle, employee_id)

    def made(self, tag: str, handle: str, employee_id: int) -> bool:
        """Whether `tag` is this person's, under the current key or the previous one."""
        keys = (self.current,) if self.previous is None else (self.current, self.previous)
        return any(hmac.compare_digest(author_tag(key, handle, employee_id), tag) for key in keys)


def relay_key_from(secret: str, previous: str | None = None) -> RelayKey:
    """The relay's key, derived from a secret the process holds and the database does not."""
    replaced = previous if previous and previous != secret else None
    return RelayKey(_derived(secret), _derived(replaced) if replaced else None)


def _derived(secret: str) -> bytes:
    return hmac.new(secret.encode(), b"latitude pulse relay", hashlib.sha256).digest()


def author_tag(key: bytes, handle: str, employee_id: int) -> str:
    return hmac.new(key, f"{handle}:{employee_id}".encode(), hashlib.sha256).hexdigest()
