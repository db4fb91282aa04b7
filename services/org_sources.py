"""Whose a person's time zone and email are, the org file's or Slack's: one Slack gave follows Slack's changes
(services/directory.py), one the file gives stays the file's whatever Slack says. Writers only set attributes."""

from typing import Any

from models import Employee


def wanted_from_the_file(employee: Employee, wanted: dict[str, Any]) -> dict[str, Any]:
    """The row's optional values less those the file leaves to Slack, marking whose each one is from now on."""
    wanted = dict(wanted)
    if "tz" in wanted and wanted["tz"] is None and employee.tz_from_slack:
        del wanted["tz"]  # an empty cell leaves them on Slack's zone: clearing it would put them on UTC meanwhile
    elif "tz" in wanted and employee.tz_from_slack:
        employee.tz_from_slack = False  # the file's from now on, even when it is the one Slack gave
    if "email" in wanted and wanted["email"] is None and employee.email_from_slack:
        del wanted["email"]  # an empty cell leaves them on Slack's address, as for a time zone
    elif "email" in wanted:
        employee.email_from_slack = False
    elif employee.email and not employee.email_from_slack:
        employee.email_from_slack = True  # a file with no `email` column gives none: theirs is Slack's (0037 guessed)
    return wanted
