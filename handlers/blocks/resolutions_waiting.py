"""The App Home's requests waiting for the person's decision, each with its buttons."""

from handlers.blocks.kit import Block, and_more, context_block, text_block
from handlers.blocks.resolutions import decision_buttons, facts, words_for
from services.resolutions.decisions import Waiting

HOME_WAITING = 10
"""Requests the App Home shows with their buttons, oldest first; deciding them brings up the next."""
SENT_SHOWN = 5
"""An admin's requests sent to them shown apart, when older ones waiting on others fill the list above them."""


def waiting_section(waiting: Waiting) -> list[Block]:
    if not waiting.total:
        return []
    heading = f"*Waiting for your decision* ({waiting.total})"
    if waiting.workspace_wide:
        heading = (
            f"*Waiting for a decision in the workspace* ({waiting.total}): as an admin you may decide these, "
            "not only those sent to you."
        )
    blocks: list[Block] = [text_block(heading)]
    shown = waiting.oldest[:HOME_WAITING]
    for resolution in shown:
        blocks += [text_block(facts(resolution)), decision_buttons(resolution.id, words_for(resolution))]
    if waiting.total > len(shown):
        next_ones = "the oldest come first; decide these and the next ones appear here."
        blocks.append(context_block(and_more(waiting.total - len(shown), next_ones)))
    return blocks + _sent_apart(waiting, {resolution.id for resolution in shown})


def _sent_apart(waiting: Waiting, shown: set[int]) -> list[Block]:
    """An admin's requests sent to them (handed over when their manager left, gone up) that the workspace's older ones
    leave out of the list: the summary of a hand-over sends the admin here to find them."""
    hidden = [resolution for resolution in waiting.sent if resolution.id not in shown]
    if not hidden:
        return []
    listed = hidden[:SENT_SHOWN]
    blocks: list[Block] = [text_block(f"*Sent to you* ({waiting.sent_total}), besides the oldest above:")]
    for resolution in listed:
        blocks += [text_block(facts(resolution)), decision_buttons(resolution.id, words_for(resolution))]
    rest = waiting.sent_total - (len(waiting.sent) - len(hidden)) - len(listed)
    if rest > 0:
        blocks.append(context_block(and_more(rest, "decide these and the next ones sent to you appear here.")))
    return blocks
