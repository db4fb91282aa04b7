"""How a fix is typed after /resolve (and a category after /boundaries): which words name the category, and what
the words after it hold: the amount, the customer reference, the outcome and what happened."""

import re
import unicodedata
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal

from models.resolution import CUSTOMER_OUTCOMES
from services.errors import InvalidInput
from services.money import (
    continues_amount,
    is_currency_mark,
    is_currency_word,
    looks_like_amount,
    names_money,
    parse_amount,
    without_trailing_punctuation,
)
from services.policy.versions import BoundaryRule
from services.resolutions.fixes import ResolutionRequest, UnknownCategory
from services.text import (
    SLACK_MENTION,
    bare_word,
    escape_mrkdwn,
    meant_word,
    without_leading_dashes,
    without_mentions,
)

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
    that names none `UnknownCategory`."""
    words = text.split()
    found = typed_category(words, categories)
    if found is None and SLACK_MENTION.fullmatch(words[0]):
        named = typed_category(words[1:], categories)
        raise NamedFirst(named[0] if named else "refund")
    if found is None:
        after = typed_category(words[1:], categories) if _is_amount(words[0]) else None
        if after is not None:
            raise CategoryNotFirst(after[0], words[0], words[1 + after[1] :])
        raise UnknownCategory(words[0].lower(), sorted(categories))
    category, taken = found
    return OneLiner(category=category, words=words[taken:])


def _is_amount(word: str) -> bool:
    return looks_like_amount(word) or names_money(word)


# Each opening quote and what closes it, as English, German, Polish, French, Danish, Swedish and Finnish keyboards type
_QUOTE_PAIRS = {'"': '"', "“": "”", "'": "'", "‘": "’", "„": "“”", "‚": "‘’", "«": "»", "»": "«»", "”": "”", "’": "’"}
_QUOTED = "|".join(rf"\s*{re.escape(o)}([^{re.escape(c)}]+)[{re.escape(c)}]" for o, c in _QUOTE_PAIRS.items())
_REF = re.compile(  # attached (`ref:A1`, `ref:"A 1"`), or after a space when it has a digit (`ref: 42`, not `ref: see`)
    rf"\bref:(?:{_QUOTED}|(\S+)|\s+((?=\S*\d)\S+))", re.IGNORECASE
)
_QUOTES = "".join(_QUOTE_PAIRS)
_OUTCOME = re.compile(r"\boutcome:(\S*)", re.IGNORECASE)
_NAMED_REF = re.compile(  # `order 42`, `Order #42`, `order: 42`, `order no. 42`, `ORDER-42` (not `the order. 2 days`)
    r"\b(order|ticket|case|booking|account|invoice)(?::|\s*(?:no\.?|nr\.?|num\.?|number)(?![a-z]))?[\s#-]*"
    r"((?=[A-Za-z0-9-]*\d)[A-Za-z0-9][A-Za-z0-9-]*)",
    re.IGNORECASE,
)
_HASH_REF = re.compile(r"(?<![\w<&])#((?=[A-Za-z0-9-]*\d)[A-Za-z0-9][A-Za-z0-9-]{2,})")
"""`#4471` when nothing is labelled; at least three characters, so `#1 priority` is no customer."""


def _amount(typed: str, words: list[str], category: str, currency: str) -> Decimal:
    """The amount typed first, taking from `words` the groups of one written `1 200` (refused whole, never logged
    as 1); the refusal then also says how to write a number after the amount that is not part of it. A mark of the
    sentence after it (`20,`, `$20.`, `20:`) ends the amount: `credit 20, sorry for the wait` is 20."""
    if (ended := without_trailing_punctuation(typed)) != typed and ended[-1:].isdigit():
        return parse_amount(ended, currency)
    first = typed
    while words and continues_amount(typed, words[0]):
        typed = f"{typed} {without_trailing_punctuation(words.pop(0))}"
    try:
        return parse_amount(typed, currency)
    except InvalidInput as error:
        if typed == first:
            raise
        after = escape_mrkdwn(typed.removeprefix(first).split()[0])
        example = f"/resolve {category} {escape_mrkdwn(first)} for {after} …"
        hint = f" If `{after}` is not part of the amount, put a word before it: `{example}`."
        raise InvalidInput(f"{error}{hint}", field=error.field) from None


def to_request(line: OneLiner, rule: BoundaryRule, currency: str) -> ResolutionRequest:
    """Read the amount (when the category involves money, or a word names one), the reference, the outcome and the
    summary. Without money a leading number is the summary's: `reschedule 2 days later`."""
    words = without_leading_dashes(list(line.words))  # `refund — 20 …`: the dash is the sentence's, not a minus
    amount = Decimal(0)
    if rule.involves_money or (words and (names_money(words[0]) or is_currency_mark(words[0]))):
        if not words:
            raise InvalidInput(f"Give the amount after the category, like `/resolve {rule.category} 45 what happened`.")
        typed = words.pop(0)  # with its mark when apart: `$ 45`, `45 CAD`, `45 euros`
        if words and (is_currency_mark(typed) or is_currency_mark(words[0])):
            typed = f"{typed} {words.pop(0)}"
        elif words and is_currency_word(without_trailing_punctuation(words[0])):  # `45 euros, sorry`
            typed = f"{typed} {without_trailing_punctuation(words.pop(0))}"
        amount = _amount(typed, words, rule.category, currency)
    rest = " ".join(words)
    outcome = typed_outcome(rest)
    words_typed = without_mentions(rest)
    ref_match = _REF.search(words_typed)
    customer_ref = next(part for part in ref_match.groups() if part) if ref_match else named_reference(words_typed)
    unquoted = (ref_match.groups()[-2] or ref_match.groups()[-1]) if ref_match else None
    if unquoted and unquoted[0] in _QUOTES:
        raise InvalidInput('Close the quote around the reference, like `ref:"ABC 123"`.', field="customer_ref")
    if unquoted and ref_match:
        refuse_spaced_reference(unquoted, words_typed[ref_match.end() :], written=f"ref:{unquoted}", parts=_PART_GROUPS)
    summary = " ".join(without_leading_dashes(_OUTCOME.sub("", _REF.sub("", rest)).split()))
    return ResolutionRequest(
        category=rule.category, amount=amount, summary=summary, customer_ref=customer_ref, customer_outcome=outcome
    )


def typed_outcome(text: str) -> str | None:
    """`outcome:happy` (a full stop after it is the sentence's); an empty or unknown one is refused by name."""
    found = _OUTCOME.search(text)
    if found is None:
        return None
    outcome = bare_word(found.group(1)).lower()
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


def named_reference(text: str) -> str | None:
    """The first labelled reference (`order 42`), else a bare `#4471`; digits and signs typed full-width
    (`order １２３４`, `＃４４７１`) are read as their plain forms."""
    text = unicodedata.normalize("NFKC", text)
    if named := _NAMED_REF.search(text):
        refuse_spaced_reference(named.group(2), text[named.end() :], written=f"{named.group(1)} {named.group(2)}")
        return f"{named.group(1).lower()} {named.group(2)}"
    bare = _HASH_REF.search(text)
    return f"#{bare.group(1)}" if bare else None


_DIGIT_GROUPS = re.compile(r"(?:\s+\d{2,}(?![^\s.,;:!?)]))+")
"""`123` in `ref:ABC 123 late`, `7946 0018` in `ref:020 7946 0018`: digits right after a reference, apart."""
_ACRONYM_WORDS = (
    "OK VIP ASAP FYI ETA TBC TBD DOA NB PS BTW AM PM TV PC IT HR CEO ID PIN SIM SMS QR USB HDMI LCD LED OLED HD UHD "
    "SSD GPS AC DC UK US EU PDF URL API XS XL XXL 4K 5G 4G 3G 3D MP3 MP4 PS4 PS5 A4 A3"
)
_ACRONYMS = frozenset(_ACRONYM_WORDS.split())
"""Capitals of everyday words, never a reference's next part: `ref:12345 VIP customer`, `ref:4471 PS5 broken`."""
_OTHER_PART = r"(?!(?:{})(?![^\s.,;:!?)]))".format("|".join(sorted(_ACRONYMS, key=len, reverse=True)))
_PART_GROUPS = re.compile(rf"(?:\s+{_OTHER_PART}(?:\d{{2,}}|(?=[A-Z]*\d)[A-Z0-9]{{2,}}|[A-Z]{{2,}})(?![^\s.,;:!?)]))+")
"""After `ref:` also a group of capitals, with or without digits: `DEF` in `ref:ABC DEF late`, `12B`, `X7`, though not
a common one (`_ACRONYMS`). After `order 1234` capitals are more often the sentence's (`order 1234 VIP customer`), so
only digits are asked about."""
_NUMBER_GOES_ON = re.compile(r"(?:[.,]\d{1,2}|:[0-5]\d)(?!\d|[.,:]\d)")
"""`12.50`, `10:30`: the last group begins an amount or a time of day (not `2024.0012`, a reference's next part)."""
_YEAR = re.compile(r"(?:19|20)\d\d")
_UNIT_WORDS = (
    "s sec secs second seconds min mins minute minutes h hr hrs hour hours day days night nights wk wks week weeks "
    "mo month months yr yrs year years am pm a.m p.m o'clock x times items pcs pieces units packs boxes kg g lb lbs "
    "oz l ml km mi % percent pct pc eggs bags parcels packages bottles cans orders calls tickets emails attempts "
    "visits deliveries replacements customers guests people seats meals plates pizzas cupcakes shirts tires tyres "
    "cartons cases rolls licenses licences devices phones accounts users"
)
_UNITS = frozenset(_UNIT_WORDS.split())
"""Words that make the number before them a quantity: `30 minutes`, `10 am`, `12 pcs`, `15 %`, `12 eggs`. Only
these: a verb or a noun that counts nothing (`123 arrives`, `123 box`) leaves the digits as likely the
reference's, and a wrong guess files the fix under another customer, where asking costs a retype."""
_HANDFUL_WORDS = (
    "vouchers coupons headsets headphones earbuds batteries chargers cables adapters laptops tablets keyboards sims "
    "toys games cups mugs glasses bowls trays jars chairs lamps bulbs towels pillows blankets sheets beds bikes "
    "shoes socks jackets jeans trousers coats hats gloves products gifts pallets crates slices coffees sandwiches "
    "burgers cakes cookies pastries donuts pies sessions lessons classes appointments bookings reservations "
    "subscriptions payments transactions photos"
)
_HANDFUL_OF = frozenset(_HANDFUL_WORDS.split())
"""Things counted by the handful (below 100) besides `_UNITS`: `ref:ABC 12 vouchers`, `order 5521 10 headsets`. Only
these, not any word ending in `s`: in `56 arrives`, `12 needs`, `23 keeps` a verb follows a reference's last part;
and a hundred or more (`123 vouchers`) may be such a part too."""
_YEAR_WORDS = frozenset({"model", "models", "edition", "season", "version", "collection", "range"})
"""A year before one of these (`2024 model`) dates a product; before any other word it may be a reference's."""


def refuse_spaced_reference(
    reference: str, after: str, *, written: str, parts: re.Pattern[str] = _DIGIT_GROUPS
) -> None:
    """A reference followed by a group of digits (`ref:ABC 123`, `order 020 7946 0018`, pasted with its spaces) is
    asked about, not read as `ABC` and a summary starting `123`: that would be another customer to every limit and
    to the customer's history. Quotes or a word in between say which was meant. A last group that counts something
    (`order 1234 30 minutes late`, `order 5521 12 eggs`: `_counts`) is the summary's, not the reference's."""
    groups = parts.match(after)
    if groups is None:
        return
    rest = groups.group().split()
    if _counts(rest[-1], after[groups.end() :]):
        rest.pop()
    if not rest:
        return
    whole = " ".join([reference, *rest])
    raise InvalidInput(
        f"Is the customer reference `{escape_mrkdwn(reference)}` or `{escape_mrkdwn(whole)}`? Write it without "
        f'spaces, `ref:{escape_mrkdwn("".join([reference, *rest]))}`, or in quotes, `ref:"{escape_mrkdwn(whole)}"`. '
        f"If `{escape_mrkdwn(rest[0])}` is not part of it, put a word before it: "
        f"`{escape_mrkdwn(written)} for {escape_mrkdwn(rest[0])} …`. Nothing was logged.",
        field="customer_ref",
    )


def _counts(number: str, after: str) -> bool:
    """The number reads as a quantity, a time or a year by what follows it: a unit or a counted thing (`30 minutes`,
    `10 am`, `12 pcs`, `12 eggs`), a currency (`20 dollars`), its decimals or minutes (`12.50`, `10:30`), for a
    year a product's word (`2024 model`), or, for a handful (below 100), an everyday thing (`12 vouchers`, `10
    headsets`: `_HANDFUL_OF`). A number starting with 0 counts nothing; a word that is none of these (`56 arrived`,
    `123 parcel`, `56 arrives`, `12 needs`) leaves it part of the reference as likely as not, so it is asked about."""
    if number.startswith("0") or not number.isdigit():
        return False
    if _NUMBER_GOES_ON.match(after):
        return True
    following = after.split()[0] if after.split() else ""
    word = following.lower().rstrip(".,;:!?)")
    if not word or following[0] in ".,;:!?)":
        return False
    return (
        word in _UNITS
        or is_currency_word(word)
        or is_currency_mark(word)
        or (bool(_YEAR.fullmatch(number)) and word in _YEAR_WORDS)
        or (len(number) <= 2 and word in _HANDFUL_OF)
    )
