"""What keeps an anonymous suggestion anonymous: a team large enough to hide in, no linked fix, no idea in a
category its author receives, no author who could be next in line for it. Callers commit."""

from sqlalchemy.orm import Session

from models import Employee, Suggestion
from services import directory
from services.errors import InvalidInput
from services.policy.suggestions import SuggestionSettings
from services.rewards.grants import HR_ROLES
from services.suggestions.relay import Relay


def refuse_owning_the_category(settings: SuggestionSettings, author: Employee, category: str | None) -> None:
    """The owner's own idea in their category goes elsewhere (their manager): that alone would name them."""
    if category and settings.owners.get(category) == author.slack_id:
        raise InvalidInput(
            f"You receive the `{category}` suggestions yourself, so an anonymous one in it would be routed "
            "elsewhere and stand out as yours. Send it with your name, or pick another category.",
            field="anonymous",
        )


def refuse_being_next_in_line(author: Employee) -> None:
    """An anonymous suggestion whose owner leaves goes to HR (then an admin), never to its author: one passing
    an HR person or an admin by, while the others go to them, would name them."""
    if directory.acts_as(author, HR_ROLES):  # where services/handover.py hands an anonymous one
        raise InvalidInput(
            "As HR or an admin, you may be handed anonymous suggestions when their owner leaves, and one passing "
            "you by would stand out as yours. Send it with your name.",
            field="anonymous",
        )


def make_anonymous(
    session: Session,
    suggestion: Suggestion,
    author: Employee,
    owner: Employee,
    resolution_id: int | None,
    relay: Relay | None,
    threshold: int,
) -> None:
    if relay is None:
        raise InvalidInput("Anonymous suggestions are not set up here; send it with your name.", field="anonymous")
    if resolution_id is not None:
        raise InvalidInput(
            "An anonymous suggestion can't point at one of your fixes: the fix would say who wrote it.",
            field="resolution",
        )
    team = len(directory.direct_reports(session, author.manager_id)) if author.manager_id is not None else 0
    if author.manager_id is None or team < threshold:
        raise InvalidInput(
            f"Your team has fewer than {threshold} people, so an anonymous suggestion could be traced to you. "
            "Send it with your name, or ask HR to raise it for you.",
            field="anonymous",
        )
    if owner.manager_id == author.manager_id and team - 1 < threshold:
        raise InvalidInput(
            f"{directory.name_of(owner)}, who receives these suggestions, is in your team and knows it isn't theirs, "
            f"so it could be traced to one of fewer than {threshold} people. Send it with your name, or pick another "
            "category.",
            field="anonymous",
        )
    suggestion.author_token = relay.token(suggestion.workspace_id, author.id)
    suggestion.author_seal = relay.seal(suggestion.workspace_id, author.slack_id)
