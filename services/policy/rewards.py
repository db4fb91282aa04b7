"""The `[rewards]` section of the policy file: the reward catalog, the monthly allowance, leaderboards."""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from services.policy.file import NAME, NAME_RULE, SLACK_CHANNEL, SLACK_CHANNEL_RULE, PolicyText

KINDS = ("praise", "voucher", "time_off", "award", "gift")
TANGIBLE_KINDS = frozenset({"voucher", "time_off", "gift"})
SETTING_KEYS = {"nomination_allowance_per_month", "leaderboards", "channel"}
ITEM_KEYS = {"title", "description", "kind", "value", "needs_approval", "max_per_month"}
SHOUTOUT = "shoutout"
DEFAULT_ALLOWANCE = 10
HOURS = "hours"
_ITEM_KEY = NAME
# The /nominate reward picker is one Slack menu, which holds at most 100 options (the shout-out is one of them).
MAX_CATALOG = 100
MAX_TITLE = 200
"""What a nomination and a grant keep of a reward's title."""


@dataclass(frozen=True)
class RewardItem:
    key: str
    title: str
    description: str
    kind: str
    value: Decimal
    unit: str
    needs_approval: bool
    max_per_month: int | None = None

    @property
    def tangible(self) -> bool:
        return self.value > 0 or self.kind in TANGIBLE_KINDS

    def describe_value(self) -> str:
        if self.value == 0:
            return "no money value"
        return f"{self.value.normalize():f} {self.unit}"


def default_shoutout(currency: str) -> RewardItem:
    return RewardItem(
        key=SHOUTOUT,
        title="Shout-out",
        description="Public thanks from a colleague",
        kind="praise",
        value=Decimal(0),
        unit=currency,
        needs_approval=False,
    )


@dataclass(frozen=True)
class RewardPolicy:
    catalog: dict[str, RewardItem] = field(default_factory=lambda: {SHOUTOUT: default_shoutout("USD")})
    allowance_per_month: int = DEFAULT_ALLOWANCE
    leaderboards: bool = True
    channel: str | None = None
    """Where this workspace's public shout-outs are posted (`channel = "C0123ABCD"`)."""


def parse_rewards(source: PolicyText, raw: Any, currency: str, *, new: bool = True) -> RewardPolicy:
    """Read `[rewards]`; problems are recorded on `source` with their line. A `new` version's values have no more
    decimals than its currency (a stored one may predate that rule)."""
    table = source.table(("rewards",), raw)
    settings = {key: value for key, value in table.items() if not isinstance(value, dict)}
    source.unknown_keys(("rewards",), settings, SETTING_KEYS)
    allowance = source.whole(
        ("rewards", "nomination_allowance_per_month"),
        table.get("nomination_allowance_per_month"),
        minimum=1,
        maximum=1000,
    )
    leaderboards = source.flag(("rewards", "leaderboards"), table.get("leaderboards"))
    channel = table.get("channel")
    if channel is not None and not (isinstance(channel, str) and SLACK_CHANNEL.match(channel)):
        source.problem(("rewards", "channel"), f"must be {SLACK_CHANNEL_RULE}, got {channel!r}")
    catalog = {SHOUTOUT: default_shoutout(currency)}
    for key, item in table.items():
        if isinstance(item, dict):
            parsed = _item(source, key, item, currency, new=new)
            if parsed is not None:
                catalog[key] = parsed
    if len(catalog) > MAX_CATALOG:
        source.problem(
            ("rewards",),
            f"{len(catalog) - 1} rewards besides the shout-out: the /nominate menu holds {MAX_CATALOG - 1} at most",
        )
    return RewardPolicy(
        catalog=catalog,
        allowance_per_month=allowance or DEFAULT_ALLOWANCE,
        leaderboards=True if leaderboards is None else leaderboards,
        channel=channel,
    )


def _item(source: PolicyText, key: str, table: dict[str, Any], currency: str, *, new: bool) -> RewardItem | None:
    path = ("rewards", key)
    problems_before = len(source.problems)
    if not _ITEM_KEY.match(key):
        source.problem(path, f"a reward key is {NAME_RULE} (like gift_card_25)")
    source.unknown_keys(path, table, ITEM_KEYS)
    title = source.string((*path, "title"), table.get("title"))
    if title is None and "title" not in table:
        source.problem(path, "needs a title")
    if title is not None and len(title) > MAX_TITLE:
        source.problem((*path, "title"), f"must be at most {MAX_TITLE} characters long (this one has {len(title):,})")
    kind = source.string((*path, "kind"), table.get("kind", "praise"), choices=KINDS) or "praise"
    value = source.money((*path, "value"), table.get("value", 0), currency if new else None) or Decimal(0)
    limit = source.whole((*path, "max_per_month"), table.get("max_per_month"), minimum=1, maximum=1000)
    tangible = value > 0 or kind in TANGIBLE_KINDS
    approval = source.flag((*path, "needs_approval"), table.get("needs_approval"))
    if approval is False and tangible:
        source.problem((*path, "needs_approval"), "a reward with a value (voucher, time off, gift) needs approval")
    if len(source.problems) > problems_before:
        return None
    return RewardItem(
        key=key,
        title=title or key,
        description=source.string((*path, "description"), table.get("description")) or "",
        kind=kind,
        value=value,
        unit=HOURS if kind == "time_off" else currency,
        needs_approval=tangible if approval is None else approval,
        max_per_month=limit,
    )
