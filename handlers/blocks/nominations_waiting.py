"""The App Home's reward nominations waiting for the person's approval, each with its buttons."""

from handlers.blocks.kit import Block, and_more, context_block, one_line, text_block
from handlers.blocks.nominations import decision_buttons, nominated_line
from handlers.blocks.resolutions_waiting import HOME_WAITING
from services.rewards.waiting import WaitingNominations

REASON_SHOWN = 300
"""The reason on one line, cut: the Home holds 100 blocks for every feature; the DM quotes it whole."""


def waiting_section(waiting: WaitingNominations) -> list[Block]:
    if not waiting.total:
        return []
    blocks: list[Block] = [text_block(f"*Reward nominations waiting for your approval* ({waiting.total})")]
    shown = waiting.oldest[:HOME_WAITING]
    for nomination in shown:
        facts = f"{nominated_line(nomination)}\n{one_line(nomination.reason, REASON_SHOWN)}"
        blocks += [text_block(facts), decision_buttons(nomination)]
    if waiting.total > len(shown):
        next_ones = "the oldest come first; decide these and the next ones appear here."
        blocks.append(context_block(and_more(waiting.total - len(shown), next_ones)))
    return blocks
