"""How a fix is typed after /resolve (and a category after /boundaries): which words name the category, and what
the words after it hold: the amount, the customer reference, the outcome and what happened."""

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import takewhile

from models.resolution import CUSTOMER_OUTCOMES
from services.emoji import EMOJI_CODE, emoji_apart, is_emoji
from services.errors import InvalidInput
from services.money import is_currency_mark, looks_like_amount, names_money
from services.policy.versions import BoundaryRule
from services.resolutions.fixes import ResolutionRequest, UnknownCategory
from services.resolutions.named_references import REFERENCE_LABELS, WORD_APART, as_read, named_reference
from services.resolutions.reference_parts import PART_GROUPS, refuse_spaced_reference, without_the_sentences_end
from services.resolutions.typed_amount import read_amount
from services.text import SLACK_MENTION, escape_mrkdwn, without_ignorable
from services.typed_words import COURTESY, after_leading_dashes, bare_word, meant_word, without_leading_dashes

SHOWN = 40
"""Characters of what happened shown back in a corrected command."""


class CategoryNotFirst(InvalidInput):
    """An amount typed before the category (`45 refund …`): the command as it should have been typed."""

    def __init__(self, category: str, amount: str, rest: list[str]) -> None:
        after = " ".join(rest)
        after = after if len(after) <= SHOWN else after[:SHOWN].rstrip() + "…"
        corrected = escape_mrkdwn(" ".join(["/resolve", category, amount, after]).strip())
        super().__init__(f"Put the category first: `{corrected}`", field="category")


class NamedFirst(InvalidInput):
    """A person or channel named before the category (`@lee refund 45 …`): where the category goes instead."""

    def __init__(self, category: str) -> None:
        super().__init__(
            f"Start with the category, like `/resolve {category} …`, then what happened: name a colleague or a channel "
            "after it, if you like.",
            field="category",
        )


@dataclass(frozen=True)
class OneLiner:
    category: str
    words: list[str]
    breaks: tuple[int, ...] = ()
    """How many line breaks were typed before each word (none for an emoji moved before the others): what happened is
    kept on the lines it was typed on, though its words are read as one line."""


def category_key(words: Sequence[str]) -> str:
    """A category as people type it: any case, its words apart or joined by `-` (`Fee waiver`, `fee-waiver`: the
    policy's `fee_waiver`), with a colon or quotes around it (`refund:`, `“refund”`)."""
    return "_".join(bare_word(word) for word in words).lower().replace("-", "_")


def typed_category(words: Sequence[str], categories: Collection[str]) -> tuple[str, int] | None:
    """The category the first two words name, else the first one, with how many words it took."""
    for taken in (2, 1):
        if len(words) >= taken and (key := category_key(words[:taken])) in categories:
            return key, taken
    return None


def read_one_liner(text: str, categories: Collection[str]) -> OneLiner:
    """The category and the words after it; an amount before a category is `CategoryNotFirst`, any other first word
    that names none `UnknownCategory`. An emoji is no category, nor an amount, wherever it was typed (`:tada: credit
    10`, `credit:tada: 10`, `10:tada:`): it goes in front of the words after the category, for `to_request` to keep."""
    words, breaks = _words_and_breaks(emoji_apart(text, _LABELS))
    emoji = list(takewhile(is_emoji, words))
    emoji = emoji if len(emoji) < len(words) else []
    words = words[len(emoji) :]
    found = typed_category(words, categories)
    if found is None and bare_word(words[0]).lower() in COURTESY and (after := typed_category(words[1:], categories)):
        found, words = after, words[1:]  # `please refund 10 …`: only a courtesy before the category is left out
    if found is None and SLACK_MENTION.fullmatch(words[0]):
        named = typed_category(words[1:], categories)
        raise NamedFirst(named[0] if named else "refund")
    if found is None:
        after = typed_category(words[1:], categories) if _is_amount(words[0]) else None
        if after is not None:
            raise CategoryNotFirst(after[0], words[0], words[1 + after[1] :])
        raise UnknownCategory(words[0].lower(), sorted(categories))
    category, taken = found
    kept = words[taken:]
    return OneLiner(category=category, words=[*emoji, *kept], breaks=(0,) * len(emoji) + _last(breaks, len(kept)))


def _words_and_breaks(text: str) -> tuple[list[str], tuple[int, ...]]:
    """The words, and how many line breaks were typed before each."""
    found = list(_WORD.finditer(text))
    ends = [0, *(word.end() for word in found)]
    return [word[0] for word in found], tuple(
        _line_breaks(text[ends[at] : word.start()]) for at, word in enumerate(found)
    )


_WORD = re.compile(r"\S+")


def _line_breaks(gap: str) -> int:
    return len(f"{gap}.".splitlines()) - 1


def _last(breaks: tuple[int, ...], count: int) -> tuple[int, ...]:
    """The line breaks before the last `count` words: the words read from the front, those left are the last (none
    known: none typed)."""
    return (0,) * (count - len(breaks)) + breaks[max(len(breaks) - count, 0) :] if count else ()


def _as_typed(emoji: list[str], words: list[str], breaks: tuple[int, ...]) -> str:
    """The words left with the line breaks typed between them; spaces as one."""
    kept = "".join(("\n" * count or " ") + word for word, count in zip(words, breaks, strict=True))
    return " ".join([*emoji, kept.lstrip()]) if emoji else kept.lstrip()


def _is_amount(word: str) -> bool:
    return looks_like_amount(word) or names_money(word)


# Each opening quote and what closes it, as English, German, Polish, French, Danish, Swedish and Finnish keyboards type
_QUOTE_PAIRS = {'"': '"', "“": "”", "'": "'", "‘": "’", "„": "“”", "‚": "‘’", "«": "»", "»": "«»", "”": "”", "’": "’"}
_QUOTED = "|".join(rf"\s*{re.escape(o)}([^{re.escape(c)}]+)[{re.escape(c)}]" for o, c in _QUOTE_PAIRS.items())
_REF = re.compile(  # attached (`ref:A1`, `ref:"A 1"`), or after a space when it has a digit (`ref: 42`; not `ref: see`,
    # nor `ref: NONE` or `ref: LATE delivery`, capitals of the sentence)
    rf"\bref:(?:{_QUOTED}|(\S+)|\s+((?!<)(?=\S*\d)\S+))",
    re.IGNORECASE,
)
_MENTION_GAP = f" {WORD_APART} "
"""A person or channel named, as the readers of references see it: a word none of them takes, so `order 1234
<#C1|support> 56 arrived` is order 1234, never asked about `1234 56` (U+2063 is dropped where text comes in)."""
_OPENED_REF = re.compile(r"[(“\"'‘«„]ref:", re.IGNORECASE)
_REF_RUN = re.compile(r"[^\s()]*")
_CLOSING = "”\"'’»“"


def _without_opened_before_ref(text: str) -> str:
    """The text without the bracket or quote opened before `(ref:ABC123)`, `“ref:ABC123”`: it goes with the reference
    out of what happened. Closed is a reference with a quote after its first character, or a bracket after it; each
    run of characters is read once, however many `“ref:` it holds."""
    kept: list[str] = []
    taken = run_end = last_closing = 0
    for opened in _OPENED_REF.finditer(text):
        start = opened.end()
        if start >= run_end:
            run_end = _REF_RUN.match(text, start).end()  # type: ignore[union-attr]  # `*` always matches
            last_closing = max(text.rfind(mark, start, run_end) for mark in _CLOSING)
        if last_closing > start or (run_end > start and text[run_end : run_end + 1] == ")"):
            kept.append(text[taken : opened.start()])
            taken = opened.start() + 1
    kept.append(text[taken:])
    return "".join(kept)


_QUOTES = "".join(_QUOTE_PAIRS)
_OUTCOME = re.compile(  # `outcome:happy`, or `outcome: happy` with the space a phone adds after a colon
    rf"\boutcome:(?:\s+(?=(?:{'|'.join(CUSTOMER_OUTCOMES)})(?![\w-])))?(\S*)", re.IGNORECASE
)
_LABELS = ("ref", "outcome", *REFERENCE_LABELS)
"""Words whose colon is never an emoji code's (`ref:ab12:`, `outcome:happy:`, `order:ab12:`)."""


def to_request(line: OneLiner, rule: BoundaryRule, currency: str) -> ResolutionRequest:
    """Read the amount (when the category involves money, or a word names one), the reference, the outcome and the
    summary. Without money a leading number is the summary's: `reschedule 2 days later`."""
    words = without_leading_dashes(list(line.words))  # `refund — 20 …`: the dash is the sentence's, not a minus
    emoji = list(takewhile(is_emoji, words))  # `credit :tada: 20 …`: the emoji is the summary's
    words = without_leading_dashes(words[len(emoji) :])
    amount = Decimal(0)
    if rule.involves_money or (words and (names_money(words[0]) or is_currency_mark(words[0]))):
        if not words:
            raise InvalidInput(f"Give the amount after the category, like `/resolve {rule.category} 45 what happened`.")
        amount = read_amount(words, rule.category, currency)
    rest = " ".join([*emoji, *words])
    typed = _as_typed(emoji, words, _last(line.breaks, len(words)))
    outcome = typed_outcome(rest)
    words_typed = SLACK_MENTION.sub(_MENTION_GAP, without_ignorable(rest))  # `order 12\u200d34` is `order 1234`
    ref_match = _REF.search(words_typed)
    customer_ref = next(part for part in ref_match.groups() if part) if ref_match else named_reference(words_typed)
    unquoted = (ref_match.groups()[-2] or ref_match.groups()[-1]) if ref_match else None
    if unquoted and unquoted[0] in _QUOTES:
        raise InvalidInput('Close the quote around the reference, like `ref:"ABC 123"`.', field="customer_ref")
    if unquoted and ref_match:
        customer_ref, ended = without_the_sentences_end(unquoted)
        if not ended:
            after = as_read(words_typed[ref_match.end() :])  # `ref:12 3\u03014` is the form's `1234`
            refuse_spaced_reference(unquoted, after, written=f"ref:{unquoted}", parts=PART_GROUPS)
    summary = _lines_kept(_OUTCOME.sub(_READ, _REF.sub(_READ, _without_opened_before_ref(typed))))
    return ResolutionRequest(
        category=rule.category, amount=amount, summary=summary, customer_ref=customer_ref, customer_outcome=outcome
    )


_READ = "\x00"
"""Where a reference or an outcome was read out of the summary: a line left holding nothing else is no line of it."""


def _lines_kept(summary: str) -> str:
    """What happened on the lines it was typed on, without the dashes set before it nor the lines that held only a
    reference or an outcome; runs of spaces as one, blank lines as one at most."""
    typed = [line for line in summary.splitlines() if _READ not in line or line.replace(_READ, "").strip()]
    lines = [" ".join(line.split()) for line in after_leading_dashes("\n".join(typed).replace(_READ, "")).splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def typed_outcome(text: str) -> str | None:
    """`outcome:happy` (a full stop after it is the sentence's); an empty or unknown one is refused by name."""
    found = _OUTCOME.search(text)
    if found is None:
        return None
    outcome = bare_word(EMOJI_CODE.sub("", found.group(1))).lower()  # `outcome:happy:tada:`
    if outcome not in CUSTOMER_OUTCOMES:
        *some, last = [f"`outcome:{name}`" for name in CUSTOMER_OUTCOMES]
        typed = (
            f"`{escape_mrkdwn(found.group(1)[:20])}` is not a customer outcome"
            if outcome
            else "`outcome:` needs the word right after the colon"
        )
        if meant := meant_word(outcome, CUSTOMER_OUTCOMES) if outcome else None:
            raise InvalidInput(
                f"{typed}. Did you mean `outcome:{meant}`? Nothing was logged.", field="customer_outcome"
            )
        raise InvalidInput(f"{typed}: write {', '.join(some)} or {last}, or leave it out.", field="customer_outcome")
    return outcome
