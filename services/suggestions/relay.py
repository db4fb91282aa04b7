"""The no-names relay for anonymous suggestions: find "mine" again, reach the author, never show who.

Two values stand in for the author, both made with keys derived from a secret in the settings (never
stored in the database), one per workspace:
- a token, HMAC(key, employee id): the author's own later commands match it; it cannot be reversed.
- a seal, the author's Slack id encrypted (Fernet: AES with an authentication tag): the bot opens it
  only to send the author a status change. Each seal is random, so two seals of one person don't match.
The DM itself is queued with the seal as its channel; the sender opens it at the last moment and keeps
no channel in the delivery's result, so the outbox holds no name either.
"""

import base64
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken

SEALED = "sealed:"


class Relay:
    def __init__(self, secret: str) -> None:
        if not secret:
            raise ValueError("the relay needs a secret")
        self._secret = secret.encode()

    def _key(self, purpose: str, workspace_id: int) -> bytes:
        return hmac.new(self._secret, f"latitude:{purpose}:{workspace_id}".encode(), hashlib.sha256).digest()

    def token(self, workspace_id: int, employee_id: int) -> str:
        key = self._key("suggestion-author", workspace_id)
        return hmac.new(key, str(employee_id).encode(), hashlib.sha256).hexdigest()

    def seal(self, workspace_id: int, slack_id: str) -> str:
        fernet = Fernet(base64.urlsafe_b64encode(self._key("suggestion-seal", workspace_id)))
        return f"{SEALED}{workspace_id}:{fernet.encrypt(slack_id.encode()).decode()}"

    def open(self, sealed: str) -> str | None:
        """The Slack id in a seal, or None when it is not one of ours (another secret, tampered with)."""
        if not sealed.startswith(SEALED):
            return None
        workspace, _, token = sealed[len(SEALED) :].partition(":")
        if not workspace.isdigit():
            return None
        fernet = Fernet(base64.urlsafe_b64encode(self._key("suggestion-seal", int(workspace))))
        try:
            return fernet.decrypt(token.encode()).decode()
        except InvalidToken:
            return None


def is_sealed(channel: object) -> bool:
    return isinstance(channel, str) and channel.startswith(SEALED)
