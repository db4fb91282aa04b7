"""Whose digest a `/digest` names: a team (after `team:` or on its own) or its leader (a mention). Read-only.

HR and admins may see any leader's digest; anyone else only their own, as the weekly DM brings it. Another team's
name, or its leader, is answered to them exactly as one that does not exist, and "Did you mean" offers them only
their own team, so guessing names or mentioning other leads tells nobody which teams exist or who leads them.
"""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Employee, Team, Workspace
from services import teams
from services.emoji import emoji_trimmed
from services.errors import DomainError, InvalidInput, NotAllowed, NotFound
from services.text import echoed, escape_mrkdwn
from services.typed_words import meant_word, mistyped
from services.unlisted import refused_by_role

LOOKERS = ("hr", "admin")


@dataclass(frozen=True)
class Asked:
    """What followed `/digest`: a team's name after `team:`, words that may be a team's name, or a person."""

    team: str | None = None
    words: tuple[str, ...] = ()
    """What may be a team's name, most likely first: `team Support East` may be a team of that name, or `Support
    East` after the word team."""
    person: str | None = None
    """A Slack user id, from a mention."""


class UnknownWords(DomainError):
    """Words after `/digest` that name no team the caller may see; `meant` is one they may see and nearly typed."""

    def __init__(self, words: tuple[str, ...], meant: str | None) -> None:
        super().__init__(f"I don't know `{echoed(words[0])}` here.")
        self.words = words
        self.meant = meant


def head_asked(session: Session, workspace: Workspace, caller: Employee, asked: Asked) -> Employee:
    """The leader whose digest `asked` names, for this caller."""
    if asked.person is not None:
        return _person_named(session, workspace, caller, asked.person)
    if asked.words:
        return _team_in_words(session, workspace, caller, asked.words)
    return _team_named(session, workspace, caller, asked.team or "")


def _team_named(session: Session, workspace: Workspace, caller: Employee, name: str) -> Employee:
    looker = reads_any_team(caller)
    if not name.strip():
        if looker:
            raise InvalidInput(f"Name the team after `team:`. Teams: {_team_names(session, workspace)}.")
        raise InvalidInput("Name the team after `team:`, or send `/digest` on its own for your own team's.")
    team = teams.find_team(session, workspace, name)
    chosen = _head_of(session, caller, team) if team is not None else None
    if chosen is not None:
        return chosen
    if not looker:
        raise _not_theirs(caller)
    if team is not None:
        raise NotFound(f"Nobody in *{escape_mrkdwn(team.name)}* has reports, so the team has no digest.")
    meant = meant_team(name, teams.team_names(session, workspace))
    hint = f" Did you mean `/digest team:{escape_mrkdwn(meant)}`?" if meant else ""
    raise NotFound(f"There is no team called *{echoed(name, 100)}*.{hint} Teams: {_team_names(session, workspace)}.")


def _team_in_words(session: Session, workspace: Workspace, caller: Employee, words: tuple[str, ...]) -> Employee:
    """The first of `words` that names a team the caller may see (a team may be called `Team Alpha`)."""
    for name in words:
        team = teams.find_team(session, workspace, name)
        chosen = _head_of(session, caller, team) if team is not None else None
        if chosen is not None:
            return chosen
        if team is not None and reads_any_team(caller):
            raise NotFound(f"Nobody in *{escape_mrkdwn(team.name)}* has reports, so the team has no digest.")
    seen = _names_seen_by(session, workspace, caller)
    raise UnknownWords(words, next((meant for name in words if (meant := meant_team(name, seen))), None))


def meant_team(name: str, names: list[str]) -> str | None:
    """The one team `name` nearly names, as it is typed back: a slip of its name, or its name without the emoji
    around it, maybe with a slip (`Night Shift`, `Nigth Shift` for `Night Shift 🌙`)."""
    if meant := meant_word(name, names):
        return meant
    typed = name.strip().casefold()
    close = {
        full
        for full in names
        if (short := emoji_trimmed(full)) != full and (short.casefold() == typed or mistyped(typed, short))
    }
    return close.pop() if len(close) == 1 else None


def _head_of(session: Session, caller: Employee, team: Team) -> Employee | None:
    """HR and admins: the team's one leader (several are ambiguous: the caller picks by mentioning one). Anyone else:
    themselves when it is their own team, else nobody."""
    if not reads_any_team(caller):
        return caller if team.id == caller.team_id else None
    heads = team_heads(session, team)
    if len(heads) > 1:
        names = ", ".join(f"{escape_mrkdwn(head.name)} (<@{head.slack_id}>)" for head in heads)
        raise InvalidInput(
            f"{len(heads)} people lead a team called *{escape_mrkdwn(team.name)}*, each with a digest of their own: "
            f"{names}. Say whose you want by picking them from Slack's list: `/digest @{escape_mrkdwn(heads[0].name)}`."
        )
    return heads[0] if heads else None


def _person_named(session: Session, workspace: Workspace, caller: Employee, slack_id: str) -> Employee:
    person = session.scalar(
        select(Employee).where(Employee.workspace_id == workspace.id, Employee.slack_id == slack_id)
    )
    if person is not None and person.active and may_see(caller, person):
        return person
    if not reads_any_team(caller):
        raise _not_theirs(caller)
    raise NotFound(f"<@{slack_id}> is not an active member of the directory here, so they have no digest.")


def team_heads(session: Session, team: Team) -> list[Employee]:
    """The team's leaders, by name: members with reports whose own manager is outside the team (else any member
    with reports). Two leaders under different managers make two teams of the same name, each with its digest."""
    members = list(
        session.scalars(select(Employee).where(Employee.team_id == team.id, Employee.active).order_by(Employee.name))
    )
    ids = {member.id for member in members}
    leading = set(
        session.scalars(select(Employee.manager_id).where(Employee.manager_id.in_(ids), Employee.active).distinct())
    )
    heads = [m for m in members if m.id in leading and m.manager_id not in ids]
    return heads or [m for m in members if m.id in leading]


def reads_any_team(caller: Employee) -> bool:
    """HR and admins: they may name any team (or its leader) for its digest, or a team below one for a shorter list."""
    return caller.role in LOOKERS


def may_see(caller: Employee, head: Employee) -> bool:
    """HR and admins see any leader's digest; anyone else only their own."""
    return reads_any_team(caller) or head.id == caller.id


def _names_seen_by(session: Session, workspace: Workspace, caller: Employee) -> list[str]:
    """The team names the caller may be offered: every team to HR and admins, else only their own."""
    if reads_any_team(caller):
        return teams.team_names(session, workspace)
    own = session.get(Team, caller.team_id) if caller.team_id is not None else None
    return [own.name] if own is not None else []


def _not_theirs(caller: Employee) -> NotAllowed:
    return refused_by_role(
        caller,
        what="Another team's digest",
        refusal="Only HR and admins can see another team's digest. `/digest` on its own shows your own team's.",
    )


def _team_names(session: Session, workspace: Workspace) -> str:
    return teams.team_names_in_words(session, workspace, lambda name: f"`{escape_mrkdwn(name)}`")
