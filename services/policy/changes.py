"""What a new policy version changes against the one in force, in short lines for whoever loaded it.

Boundaries are compared as each profile ends up with them (inherited categories included): a limit raised in a
profile others inherit from shows under each of them, as it applies to their people.
"""

from collections.abc import Iterable, Mapping
from dataclasses import fields, is_dataclass
from decimal import Decimal
from typing import Any

from services.money import format_money
from services.policy.quiet_hours import quiet_words
from services.policy.rewards import RewardItem
from services.policy.versions import LIMIT_KEYS, BoundaryRule, Policy

SETTING_SECTIONS = ("pulse", "digest", "suggestions")
SHOWN = 60
"""Characters of a setting's value shown before it is only said to have changed."""


def policy_changes(before: Policy | None, after: Policy) -> list[str]:
    """One line per change (empty: the rules are the same, whatever else differs in the text)."""
    if before is None:
        return [f"first version: profiles {', '.join(after.profiles)}; rewards {', '.join(after.rewards.catalog)}"]
    lines = [*_top_level(before, after), *_profile_changes(before, after)]
    lines += _reward_changes(before, after)
    for section in SETTING_SECTIONS:
        lines += _setting_changes(section, getattr(before, section), getattr(after, section))
    return lines


def _top_level(before: Policy, after: Policy) -> list[str]:
    lines = []
    if before.currency != after.currency:
        lines.append(f"currency {before.currency} -> {after.currency}")
    if before.escalation_reminder_hours != after.escalation_reminder_hours:
        lines.append(
            f"escalation reminder after {before.escalation_reminder_hours} h -> {after.escalation_reminder_hours} h"
        )
    if before.quiet_hours != after.quiet_hours:
        lines.append(f"quiet hours {quiet_words(before.quiet_hours)} -> {quiet_words(after.quiet_hours)}")
    return lines


def _profile_changes(before: Policy, after: Policy) -> list[str]:
    """A change several profiles share (one inherited) is one line naming them all."""
    shared: dict[str, list[str]] = {}
    for name in _keys(before.profiles, after.profiles):
        old, new = before.profiles.get(name), after.profiles.get(name)
        if old is None:
            shared.setdefault(f"+ profile: {', '.join(new or {}) or 'no categories'}", []).append(name)
        elif new is None:
            shared.setdefault("- profile", []).append(name)
        else:
            for line in _category_changes(old, new, before.currency, after.currency):
                shared.setdefault(line, []).append(name)
    return [f"[{', '.join(names)}] {line}" for line, names in shared.items()]


def _category_changes(
    old: Mapping[str, BoundaryRule], new: Mapping[str, BoundaryRule], was: str, now: str
) -> list[str]:
    lines = []
    for category in _keys(old, new):
        before, after = old.get(category), new.get(category)
        if before is None and after is not None:
            lines.append(f"+ {category}: {_limits(after, now)}")
        elif after is None:
            lines.append(f"- {category}")
        elif before is not None:
            changed = _rule_changes(before, after, was, now)
            if changed:
                lines.append(f"{category}: {'; '.join(changed)}")
    return lines


def _rule_changes(before: BoundaryRule, after: BoundaryRule, was: str, now: str) -> list[str]:
    limits = {key: (_money(getattr(before, key), was), _money(getattr(after, key), now)) for key in LIMIT_KEYS}
    changed = [f"{key.replace('_', ' ')} {old} -> {new}" for key, (old, new) in limits.items() if old != new]
    if before.needs_customer_ref != after.needs_customer_ref:
        changed.append("customer reference " + ("now required" if after.needs_customer_ref else "no longer required"))
    if before.description != after.description:
        changed.append("description changed")
    return changed


def _limits(rule: BoundaryRule, currency: str) -> str:
    limits = [
        f"{key.replace('_', ' ')} {_money(getattr(rule, key), currency)}"
        for key in LIMIT_KEYS
        if getattr(rule, key) is not None
    ]
    if rule.needs_customer_ref:
        limits.append("customer reference required")
    return "; ".join(limits) or "no money involved"


def _money(amount: Decimal | None, currency: str) -> str:
    return "none" if amount is None else format_money(amount, currency)


def _reward_changes(before: Policy, after: Policy) -> list[str]:
    old, new = before.rewards.catalog, after.rewards.catalog
    lines = []
    for key in _keys(old, new):
        was, now = old.get(key), new.get(key)
        if was is None and now is not None:
            lines.append(f"+ reward {key}: {_reward(now)}")
        elif now is None and was is not None:
            lines.append(f"- reward {key} ({was.title})")
        elif was is not None and now is not None and (changed := _item_changes(was, now)):
            lines.append(f"reward {key} ({now.title}): {'; '.join(changed)}")
    settings = [f.name for f in fields(before.rewards) if f.name != "catalog"]
    return lines + _setting_changes("rewards", before.rewards, after.rewards, settings)


def _reward(item: RewardItem) -> str:
    approval = "needs approval" if item.needs_approval else "no approval"
    return f"{item.title} ({item.kind.replace('_', ' ')}, {item.describe_value()}, {approval})"


def _item_changes(was: RewardItem, now: RewardItem) -> list[str]:
    changed = []
    if was.describe_value() != now.describe_value():
        changed.append(f"value {was.describe_value()} -> {now.describe_value()}")
    if was.needs_approval != now.needs_approval:
        changed.append("now needs approval" if now.needs_approval else "no longer needs approval")
    for name in ("title", "kind", "max_per_month"):
        if getattr(was, name) != getattr(now, name):
            changed.append(f"{name.replace('_', ' ')} {_shown(getattr(was, name))} -> {_shown(getattr(now, name))}")
    if was.description != now.description:
        changed.append("description changed")
    return changed


def _setting_changes(section: str, before: Any, after: Any, names: Iterable[str] | None = None) -> list[str]:
    """`section: name old -> new` for each differing setting; a nested group (`suggestions.proposals`) in turn."""
    lines = []
    for name in names if names is not None else [f.name for f in fields(before)]:
        old, new = getattr(before, name), getattr(after, name)
        if old == new:
            continue
        if is_dataclass(old) and is_dataclass(new):
            lines += _setting_changes(f"{section}.{name}", old, new)
        elif isinstance(old, tuple) and all(hasattr(item, "key") for item in (*old, *new)):
            lines.append(f"{section}: {name} {_by_key(_keyed(old), _keyed(new))}")
        elif isinstance(old, dict) and isinstance(new, dict):
            lines.append(f"{section}: {name} {_by_key(old, new)}")
        else:
            lines.append(f"{section}: {name.replace('_', ' ')} {_shown(old)} -> {_shown(new)}")
    return lines


def _by_key(was: Mapping[str, Any], now: Mapping[str, Any]) -> str:
    """Keyed entries (the pulse question bank, suggestion owners): which were added, removed or changed; a plain
    value (an owner's Slack id) is shown."""
    added = [f"+{key}" + (f" {now[key]}" if isinstance(now[key], str) else "") for key in now if key not in was]
    removed = [f"-{key}" for key in was if key not in now]
    changed = [
        f"{key} {was[key]} -> {now[key]}" if isinstance(now[key], str) else f"~{key}"
        for key in now
        if key in was and was[key] != now[key]
    ]
    return ", ".join([*added, *removed, *changed]) or "reordered"


def _keyed(items: tuple[Any, ...]) -> dict[str, Any]:
    return {item.key: item for item in items}


def _shown(value: Any) -> str:
    if value is None:
        return "none"
    text = ", ".join(map(str, value)) if isinstance(value, tuple) else str(value)
    return text if len(text) <= SHOWN else f"{text[: SHOWN - 1]}…"


def _keys(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """Both mappings' keys: the old order, then what is new."""
    return [*old, *(key for key in new if key not in old)]
