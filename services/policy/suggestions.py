"""The policy's optional `[suggestions]` section: categories, who owns each, team channels, boundary proposals."""

import re
from dataclasses import dataclass, field
from typing import Any

from services.policy.file import SLACK_CHANNEL, SLACK_CHANNEL_RULE, PolicyText

SUGGESTION_KEYS = {"categories", "owners", "channels", "boundary_proposals"}
PROPOSAL_KEYS = {"enabled", "min_over_limit", "approved_share", "percentile", "round_to"}
_CATEGORY = re.compile(r"^[a-z][a-z0-9_]{0,39}\Z")
_SLACK_USER = re.compile(r"^[UW][A-Z0-9]{2,}\Z")
MAX_CATEGORIES = 100
"""The /suggest form offers the categories in one Slack menu, which holds at most 100 options."""


@dataclass(frozen=True)
class ProposalSettings:
    """Propose a new per-incident limit when at least `min_over_limit` requests in a month went over it and
    at least `approved_share` of them were approved: the `percentile` of approved amounts, rounded to `round_to`."""

    enabled: bool = True
    min_over_limit: int = 10
    approved_share: float = 0.8
    percentile: int = 90
    round_to: int = 5


@dataclass(frozen=True)
class SuggestionSettings:
    categories: tuple[str, ...] = ()
    owners: dict[str, str] = field(default_factory=dict)
    channels: dict[str, str] = field(default_factory=dict)
    proposals: ProposalSettings = field(default_factory=ProposalSettings)

    def channel_of(self, team: str) -> str | None:
        """The channel named for this team, whatever the letter case the policy spells its name in."""
        wanted = team.strip().casefold()
        return next((channel for name, channel in self.channels.items() if name.strip().casefold() == wanted), None)


def parse_suggestions(source: PolicyText, raw: Any, *, new: bool = True) -> SuggestionSettings:
    """Read `[suggestions]` (absent: no categories, the author's manager decides, no channel, default proposals).
    A stored version (`new` false) may hold more categories than the form lists: it predates that rule."""
    if raw is None:
        return SuggestionSettings()
    path = ("suggestions",)
    table = source.table(path, raw)
    source.unknown_keys(path, table, SUGGESTION_KEYS)
    categories = _categories(source, table.get("categories", []), new=new)
    owners = _ids(source, (*path, "owners"), table.get("owners", {}), _SLACK_USER, "a Slack user id like U0123ABCD")
    for category in sorted(set(owners) - set(categories)):
        source.problem((*path, "owners", category), "is not one of the categories listed in `categories`")
    channels = _ids(source, (*path, "channels"), table.get("channels", {}), SLACK_CHANNEL, SLACK_CHANNEL_RULE)
    return SuggestionSettings(
        categories=categories,
        owners=owners,
        channels=channels,
        proposals=_proposals(source, table.get("boundary_proposals")),
    )


def _categories(source: PolicyText, raw: Any, *, new: bool) -> tuple[str, ...]:
    path = ("suggestions", "categories")
    if not isinstance(raw, list):
        source.problem(path, f'must be a list of names, like ["tools", "process"], got {raw!r}')
        return ()
    bad = [item for item in raw if not isinstance(item, str) or not _CATEGORY.match(item)]
    if bad:
        source.problem(path, f"names are lower case letters, digits and _ (got {bad[0]!r})")
        return ()
    categories = tuple(dict.fromkeys(raw))
    if new and len(categories) > MAX_CATEGORIES:
        source.problem(
            path, f"{len(categories)} categories: the /suggest form lists {MAX_CATEGORIES} at most, so merge some"
        )
    return categories


def _ids(source: PolicyText, path: tuple[str, ...], raw: Any, pattern: re.Pattern[str], what: str) -> dict[str, str]:
    table = source.table(path, raw)
    found: dict[str, str] = {}
    for key, value in table.items():
        if isinstance(value, str) and pattern.match(value):
            found[key] = value
        else:
            source.problem((*path, key), f"must be {what}, got {value!r}")
    return found


def _proposals(source: PolicyText, raw: Any) -> ProposalSettings:
    if raw is None:
        return ProposalSettings()
    path = ("suggestions", "boundary_proposals")
    table = source.table(path, raw)
    source.unknown_keys(path, table, PROPOSAL_KEYS)
    defaults = ProposalSettings()
    enabled = source.flag((*path, "enabled"), table.get("enabled"))
    minimum = source.whole((*path, "min_over_limit"), table.get("min_over_limit"), minimum=1, maximum=10_000)
    share = source.number((*path, "approved_share"), table.get("approved_share"), minimum=0.5, maximum=1)
    percentile = source.whole((*path, "percentile"), table.get("percentile"), minimum=50, maximum=100)
    round_to = source.whole((*path, "round_to"), table.get("round_to"), minimum=1, maximum=10_000)
    return ProposalSettings(
        enabled=defaults.enabled if enabled is None else enabled,
        min_over_limit=minimum or defaults.min_over_limit,
        approved_share=defaults.approved_share if share is None else share,
        percentile=percentile or defaults.percentile,
        round_to=round_to or defaults.round_to,
    )
