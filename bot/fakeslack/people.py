"""The user object Slack's `users.info` (and a `user_change` event) gives of a person, as the fake sets one up."""

from dataclasses import dataclass
from typing import Any, Literal

Guest = Literal["multi-channel", "single-channel"] | None
"""A guest account rather than a member: one who may join several channels, or just one."""


@dataclass(frozen=True)
class Person:
    name: str
    tz: str = "UTC"
    email: str | None = None
    is_bot: bool = False
    deleted: bool = False
    guest: Guest = None


def user_object(
    user_id: str, person: Person, *, home: str, teams: tuple[str, ...], enterprise_id: str | None
) -> dict[str, Any]:
    """Slack says of everyone whether they are a guest: `is_restricted` (false for a member), and
    `is_ultra_restricted` too for a single-channel guest (https://docs.slack.dev/reference/objects/user-object)."""
    name = person.name
    return {
        "id": user_id,
        "team_id": home,
        "teams": list(teams or (home,)),
        "enterprise_id": enterprise_id,
        "name": name.lower().replace(" ", "."),
        "real_name": name,
        "tz": person.tz,
        "is_bot": person.is_bot,
        "deleted": person.deleted,
        "is_restricted": person.guest is not None,
        "is_ultra_restricted": person.guest == "single-channel",
        "profile": {"real_name": name, "display_name": name.split()[0], "email": person.email or ""},
    }


def teams_of(user: dict[str, Any]) -> list[str]:
    """The workspaces someone works in: their `teams` (none once removed from the last one), else their `team_id`."""
    teams = user.get("teams")
    return list(teams) if isinstance(teams, list) else [str(user.get("team_id"))]
