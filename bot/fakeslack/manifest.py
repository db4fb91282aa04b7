"""The scopes the app's `manifest.yml` grants, and the scope each Web API method needs.

Slack answers `missing_scope` (with `needed` and `provided`) when the token lacks the method's
scope; the scopes are listed on each method's page, e.g. https://api.slack.com/methods/chat.postMessage.
"""

from pathlib import Path

import yaml

MANIFEST = Path(__file__).resolve().parent / "manifest.yml"
"""A copy of the repository's manifest.yml, installed with the package (a test keeps them equal)."""

# One scope that is enough for each method; methods missing here need no scope (auth.test, views.*).
METHOD_SCOPES = {
    "chat.postMessage": "chat:write",
    "chat.postEphemeral": "chat:write",
    "chat.update": "chat:write",
    "chat.delete": "chat:write",
    "conversations.open": "im:write",
    "users.info": "users:read",
    "users.list": "users:read",
    "users.lookupByEmail": "users:read.email",
    "files.getUploadURLExternal": "files:write",
    "files.completeUploadExternal": "files:write",
}


def manifest_scopes(path: Path = MANIFEST) -> frozenset[str] | None:
    """The bot scopes the manifest grants; None (every scope) when there is no manifest beside the code."""
    if not path.exists():
        return None
    manifest = yaml.safe_load(path.read_text())
    return frozenset(manifest["oauth_config"]["scopes"]["bot"])


def missing_scope(method: str, granted: frozenset[str] | None) -> dict[str, object] | None:
    """Slack's answer when the token lacks the method's scope; None when the call is allowed."""
    needed = METHOD_SCOPES.get(method)
    if granted is None or needed is None or needed in granted:
        return None
    return {"ok": False, "error": "missing_scope", "needed": needed, "provided": ",".join(sorted(granted))}
