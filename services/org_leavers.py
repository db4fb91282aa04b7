"""Who an org import with `deactivate_missing` deactivates, and the guard against a partial file. Callers commit.

A file of one region or team, imported with `--deactivate-missing`, would deactivate everyone else at once: their
powers end and what waited on them moves. An import that would deactivate more than `MASS_SHARE` of the active
people, and more than `MASS_COUNT` of them, is refused unless the operator confirms it.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from models import Employee, Workspace
from services.errors import InvalidInput
from services.unlisted import last_import

MASS_SHARE = 0.10
"""More than this share of the active people deactivated at once needs the operator's confirmation..."""
MASS_COUNT = 5
"""...when it is also more than this many people: a small team losing a few is an ordinary import."""
CONFIRM_FLAG = "--confirm-mass-deactivation"
NAMED = 5
"""People named in a refusal, the rest counted."""


@dataclass(frozen=True)
class Leavers:
    gone: list[Employee]
    """Active, left out of the file: deactivated."""
    spared: list[Employee]
    """Newcomers the file has not had a chance to list (first used the bot after the previous import): left active."""


def leavers(session: Session, workspace: Workspace, existing: dict[str, Employee], in_file: set[str]) -> Leavers:
    """Who the file leaves out, read before anything is written."""
    imported = last_import(session, workspace.id)
    gone: list[Employee] = []
    spared: list[Employee] = []
    for slack_id, employee in existing.items():
        if slack_id in in_file or not employee.active:
            continue
        newcomer = not employee.in_directory and (imported is None or employee.created_at >= imported)
        (spared if newcomer else gone).append(employee)
    return Leavers(gone, spared)


def refuse_a_partial_file(existing: dict[str, Employee], leaving: Leavers, *, confirmed: bool) -> None:
    """Say no, before anything is written, to deactivating more than a sensible share of the active people."""
    active = sum(1 for employee in existing.values() if employee.active)
    count = len(leaving.gone)
    if confirmed or count <= MASS_COUNT or count <= active * MASS_SHARE:
        return
    names = ", ".join(f"{employee.name} ({employee.slack_id})" for employee in leaving.gone[:NAMED])
    more = f" and {count - NAMED} more" if count > NAMED else ""
    raise InvalidInput(
        f"--deactivate-missing would deactivate {count} of the {active} active people ({count * 100 / active:.1f}%), "
        f"more than {MASS_SHARE:.0%} and more than {MASS_COUNT}: {names}{more}. "
        "Is this the whole organisation? A file of one region or team deactivates everyone else. Nothing was "
        "written. To update only the people in the file, leave out --deactivate-missing (a manager it names but does "
        f"not list, as a region's file names its head's, is then found in the directory); if they really all "
        f"left, run it again with {CONFIRM_FLAG}."
    )


def deactivate(existing: dict[str, Employee], in_file: set[str], leaving: Leavers, now: datetime) -> None:
    """Deactivate whoever the file leaves out but the spared newcomers."""
    for slack_id, employee in existing.items():
        if slack_id not in in_file:
            employee.left_slack_at = None  # the file says they left too: Slack reactivating them no longer undoes it
    for employee in leaving.gone:
        employee.active, employee.updated_at = False, now


def label(employee: Employee) -> str:
    return f"{employee.name} ({employee.slack_id})"
