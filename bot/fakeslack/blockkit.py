"""Block Kit limits, checked on every message and view the fake Slack receives."""

from typing import Any

MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100
TEXT_LIMITS = {"section": 3000, "header": 150, "context_element": 2000, "field": 2000}
ELEMENT_TEXT = {"button": 75, "option": 75, "placeholder": 150, "label": 2000, "hint": 2000, "title": 24}


def message_problems(args: dict[str, Any]) -> list[str]:
    blocks = args.get("blocks") or []
    problems = []
    if not blocks and not args.get("text"):
        problems.append("a message needs text or blocks")
    if len(str(args.get("text") or "")) > 40000:
        problems.append("message text over 40000 characters")
    if len(blocks) > MESSAGE_BLOCKS:
        problems.append(f"{len(blocks)} blocks in a message (limit {MESSAGE_BLOCKS})")
    return problems + blocks_problems(blocks)


def view_problems(view: dict[str, Any]) -> list[str]:
    problems = []
    blocks = view.get("blocks") or []
    if len(blocks) > VIEW_BLOCKS:
        problems.append(f"{len(blocks)} blocks in a view (limit {VIEW_BLOCKS})")
    if view.get("type") == "modal":
        for key in ("title", "submit", "close"):
            text = (view.get(key) or {}).get("text", "")
            if len(text) > ELEMENT_TEXT["title"]:
                problems.append(f"modal {key} {text!r} over {ELEMENT_TEXT['title']} characters")
        if not view.get("title"):
            problems.append("a modal needs a title")
    if len(view.get("private_metadata") or "") > 3000:
        problems.append("private_metadata over 3000 characters")
    return problems + blocks_problems(blocks)


def blocks_problems(blocks: list[dict[str, Any]]) -> list[str]:
    problems: list[str] = []
    block_ids: set[str] = set()
    for index, block in enumerate(blocks):
        where = f"block {index} ({block.get('type')})"
        block_id = block.get("block_id")
        if block_id:
            if block_id in block_ids:
                problems.append(f"{where}: duplicate block_id {block_id!r}")
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
        problems += _text_problems(text, TEXT_LIMITS["section"])
        if len(fields) > 10:
            problems.append(f"{len(fields)} fields (limit 10)")
        for field in fields:
            problems += _text_problems(field, TEXT_LIMITS["field"])
        if block.get("accessory"):
            problems += _element_problems(block["accessory"])
    elif kind == "header":
        problems += _text_problems(block.get("text"), TEXT_LIMITS["header"], plain=True)
    elif kind == "context":
        elements = block.get("elements") or []
        if not elements or len(elements) > 10:
            problems.append(f"{len(elements)} context elements (1 to 10)")
        for element in elements:
            if element.get("type") in ("mrkdwn", "plain_text"):
                problems += _text_problems(element, TEXT_LIMITS["context_element"])
    elif kind == "actions":
        elements = block.get("elements") or []
        if not elements or len(elements) > 25:
            problems.append(f"{len(elements)} action elements (1 to 25)")
        for element in elements:
            problems += _element_problems(element)
    elif kind == "input":
        problems += _text_problems(block.get("label"), ELEMENT_TEXT["label"], plain=True)
        problems += _element_problems(block.get("element") or {})
    elif kind not in ("divider", "image", "rich_text", "file", "video"):
        problems.append(f"unknown block type {kind!r}")
    return problems


def _element_problems(element: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    if len(element.get("action_id") or "") > 255:
        problems.append("action_id over 255 characters")
    if element.get("type") == "button":
        problems += _text_problems(element.get("text"), ELEMENT_TEXT["button"], plain=True)
        if len(element.get("value") or "") > 2000:
            problems.append("button value over 2000 characters")
    options = element.get("options") or []
    if len(options) > 100:
        problems.append(f"{len(options)} options (limit 100)")
    for option in options:
        problems += _text_problems(option.get("text"), ELEMENT_TEXT["option"])
        if len(option.get("value") or "") > 150:
            problems.append("option value over 150 characters")
    if element.get("placeholder"):
        problems += _text_problems(element["placeholder"], ELEMENT_TEXT["placeholder"], plain=True)
    if int(element.get("max_length") or 0) > 3000:
        problems.append("max_length over 3000")
    return problems


def _text_problems(text: Any, limit: int, *, plain: bool = False) -> list[str]:
    if text is None:
        return []
    if not isinstance(text, dict) or text.get("type") not in ("plain_text", "mrkdwn"):
        return [f"text must be a text object, got {text!r:.60}"]
    if plain and text["type"] != "plain_text":
        return ["this text must be plain_text"]
    value = text.get("text", "")
    if not value:
        return ["empty text"]
    if len(value) > limit:
        return [f"text of {len(value)} characters (limit {limit})"]
    return []
