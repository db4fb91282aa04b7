"""The no-names relay for anonymous suggestions: find "mine" again, reach the author, never show who.

Two values stand in for the author, both made with keys derived from a secret in the settings (never
stored in the database), one per workspace:
- a token, a random salt and HMAC(key, salt and employee id): the author's own later commands match it;
  it cannot be reversed, and two suggestions by one person carry tokens that do not match each other
  (a shared token would link all of one person's ideas, and a team move between two would name them).
  Tokens written before salting (HMAC of the id alone) still match.
- a seal, the author's Slack id encrypted (Fernet: AES with an authentication tag): the bot opens it
  only to send the author news of their idea, as it sends it (for news of *Done*, to see then whether the "you said,
  we did" DM each teammate gets went to them, which then stands for it). Each seal is random, so two seals of one
  person don't match.
The DM itself is queued with the seal as its channel; the sender opens it at the last moment and keeps
no channel in the delivery's result, so the outbox holds no name either.

While the secret is rotated, the previous one still opens seals and matches tokens made under it (a DM waiting
in the outbox, a relayed pulse message, an author's `/suggest list`); everything new is made under the current one.
"""

import base64
import hashlib
import hmac
import re
import secrets

from cryptography.fernet import Fernet, InvalidToken

SEALED = "sealed:"
SALTED = "~"
"""Marks a salted token: a token made before salting is 64 hex digits."""
SALT_CHARS, MAC_CHARS = 15, 48
UNDATED = 0
"""The moment written into every seal (`Relay.seal`)."""
FERNET_TOKEN = re.compile(r"[A-Za-z0-9_-]+={0,2}")
FERNET_VERSION = 0x80


class Relay:
    def __init__(self, secret: str, previous: str | None = None) -> None:
        if not secret:
            raise ValueError("the relay needs a secret")
        self._secret = secret.encode()
        self._accepted = [self._secret, *([previous.encode()] if previous and previous != secret else [])]

    def _key(self, purpose: str, workspace_id: int, secret: bytes | None = None) -> bytes:
        message = f"latitude:{purpose}:{workspace_id}".encode()
        return hmac.new(secret or self._secret, message, hashlib.sha256).digest()

    def token(self, workspace_id: int, employee_id: int) -> str:
        """A fresh token for one suggestion (64 characters, as the column holds)."""
        salt = secrets.token_hex(8)[:SALT_CHARS]
        return f"{SALTED}{salt}{self._mac(workspace_id, employee_id, salt)}"

    def matches(self, token: str | None, workspace_id: int, employee_id: int) -> bool:
        """Whether `token` was made for this person (a salted one, or one made before salting)."""
        if not token:
            return False
        return any(self._matches_under(secret, token, workspace_id, employee_id) for secret in self._accepted)

    def _matches_under(self, secret: bytes, token: str, workspace_id: int, employee_id: int) -> bool:
        if token.startswith(SALTED):
            salt, mac = token[1 : 1 + SALT_CHARS], token[1 + SALT_CHARS :]
            return hmac.compare_digest(mac, self._mac(workspace_id, employee_id, salt, secret))
        return hmac.compare_digest(token, self._mac(workspace_id, employee_id, None, secret))

    def _mac(self, workspace_id: int, employee_id: int, salt: str | None, secret: bytes | None = None) -> str:
        key = self._key("suggestion-author", workspace_id, secret)
        if salt is None:
            return hmac.new(key, str(employee_id).encode(), hashlib.sha256).hexdigest()
        return hmac.new(key, f"{salt}:{employee_id}".encode(), hashlib.sha256).hexdigest()[:MAC_CHARS]

    def seal(self, workspace_id: int, slack_id: str) -> str:
        """Dated 0: a Fernet token carries the moment it was made in the clear, which would tell a reader of the
        database when an anonymous suggestion was really sent (its release is dated later on purpose). Opening
        takes no age limit, so the date is never read."""
        fernet = Fernet(base64.urlsafe_b64encode(self._key("suggestion-seal", workspace_id)))
        return f"{SEALED}{workspace_id}:{fernet.encrypt_at_time(slack_id.encode(), UNDATED).decode()}"

    def open(self, sealed: str) -> str | None:
        """The Slack id in a seal, or None when it is not one of ours (another secret than the current and the
        previous one, tampered with)."""
        if not sealed.startswith(SEALED):
            return None
        workspace, _, token = sealed[len(SEALED) :].partition(":")
        if not (workspace.isascii() and workspace.isdigit()):  # "²" is a digit int() refuses
            return None
        for secret in self._accepted:
            fernet = Fernet(base64.urlsafe_b64encode(self._key("suggestion-seal", int(workspace), secret)))
            try:
                return fernet.decrypt(token.encode()).decode()
            except InvalidToken:
                continue
        return None

    def undated(self, sealed: str) -> str | None:
        """The same Slack id sealed anew, dated 0, for a seal an earlier release made with the moment in it; None when
        the seal carries no date, or is not one this relay opens."""
        if not is_dated(sealed):
            return None
        slack_id = self.open(sealed)
        workspace = sealed[len(SEALED) :].partition(":")[0]
        return None if slack_id is None else self.seal(int(workspace), slack_id)


def is_dated(sealed: str) -> bool:
    """Whether a seal's Fernet token carries a moment other than `UNDATED` (bytes 1 to 8, in the clear)."""
    if not sealed.startswith(SEALED):
        return False
    workspace, _, token = sealed[len(SEALED) :].partition(":")
    if not (workspace.isascii() and workspace.isdigit() and FERNET_TOKEN.fullmatch(token)):
        return False
    raw = base64.urlsafe_b64decode(token)
    return len(raw) > 9 and raw[0] == FERNET_VERSION and int.from_bytes(raw[1:9], "big") != UNDATED


def is_sealed(channel: object) -> bool:
    return isinstance(channel, str) and channel.startswith(SEALED)
