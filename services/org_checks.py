"""What an org import leaves for HR to check: roles the reporting tree contradicts, and emails two people share.
Read-only.

Who manages whom is the file's tree, not the role: whoever has active reports decides their requests, gets the
weekly digest and reads the team's pulse results, whatever their role; a `manager` nobody reports to does none of
that. After a promotion or a step back, the file may say one and the tree the other (the reports not yet moved).

A person is their Slack id: someone rehired under a new Slack id, with the email they had, is another person to
Latitude (their history stays with the old id; this month's limits and nomination allowance start afresh), and two
active people with one email are a copied row HR's export would pay twice over.
"""

from collections import defaultdict
from collections.abc import Collection, Iterable

from models import Employee


def to_check(people: Iterable[Employee], *, fresh: Collection[str]) -> list[str]:
    """Every line HR should read after the import: the roles out of step, then the emails shared (with someone who
    left, only for the `fresh` Slack ids: added or given that email by this import, not at every import after)."""
    everyone = list(people)
    return roles_out_of_step(everyone) + emails_shared(everyone, fresh=fresh)


def emails_shared(people: Iterable[Employee], *, fresh: Collection[str]) -> list[str]:
    """One line per email held by an active person and by someone else (active, or who left), letter case aside."""
    holders: dict[str, list[Employee]] = defaultdict(list)
    for person in people:
        if person.email:
            holders[person.email.casefold()].append(person)
    lines = []
    for email, group in sorted(holders.items()):
        active = sorted((p for p in group if p.active), key=lambda p: (p.name, p.slack_id))
        left = sorted((p for p in group if not p.active), key=lambda p: (p.name, p.slack_id))
        if len(active) > 1:
            names = " and ".join(_label(p) for p in active)
            lines.append(f"{names} share the email {email}: HR's export names it for each; give each their own")
        elif active and left and active[0].slack_id in fresh:
            lines.append(
                f"{_label(active[0])} has the email of {', '.join(_label(p) for p in left)}, who left: a new Slack id "
                "is another person to Latitude, so the earlier history stays with the old id, and this month's "
                "limits and nomination allowance start afresh"
            )
    return lines


def _label(person: Employee) -> str:
    return f"{person.name} ({person.slack_id})"


def roles_out_of_step(people: Iterable[Employee]) -> list[str]:
    """One line per active person whose role the tree contradicts: a frontline person others report to, and a
    manager nobody reports to, by name."""
    active = [person for person in people if person.active]
    reports: dict[int, int] = {}
    for person in active:
        if person.manager_id is not None:
            reports[person.manager_id] = reports.get(person.manager_id, 0) + 1
    lines = []
    for person in sorted(active, key=lambda p: (p.name, p.slack_id)):
        label, count = _label(person), reports.get(person.id, 0)
        if person.role == "frontline" and count:
            lines.append(
                f"{label} is frontline, but {count} {'person reports' if count == 1 else 'people report'} to them: "
                "they still decide those requests, get the team's weekly digest and read its pulse results; "
                "name the new manager in `manager_slack_id`, or make them a manager"
            )
        elif person.role == "manager" and not count:
            lines.append(
                f"{label} is a manager, but nobody reports to them: they decide no requests and get no digest "
                "until the file names them in someone's `manager_slack_id`"
            )
    return lines
