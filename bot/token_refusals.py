"""Which refusals to renew a bot token mean the install is gone, not just that renewing failed this time."""

from slack_sdk.errors import SlackTokenRotationError
from slack_sdk.oauth.installation_store import Installation

from handlers.deps import InstallGone, RefreshTokenSpent

REFRESH_TOKEN_REVOKED = frozenset({"invalid_refresh_token", "invalid_grant"})
"""What `oauth.v2.access` answers a refresh token that no longer renews anything: spent, or revoked with the
install: `invalid_refresh_token` (https://api.slack.com/methods/oauth.v2.access#errors), or OAuth's own
`invalid_grant` for a refresh token revoked or expired (RFC 6749, section 5.2), which Slack answers too, with a 400
("Token has been expired or revoked"). A 5xx, a rate limit or a dropped connection says nothing of the install."""


def refusal(error: SlackTokenRotationError, *, offered: Installation, saved: Installation | None) -> Exception:
    """`InstallGone` when Slack refused for good the refresh token the store still holds; else the refusal as it
    came, or `RefreshTokenSpent` when the store holds another refresh token (another process spent the one offered,
    and saved what it got)."""
    code = error.api_error.response.get("error")
    if saved is None or code not in REFRESH_TOKEN_REVOKED:
        return error
    if saved.bot_refresh_token != offered.bot_refresh_token:
        return RefreshTokenSpent(error.api_error)
    return InstallGone(error.api_error)
