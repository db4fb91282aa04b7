"""Whose digest a `/digest` names: a team (after `team:` or on its own) or its leader (a mention). Read-only.

HR and admins may see any leader's digest; anyone else their own and those of the leaders below them in the
reporting line. A name or a person outside the caller's line is answered exactly as one that does not exist, so
guessing names or mentioning other leads tells nobody which teams exist or who leads them.
"""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Employee, Team, Workspace
from services import teams
from services.errors import DomainError, InvalidInput, NotAllowed, NotFound
from services.text import echoed, escape_mrkdwn, meant_word
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
    looker = caller.role in LOOKERS
    if not name.strip():
        if looker:
            raise InvalidInput(f"Name the team after `team:`. Teams: {_team_names(session, workspace)}.")
        raise InvalidInput("Name the team after `team:`, or send `/digest` on its own for your own team's.")
    team = teams.find_team(session, workspace, name)
    chosen = _head_of(session, caller, team) if team is not None else None
    if chosen is not None:
        return chosen
    if not looker:
        raise _outside_line(caller)
    if team is not None:
        raise NotFound(f"Nobody in *{escape_mrkdwn(team.name)}* has reports, so the team has no digest.")
    meant = meant_word(name, teams.team_names(session, workspace))
    hint = f" Did you mean `/digest team:{escape_mrkdwn(meant)}`?" if meant else ""
    raise NotFound(f"There is no team called *{echoed(name, 100)}*.{hint} Teams: {_team_names(session, workspace)}.")


def _team_in_words(session: Session, workspace: Workspace, caller: Employee, words: tuple[str, ...]) -> Employee:
    """The first of `words` that names a team the caller may see (a team may be called `Team Alpha`)."""
    for name in words:
        team = teams.find_team(session, workspace, name)
        chosen = _head_of(session, caller, team) if team is not None else None
        if chosen is not None:
            return chosen
        if team is not None and caller.role in LOOKERS:
            raise NotFound(f"Nobody in *{escape_mrkdwn(team.name)}* has reports, so the team has no digest.")
    seen = _names_seen_by(session, workspace, caller)
    raise UnknownWords(words, next((meant for name in words if (meant := meant_word(name, seen))), None))


def _head_of(session: Session, caller: Employee, team: Team) -> Employee | None:
    """The caller's own digest for their own team (unless HR or an admin), else the one leader of the team they may
    see; several are ambiguous: the caller picks by mentioning one."""
    if caller.role not in LOOKERS and team.id == caller.team_id:
        return caller
    heads = [head for head in team_heads(session, team) if may_see(session, caller, head)]
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
    if person is not None and person.active and may_see(session, caller, person):
        return person
    if caller.role not in LOOKERS:
        raise _outside_line(caller)
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


def may_see(session: Session, caller: Employee, head: Employee) -> bool:
    """HR and admins see any leader's digest; anyone else their own and those below them in the reporting line."""
    return caller.role in LOOKERS or head.id == caller.id or caller.id in _managers_above(session, head)


def _managers_above(session: Session, person: Employee) -> set[int]:
    above: set[int] = set()
    current = person.manager_id
    while current is not None and current not in above and current != person.id:
        above.add(current)
        current = session.scalar(select(Employee.manager_id).where(Employee.id == current))
    return above


def _names_seen_by(session: Session, workspace: Workspace, caller: Employee) -> list[str]:
    """The team names the caller may be offered: every team to HR and admins, else their own and those of the
    people below them."""
    if caller.role in LOOKERS:
        return teams.team_names(session, workspace)
    rows = session.execute(
        select(Employee.id, Employee.manager_id, Employee.team_id).where(Employee.workspace_id == workspace.id)
    ).all()
    below, grew = {caller.id}, True
    while grew:
        more = {row.id for row in rows if row.manager_id in below} - below
        below |= more
        grew = bool(more)
    team_ids = {row.team_id for row in rows if row.id in below and row.team_id is not None}
    return list(session.scalars(select(Team.name).where(Team.id.in_(team_ids)).order_by(Team.name)))


def _outside_line(caller: Employee) -> NotAllowed:
    return refused_by_role(
        caller,
        what="Another team's digest",
        refusal="Only HR and admins can see another team's digest, and a manager those of the teams led by people "
        "who report to them. `/digest` on its own shows your own team's.",
    )


def _team_names(session: Session, workspace: Workspace) -> str:
    return teams.team_names_in_words(session, workspace, lambda name: f"`{escape_mrkdwn(name)}`")
