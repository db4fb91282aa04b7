"""A reward as people type it after the names in `/nominate`."""

import difflib
import re

from services.emoji import codes_ending, is_emoji
from services.errors import InvalidInput, NotFound
from services.policy.rewards import SHOUTOUT, RewardPolicy
from services.rewards.grants import describe
from services.text import echoed, escape_mrkdwn
from services.typed_words import LONG_WORD, after_leading_dashes, bare_word, is_lone_dash, one_slip_apart

_WORD = re.compile(r"\S+")


def split_reward(policy: RewardPolicy, text: str) -> tuple[str, str]:
    """`voucher_25 why...` -> (voucher_25, why...). A first word written like a key (with `_` or a digit) and
    close to one is an unknown reward (`vouchr_25`); a plain word is the reason's (`Shout-out for...`,
    `vouchers are well deserved`), and the whole text is a shout-out, unless it can only mean a reward (`vouchr`,
    `halfday`: `_key_slipped`), which is asked about. A hyphen reads as the key's `_` (`half-day`), and quotes or a
    colon around a key are not its (`“voucher_25”`, `voucher_25:`). Two words apart that together are a key
    (`Service Star`, `half day`) are asked about: they may name the reward, or begin a shout-out's reason (`half day
    cover on Saturday...`), and either guess is public or costs a manager's approval. An emoji before the key or typed
    onto it (`:star: service_star why...`, `voucher_25:tada: why...`) goes to the reason: Slack sends a picked emoji
    as its code, and read as the first word it made the award a public shout-out."""
    text = after_leading_dashes(text)  # `@lee — great job`: the dash is no word of the reason
    emoji, rest = _emoji_first(policy, text)
    named = _named_reward(policy, rest)
    if named is None:
        return SHOUTOUT, text.strip()
    key, reason = named
    return key, " ".join([*emoji, reason]).strip()


def _emoji_first(policy: RewardPolicy, text: str) -> tuple[list[str], str]:
    """The emoji before the first word, and any typed onto it (`voucher_25:tada:`), apart from the rest; read once
    through, word by word. A code named as a reward's key (`:voucher_25:`) is that reward, never an emoji."""
    emoji: list[str] = []
    rest = text
    for word in _WORD.finditer(text):
        if is_emoji(word[0]) and not _names_key(policy, word[0]):
            emoji.append(word[0])
        elif not (emoji and is_lone_dash(word[0])):  # `:tada: — voucher_25 …`: the dash is the sentence's
            rest = text[word.start() :]
            break
    else:
        rest = "" if emoji else text
    first = rest.split(None, 1)[0] if rest.strip() else ""
    if 0 < (glued := codes_ending(first, len(first))) < len(first):
        emoji.append(first[glued:])
        rest = first[:glued] + rest[len(first) :]
    return emoji, rest


def _names_key(policy: RewardPolicy, word: str) -> bool:
    return len(word) > 2 and word[0] == word[-1] == ":" and word[1:-1].replace("-", "_") in policy.catalog


def _named_reward(policy: RewardPolicy, text: str) -> tuple[str, str] | None:
    """The reward the first word names and the reason after it, None when it names none (a shout-out)."""
    for taken in (2, 1):
        parts = text.split(None, taken)
        named = "_".join(bare_word(part) for part in parts[:taken])
        if len(parts) >= taken and (key := named.lower().replace("-", "_")) in policy.catalog:
            if taken == 2:
                raise InvalidInput(_reward_or_reason(policy, key, " ".join(parts[:2])))
            return key, after_leading_dashes(parts[taken]) if len(parts) > taken else ""
    first = (text.split() or [""])[0]
    word = first.lower()
    written_like_a_key = "_" in word or any(character.isdigit() for character in word)
    if written_like_a_key and difflib.get_close_matches(word, list(policy.catalog), n=1, cutoff=0.75):
        raise NotFound(unknown_reward(policy, first))
    if not written_like_a_key and (slipped := _key_slipped(policy, bare_word(word))):
        raise InvalidInput(_reward_or_reason(policy, slipped, first, one_word=True))
    return None


def _key_slipped(policy: RewardPolicy, word: str) -> str | None:
    """The reward a plain first word can only mean: its key run together (`halfday`, `servicestar`) or without its
    number (`voucher` for `voucher_25`), maybe with a letter added, dropped or swapped (`vouchr`), or, in a word as
    long as `LONG_WORD`, with one letter changed (`voucker`, `vaucher`: `_finger_slip`). Its plural speaks of
    such rewards (`vouchers are well deserved`), a verb of the act (`vouched for`, `vouches for`), a word of a key
    that is also everyday speech (`service`, `half`) is the reason's, and so is an everyday word a letter away
    (`halfway` of `halfday`: `ORDINARY_WORDS`)."""
    for key in policy.catalog:
        stem = key.rstrip("0123456789").rstrip("_")
        written = {key.replace("_", ""), stem} if stem != key else {key.replace("_", "")}
        if key != SHOUTOUT and any(_slip_of(word, form) for form in written):
            return key
    return None


INFLECTIONS = ("es", "ed")
"""Endings of everyday words (`vouches`, `vouched`) that a reward's key with its last letter changed can read as."""


def _slip_of(word: str, form: str) -> bool:
    """`word` is `form` mistyped, unless it is its plural, or its last letter changed into an inflection of the same
    root (`vouches` and `vouched` of `voucher`): a letter added, dropped or swapped there is still a slip."""
    inflected = word.endswith(INFLECTIONS) and not form.endswith(word[-2:]) and not one_slip_apart(word, form)
    if word == form + "s" or inflected:
        return False
    if one_slip_apart(word.lower(), form.lower()):
        return True
    return len(form) >= LONG_WORD and _finger_slip(word.lower(), form.lower())


ORDINARY_WORDS = frozenset(
    {"halfway", "message", "passage", "winner", "thinner", "sinner", "toffee", "trailing", "draining", "pickets"}
)
"""Everyday words a letter away from words of rewards a catalog may hold (`halfway` of `halfday`, `message` of
`massage`, `winner` of `dinner`, `toffee` of `coffee`, `trailing` of `training`, `pickets` of `tickets`): typed
first, they begin a shout-out's reason."""


def _finger_slip(typed: str, meant: str) -> bool:
    """One letter changed (`voucker`, `vaucher`, `servicestat`), unless that makes an everyday word (`halfway`):
    asked "Did you mean the reward…?", the nominator of an ordinary sentence would have to reword it."""
    if len(typed) != len(meant) or typed in ORDINARY_WORDS:
        return False
    return sum(a != b for a, b in zip(typed, meant, strict=True)) == 1


def unknown_reward(policy: RewardPolicy, key: str) -> str:
    items = "\n".join(
        f"• `{item.key}` — {escape_mrkdwn(item.title)} ({describe(item)})" for item in policy.catalog.values()
    )
    return f"There is no reward called `{echoed(key)}`. The catalog:\n{items}"


def _reward_or_reason(policy: RewardPolicy, key: str, words: str, *, one_word: bool = False) -> str:
    title = escape_mrkdwn(policy.catalog[key].title)
    write = "write its key" if one_word else "write it as one word"
    return (
        f"Did you mean the reward *{title}*? To nominate for it, {write}: `/nominate @someone {key} why...`. "
        f'For a shout-out, begin the reason with other words than "{escape_mrkdwn(words)}". Nothing was sent.'
    )
