"""Block Kit's text objects and images' words, as Slack checks them:
https://docs.slack.dev/reference/block-kit/composition-objects/text-object,
https://docs.slack.dev/reference/block-kit/blocks/image-block and
https://docs.slack.dev/reference/block-kit/block-elements/image-element."""

import re
from typing import Any


def broadcasts(text: Any) -> list[str]:
    """The special mentions that notify a whole channel; Latitude never sends one (user text is escaped)."""
    return re.findall(r"<!(?:channel|here|everyone)[^>]*>", text) if isinstance(text, str) else []


def text_problems(text: Any, limit: int, *, plain: bool = False) -> list[str]:
    if text is None:
        return []
    if not isinstance(text, dict) or text.get("type") not in ("plain_text", "mrkdwn"):
        return [f"text must be a text object, got {text!r:.60}"]
    if plain and text["type"] != "plain_text":
        return ["this text must be plain_text"]
    if "emoji" in text and text["type"] != "plain_text":
        return ["`emoji` is only for plain_text"]
    if "verbatim" in text and text["type"] != "mrkdwn":
        return ["`verbatim` is only for mrkdwn"]
    value = text.get("text", "")
    if text["type"] == "mrkdwn" and broadcasts(value):
        return [f"{broadcasts(value)[0]} would notify everyone"]
    if not value:
        return ["empty text"]
    if len(value) > limit:
        return [f"text of {len(value)} characters (limit {limit})"]
    return []


ALT_TEXT = 2000
IMAGE_URL = 3000


def image_problems(image: dict[str, Any], *, block: bool) -> list[str]:
    """An image block or a context's image element: `alt_text` is required (all a screen reader says of it), plain
    words of at most 2,000 characters, and the image is an `image_url` (at most 3,000) or a `slack_file`; a block's
    optional title is plain_text of at most 2,000."""
    alt = image.get("alt_text")
    problems = [] if isinstance(alt, str) and alt else ["an image needs alt_text"]
    if isinstance(alt, str) and len(alt) > ALT_TEXT:
        problems.append(f"alt_text of {len(alt)} characters (limit {ALT_TEXT})")
    if not image.get("image_url") and not image.get("slack_file"):
        problems.append("an image needs image_url or slack_file")
    if len(str(image.get("image_url") or "")) > IMAGE_URL:
        problems.append(f"image_url over {IMAGE_URL} characters")
    return problems + (text_problems(image.get("title"), ALT_TEXT, plain=True) if block else [])
