"""The fields Slack adds to what it sends when the app lives in an Enterprise Grid org.

An org-wide install sends `is_enterprise_install: true`, the enterprise's id, and in interactivity
payloads a null `team`: https://docs.slack.dev/enterprise-grid/developing-for-enterprise-grid
"""

import time
from dataclasses import dataclass
from typing import Any

from bot.fakeslack.envelopes import event_envelope


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
        return {"enterprise_id": self.enterprise_id} if self.enterprise_id else {}

    def interaction_fields(self, team_id: str) -> dict[str, Any]:
        """Outside a Grid org `enterprise` is there, null (https://docs.slack.dev/reference/interaction-payloads)."""
        team = None if self.org_wide else {"id": team_id, "domain": "latitude-demo"}
        enterprise = {"id": self.enterprise_id, "name": "Latitude Group"} if self.enterprise_id else None
        return {"team": team, "enterprise": enterprise, "is_enterprise_install": self.org_wide}

    def org_envelope(self, event: dict[str, Any], event_id: str, team_id: str) -> dict[str, Any]:
        """The delivery of an event about the org itself (`team_access_granted`, `team_access_revoked`): it names the
        org and no team (`team_id` null): https://api.slack.com/events/team_access_revoked"""
        assert self.enterprise_id and self.org_wide, "only an org-wide install hears of its org"
        stamped, now = {**event, "event_ts": f"{time.time():.6f}"}, int(time.time())
        authorization = self.authorization(team_id)
        envelope = event_envelope(stamped, team_id=None, event_id=event_id, event_time=now, authorization=authorization)
        return {**envelope, "enterprise_id": self.enterprise_id}


def payload_team(user: dict[str, Any], default: str) -> str:
    """A payload's `user.team_id`: the person's home workspace, or for a member of a Grid org the org's `E…` id, as
    Slack's interaction payload docs say (https://docs.slack.dev/reference/interaction-payloads/block_actions-payload)."""
    return str((user.get("enterprise_user") or {}).get("enterprise_id") or user.get("team_id") or default)
