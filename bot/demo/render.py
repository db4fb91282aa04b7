"""Block Kit rendered as readable text, for the demo's transcript."""

import html
from typing import Any


def blocks_to_text(blocks: list[dict[str, Any]], fallback: str = "") -> str:
    if not blocks:
        return unescape(fallback)
    return "\n".join(line for block in blocks for line in _block(block)).strip()


def unescape(text: str) -> str:
    return html.unescape(text.replace("\u200b", ""))


def _text(node: Any) -> str:
    return unescape(str(node.get("text", ""))) if isinstance(node, dict) else ""


def _block(block: dict[str, Any]) -> list[str]:
    kind = block.get("type")
    if kind == "header":
        return [f"# {_text(block.get('text'))}"]
    if kind == "section":
        lines = [_text(block.get("text"))] if block.get("text") else []
        lines += [_text(field) for field in block.get("fields") or []]
        return lines
    if kind == "context":
        return ["  (" + " ".join(_text(e) for e in block.get("elements") or [] if "text" in e) + ")"]
    if kind == "actions":
        return ["  " + " ".join(f"[{_text(e.get('text'))}]" for e in block.get("elements") or [] if e.get("text"))]
    if kind == "input":
        return [f"  {_text(block.get('label'))}: ____"]
    if kind == "divider":
        return ["  ---"]
    if kind == "image":
        return [f"  [image: {block.get('alt_text', '')}]"]
    return []
