"""A reward as people type it after the names in `/nominate`."""

import difflib

from services.emoji import codes_ending, is_emoji
from services.errors import InvalidInput, NotFound
from services.policy.rewards import SHOUTOUT, RewardPolicy
from services.rewards.grants import describe
from services.text import LONG_WORD, after_leading_dashes, bare_word, echoed, escape_mrkdwn, one_slip_apart


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
    emoji, rest = _emoji_first(text)
    named = _named_reward(policy, rest)
    if named is None:
        return SHOUTOUT, text.strip()
    key, reason = named
    return key, " ".join([*emoji, reason]).strip()


def _emoji_first(text: str) -> tuple[list[str], str]:
    """The emoji before the first word, and any typed onto it (`voucher_25:tada:`), apart from the rest."""
    emoji: list[str] = []
    while text and is_emoji(first := text.split(None, 1)[0]):
        emoji.append(first)
        text = after_leading_dashes(text[len(first) :])  # `:tada: — voucher_25 …`: the dash is the sentence's
    first = text.split(None, 1)[0] if text.strip() else ""
    if 0 < (glued := codes_ending(first, len(first))) < len(first):
        emoji.append(first[glued:])
        text = first[:glued] + text[len(first) :]
    return emoji, text


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
    long as `LONG_WORD`, changed the way fingers slip (`voucjer`, `vaucher`: `_finger_slip`). Its plural speaks of
    such rewards (`vouchers are well deserved`), a verb of the act (`vouched for`, `vouches for`), a word of a key
    that is also everyday speech (`service`, `half`) is the reason's, and so is a word a letter away that no finger
    slips into (`halfway` of `halfday`)."""
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


_KEY_ROWS = ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm")
_VOWELS = frozenset("aeiouy")


def _neighbours(key: str) -> set[str]:
    """The keys around `key` on a QWERTY keyboard: beside it, and touching it in the rows above and below."""
    near: set[str] = set()
    for row, keys in enumerate(_KEY_ROWS):
        if (column := keys.find(key)) < 0:
            continue
        near.update(keys[max(column - 1, 0) : column + 2])
        for other in (row - 1, row + 1):
            if 0 <= other < len(_KEY_ROWS):
                # each row sits half a key to the right of the one above it
                shift = column if other > row else column + 1
                near.update(_KEY_ROWS[other][max(shift - 1, 0) : shift + 1])
    return near - {key}


def _finger_slip(typed: str, meant: str) -> bool:
    """One letter changed the way a hand or a speller slips: into a key beside it (`voucjer`, `servicestat`), or a vowel
    into another (`vaucher`, `halfdey`). Any other change makes another word (`halfway`, `winner` of `dinner`), which
    is how it was meant: asked "Did you mean the reward…?", the nominator of an ordinary sentence retypes it."""
    if len(typed) != len(meant):
        return False
    changed = [(a, b) for a, b in zip(typed, meant, strict=True) if a != b]
    if len(changed) != 1:
        return False
    [(slipped, intended)] = changed
    return slipped in _neighbours(intended) or {slipped, intended} <= _VOWELS


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
