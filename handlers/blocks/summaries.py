"""What a DM telling of many requests or nominations at once says (handlers/handover_summary.py,
handlers/withheld_summary.py): how many of each, and where they are, rather than one DM with buttons each."""

from handlers.blocks.resolutions_waiting import HOME_WAITING
from services.text import plural

SUMMARY_OVER = 5
"""Up to this many requests (or nominations) for one person at once come one DM each, with the buttons; more, in one
summary."""
SUMMARIZED_KINDS = {"resolution": "request", "nomination": "reward nomination"}
WHERE_THEY_ARE = (
    "Latitude's Home tab lists what waits for your decision, the oldest first, each with its buttons: the oldest "
    f"{HOME_WAITING}, and the next ones as you decide those."
)


def counted(told: dict[str, int]) -> str:
    """ "12 requests", "6 requests and 6 reward nominations"."""
    return " and ".join(plural(told[kind], word) for kind, word in SUMMARIZED_KINDS.items() if told.get(kind))
