"""What keeps an anonymous suggestion anonymous: enough people who could have sent it to hide among, no linked
fix, no idea in a category its author receives, no HR or admin author; and at most `ANONYMOUS_A_DAY` from one
person. Callers commit."""

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Employee, Suggestion
from services import directory
from services.errors import InvalidInput
from services.policy.suggestions import SuggestionSettings
from services.rewards.grants import HR_ROLES
from services.suggestions.relay import Relay


def owns_the_category(settings: SuggestionSettings, person: Employee, category: str | None) -> bool:
    return bool(category) and settings.owners.get(category or "") == person.slack_id


def refuse_owning_the_category(settings: SuggestionSettings, author: Employee, category: str | None) -> None:
    """The owner's own idea in their category goes elsewhere (their manager): that alone would name them."""
    if owns_the_category(settings, author, category):
        raise InvalidInput(
            f"You receive the `{category}` suggestions yourself, so an anonymous one in it would be routed "
            "elsewhere and stand out as yours. Send it with your name, or pick another category.",
            field="anonymous",
        )


def refuse_hr_and_admins(author: Employee) -> None:
    """HR and admins are handed anonymous suggestions whose owner left, whoever wrote them (services/handover.py):
    one of theirs would come back to them, and nobody answers their own."""
    if directory.acts_as(author, HR_ROLES):
        raise InvalidInput(
            "As HR or an admin, you may be handed anonymous suggestions when their owner leaves, and you could "
            "not answer your own. Send it with your name.",
            field="anonymous",
        )


def could_send_it(person: Employee, owner: Employee, settings: SuggestionSettings, category: str | None) -> bool:
    """Whether this person could be the author of an anonymous idea going to `owner` in `category`: each rule
    that refuses someone an anonymous idea, so that whoever knows the rules cannot rule them out."""
    return (
        person.active
        and person.id != owner.id  # the owner knows it is not theirs
        and not directory.acts_as(person, HR_ROLES)
        and not owns_the_category(settings, person, category)
    )


def team_of(session: Session, manager: Employee) -> list[Employee]:
    """The team an anonymous idea sent to `manager`'s people comes from: their active direct reports in their own
    team; for a manager without a team on file, those who lead nobody. Reports of theirs who sit in another team, or
    lead one, belong to that team: they are not counted among whom the author hides."""
    return group_of(session, manager, manager.team_id)


def group_of(session: Session, manager: Employee, team_id: int | None) -> list[Employee]:
    """The manager's active direct reports in the team `team_id` (None: those who lead nobody). With the team an
    anonymous idea keeps (its manager's when sent), the people who hear "you said, we did" of it: the group told is
    the group counted, whoever leads it since."""
    reports = directory.direct_reports(session, manager.id)
    if team_id is not None:
        return [person for person in reports if person.team_id == team_id]
    leaders = set(
        session.scalars(
            select(Employee.manager_id).where(
                Employee.workspace_id == manager.workspace_id, Employee.active, Employee.manager_id.is_not(None)
            )
        )
    )
    return [person for person in reports if person.id not in leaders]


def refuse_a_small_crowd(
    session: Session,
    author: Employee,
    owner: Employee,
    settings: SuggestionSettings,
    category: str | None,
    threshold: int,
) -> None:
    """The author hides among those of their manager's team (team_of) who could have sent it. One message for every
    reason it is too few (an author outside that team has none to hide in), so that it does not say who in the
    team was left out."""
    team = team_of(session, author.manager) if author.manager is not None else []
    crowd = [person for person in team if could_send_it(person, owner, settings, category)]
    if author not in team or len(crowd) < threshold:
        other_category = ", pick another category" if category else ""
        raise InvalidInput(
            f"Your team has fewer than {threshold} people who could have sent it (HR, admins and whoever receives it "
            "cannot send anonymous suggestions), so it could be traced to you. Send it with your name"
            f"{other_category}, or ask HR to raise it for you.",
            field="anonymous",
        )


def make_anonymous(
    session: Session,
    suggestion: Suggestion,
    *,
    author: Employee,
    owner: Employee,
    settings: SuggestionSettings,
    resolution_id: int | None,
    relay: Relay | None,
    threshold: int,
) -> None:
    """Refuse what would name the author, then keep only their token and seal."""
    refuse_owning_the_category(settings, author, suggestion.category)
    refuse_hr_and_admins(author)
    if relay is None:
        raise InvalidInput("Anonymous suggestions are not set up here; send it with your name.", field="anonymous")
    if resolution_id is not None:
        raise InvalidInput(
            "An anonymous suggestion can't point at one of your fixes: the fix would say who wrote it.",
            field="resolution",
        )
    refuse_a_small_crowd(session, author, owner, settings, suggestion.category, threshold)
    # The group the author hid in and no finer: their manager's team (theirs too, the crowd check made sure of it),
    # none for a manager without one, whose reports leading nobody are that group, whatever their own teams.
    suggestion.team_id = author.manager.team_id if author.manager is not None else None
    suggestion.author_token = relay.token(suggestion.workspace_id, author.id)
    suggestion.author_seal = relay.seal(suggestion.workspace_id, author.slack_id)


ANONYMOUS_A_DAY = 5
"""The most anonymous suggestions one person sends in 24 hours. Each reaches its owner and the team's channel with
nobody to answer for it: without a most, one person could fill both, unnamed. Named ones are not counted."""


def refuse_too_many_a_day(
    session: Session, suggestion: Suggestion, author: Employee, relay: Relay, now: datetime
) -> None:
    """Count the author's anonymous suggestions of the last 24 hours by their tokens (nothing else says whose they
    are); one still waiting for its release counts, as it is dated to its release (release.hold)."""
    tokens = session.scalars(
        select(Suggestion.author_token).where(
            Suggestion.workspace_id == suggestion.workspace_id,
            Suggestion.anonymous,
            Suggestion.created_at > now - timedelta(hours=24),
        )
    )
    sent = sum(1 for token in tokens if relay.matches(token, suggestion.workspace_id, author.id))
    if sent >= ANONYMOUS_A_DAY:
        raise InvalidInput(
            f"You have sent {sent} anonymous suggestions in about the last day, the most one person may: each reaches "
            "its owner and your team with nobody to answer for it, and counts for 24 hours from when it reached them "
            "(up to half an hour after you sent it). Send this one with your name, or tomorrow.",
            field="anonymous",
        )
