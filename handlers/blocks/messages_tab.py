"""The DM telling HR and admins that Latitude's Messages tab is on again (handlers/messages_tab.py)."""

from typing import Any

from handlers.blocks.kit import notice

ON_AGAIN = (
    ":white_check_mark: *Latitude's Messages tab is on again:* its DMs reach people again. Those due while it was off "
    "were not sent: requests still waiting for a decision are on their deciders' Home, and a manager sees their team's "
    "week with `/digest`."
)


def tab_on_again(person: str) -> dict[str, Any]:
    return notice(
        person, "Latitude's Messages tab is on again", ON_AGAIN, "You are told once it is back on after being off."
    )
