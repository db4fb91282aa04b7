"""Mrkdwn longer than a section, in several: cut at line breaks, and inside a longer line never within an entity,
a mention or a character; what does not fit says so."""

import re

from handlers.blocks.home import HOME_CUT, MAX_VIEW_BLOCKS, home_view
from handlers.blocks.kit import SECTION_TEXT, context_block, text_block
from handlers.blocks.long_text import line_parts, sections

ENTITY_OR_MENTION = re.compile(r"&(?:amp|lt|gt);|<@U0[A-Z0-9]+>")


def test_a_text_that_fits_is_one_section_as_it_was() -> None:
    assert sections("*Heading*\n> a quoted line") == [
        {"type": "section", "text": {"type": "mrkdwn", "text": "*Heading*\n> a quoted line"}}
    ]


def test_a_long_text_is_cut_at_its_line_breaks_and_loses_nothing() -> None:
    lines = [f"• line {number} " + "x" * 990 for number in range(7)]

    shown = sections("\n".join(lines))

    assert len(shown) == 3
    assert all(len(block["text"]["text"]) <= SECTION_TEXT for block in shown)
    assert "\n".join(block["text"]["text"] for block in shown) == "\n".join(lines)


def test_a_line_longer_than_a_section_is_cut_between_entities_and_mentions_and_stays_quoted() -> None:
    line = "> " + "a&amp;<@U0AGENT1>👩🏽‍💻" * 300

    parts = line_parts(line)

    assert len(parts) > 1 and all(len(part) <= SECTION_TEXT and part.startswith("> ") for part in parts)
    assert "".join([parts[0], *(part.removeprefix("> ") for part in parts[1:])]) == line
    for part in parts:
        assert ENTITY_OR_MENTION.sub("", part.removeprefix("> ")).replace("a", "").replace("👩🏽‍💻", "") == ""


def test_text_past_the_blocks_it_may_take_ends_saying_how_many_lines_were_left_out() -> None:
    shown = sections("\n".join("y" * 2000 for _ in range(4)), 2, where="see `/resolve history`")

    assert [block["type"] for block in shown] == ["section", "context"]
    assert shown[-1]["elements"][0]["text"] == "…and 3 more: see `/resolve history`"


def test_a_home_past_a_hundred_blocks_says_that_the_rest_is_left_out() -> None:
    many = [[text_block(f"item {number}")] for number in range(120)]

    view = home_view(many)

    assert len(view["blocks"]) == MAX_VIEW_BLOCKS
    assert view["blocks"][-1] == context_block(HOME_CUT)


def test_a_blank_line_between_two_full_sections_makes_no_empty_section() -> None:
    shown = sections("x" * 3000 + "\n\n" + "y" * 3000)

    assert [block["text"]["text"] for block in shown] == ["x" * 3000, "y" * 3000]


def test_a_long_line_is_never_cut_inside_an_emoji_shortcode() -> None:
    line = "ok :thumbsup: " * 300

    parts = line_parts(line)

    assert len(parts) > 1 and "".join(parts) == line
    assert all(part.count(":") % 2 == 0 for part in parts), "each shortcode whole in one part"


def test_a_single_line_cut_short_counts_as_one_line_left_out() -> None:
    shown = sections("h" * 9000, 2)

    assert shown[-1] == context_block("…and 1 more.")


def test_blank_lines_left_out_are_not_counted() -> None:
    shown = sections("\n".join(["a" * 2999, "", "b" * 2999, "", "c" * 10]), 2)

    assert shown[-1] == context_block("…and 2 more.")
