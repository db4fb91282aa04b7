"""Block Kit rendered as readable text, for the demo's transcript."""

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from handlers.blocks.kit import dates_as_fallback

_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")


@dataclass(frozen=True)
class Renderer:
    """Knows people's names, so that a mention reads `@Cat Chen` rather than `<@U0DCAT>`."""

    names: Mapping[str, str] = field(default_factory=dict)

    def blocks(self, blocks: list[dict[str, Any]], fallback: str = "") -> str:
        if not blocks:
            return self.text(fallback)
        return "\n".join(line for block in blocks for line in self._block(block)).strip()

    def text(self, text: str) -> str:
        """Slack's markup as a person sees it: dates by their fallback, mentions by name, entities decoded."""
        text = dates_as_fallback(text)
        text = _MENTION.sub(lambda match: "@" + self.names.get(match.group(1), match.group(1)), text)
        return html.unescape(text.replace("\u200b", ""))

    def _of(self, node: Any) -> str:
        return self.text(str(node.get("text", ""))) if isinstance(node, dict) else ""

    def _block(self, block: dict[str, Any]) -> list[str]:
        kind = block.get("type")
        if kind == "header":
            return [f"# {self._of(block.get('text'))}"]
        if kind == "section":
            lines = [self._of(block.get("text"))] if block.get("text") else []
            return lines + [self._of(item) for item in block.get("fields") or []]
        if kind == "context":
            return ["  (" + " ".join(self._of(e) for e in block.get("elements") or [] if "text" in e) + ")"]
        if kind == "actions":
            labels = [f"[{self._of(e.get('text'))}]" for e in block.get("elements") or [] if e.get("text")]
            return ["  " + " ".join(labels)]
        if kind == "input":
            return [f"  {self._of(block.get('label'))}: ____"]
        if kind == "divider":
            return ["  ---"]
        if kind == "image":
            return [f"  [image: {block.get('alt_text', '')}]"]
        return []
