"""A modal's hidden part (`private_metadata`) is sealed when Latitude opens the modal, and checked when it comes back.

The hidden part says which item a form is about (a request, a nomination, a grant, a suggestion, a pulse round or
comment) and where to show the outcome after (a message to update, a response URL to post to). A client that alters
it could otherwise decide with one form and overwrite another person's message, or have Latitude post to an address
of its choosing. The seal binds the hidden part to the form (its callback id) and to the person it was opened for; a
form that comes back without its seal, with another, or from someone else is one Latitude never opened: a
BrokenSeal, with nothing changed; the form then says so (`SEAL_REFUSED`) rather than Slack's "trouble connecting".
"""

import hashlib
import hmac
from typing import Any

from handlers.deps import Deps
from handlers.form_apologies import apology_view
from handlers.payload import BrokenSeal
from services.pulse.relay_tags import RelayKey

SEAL = "~"
SEAL_REFUSED = (
    "This form can't be sent: it is not the form Latitude opened (it was changed, or opened for someone else, or "
    "before Latitude's keys were renewed). Nothing was done. Close it and open it again from the message."
)
_PURPOSE = b"latitude form seal"


def sealed(deps: Deps, view: dict[str, Any], user_id: str) -> dict[str, Any]:
    """The view to open for `user_id`, its hidden part sealed."""
    metadata = str(view.get("private_metadata") or "")
    tag = _tag(_keys(deps.relay_key)[0], str(view.get("callback_id")), user_id, metadata)
    return {**view, "private_metadata": f"{metadata}{SEAL}{tag}"}


def opened(deps: Deps, body: dict[str, Any], view: dict[str, Any]) -> dict[str, Any]:
    """The submitted view with its hidden part as Latitude opened it for the submitter; else a BrokenSeal."""
    metadata, _, tag = str(view.get("private_metadata") or "").rpartition(SEAL)
    user_id = str((body.get("user") or {}).get("id") or "")
    callback_id = str(view.get("callback_id"))
    said = tag.encode("utf-8", "surrogatepass")  # bytes: compare_digest refuses a str that is not ASCII
    if not any(
        hmac.compare_digest(_tag(key, callback_id, user_id, metadata).encode(), said) for key in _keys(deps.relay_key)
    ):
        raise BrokenSeal(f"the hidden part of a {callback_id!r} form is not as it was opened"[:200])
    return {**view, "private_metadata": metadata}


def _keys(relay_key: RelayKey) -> list[bytes]:
    """The seal's keys, from the relay's: a form opened before RELAY_SECRET changed can still be sent."""
    secrets = [relay_key.current] if relay_key.previous is None else [relay_key.current, relay_key.previous]
    return [hmac.new(secret, _PURPOSE, hashlib.sha256).digest() for secret in secrets]


def _tag(key: bytes, callback_id: str, user_id: str, metadata: str) -> str:
    return hmac.new(key, f"{callback_id}\0{user_id}\0{metadata}".encode(), hashlib.sha256).hexdigest()[:32]


def seal_refused() -> dict[str, Any]:
    """The ack of a form refused for its seal: the form becomes the reason, with a Close button only (sending it
    again would be refused again)."""
    return {"response_action": "update", "view": apology_view(SEAL_REFUSED)}
