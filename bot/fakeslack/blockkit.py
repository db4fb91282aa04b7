"""Block Kit limits, checked on every message, view and ack the fake Slack receives.

The limits, and the fields a block or element cannot go without (a header's and a button's text, an input's label
and element), are those of Slack's Block Kit reference: https://api.slack.com/reference/block-kit/blocks,
https://api.slack.com/reference/block-kit/block-elements, https://api.slack.com/reference/block-kit/composition-objects
and https://api.slack.com/reference/surfaces/views.
"""

import json
from typing import Any

from bot.fakeslack.element_fields import confirm_problems, focus_problems, length_bound_problems
from bot.fakeslack.options import options_problems
from bot.fakeslack.text_objects import broadcasts, image_problems, text_problems

MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100
ID_LENGTH = 255
TEXT_LIMITS = {"section": 3000, "header": 150, "context_element": 2000, "field": 2000}
ELEMENT_TEXT = {"button": 75, "option": 75, "placeholder": 150, "label": 2000, "hint": 2000, "title": 24}
BUTTON_STYLES = ("primary", "danger")
ACCESSIBILITY_LABEL = 75  # https://docs.slack.dev/reference/block-kit/block-elements/button-element
NO_TEXT = "no_text"
URL_LENGTH = 3000
BLOCKS_TEXT = 11_000
"""Characters of text a message (posted, updated, ephemeral, sent to a response URL or in an ack) may hold in all
its blocks. Slack refuses more with `msg_blocks_too_long`; the Block Kit reference does not give the limit. A Slack
maintainer put it at "12,000 text characters with a buffer for block containers"
(https://github.com/slackapi/bolt-js/issues/2509, where markdown blocks alone were refused past 13,297), and a
message counted at 11,341 was refused (https://github.com/slackapi/bolt-js/issues/2867): the stand-in refuses above
11,000, below every refusal reported. Slack checks every message the same way; the stand-in assumes an ack and a
response URL's message are no exception."""
BLOCKS_TOO_LONG = "msg_blocks_too_long"
TEXT_LENGTH = 40_000
MSG_TOO_LONG = "msg_too_long"
"""A message's `text` past 40,000 characters: Slack says it truncates such text and lists `msg_too_long` ("Message text
is too long", https://docs.slack.dev/reference/methods/chat.postMessage); the stand-in refuses it so, never truncating
what a test would then not see."""
VIEW_BYTES = 250_000
"""The most a view may weigh: `views.open`, `views.update`, `views.push` and `views.publish` refuse a larger one with
`view_too_large` ("the provided view is greater than 250kb", https://docs.slack.dev/reference/methods/views.publish).
The stand-in weighs the view's JSON in UTF-8 and takes the lower reading of 250 kB."""
VIEW_TOO_LARGE = "view_too_large"


def message_problems(args: dict[str, Any]) -> list[str]:
    blocks = args.get("blocks") or []
    problems = [f"the text fallback {mention} would notify everyone" for mention in broadcasts(args.get("text"))]
    if _no_text(args):
        problems.append("a message needs text, blocks or attachments")
    if len(str(args.get("text") or "")) > TEXT_LENGTH:
        problems.append(f"message text over {TEXT_LENGTH} characters")
    if len(blocks) > MESSAGE_BLOCKS:
        problems.append(f"{len(blocks)} blocks in a message (limit {MESSAGE_BLOCKS})")
    return problems + blocks_problems(blocks)


def posted_problems(args: dict[str, Any]) -> tuple[str, list[str]]:
    """Slack's error and the problems for a message (posted, updated, ephemeral, an ack or a response URL's):
    `msg_too_long` for text past 40,000 characters, `invalid_blocks` for any block Block Kit refuses, else
    `msg_blocks_too_long` when the blocks hold too much text in all ([] when fine)."""
    problems = message_problems(args)
    if _no_text(args):
        return NO_TEXT, problems
    if len(str(args.get("text") or "")) > TEXT_LENGTH:
        return MSG_TOO_LONG, problems
    if problems:
        return "invalid_blocks", problems
    length = blocks_text_length(args.get("blocks") or [])
    if length > BLOCKS_TEXT:
        return BLOCKS_TOO_LONG, [f"{length} characters of text in the blocks (limit about {BLOCKS_TEXT})"]
    return "", []


def _no_text(args: dict[str, Any]) -> bool:
    """Slack refuses a message with neither text nor blocks nor attachments with `no_text` ("No message text
    provided", https://docs.slack.dev/reference/methods/chat.postMessage#errors)."""
    return not args.get("text") and not args.get("blocks") and not args.get("attachments")


def blocks_text_length(blocks: Any) -> int:
    """The text in blocks as those reports count it: every `text` string, in text objects and rich text alike."""
    if isinstance(blocks, list):
        return sum(blocks_text_length(item) for item in blocks)
    if not isinstance(blocks, dict):
        return 0
    own = len(blocks["text"]) if isinstance(blocks.get("text"), str) else 0
    return own + sum(blocks_text_length(value) for value in blocks.values() if isinstance(value, (dict, list)))


def view_problems(view: dict[str, Any], kind: str = "modal") -> list[str]:
    """`kind`: the view type the method takes, `home` for `views.publish` and `modal` for the others and a
    submission's ack (https://docs.slack.dev/reference/methods/views.publish, .../views.open): Slack refuses
    another, or none, as it refuses any bad argument."""
    problems = [] if view.get("type") == kind else [f"a view of type {view.get('type')!r} where Slack takes {kind!r}"]
    blocks = view.get("blocks") or []
    if len(blocks) > VIEW_BLOCKS:
        problems.append(f"{len(blocks)} blocks in a view (limit {VIEW_BLOCKS})")
    if view.get("type") == "modal":
        problems += _modal_problems(view, blocks)
    if len(view.get("private_metadata") or "") > 3000:
        problems.append("private_metadata over 3000 characters")
    if len(view.get("callback_id") or "") > ID_LENGTH:
        problems.append(f"callback_id over {ID_LENGTH} characters")
    if len(view.get("external_id") or "") > ID_LENGTH:  # "max length of 255" (docs.slack.dev: views.open)
        problems.append(f"external_id over {ID_LENGTH} characters")
    return problems + blocks_problems(blocks)


def view_refusal(view: dict[str, Any], kind: str = "modal") -> tuple[list[str], str]:
    """The problems Slack would refuse a view for, and its error: `invalid_arguments` (the views methods have no
    `invalid_blocks`: https://docs.slack.dev/reference/methods/views.open#errors), else `view_too_large`."""
    problems = view_problems(view, kind)
    return (problems, "invalid_arguments") if problems else (view_size_problems(view), VIEW_TOO_LARGE)


def view_size_problems(view: dict[str, Any]) -> list[str]:
    """`view_too_large`'s reason, if the view weighs more than Slack takes ([] when it does not)."""
    size = len(json.dumps(view, ensure_ascii=False, separators=(",", ":")).encode())
    return [f"a view of {size:,} bytes (limit {VIEW_BYTES:,})"] if size > VIEW_BYTES else []


def ack_problems(view: dict[str, Any], ack: dict[str, Any]) -> list[str]:
    """What Slack would refuse in the ack of a view submission: errors must name input blocks of the view."""
    action = ack.get("response_action")
    if action == "errors":
        inputs = {block.get("block_id") for block in view.get("blocks") or [] if block.get("type") == "input"}
        unknown = sorted(set(ack.get("errors") or {}) - inputs)
        return [f"errors for block(s) {unknown} that are not inputs of the view"] if unknown else []
    if action in ("update", "push"):
        return view_problems(ack.get("view") or {}) + view_size_problems(ack.get("view") or {})
    return [] if action in (None, "clear") else [f"unknown response_action {action!r}"]


def _modal_problems(view: dict[str, Any], blocks: list[dict[str, Any]]) -> list[str]:
    problems = []
    if not view.get("title"):
        problems.append("a modal needs a title")
    for key in ("title", "submit", "close"):
        problems += [f"modal {key}: {problem}" for problem in text_problems(view.get(key), 24, plain=True)]
    if not view.get("submit") and any(block.get("type") == "input" for block in blocks):
        problems.append("a modal with inputs needs a submit button")
    return problems


def blocks_problems(blocks: list[dict[str, Any]]) -> list[str]:
    problems = focus_problems(blocks)
    block_ids: set[str] = set()
    for index, block in enumerate(blocks):
        where = f"block {index} ({block.get('type')})"
        block_id = block.get("block_id")
        if block_id:
            if block_id in block_ids:
                problems.append(f"{where}: duplicate block_id {block_id!r}")
            if len(block_id) > ID_LENGTH:
                problems.append(f"{where}: block_id over {ID_LENGTH} characters")
            block_ids.add(block_id)
        problems += [f"{where}: {problem}" for problem in _block_problems(block)]
    return problems


def _block_problems(block: dict[str, Any]) -> list[str]:
    kind = block.get("type")
    problems: list[str] = []
    if kind == "section":
        text = block.get("text")
        fields = block.get("fields") or []
        if not text and not fields:
            problems.append("a section needs text or fields")
        problems += text_problems(text, TEXT_LIMITS["section"])
        if len(fields) > 10:
            problems.append(f"{len(fields)} fields (limit 10)")
        for field in fields:
            problems += text_problems(field, TEXT_LIMITS["field"])
        if block.get("accessory"):
            problems += _element_problems(block["accessory"])
    elif kind == "header":
        problems += [] if block.get("text") else ["a header needs text"]
        problems += text_problems(block.get("text"), TEXT_LIMITS["header"], plain=True)
    elif kind == "context":
        problems += _context_problems(block.get("elements") or [])
    elif kind == "actions":
        elements = block.get("elements") or []
        if not elements or len(elements) > 25:
            problems.append(f"{len(elements)} action elements (1 to 25)")
        problems += _repeated_action_ids(elements)
        for element in elements:
            problems += _element_problems(element)
    elif kind == "input":
        problems += [f"an input needs its {key}" for key in ("label", "element") if not block.get(key)]
        problems += text_problems(block.get("label"), ELEMENT_TEXT["label"], plain=True)
        problems += text_problems(block.get("hint"), ELEMENT_TEXT["hint"], plain=True)
        problems += _element_problems(block.get("element") or {})
    elif kind == "image":
        problems += image_problems(block, block=True)
    elif kind not in ("divider", "rich_text", "file", "video"):
        problems.append(f"unknown block type {kind!r}")
    return problems


def _repeated_action_ids(elements: list[dict[str, Any]]) -> list[str]:
    """An actions block's elements each need their own action_id: Slack refuses a block that repeats one with
    `invalid_blocks` ("unique among all other action_ids in the containing block",
    https://docs.slack.dev/reference/block-kit/block-elements/button-element)."""
    ids = [element["action_id"] for element in elements if element.get("action_id")]
    repeated = sorted({action_id for action_id in ids if ids.count(action_id) > 1})
    return [f"action_id {action_id!r} repeated in the block" for action_id in repeated]


def _context_problems(elements: list[dict[str, Any]]) -> list[str]:
    problems = [] if 1 <= len(elements) <= 10 else [f"{len(elements)} context elements (1 to 10)"]
    for element in elements:
        if element.get("type") in ("mrkdwn", "plain_text"):
            problems += text_problems(element, TEXT_LIMITS["context_element"])
        elif element.get("type") == "image":
            problems += image_problems(element, block=False)
        else:
            problems.append(f"a context element must be text or an image, not {element.get('type')!r}")
    return problems


def _element_problems(element: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    kind = element.get("type")
    if len(element.get("action_id") or "") > ID_LENGTH:
        problems.append(f"action_id over {ID_LENGTH} characters")
    if kind == "button":
        problems += [] if element.get("text") else ["a button needs text"]
        problems += text_problems(element.get("text"), ELEMENT_TEXT["button"], plain=True)
        if len(element.get("value") or "") > 2000:
            problems.append("button value over 2000 characters")
        if element.get("style") is not None and element["style"] not in BUTTON_STYLES:
            problems.append(f"button style {element['style']!r} (primary or danger only)")
        problems += _accessibility_label_problems(element)
    if len(element.get("url") or "") > URL_LENGTH:
        problems.append(f"url over {URL_LENGTH} characters")
    problems += options_problems(element) + confirm_problems(element) + length_bound_problems(element)
    if element.get("placeholder"):
        problems += text_problems(element["placeholder"], ELEMENT_TEXT["placeholder"], plain=True)
    if element.get("max_length") and len(str(element.get("initial_value") or "")) > int(element["max_length"]):
        problems.append(f"initial_value longer than max_length {element['max_length']}")
    return problems


def _accessibility_label_problems(element: dict[str, Any]) -> list[str]:
    label = element.get("accessibility_label", "")
    if not isinstance(label, str):
        return [f"accessibility_label must be a string, got {label!r:.60}"]
    return [f"accessibility_label of {len(label)} characters (limit 75)"] if len(label) > ACCESSIBILITY_LABEL else []
