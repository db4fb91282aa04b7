"""The fields Slack adds to what it sends when the app lives in an Enterprise Grid org.

An org-wide install sends `is_enterprise_install: true`, the enterprise's id, and in interactivity
payloads a null `team` (the user's `team_id` then names their home workspace, which may not be the one
they clicked in): https://docs.slack.dev/enterprise-grid/developing-for-enterprise-grid
"""

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Grid:
    enterprise_id: str | None = None
    org_wide: bool = False

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
