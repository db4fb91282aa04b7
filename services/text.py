"""Making user text safe for Slack mrkdwn and for spreadsheets."""

import re
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

_MENTION_WORDS = re.compile(r"(?<![\w.+\-])@(channel|here|everyone)\b", re.IGNORECASE)  # not in an email address
_PERSON_OR_CHANNEL = re.compile(r"(<@[UW][A-Z0-9]+(?:\|[^<>]*)?>|<#[CG][A-Z0-9]+(?:\|[^<>]*)?>)")
_UNLABELLED_PERSON = re.compile(r"<@([UW][A-Z0-9]+)>")
_NOT_IN_A_LABEL = re.compile(r"[<>|]")
SLACK_MENTION = re.compile(
    r"<@(?P<person>[UW][A-Z0-9]+)(?:\|(?P<person_label>[^<>]*))?>"
    r"|<#(?P<channel>[CG][A-Z0-9]+)(?:\|(?P<channel_label>[^<>]*))?>"
)
"""A person or channel picked from Slack's list, as text from Slack holds them (`<@U123>`, `<#C123|support>`)."""
MENTION_MARKS = ("<@", "<#")
"""How every mention `as_slack_shows` renders begins: text without either has nothing to render."""
WORD_JOINER = "\u2060"
TYPED_MARKUP = "<" + WORD_JOINER
"""How markup typed key by key (`<@U1>`) is stored: a word joiner after its `<` keeps Slack from reading it. What
people type never holds one (`without_unseen_characters`): each is ours."""
# A spreadsheet runs a cell starting with one of these as a formula: exports prefix such cells with a quote.
FORMULA_START = frozenset("=+-@\t\r")
_CARRIAGE_RETURN = re.compile(r"\r\n?")
_UNSEEN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u00ad\u200b\u2060-\u2064\ufeff]")
"""Control characters, and what a paste carries that takes no room: a soft hyphen, a zero-width space, a word joiner,
the invisible operators, a byte order mark. The joiners an emoji or a script needs (U+200C, U+200D) stay."""


def escape_mrkdwn(text: str) -> str:
    """Escape `&`, `<`, `>` so user text cannot form links or broadcasts, and defuse @channel/@here.

    A person or channel named as Slack writes them (`<@U123>`, `<#C123|support>`: a command's text after
    `handlers.middleware.as_typed`) stays a mention; anything else in angle brackets shows as typed. A person's
    label (`<@U123|sam>`, kept for someone the directory did not know: `with_labels`) is left out: Slack shows
    the person's current name.
    """
    parts = _PERSON_OR_CHANNEL.split(text)
    return "".join(_mention(part) if index % 2 else _escape(part) for index, part in enumerate(parts))


def _mention(markup: str) -> str:
    """A channel's name after `|` is escaped like any user text (Slack shows it where it cannot name the channel)."""
    head, bar, name = markup.removesuffix(">").partition("|")
    if head.startswith("<@"):
        return f"{head}>"
    return f"{head}{bar}{_escape(name)}>" if bar else markup


def with_labels(text: str, labels: Mapping[str, str]) -> str:
    """Each bare mention of a person in `labels` (Slack user id -> the name Slack sent with it) written with that
    name, `<@U123|sam>`, so text read outside Slack can still name them (`as_slack_shows`)."""

    def labelled(mention: re.Match[str]) -> str:
        label = mention_label(labels.get(mention[1], ""))
        return f"<@{mention[1]}|{label}>" if label else mention[0]

    return _UNLABELLED_PERSON.sub(labelled, text) if labels else text


def mention_label(name: str) -> str:
    """A name as a mention's label can hold it: without `<`, `>` or `|`, which would end the mention."""
    return " ".join(_NOT_IN_A_LABEL.sub("", name).split())


def without_mentions(text: str) -> str:
    """The text with each person or channel Slack named (`<@U123>`, `<#C123|support>`) left out, for readers
    of the words typed: a channel called `order-42` is no order."""
    return SLACK_MENTION.sub(" ", text)


def _escape(text: str) -> str:
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return directions_closed(_MENTION_WORDS.sub(lambda match: "@\u200b" + match.group(1), escaped))


_DIRECTION_MARK = re.compile("[\u202a-\u202e\u2066-\u2069]")
_OPENS_EMBEDDING = "\u202a\u202b\u202d\u202e"  # LRE, RLE, LRO, RLO: closed by PDF
_OPENS_ISOLATE = "\u2066\u2067\u2068"  # LRI, RLI, FSI: closed by PDI
_PDF, _PDI = "\u202c", "\u2069"


def directions_closed(text: str) -> str:
    """User text with each change of writing direction it opens (an override, an embedding, an isolate) closed at
    its end: left open, a right-to-left override in a name or a customer reference would show the bot's words after
    it backwards, "— refund of $80" as "08$ fo dnufer —"."""
    opened: list[str] = []
    for mark in _DIRECTION_MARK.findall(text):
        if mark in _OPENS_EMBEDDING or mark in _OPENS_ISOLATE:
            opened.append(mark)
        elif mark == _PDF and opened and opened[-1] in _OPENS_EMBEDDING:
            opened.pop()
        elif mark == _PDI and any(open_mark in _OPENS_ISOLATE for open_mark in opened):
            while opened.pop() not in _OPENS_ISOLATE:
                pass
    return text + "".join(_PDF if mark in _OPENS_EMBEDDING else _PDI for mark in reversed(opened))


def as_slack_shows(text: str, names: Mapping[str, str], *, at: str = "@", stranger: str | None = None) -> str:
    """Mentions as Slack shows them, for plain text where markup is not rendered (a spreadsheet, a form's error).

    A person is `at` and their name in `names` (by Slack user id), else the label Slack wrote after `|`, else
    `stranger` or their id; a channel is `#` and its label, else its id. Anything else stays as typed. Each name
    and label has the changes of writing direction it opens closed (`directions_closed`), as user text has.
    """

    def shown(match: re.Match[str]) -> str:
        if match["person"]:
            return at + directions_closed(
                names.get(match["person"]) or match["person_label"] or stranger or match["person"]
            )
        return "#" + directions_closed(match["channel_label"] or match["channel"])

    return SLACK_MENTION.sub(shown, text)


def mention_in_words(word: str) -> str | None:
    """A person or channel picked in Slack, named in words for an answer that echoes what was typed (`a person`, `the
    channel #support`): its markup, between backticks or cut short, would read as garbage. None for any other word."""
    mention = SLACK_MENTION.fullmatch(word)
    if mention is None:
        return None
    if mention["person"]:
        return "a person"
    return f"the channel #{escape_mrkdwn(mention['channel_label'])}" if mention["channel_label"] else "a channel"


def labels_in(texts: Iterable[str]) -> dict[str, str]:
    """The name written with each person mentioned in these texts (`<@U123|sam>` -> `{"U123": "sam"}`)."""
    found = (match for text in texts for match in SLACK_MENTION.finditer(text))
    return {match["person"]: match["person_label"] for match in found if match["person"] and match["person_label"]}


def outside_slack(text: str) -> str:
    """The text as typed, for a file read outside Slack: without the word joiner kept after a `<` (`TYPED_MARKUP`),
    which Slack needs and a spreadsheet shows as a stray character."""
    return text.replace(TYPED_MARKUP, "<")


def formula_safe(cell: str) -> str:
    """A cell a spreadsheet would run as a formula gets a leading quote, as the exports write it."""
    return "'" + cell if cell[:1] in FORMULA_START else cell


def percent(part: int, whole: int) -> int:
    """`part` of `whole` as a whole percentage, a half rounded away from zero as people and spreadsheets round it
    (5 of 8 is 63%, -12.5 is -13, where Python's `round` gives 62 and -12); 0 of nothing is 0."""
    if not whole:
        return 0
    return int((Decimal(100 * part) / Decimal(whole)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def plural(count: int, word: str, many: str | None = None) -> str:
    """`1 question`, `3 questions`, `0 questions`; `many` for a plural that is not word + s."""
    return f"{count} {word if count == 1 else many or word + 's'}"


def duration_words(wait: timedelta) -> str:
    """A wait in its largest whole unit: `3 days`, `4 hours`, `25 minutes` (at least one minute)."""
    if wait >= timedelta(days=1):
        return plural(wait.days, "day")
    if wait >= timedelta(hours=1):
        return plural(wait.seconds // 3600, "hour")
    return plural(max(wait.seconds // 60, 1), "minute")


def without_unseen_characters(text: str) -> str:
    """The text without NUL, the other control characters and the characters that take no room (`_UNSEEN`; a
    carriage return becomes a line break; line breaks and tabs stay). Nobody sees them, so nobody could fix them: a
    zero-width space pasted after `/nominate @lee` would post a shout-out with no reason, one before `credit` would
    make it no category. PostgreSQL refuses NUL in text."""
    return _UNSEEN.sub("", _CARRIAGE_RETURN.sub("\n", text))


_IGNORABLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164"
    "\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)
"""Unicode's default ignorable characters: joiners, direction marks, the grapheme joiner, variation selectors, fillers
and the like, shown as nothing."""


def without_ignorable(text: str) -> str:
    """The text without any character shown as nothing (`_IGNORABLE`), for reading a customer reference: `order
    12\u200d34` with a joiner, `1\u200e234` with a direction mark are `order 1234`. Not for text shown again: an emoji
    or a script needs its joiners (`without_unseen_characters` keeps them)."""
    return _IGNORABLE.sub("", text)


ECHOED = 40
"""The most of a word someone typed that a message names back ("I don't know `…`"): a pasted text or link as the
first word would otherwise fill the answer, repeated."""


def echoed(text: str, limit: int = ECHOED) -> str:
    """What someone typed, escaped for mrkdwn and cut at `limit` (with "…"), to name it back to them."""
    return escape_mrkdwn(truncate(text, limit))


def truncate(text: str, limit: int) -> str:
    """`text` at most `limit` long, cut with "…" where the cut splits nothing a reader sees as one (`cut_point`)."""
    return text if len(text) <= limit else text[: cut_point(text, limit - 1)] + "…"


def truncate_mrkdwn(text: str, limit: int) -> str:
    """`truncate` for mrkdwn, which also leaves no entity (`&amp;`) or markup (`<@U123>`, `<!date^…>`, a link)
    cut open: Slack would show the rest of it as typed, `&am…` or `<!date^17…`."""
    return text if len(text) <= limit else text[: mrkdwn_cut_point(text, limit - 1)] + "…"


def mrkdwn_cut_point(text: str, end: int) -> int:
    """`cut_point` for mrkdwn: also before an entity (`&amp;`), markup (`<@U123>`, `<!date^…>`, a link) or an
    emoji's shortcode (`:thumbsup:`) that a cut at `end` would leave open."""
    end = cut_point(text, end)
    kept = text[:end]
    opened, entity = kept.rfind("<"), _OPEN_ENTITY.search(kept)
    if opened > kept.rfind(">"):
        end = opened
    if entity and _ENTITY.match(text, entity.start()):
        end = min(end, entity.start())
    for shortcode in _SHORTCODE.finditer(text, 0, end + SHORTCODE_LONGEST):
        if shortcode.start() < end < shortcode.end():
            end = shortcode.start()
    return cut_point(text, end)


SHORTCODE_LONGEST = 100
_SHORTCODE = re.compile(r":[a-z0-9_+'-]{1,98}:")
"""An emoji's shortcode (`:thumbsup:`, `:skin-tone-2:`): cut inside, it would show as typed."""


_ENTITY = re.compile(r"&(?:amp|lt|gt);")
_OPEN_ENTITY = re.compile(r"&[a-z]{0,3}$")
_ZERO_WIDTH_JOINER = "\u200d"
_REGIONAL_INDICATORS = range(0x1F1E6, 0x1F200)


def cut_point(text: str, end: int) -> int:
    """The last place at or before `end` where `text` may be cut without splitting a mention (`<@U123>`, which
    would show as typed) or a character made of several code points: an emoji sequence (👩🏽‍💻), a flag (two
    regional indicators), a letter and its accents. Cut inside one, it would show as another emoji, a lone
    letter in a box or a stray accent."""
    for mention in SLACK_MENTION.finditer(text):
        if mention.start() < end < mention.end():
            end = mention.start()
    while 0 < end < len(text) and (_extends(text[end]) or text[end - 1] == _ZERO_WIDTH_JOINER):
        end -= 1
    indicators = 0
    while indicators < end and ord(text[end - 1 - indicators]) in _REGIONAL_INDICATORS:
        indicators += 1
    return end - 1 if indicators % 2 and end < len(text) and ord(text[end]) in _REGIONAL_INDICATORS else end


def _extends(character: str) -> bool:
    """Whether the character belongs with the one before it: a combining mark, a joiner, a variation selector, a
    skin tone or an emoji tag."""
    code = ord(character)
    return (
        unicodedata.category(character) in ("Mn", "Me", "Mc")
        or character == _ZERO_WIDTH_JOINER
        or 0x1F3FB <= code <= 0x1F3FF
        or 0xE0020 <= code <= 0xE007F
    )
