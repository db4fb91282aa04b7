"""A suggestion's owner card and team-channel posts shown as the suggestion stands, after a change (a status, a
"me too") whose update may reach Slack after that of another change committed since."""

from dataclasses import dataclass

from slack_sdk import WebClient
from sqlalchemy.orm import Session

from handlers.blocks import suggestions as blocks
from handlers.blocks.channel_refusals import ChannelUse
from handlers.blocks.kit import Block
from handlers.deps import Deps
from handlers.message_updates import update_each
from models import Suggestion
from services import outbox, outbox_series

ROUNDS_TO_CATCH_UP = 3
"""Updates one change makes at most: each one more needs another change of the suggestion committed in between."""


@dataclass(frozen=True)
class Shown:
    """A suggestion as its messages show it: its post, its owner's card, and where it stood when rendered."""

    stood: tuple[str, int, int | None]
    """Its status, how many back it and its owner: a change of any shows differently."""
    post: list[Block]
    card: list[Block]
    cards: list[tuple[str, str]]
    headline: str

    @classmethod
    def of(cls, session: Session, suggestion: Suggestion) -> "Shown":
        post, card = blocks.channel_post(suggestion), blocks.owner_card(suggestion)
        cards = current_owners_cards(session, suggestion.id)
        return cls(standing(suggestion), post, card, cards, blocks.headline(suggestion))


def standing(suggestion: Suggestion) -> tuple[str, int, int | None]:
    return suggestion.status, len(suggestion.backers), suggestion.owner_id


def current_owners_cards(session: Session, suggestion_id: int) -> list[tuple[str, str]]:
    """The card of the suggestion's owner now: the latest hand-over's, else the first; and the copies HR and admins
    asked for since (handlers/suggestion_answers.py). An earlier owner's card keeps saying where the suggestion went
    (handlers/handover.py)."""
    cards = f"suggestion:{suggestion_id}:owner"
    handed = latest_handover(session, suggestion_id)
    copies = outbox.sent_messages(session, key_prefix=answer_copies_prefix(suggestion_id, handed))
    if handed:
        return outbox.sent_messages(session, key_prefix=f"{cards}:handover:{handed}:") + copies
    first = outbox.sent_message(session, key=cards)
    return ([first] if first else []) + copies


def latest_handover(session: Session, suggestion_id: int) -> int:
    """The number of the latest hand-over that sent its owner a card, 0 if none: the highest used, not how many, as
    a hand-over while the idea is held back numbers its author's word alone (handlers/handover.py)."""
    return outbox_series.highest_number_under(session, key_prefix=f"suggestion:{suggestion_id}:owner:handover:")


def answer_copies_prefix(suggestion_id: int, handed: int) -> str:
    """Where the copies of the owner's card HR and admins asked for go, since hand-over `handed` (latest_handover):
    under the owner's cards, so a click on one is a click on one of its cards, and each hand-over starts afresh (it
    settles them all)."""
    return f"suggestion:{suggestion_id}:owner:answer:{handed}:"


def show_until_current(
    deps: Deps,
    client: WebClient,
    suggestion: tuple[int, int],
    shown: Shown,
    *,
    posts: list[tuple[str, str]],
    cards: list[tuple[str, str]],
    posts_first: bool = False,
) -> None:
    """Update the owner's card (and `cards`, the copy clicked) and `posts`, then look again at the suggestion
    (`suggestion`: its workspace's id and its own): a change committed since this was rendered (the owner marking it
    done in another tab) may have had its own update land first. Shown again until what Slack shows is what is
    stored, so the last update to land, whoever made it, was rendered after the last change. The copy clicked is
    updated first (`posts_first`: a "me too" is clicked on the channel post, a status on the owner's card)."""
    workspace_id, suggestion_id = suggestion
    for _ in range(ROUNDS_TO_CATCH_UP):
        card_copies: list[tuple[str, str]] = [*cards, *shown.cards]
        groups: list[tuple[list[tuple[str, str]], ChannelUse, list[Block]]] = [
            (card_copies, "messages", shown.card),
            (posts, "suggestions", shown.post),
        ]
        for copies, channel_use, content in reversed(groups) if posts_first else groups:
            update_each(
                deps, client, workspace_id, copies, channel_use=channel_use, text=shown.headline, blocks=content
            )
        with deps.sessions.begin() as session:
            stored = session.get(Suggestion, suggestion_id)
            if stored is None or stored.workspace_id != workspace_id or standing(stored) == shown.stood:
                return  # as shown, or no longer this workspace's to show
            shown = Shown.of(session, stored)
