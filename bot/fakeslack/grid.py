"""The fields Slack adds to what it sends when the app lives in an Enterprise Grid org.

An org-wide install sends `is_enterprise_install: true`, the enterprise's id, and in interactivity
payloads a null `team`: https://docs.slack.dev/enterprise-grid/developing-for-enterprise-grid
"""

import time
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Grid:
    enterprise_id: str | None = None
    org_wide: bool = False

    @property
    def org_install(self) -> str | None:
        """The org of an org-wide install; None for a workspace's own install."""
        return self.enterprise_id if self.org_wide else None

    def command_fields(self) -> dict[str, str]:
        fields = {"is_enterprise_install": "true" if self.org_wide else "false"}
        if self.enterprise_id:
            fields.update(enterprise_id=self.enterprise_id, enterprise_name="Latitude Group")
        return fields

    def authorization(self, team_id: str) -> dict[str, Any]:
        return {
            "enterprise_id": self.enterprise_id,
            "team_id": None if self.org_wide else team_id,
            "user_id": "U0LATBOT",
            "is_bot": True,
            "is_enterprise_install": self.org_wide,
        }

    def event_fields(self) -> dict[str, Any]:
        return {"enterprise_id": self.enterprise_id, "is_ext_shared_channel": False} if self.enterprise_id else {}

    def interaction_fields(self, team_id: str) -> dict[str, Any]:
        team = None if self.org_wide else {"id": team_id, "domain": "latitude-demo"}
        fields: dict[str, Any] = {"team": team, "is_enterprise_install": self.org_wide}
        if self.enterprise_id:
            fields["enterprise"] = {"id": self.enterprise_id, "name": "Latitude Group"}
        return fields

    def org_envelope(self, event: dict[str, Any], event_id: str, team_id: str) -> dict[str, Any]:
        """The delivery of an event about the org itself (`team_access_granted`, `team_access_revoked`): it names the
        org and no team (`team_id` null): https://api.slack.com/events/team_access_revoked"""
        assert self.enterprise_id and self.org_wide, "only an org-wide install hears of its org"
        return {
            "token": "verification-token-unused",
            "team_id": None,
            "enterprise_id": self.enterprise_id,
            "api_app_id": "A0LATITUDE",
            "event": {**event, "event_ts": f"{time.time():.6f}"},
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
            "authorizations": [self.authorization(team_id)],
        }


def payload_team(user: dict[str, Any], default: str) -> str:
    """A payload's `user.team_id`: the person's home workspace, or for a member of a Grid org the org's `E…` id, as
    Slack's interaction payload docs say (https://docs.slack.dev/reference/interaction-payloads/block_actions-payload)."""
    return str((user.get("enterprise_user") or {}).get("enterprise_id") or user.get("team_id") or default)
