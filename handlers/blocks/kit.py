"""Block Kit basics used by every builder: the `Block` type, text, quotes, plurals, context, buttons, inputs, options.

One truncation rule: every builder cuts text at Slack's limit for the element it fills (with "…"),
so a long user text shortens a message instead of making Slack refuse it.
"""

import html
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from services.directory import Named
from services.directory import name_of as name_of
from services.text import as_slack_shows, cut_point, directions_closed, escape_mrkdwn, truncate, truncate_mrkdwn
from services.text import plural as plural

Block = dict[str, Any]

SECTION_TEXT = 3000
CONTEXT_TEXT = 2000
PLAIN_TEXT = 75
"""Buttons and options; modal titles are shorter still (24) and are written short."""
LABEL_TEXT = 2000
QUOTE_TEXT = 2900
"""A quote with a short heading before it still fits a section."""
FIELD_ERROR_TEXT = 300
PRIVATE_NOTICE = "You have a new message from Latitude."
"""The notification text of a DM to someone anonymous about what they sent: a lock screen, a banner or a shared
screen shows it, and an anonymous idea's number (posted for the team) or "a reply to your comment" (the manager knows
which) would say there whose it is. The message itself says all once opened."""
MESSAGE_TEXT = 10_000
"""Characters of text a message's blocks may hold in all. Slack refuses a message whose blocks hold about 12,000
(`msg_blocks_too_long`, a limit its Block Kit reference leaves out: bot/fakeslack/blockkit.py cites the reports);
a builder whose text grows with what people wrote or how many there are keeps within this."""
_ONE_SPACE = re.compile(r"\s+")
_LINE_BREAK = re.compile(r"\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")
"""Every character that ends a line, as `str.splitlines` counts them."""
_CODE_OR_BOLD = re.compile(r"`([^`\n]*)`|(?<![\w*])\*(?=\S)([^*\n]*?\S)\*(?![\w*])")
"""Bold only where Slack draws it (a `*` after no word character, before a non-space, closed likewise), so the
asterisks people type (`2*base`, `4* and 5*`, `AB*12*CD`) are read as typed."""
_DATE_TOKEN = re.compile(r"<!date\^[^|>]*\|([^>]*)>")


def local_time(moment: datetime, tokens: str = "{date_short}", fallback: str = "%d %b %Y") -> str:
    """A moment as Slack shows it in each reader's own time zone (`tokens` are Slack's date tokens); clients that
    cannot render it show `fallback` formatted in UTC, marked as such."""
    return f"<!date^{int(moment.timestamp())}^{tokens}|{moment.astimezone(UTC):{fallback}} UTC>"


def dates_as_fallback(text: str) -> str:
    """Each `local_time` (any Slack date token) as its fallback, for text read outside Slack."""
    return _DATE_TOKEN.sub(r"\1", text)


def notification_text(text: str) -> str:
    """A message's mrkdwn as its `text` when it has blocks: what a phone's lock screen shows (mobile notifications
    show only `text`: https://docs.slack.dev/changelog/2026/07/13/notification-changes) and a screen reader reads,
    where mrkdwn's marks are not drawn. *Bold* is said plainly, `code` in quotes, a date as its fallback; entities
    and mentions stay, which Slack resolves in `text` as in blocks."""
    return _CODE_OR_BOLD.sub(_as_plain, dates_as_fallback(text))


def text_block(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": truncate_mrkdwn(text, SECTION_TEXT)}}


def quote(text: str, limit: int = QUOTE_TEXT) -> str:
    """User text escaped and quoted line by line (in mrkdwn `>` quotes one line), at most `limit` long.

    A long text is cut before escaping and quoting, so the cut never splits `&amp;` and the "…" stays
    inside the quote.
    """
    return _fitted(_quoted, text, limit)


def escaped(text: str, limit: int) -> str:
    """User text escaped for mrkdwn, at most `limit` long once escaped (cut before escaping, never inside `&amp;`)."""
    return _fitted(escape_mrkdwn, text, limit)


NAME_SHOWN = 300
TITLE_SHOWN = 400
"""A person's name and a reward's title in a line about them, at most, once escaped: names and titles of 200
characters written with `&` all along are 1,000 each, and three of them would leave no room in a section for the
reason after them."""


def named(person: Named) -> str:
    """`name_of`, a directory name cut at NAME_SHOWN."""
    return escaped(person.name, NAME_SHOWN) if person.in_directory else name_of(person)


def titled(title: str) -> str:
    """A reward's title escaped, cut at TITLE_SHOWN."""
    return escaped(title, TITLE_SHOWN)


def _fitted(render: Callable[[str], str], text: str, limit: int) -> str:
    shown = render(text)
    if len(shown) <= limit:
        return shown
    kept, over = 0, len(text)  # render(text[:kept]) + "…" fits; text[:over] does not
    while over - kept > 1:
        middle = (kept + over) // 2
        kept, over = (middle, over) if len(render(text[:middle])) < limit else (kept, middle)
    return render(text[: cut_point(text, kept)]) + "…"


def text_length(blocks: Sequence[Block]) -> int:
    """The characters of text in blocks, counted as Slack counts them against the text a whole message may hold
    (about 12,000; more is refused with `msg_blocks_too_long`): every `text` string, in every text object."""
    return sum(_text_in(block) for block in blocks)


def _text_in(node: object) -> int:
    if isinstance(node, list):
        return sum(_text_in(item) for item in node)
    if not isinstance(node, dict):
        return 0
    own = len(node["text"]) if isinstance(node.get("text"), str) else 0
    return own + sum(_text_in(value) for value in node.values() if isinstance(value, (dict, list)))


def one_line(text: str, limit: int) -> str:
    """User text escaped for mrkdwn inside one of our lines, at most `limit` long once escaped.

    Its line breaks (and runs of spaces) become one space: a text typed on several lines would otherwise start
    lines of its own, which read exactly like the bot's (":bulb: *Suggestion #77* from …"). Text meant to be
    read over several lines is a `quote` instead.
    """
    return escaped(_ONE_SPACE.sub(" ", text).strip(), limit)


def inline(text: str, limit: int) -> str:
    """User text set in italics inside a line: Slack ends italics at a line break, so breaks become spaces. A text
    holding `_`, the italics' own mark, is set between quotes instead: in italics its `_` would end them there and
    leave the rest of it, its own `*bold*` included, loose in our line."""
    shown = one_line(text, limit)
    return f"“{shown}”" if "_" in shown else f"_{shown}_"


def _quoted(text: str) -> str:
    return "> " + _LINE_BREAK.sub("\n> ", escape_mrkdwn(text))


def context_block(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": truncate_mrkdwn(text, CONTEXT_TEXT)}]}


def notice(channel: str, summary: str, text: str, why_told: str) -> dict[str, Any]:
    """A DM telling HR or an admin of something that needs them: a phone shows `summary`, the message `text`, and
    under it when and how often they are told (`why_told`)."""
    return {"channel": channel, "text": summary, "blocks": [text_block(text), context_block(why_told)]}


def plain(text: str, limit: int = PLAIN_TEXT) -> dict[str, Any]:
    return {"type": "plain_text", "text": closed_within(text, limit)}


def closed_within(text: str, limit: int) -> str:
    """`truncate`, with any change of writing direction the text keeps open closed (services/text.directions_closed):
    cut shorter when the closing marks would take it past `limit`, where Slack refuses a label."""
    room = limit
    shown = directions_closed(truncate(text, room))
    while len(shown) > limit and room > 1:
        room = max(1, room - (len(shown) - limit))
        shown = directions_closed(truncate(text, room))
    return shown if len(shown) <= limit else "…"


ACCESSIBILITY_LABEL = 75
"""The most Slack takes in a button's `accessibility_label`."""


def button(action_id: str, text: str, value: str, style: str | None = None, *, label: str | None = None) -> Block:
    """A button; `label`, read by screen readers in place of `text`, names what it acts on when buttons of the same
    text repeat in one message or view (several "Approve", several "Reply")."""
    element: Block = {"type": "button", "action_id": action_id, "text": plain(text), "value": value}
    if style:
        element["style"] = style
    if label:
        element["accessibility_label"] = closed_within(_ONE_SPACE.sub(" ", label).strip(), ACCESSIBILITY_LABEL)
    return element


def input_block(block_id: str, label: str, element: Block, *, optional: bool = False, hint: str | None = None) -> Block:
    """An input whose action_id is its block_id, so a view's state reads `values[id][id]`."""
    block: Block = {
        "type": "input",
        "block_id": block_id,
        "label": plain(label, LABEL_TEXT),
        "element": {**element, "action_id": block_id},
        "optional": optional,
    }
    if hint:
        block["hint"] = plain(hint, LABEL_TEXT)
    return block


def option(value: str, text: str) -> dict[str, Any]:
    return {"text": plain(text), "value": value}


def _as_plain(mark: re.Match[str]) -> str:
    return f"“{mark.group(1)}”" if mark.group(1) is not None else mark.group(2)


def field_errors(block_id: str, message: str, names: Mapping[str, str] | None = None) -> dict[str, Any]:
    """A form's answer that keeps it open with `message` under one input. Slack shows it as plain text, so
    the mrkdwn our messages are written in becomes what it stands for: `code` in quotes, *bold* plain,
    entities as the characters they escape, and a mention (which plain text would show as `<@U…>`) the
    person's name: its label, else theirs in `names` (the people picked in the form), else "this person"."""
    unmentioned = as_slack_shows(message, names or {}, at="", stranger="this person")
    if unmentioned.startswith("this person"):
        unmentioned = "T" + unmentioned[1:]
    plain = html.unescape(_CODE_OR_BOLD.sub(_as_plain, unmentioned))
    return {"response_action": "errors", "errors": {block_id: _keeping_last_sentence(plain, FIELD_ERROR_TEXT)}}


def _keeping_last_sentence(text: str, limit: int) -> str:
    """An error too long for the field is cut before its last sentence, which says what to do or when."""
    head, stop, last = text.rpartition(". ")
    if len(text) <= limit or not stop or len(last) > limit // 2:
        return truncate(text, limit)
    return truncate(head + ".", limit - len(last) - 1) + " " + last


TEXT_MESSAGE = 38_000
"""Characters of text a message without blocks may hold: Slack cuts a message's text past 40,000
(https://api.slack.com/changelog/2018-04-truncating-really-long-messages), where the reader would not see it was cut."""
MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100
"""A message holds at most 50 blocks, a modal or the App Home 100."""


def and_more(hidden: int, where: str = "") -> str:
    """The line that ends a list cut short: "…and N more", and where to find them when somewhere does."""
    return f"…and {hidden} more{': ' + where if where else '.'}"
