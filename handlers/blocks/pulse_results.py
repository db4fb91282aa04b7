"""Pulse results messages: the results, the reply relay's modal and DMs; their parsers and ids."""

import re
from typing import Any, NamedTuple

from handlers.blocks.kit import (
    MESSAGE_BLOCKS,
    MESSAGE_TEXT,
    QUOTE_TEXT,
    Block,
    button,
    context_block,
    quote,
    text_block,
    text_length,
)
from handlers.blocks.packing import CUT_LINE, packed_sections, within_budget
from handlers.blocks.pulse import question_words
from services.pulse.anonymity import HIDDEN_REASON
from services.pulse.relay import AnswerTo
from services.pulse.results import NO_TEAM_THEN, NOT_YOURS, QuestionResult, SubTeam, TeamResults
from services.pulse.targets import score_words
from services.pulse.trees import ORG
from services.text import escape_mrkdwn, percent, plural, truncate

REPLY_ACTION = "pulse_reply"  # value: comment id; a manager replies to an anonymous comment
MORE_COMMENTS_ACTION = "pulse_more_comments"  # value: more_value(); the comments a results message had no room for
REPLY_CALLBACK = "pulse_reply"
ANSWER_REPLY_ACTION = "pulse_answer_reply"  # value: answer_value(); the author answers the manager
ANSWER_REPLY_CALLBACK = "pulse_answer_reply"
MESSAGE_BLOCK = "pulse_message"
MESSAGE_INPUT = "message"
MAX_COMMENT_BLOCKS = 20
COMMENT_TEXT = 300
"""The least of a comment shown when many share the message: more are cut to fit than left out."""
REPLY = "Reply"


def results_message(results: TeamResults, team: str | None = None) -> dict[str, Any]:
    """`team` as `/pulse results` was asked for it (a manager's Slack id, `org`, or None for one's own), carried by
    the button that shows the comments left out."""
    title = truncate(f"Pulse results — round {results.round_number}", 150)
    blocks = _headed(title, results)
    if not results.shown:
        blocks.append(text_block(_hidden_reason(results)))
    else:
        rate = percent(results.answered, results.invited)
        blocks.append(context_block(f"Response rate: {results.answered} of {results.invited} ({rate}%)"))
        blocks += [text_block(_question_text(result)) for result in results.questions]
        if results.hidden_questions:
            blocks.append(
                context_block(
                    f"{plural(results.hidden_questions, 'question')} had fewer than {results.threshold} answers "
                    f"and {'is' if results.hidden_questions == 1 else 'are'} not shown."
                )
            )
        room = MESSAGE_TEXT - text_length(blocks)
        blocks += _comment_blocks(results, 0, room // 2 if results.sub_teams else room, team)
    if results.sub_teams:
        room = MESSAGE_TEXT - text_length(blocks)
        blocks += _sub_team_blocks(results.sub_teams, MESSAGE_BLOCKS - len(blocks), room)
    return {"text": f"{title}: {escape_mrkdwn(results.label)}", "blocks": blocks[:MESSAGE_BLOCKS]}


def _headed(title: str, results: TeamResults) -> list[Block]:
    """A results message's first blocks: its title, then whose results they are."""
    return [
        {"type": "header", "text": {"type": "plain_text", "text": title}},
        {"type": "section", "text": {"type": "mrkdwn", "text": f"*{escape_mrkdwn(results.label)}*"}},
    ]


def _sub_team_blocks(sub_teams: tuple[SubTeam, ...], room: int, budget: int) -> list[Block]:
    """Every team inside, several to a section, in the blocks the results leave (at least 14: ten questions and
    twenty comments leave that many) and within the text they leave."""
    lines = ["*Teams inside*", *map(_sub_team_line, sub_teams)]
    return packed_sections(lines, room, where="`/pulse results @manager` shows any of them.", budget=budget)


def comments_page(results: TeamResults, shown_before: int, team: str | None) -> dict[str, Any]:
    """The comments after the first `shown_before`, as many as one message holds, with a button for the rest."""
    title = truncate(f"Pulse comments — round {results.round_number}", 150)
    blocks = _headed(title, results)
    blocks += _comment_blocks(results, shown_before, MESSAGE_TEXT - text_length(blocks), team)
    return {"text": f"{title}: {escape_mrkdwn(results.label)}", "blocks": blocks}


def _comment_blocks(results: TeamResults, start: int, budget: int, team: str | None) -> list[Block]:
    """The comments from `start` on within `budget` characters, each with a Reply button while the round's replies
    are open (they end `relay_days` after close). Many long comments are each cut short (to COMMENT_TEXT at the
    least) so that more of them are read; those that still do not fit are counted, with a button that shows them."""
    comments = results.comments[start:]
    if not comments:
        return []
    heading = "*Anonymous comments*" if start == 0 else f"*Anonymous comments {start + 1}–*"
    if results.replies_open:
        heading += " — reply, and the bot relays it without telling you who wrote"
    shown = comments[:MAX_COMMENT_BLOCKS]
    room = budget - len(heading) - CUT_LINE - len(shown) * len(REPLY)
    each = min(QUOTE_TEXT, max(COMMENT_TEXT, room // len(shown)))
    quotes = within_budget([quote(comment.text, each) for comment in shown], room)
    blocks = [text_block(heading)]
    for number, (comment, quoted) in enumerate(zip(shown, quotes, strict=False), start=start + 1):
        block = text_block(quoted)
        if results.replies_open:
            label = f"Reply to anonymous comment {number}: {comment.text}"
            block["accessory"] = button(REPLY_ACTION, REPLY, str(comment.id), label=label)
        blocks.append(block)
    if len(comments) > len(quotes):
        more = text_block(f"…and {len(comments) - len(quotes)} more.")
        value = more_value(results.round_id, start + len(quotes), team)
        more["accessory"] = button(MORE_COMMENTS_ACTION, "Show more", value)
        blocks.append(more)
    return blocks


def more_value(round_id: int, start: int, team: str | None) -> str:
    """The round by its id, never given twice: its number starts again at 1 in a workspace purged and installed
    again."""
    return f"r{round_id}:{start}:{team or ''}"


class RoundNamed(NamedTuple):
    """The round a button names: by its id (`r12`), or, sent before buttons carried the id, by its number."""

    by_id: bool
    value: int


def parse_more_value(value: str) -> tuple[RoundNamed, int, str | None]:
    """A more_value(): the round it names, how many comments came before, and the team asked for."""
    round_part, start, team = value.split(":")
    round_id = round_part.removeprefix("r")
    if not all(digits.isdigit() and len(digits) <= 18 for digits in (round_id, start)):
        raise ValueError(f"not a comments page: {value!r}"[:60])
    if team and not (team == ORG or re.fullmatch(r"[UW][A-Z0-9]{2,20}", team)):
        raise ValueError(f"not a team: {team!r}"[:60])
    return RoundNamed(round_part.startswith("r"), int(round_id)), int(start), team or None


def message_modal(callback_id: str, subject: int | str, title: str, intro: str) -> dict[str, Any]:
    """A one-field modal for a relayed message; `subject` is the comment id (reply) or answer_value() (answer)."""
    return {
        "type": "modal",
        "callback_id": callback_id,
        "private_metadata": str(subject),
        "title": {"type": "plain_text", "text": title},
        "submit": {"type": "plain_text", "text": "Send"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            context_block(intro),
            {
                "type": "input",
                "block_id": MESSAGE_BLOCK,
                "label": {"type": "plain_text", "text": "Your message"},
                "element": {
                    "type": "plain_text_input",
                    "action_id": MESSAGE_INPUT,
                    "multiline": True,
                    "max_length": 2000,
                },
            },
        ],
    }


def parse_message(view: dict[str, Any]) -> tuple[int, str]:
    value = view["state"]["values"][MESSAGE_BLOCK][MESSAGE_INPUT].get("value") or ""
    return int(view["private_metadata"]), str(value)


def parse_answer(view: dict[str, Any]) -> tuple[AnswerTo, str]:
    value = view["state"]["values"][MESSAGE_BLOCK][MESSAGE_INPUT].get("value") or ""
    return parse_answer_value(view["private_metadata"]), str(value)


def answer_value(to: AnswerTo) -> str:
    """`reply id:r round id`: the round stays readable from the button after the reply's route is deleted. A button
    sent before it carried the id keeps the round's number it carried, if any."""
    if to.round_id is None:
        return str(to.reply_id) if to.round_number is None else f"{to.reply_id}:{to.round_number}"
    return f"{to.reply_id}:r{to.round_id}"


def parse_answer_button(action: dict[str, Any]) -> AnswerTo:
    return parse_answer_value(action["value"])


def quoted_comment(message: dict[str, Any] | None) -> str | None:
    """The comment a reply's DM (`reply_to_author`) quotes, as its author wrote it when the quote shows it whole
    (no mention nor cut in it): what names the round of an Answer button sent before it carried the round's id."""
    for block in (message or {}).get("blocks") or []:
        shown = str((block.get("text") or {}).get("text") or "")
        if shown.startswith(YOUR_COMMENT):
            lines = [line.removeprefix("> ") for line in shown.removeprefix(YOUR_COMMENT).split("\n")]
            written = "\n".join(lines).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
            return written.replace("@\u200b", "@")  # a broadcast word escape_mrkdwn defused, as it was written
    return None


def parse_answer_value(value: str) -> AnswerTo:
    """An answer_value(); a bare reply id, or one with the round's number (which a purge makes ambiguous), from a
    button sent before it carried the round's id, which then stays unknown. A reply's id is drawn below zero
    (services/unordered_ids.py); one counted up, from before, is above."""
    reply_id, colon, round_part = value.partition(":")
    round_id = round_part.removeprefix("r")
    unsigned = reply_id.removeprefix("-")
    for digits in (unsigned, round_id) if colon else (unsigned,):
        if not digits.isdigit() or len(digits) > 18:
            raise ValueError(f"not an answer value: {value!r}"[:60])
    by_id = round_part.startswith("r")
    return AnswerTo(
        int(reply_id), int(round_id) if by_id else None, round_number=int(round_id) if colon and not by_id else None
    )


YOUR_COMMENT = "Your comment:\n"


def _hidden_reason(results: TeamResults) -> str:
    """Why nothing of the team is shown: it was not a team, or not the viewer's, when the round closed (worded like
    the digest's), or the anonymity rule hid it."""
    if results.not_led_then == NO_TEAM_THEN:
        who, whose = ("you", "your") if results.viewer_leads else ("they", "their")
        return (
            f":lock: Not shown: {who} had no team of {whose} own when round {results.round_number} closed; "
            f"the answers of {whose} team now count in the teams its people were in then."
        )
    if results.not_led_then == NOT_YOURS:
        return (
            f":lock: Not shown: this team was neither yours nor inside yours when round {results.round_number} closed."
        )
    return (
        f":lock: {HIDDEN_REASON.capitalize()}: results appear only for groups where at least {results.threshold} "
        "people answered, and never where comparing them with other teams' results would narrow answers down "
        f"to fewer than {results.threshold} people."
    )


def _question_text(result: QuestionResult) -> str:
    if result.enps is not None:
        score = f"eNPS *{result.enps:+d}* (average {score_words(result.average)} of {result.scale_max})"
    else:
        score = f"Average *{score_words(result.average)}* of {result.scale_max}"
    parts = [score, f"{result.respondents} answers"]
    if result.gap is not None and result.target is not None:
        parts.append(f"target {result.target:g}, gap {result.gap:+.1f}")
    if result.change is not None:
        parts.append(
            f"{'▲' if result.change > 0 else '▼' if result.change < 0 else '='} {result.change:+.1f} since last time"
        )
    spread = "  ".join(f"{value}: {count}" for value, count in result.distribution)
    return f"*{question_words(result.text)}*\n{' · '.join(parts)}\n`{spread}`"


def _sub_team_line(team: SubTeam) -> str:
    if not team.shown:
        return f"• {escape_mrkdwn(team.label)}: {HIDDEN_REASON}"
    scores = ", ".join(f"{key} {score_words(score)}" for key, score in team.scores) or "no question had enough answers"
    return f"• {escape_mrkdwn(team.label)}: {scores}"
