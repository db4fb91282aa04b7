"""Block Kit for boundary proposals: the evidence HR reads, the *Apply* and *Dismiss* buttons, and what it became."""

from decimal import Decimal
from typing import Any

from handlers.blocks.kit import Block, button, context_block, text_block
from models import BoundaryProposal
from services.money import format_money
from services.text import escape_mrkdwn, plural, truncate

APPLY = "boundary_proposal_apply"
DISMISS = "boundary_proposal_dismiss"
REASON_TEXT = 200
"""Five reasons this long still leave the evidence readable in one section."""


def evidence_lines(evidence: dict[str, Any], currency: str) -> list[str]:
    def money(key: str) -> str:
        value = evidence.get(key)
        return format_money(Decimal(value), currency) if value is not None else "—"

    lines = [
        f"{plural(evidence['over_limit'], 'request')} went over the limit of {money('limit')} per incident: "
        f"{evidence['approved']} approved, {evidence['declined']} declined",
        f"Approved amounts: median {money('approved_median')}, 90th percentile {money('approved_p90')}",
    ]
    reasons = evidence.get("decline_reasons") or []
    if reasons:
        shortened = (escape_mrkdwn(truncate(" ".join(reason.split()), REASON_TEXT)) for reason in reasons)
        lines.append("Declined because: " + "; ".join(f"“{reason}”" for reason in shortened))
    return lines


def proposal_text(proposal: BoundaryProposal, outcome: str = "") -> str:
    """A proposal's notification text, all a screen reader reads of it: which limit, and what became of it. HR
    may get several in one month, and "Boundaries that learn" alone would not say which is which."""
    what = f"{escape_mrkdwn(proposal.category)} for {escape_mrkdwn(proposal.profile)}, {proposal.month}"
    return f"Boundaries that learn: {what}" + (f" ({outcome})" if outcome else "")


def proposal_message(proposal: BoundaryProposal, currency: str, profiles: tuple[str, ...]) -> list[Block]:
    head = f"*{escape_mrkdwn(proposal.category)}* for *{escape_mrkdwn(proposal.profile)}*, {proposal.month}"
    facts = "\n".join(f"• {line}" for line in evidence_lines(proposal.evidence, currency))
    if proposal.kind == "declines":
        return [
            text_block(f":mag: Boundaries that learn — {head}\n{facts}"),
            context_block("Declines dominate: the limit may be right, and the team may need guidance instead."),
        ]
    assert proposal.proposed_limit is not None and proposal.current_limit is not None
    others = [name for name in profiles if name != proposal.profile]
    also = f" It also applies to {', '.join(others)}, which inherit it." if others else ""
    change = (
        f"Proposal: raise the per-incident limit from {format_money(proposal.current_limit, currency)} to "
        f"*{format_money(proposal.proposed_limit, currency)}*.{also}"
    )
    limit = f"{proposal.category} limit of {format_money(proposal.proposed_limit, currency)} for {proposal.profile}"
    return [
        text_block(f":seedling: Boundaries that learn — {head}\n{change}"),
        text_block(facts),
        context_block(
            "*Apply* loads a new policy version with just this change. Nothing changes without it; "
            "*Dismiss* keeps the limit as it is."
        ),
        {
            "type": "actions",
            "block_id": f"proposal_{proposal.id}",
            "elements": [
                button(APPLY, "Apply", str(proposal.id), "primary", label=f"Apply the {limit}"),
                button(DISMISS, "Dismiss", str(proposal.id), label=f"Dismiss the {limit}"),
            ],
        },
    ]


def applied(proposal: BoundaryProposal, currency: str, who: str, version: int) -> list[Block]:
    assert proposal.proposed_limit is not None
    return [
        text_block(
            f":white_check_mark: {escape_mrkdwn(who)} applied it: *{escape_mrkdwn(proposal.category)}* for "
            f"*{escape_mrkdwn(proposal.profile)}* is now {format_money(proposal.proposed_limit, currency)} "
            f"per incident (policy version {version})."
        ),
        context_block("\n".join(evidence_lines(proposal.evidence, currency))),
    ]


def dismissed(proposal: BoundaryProposal, currency: str, who: str) -> list[Block]:
    assert proposal.current_limit is not None and proposal.proposed_limit is not None
    change = f"{format_money(proposal.current_limit, currency)} to {format_money(proposal.proposed_limit, currency)}"
    return [
        text_block(
            f":heavy_minus_sign: {escape_mrkdwn(who)} dismissed it: the *{escape_mrkdwn(proposal.category)}* limit "
            f"of *{escape_mrkdwn(proposal.profile)}* stays as the policy says (proposed for {proposal.month}: "
            f"{change} per incident)."
        ),
        context_block("\n".join(evidence_lines(proposal.evidence, currency))),
    ]
