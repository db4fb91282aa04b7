"""Block Kit for HR's weekly DM listing the org-file Slack ids Slack has nobody of in the workspace."""

from dataclasses import dataclass
from typing import Any

from handlers.blocks.kit import SECTION_TEXT, context_block, text_block
from services.text import escape_mrkdwn

SUMMARY = "Someone in the org file has a Slack id nobody in Slack has"
SUMMARY_OF_SEVERAL = "People in the org file have Slack ids nobody in Slack has"


@dataclass(frozen=True)
class UnknownId:
    """One line of the org file whose Slack id Slack does not have: whose, the id as written, weeks since found."""

    name: str
    slack_id: str
    weeks: int


def unknown_ids_notice(person_id: str, unknown: list[UnknownId]) -> dict[str, Any]:
    """Whose lines of the org file name an id Slack does not have, what they miss meanwhile, and how to fix it, in
    plain words, in one DM. The ids are shown as written, not as mentions: Slack could not show whom they name."""
    one = len(unknown) == 1
    whom = f"*{escape_mrkdwn(unknown[0].name)}*" if one else "these people"
    text = (
        f":warning: The org file gives {whom} {'a Slack id' if one else 'Slack ids'} nobody in this Slack workspace "
        "has: mistyped, or someone's id in another workspace.\n"
        f"Until it is fixed, Latitude cannot reach {'them' if one else 'any of them'}: their App Home is not updated "
        "and they get no DMs (no pulse invitations, reminders, digests or news of their rewards). Requests waiting on "
        "their decision reach them only once it is fixed, or go up to the next person once they have waited too long."
    )
    whose = "their" if one else "each one's"
    fix = (
        f"To fix it, copy {whose} id from their Slack profile (*Copy member ID*), put it on their line of the org "
        "file, and import the file again. If the file lists the whole organisation, import it with "
        "`--deactivate-missing` (`python -m bot org import FILE --deactivate-missing`): the line with the wrong id "
        "is then deactivated and what waits on them is handed over. Without it (`python -m bot org import FILE`, a "
        "file of one region or team), the wrong id stays in the directory as an active person beside the right one."
    )
    footer = (
        "You are told once a week while an id stays wrong, and again that week (at most once a day) only when another "
        "id is found wrong."
    )
    blocks = [text_block(text), text_block(_listed(unknown)), text_block(fix), context_block(footer)]
    return {"channel": person_id, "text": SUMMARY if one else SUMMARY_OF_SEVERAL, "blocks": blocks}


def _listed(unknown: list[UnknownId]) -> str:
    """One line each, as many as fit in a section (Slack cuts one past `SECTION_TEXT`), then how many are left out."""
    lines = [f"• {escape_mrkdwn(u.name)}: `{escape_mrkdwn(u.slack_id)}`, {_since(u.weeks)}" for u in unknown]
    shown: list[str] = []
    for line in lines:
        left_out = len(lines) - len(shown) - 1
        tail = f"\n…and {left_out} more" if left_out else ""
        if len("\n".join([*shown, line])) + len(tail) > SECTION_TEXT:
            break
        shown.append(line)
    more = len(lines) - len(shown)
    return "\n".join(shown + ([f"…and {more} more"] if more else []))


def _since(weeks: int) -> str:
    return "found this week" if weeks == 0 else f"found {weeks} week{'s' if weeks > 1 else ''} ago"
