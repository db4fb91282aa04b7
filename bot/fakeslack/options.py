"""Block Kit's option lists (menus, checkboxes, radio buttons, overflows), as Slack checks them:
https://docs.slack.dev/reference/block-kit/composition-objects/option-object."""

from typing import Any

from bot.fakeslack.text_objects import text_problems

OPTION_TEXT = 75
OPTION_COUNTS = {"radio_buttons": (1, 10), "checkboxes": (1, 10), "overflow": (2, 5)}
# Menus show option text as plain_text only; checkboxes and radio buttons may use mrkdwn (the page above).
PLAIN_OPTIONS = ("static_select", "multi_static_select", "overflow")
GROUPED_MENUS = ("static_select", "multi_static_select")
NEEDS_OPTIONS = (*GROUPED_MENUS, "overflow", "radio_buttons", "checkboxes")


def options_problems(element: dict[str, Any]) -> list[str]:
    kind = str(element.get("type"))
    options, groups = element.get("options") or [], element.get("option_groups") or []
    problems = _option_list_problems(kind, options, groups)
    for group in groups:
        problems += text_problems(group.get("label"), OPTION_TEXT, plain=True)
        problems += [] if 1 <= len(group.get("options") or []) <= 100 else ["an option group holds 1 to 100 options"]
    offered = options + [option for group in groups for option in group.get("options") or []]
    for option in offered:
        shown = text_problems(option.get("text"), OPTION_TEXT, plain=kind in PLAIN_OPTIONS)
        problems += [f"option {option.get('value')!r} in a {kind}: {problem}" for problem in shown]
        problems += text_problems(option.get("description"), OPTION_TEXT, plain=True)
        if len(option.get("value") or "") > 150:
            problems.append("option value over 150 characters")
    return problems + _initial_options_problems(element, offered)


def _option_list_problems(kind: str, options: list[dict[str, Any]], groups: list[dict[str, Any]]) -> list[str]:
    """Menus take options or option groups (one of the two, at most 100); checkboxes, radios and overflows options."""
    low, high = OPTION_COUNTS.get(kind, (1, 100))
    problems = []
    if options and not low <= len(options) <= high:
        problems.append(f"{len(options)} options in a {kind} ({low} to {high})")
    if options and groups:
        problems.append(f"a {kind} takes options or option_groups, not both")
    if len(groups) > 100:
        problems.append(f"{len(groups)} option groups in a {kind} (limit 100)")
    if kind in NEEDS_OPTIONS and not options and not (groups and kind in GROUPED_MENUS):
        problems.append(f"a {kind} needs options" + (" or option_groups" if kind in GROUPED_MENUS else ""))
    return problems


def _initial_options_problems(element: dict[str, Any], offered: list[dict[str, Any]]) -> list[str]:
    """Its text as well as its value ("A single option that exactly matches one of the options")."""
    chosen = [element["initial_option"]] if element.get("initial_option") else element.get("initial_options") or []
    if offered and any(option not in offered for option in chosen):
        return ["an initial option that is not among the options, text and value alike"]
    return []
