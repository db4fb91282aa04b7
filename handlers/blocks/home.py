"""The App Home tab: a greeting, then one section per feature."""

import hashlib
import json
from typing import Any

from handlers.blocks.allowance import allowance_words
from handlers.blocks.kit import Block, context_block, plain, text_block
from handlers.blocks.packing import packed_sections
from models import Employee
from services.directory import GUEST_REFUSED
from services.resolutions.fixes import AllowanceLine
from services.text import directions_closed, escape_mrkdwn

MAX_VIEW_BLOCKS = 100
HOME_CUT = "…and more that Slack leaves out of a Home past 100 blocks: deciding what waits above makes room for it."

ROLE_WORDS = {
    "frontline": "frontline team member",
    "manager": "manager",
    "hr": "HR",
    "admin": "admin",
}


NOT_LISTED = "You're not in the org directory yet, so you have no manager on file. Ask HR to add you."
NO_ORG_FILE = (
    "Latitude's org directory is empty: nobody has imported the org file yet, so it knows you only from Slack, as a "
    "frontline team member with no team or manager. Next step, for whoever runs Latitude: import the file with "
    "everyone's role, team and manager (`python -m bot org import FILE.csv`); this tab then shows yours."
)


def greeting(employee: Employee, *, org_imported: bool) -> list[Block]:
    """`org_imported`: whether an org import has listed anyone yet; before it, "ask HR" would send HR to themselves."""
    manager = escape_mrkdwn(employee.manager.name) if employee.manager else "no manager on file"
    team = escape_mrkdwn(employee.team_name) if employee.team else "no team on file"
    blocks: list[Block] = [
        hello(employee),
        {
            "type": "section",
            "text": {
                "type": "mrkdwn",
                "text": f"*Role:* {ROLE_WORDS[employee.role]}   *Team:* {team}   *Manager:* {manager}",
            },
        },
    ]
    if not employee.in_directory:
        blocks.append(context_block(NOT_LISTED if org_imported else NO_ORG_FILE))
    return blocks


def guest_greeting(employee: Employee) -> list[Block]:
    """A guest of the Slack workspace the org file leaves out: what `/resolve` and `/boundaries` tell them, and
    nothing else (no role, allowance or recognition of an employee's)."""
    return [hello(employee), text_block(GUEST_REFUSED)]


def hello(employee: Employee) -> Block:
    return {"type": "header", "text": plain(f"Hi {directions_closed(first_name(employee))} 👋", 150)}


def first_name(employee: Employee) -> str:
    """The first word of the person's name; "there" when it has none (a Slack name of spaces only) or is only their
    Slack id (a newcomer Slack has said nothing about yet)."""
    words = employee.name.split() if employee.name != employee.slack_id else []
    return words[0] if words else "there"


def home_view(sections: list[list[Block]], notice: str | None = None) -> dict[str, Any]:
    """The tab; `notice` answers a click made in it (a click in the Home has no response URL to answer through)."""
    blocks: list[Block] = [text_block(f":information_source: {notice}"), {"type": "divider"}] if notice else []
    for section in sections:
        if blocks and section and blocks[-1]["type"] != "divider":
            blocks.append({"type": "divider"})
        blocks += section
    if len(blocks) > MAX_VIEW_BLOCKS:
        blocks = [*blocks[: MAX_VIEW_BLOCKS - 1], context_block(HOME_CUT)]
    view: dict[str, Any] = {"type": "home", "blocks": blocks}
    return {**view, "private_metadata": fingerprint(view)}


def fingerprint(view: dict[str, Any]) -> str:
    """What a view shows, in 32 hex digits, kept in its `private_metadata`: Slack hands the published Home
    back in the next `app_home_opened`, and an unchanged one need not be published again."""
    return hashlib.sha256(json.dumps(view, sort_keys=True, separators=(",", ":")).encode()).hexdigest()[:32]


def already_shown(view: dict[str, Any], shown: dict[str, Any] | None) -> bool:
    """Whether `shown` (the Home as Slack has it) is the very `view` built now."""
    return shown is not None and shown.get("private_metadata") == view["private_metadata"]


ALLOWANCE_ROOM = 5
"""Blocks of the Home (100 for every feature) for the allowance: 100 categories' lines take about four."""


NO_POLICY = (
    "*Boundaries:* no policy file is loaded yet, so nobody has limits and `/resolve` logs no fix. Next step, for "
    "whoever runs Latitude: load one with `python -m bot policy load policy.toml` (copy `policy.example.toml` and "
    "edit it); `python -m bot policy show` then shows it."
)


DMS_OFF = (
    ":warning: *Latitude's Messages tab is off in this workspace:* DMs cannot reach anyone (requests to decide, "
    "reminders, digests, notices), so none is sent. Turn it on in the app settings: *App Home* > *Show Tabs* > "
    "*Messages Tab*. Latitude finds out by itself once it is back on."
)


def dms_off_section() -> list[Block]:
    """For HR and admins while Slack refuses every DM of the app."""
    return [text_block(DMS_OFF)]


def no_policy_section() -> list[Block]:
    """For HR and admins before a policy is loaded: what makes `/resolve` work."""
    return [text_block(NO_POLICY)]


NOT_LISTED_ALLOWANCE = (
    "None yet: the org file does not list you, so every fix you log goes to the admins to decide, however small. "
    "`/boundaries` shows the limits that will be yours once HR adds you."
)
NO_ADMIN_ALLOWANCE = (
    "None yet: the org file does not list you, and nobody is an admin in Latitude yet to decide your fixes, so "
    "`/resolve` cannot log one for now. `/boundaries` shows the limits that will be yours once HR adds you."
)


def allowance_section(
    lines: list[AllowanceLine], currency: str, *, listed: bool = True, no_admin: bool = False
) -> list[Block]:
    """What is left to give on the spot; someone the org file does not list has nothing to give without asking."""
    money = [line for line in lines if line.rule.involves_money]
    rows = [f"• *{escape_mrkdwn(line.rule.category)}*: {allowance_words(line, currency)}" for line in money]
    heading = "*My allowance today / this month*"
    if not listed:
        return [text_block(f"{heading}\n{NO_ADMIN_ALLOWANCE if no_admin else NOT_LISTED_ALLOWANCE}")]
    if not rows:
        return [text_block(f"{heading}\nNo money limits apply to you.")]
    return packed_sections([heading, *rows], ALLOWANCE_ROOM, where="`/boundaries`")
