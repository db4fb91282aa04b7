"""The policy file's optional `[pulse]` section and the default question bank."""

import re
from dataclasses import dataclass, field
from typing import Any

from services.policy.file import PolicyText
from services.pulse.targets import SHOWN_DECIMALS

CADENCES = ("weekly", "biweekly", "monthly")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
SCALES = {"agreement": (1, 5), "nps": (0, 10)}
MIN_ANONYMITY_THRESHOLD = 3
PULSE_KEYS = {
    "enabled",
    "cadence",
    "weekday",
    "local_time",
    "open_hours",
    "reminder_hours",
    "anonymity_threshold",
    "questions_per_round",
    "relay_days",
    "replace_default_questions",
    "questions",
}
QUESTION_KEYS = {"key", "text", "scale", "target"}
_LOCAL_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)\Z")
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,63}\Z")


@dataclass(frozen=True)
class BankQuestion:
    key: str
    text: str
    scale: str = "agreement"
    target: float | None = None

    @property
    def scale_range(self) -> tuple[int, int]:
        return SCALES[self.scale]


DEFAULT_BANK: tuple[BankQuestion, ...] = (
    BankQuestion("understand", "I know what superior customer service means here.", target=4.5),
    BankQuestion("valued", "This organisation truly values superior customer service.", target=4.5),
    BankQuestion("capacity", "I have the tools, information and time to deliver it.", target=4.0),
    BankQuestion("authority", "I have the authority to solve a customer's problem on the spot.", target=4.0),
    BankQuestion("recognised", "I feel recognised for good service.", target=4.0),
    BankQuestion("enps", "How likely are you to recommend working here to a friend?", scale="nps", target=30.0),
)


@dataclass(frozen=True)
class PulseSettings:
    enabled: bool = True
    cadence: str = "weekly"
    weekday: str = "monday"
    local_time: str = "10:00"
    open_hours: int = 72
    reminder_hours: int = 24
    anonymity_threshold: int = 5
    questions_per_round: int = 3
    relay_days: int = 14
    bank: tuple[BankQuestion, ...] = field(default=DEFAULT_BANK)

    @property
    def weekday_number(self) -> int:
        return WEEKDAYS.index(self.weekday)


def parse_pulse(source: PolicyText, raw: Any, *, new: bool) -> PulseSettings:
    """The `[pulse]` section (absent: every default); problems are recorded on `source` with their line."""
    if raw is None:
        return PulseSettings()
    path = ("pulse",)
    table = source.table(path, raw)
    source.unknown_keys(path, table, PULSE_KEYS)
    defaults = PulseSettings()
    open_hours = _whole(source, table, "open_hours", defaults.open_hours, 1, 24 * 14)
    reminder_hours = _whole(source, table, "reminder_hours", defaults.reminder_hours, 1, 24 * 14)
    if reminder_hours >= open_hours:
        source.problem((*path, "reminder_hours"), f"must be less than open_hours ({open_hours}), got {reminder_hours}")
    threshold = _whole(source, table, "anonymity_threshold", defaults.anonymity_threshold, 1, 1000)
    if threshold < MIN_ANONYMITY_THRESHOLD:
        source.problem(
            (*path, "anonymity_threshold"), f"can never be below {MIN_ANONYMITY_THRESHOLD} (got {threshold})"
        )
    bank = _bank(source, table, new=new)
    return PulseSettings(
        enabled=_flag(source, table, "enabled", defaults.enabled),
        cadence=source.string((*path, "cadence"), table.get("cadence"), choices=CADENCES) or defaults.cadence,
        weekday=source.string((*path, "weekday"), table.get("weekday"), choices=WEEKDAYS) or defaults.weekday,
        local_time=_local_time(source, table.get("local_time")) or defaults.local_time,
        open_hours=open_hours,
        reminder_hours=reminder_hours,
        anonymity_threshold=threshold,
        relay_days=_whole(source, table, "relay_days", defaults.relay_days, 0, 90),
        questions_per_round=min(_whole(source, table, "questions_per_round", 3, 1, 10), len(bank) or 1),
        bank=bank,
    )


def _whole(source: PolicyText, table: dict[str, Any], key: str, default: int, minimum: int, maximum: int) -> int:
    value = source.whole(("pulse", key), table.get(key), minimum=minimum, maximum=maximum)
    return default if value is None else value


def _flag(source: PolicyText, table: dict[str, Any], key: str, default: bool) -> bool:
    value = source.flag(("pulse", key), table.get(key))
    return default if value is None else value


def _local_time(source: PolicyText, value: Any) -> str | None:
    text = source.string(("pulse", "local_time"), value)
    if text is not None and not _LOCAL_TIME.match(text):
        source.problem(("pulse", "local_time"), f'must be a 24-hour time like "09:30", got {text!r}')
        return None
    return text


def _bank(source: PolicyText, table: dict[str, Any], *, new: bool) -> tuple[BankQuestion, ...]:
    """The default bank, with the file's questions replacing a same-key default or added at the end."""
    raw = table.get("questions", [])
    if not isinstance(raw, list):
        source.problem(("pulse", "questions"), "must be a list of [[pulse.questions]] tables")
        raw = []
    own = [_question(source, index, item, new=new) for index, item in enumerate(raw)]
    replace = _flag(source, table, "replace_default_questions", False)
    if replace and not own:
        source.problem(("pulse", "replace_default_questions"), "replaces the default bank, but no questions are given")
    merged = {} if replace else {question.key: question for question in DEFAULT_BANK}
    for question in own:
        if question is not None:
            merged[question.key] = question
    return tuple(merged.values())


def _question(source: PolicyText, index: int, raw: Any, *, new: bool) -> BankQuestion | None:
    path = ("pulse", "questions", str(index))
    table = source.table(path, raw)
    source.unknown_keys(path, table, QUESTION_KEYS)
    key = source.string((*path, "key"), table.get("key"))
    text = source.string((*path, "text"), table.get("text"))
    scale = source.string((*path, "scale"), table.get("scale", "agreement"), choices=tuple(SCALES)) or "agreement"
    low, high = SCALES[scale]
    target = source.number((*path, "target"), table.get("target"), minimum=-100 if scale == "nps" else low, maximum=100)
    if key is None or not _KEY.match(key):
        source.problem((*path, "key"), f"needs a key of lowercase letters, digits and _ (got {key!r})")
        return None
    if not text or len(text) > 300:
        source.problem((*path, "text"), "needs the question's text (at most 300 characters)")
        return None
    if target is not None and scale == "agreement" and target > high:
        source.problem((*path, "target"), f"must be from {low} to {high} on the agreement scale, got {target:g}")
        return None
    if new and target is not None and round(target, SHOWN_DECIMALS) != target:
        source.problem((*path, "target"), f"takes one decimal at most, as scores are shown (got {target:g})")
        return None
    return BankQuestion(key=key, text=text, scale=scale, target=target)
