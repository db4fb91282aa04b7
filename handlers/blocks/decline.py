"""The modal that asks why a request is declined, and where the Decline was clicked, to refresh it after."""

import json
from dataclasses import dataclass
from typing import Any

from handlers.blocks.kit import input_block, plain, text_block
from handlers.blocks.resolutions import DECLINE_MODAL, REASON, facts
from models import Resolution
from services.text import directions_closed


@dataclass(frozen=True)
class DeclineForm:
    """A submitted decline modal: the reason, and where the Decline was clicked, to refresh it afterwards."""

    resolution_id: int
    channel: str
    ts: str
    reason: str
    in_home: bool = False
    response_url: str = ""
    """The ephemeral `/digest` preview clicked in: it can only be replaced through its response URL."""
    digest: tuple[str, str] = ("", "")
    """The weekly digest DM clicked in (channel, ts)."""


def decline_modal(
    resolution: Resolution,
    channel: str,
    ts: str,
    *,
    in_home: bool = False,
    response_url: str = "",
    digest: tuple[str, str] = ("", ""),
) -> dict[str, Any]:
    where = {"home": in_home, "respond": response_url, "digest": list(digest)}
    metadata = json.dumps({"resolution": resolution.id, "channel": channel, "ts": ts, **where})
    return {
        "type": "modal",
        "callback_id": DECLINE_MODAL,
        "title": plain("Decline request"),
        "submit": plain("Decline"),
        "close": plain("Cancel"),
        "private_metadata": metadata,
        "blocks": [
            text_block(facts(resolution)),
            input_block(
                REASON,
                "Why do you decline?",
                {"type": "plain_text_input", "multiline": True, "max_length": 1000},
                hint=f"{directions_closed(resolution.employee.name)} will see this.",
            ),
        ],
    }


def parse_decline_modal(view: dict[str, Any]) -> DeclineForm:
    metadata = json.loads(view.get("private_metadata") or "{}")
    reason = view["state"]["values"].get(REASON, {}).get(REASON, {}).get("value") or ""
    return DeclineForm(
        resolution_id=int(metadata["resolution"]),
        channel=str(metadata["channel"]),
        ts=str(metadata["ts"]),
        reason=reason.strip(),
        in_home=bool(metadata.get("home")),
        response_url=str(metadata.get("respond") or ""),
        digest=_pair(metadata.get("digest")),
    )


def _pair(value: Any) -> tuple[str, str]:
    return (str(value[0]), str(value[1])) if isinstance(value, list) and len(value) == 2 else ("", "")
