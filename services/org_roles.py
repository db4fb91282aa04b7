"""Roles the reporting tree contradicts after an org import, for HR to put right. Read-only.

Who manages whom is the file's tree, not the role: whoever has active reports decides their requests, gets the
weekly digest and reads the team's pulse results, whatever their role; a `manager` nobody reports to does none of
that. After a promotion or a step back, the file may say one and the tree the other (the reports not yet moved).
"""

from collections.abc import Iterable

from models import Employee


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
        label, count = f"{person.name} ({person.slack_id})", reports.get(person.id, 0)
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
