"""Pulse poll messages: the questions DM, the comment modal, the results; their parsers and ids."""

from dataclasses import dataclass
from typing import Any

from models import PulseQuestion, PulseRound
from services.pulse import MyRound
from services.pulse_relay import Relayed
from services.pulse_results import CommentView, QuestionResult, SubTeam, TeamResults
from services.text import escape_mrkdwn, truncate

Block = dict[str, Any]

ANSWER_PREFIX = "pulse_answer"  # action_id pulse_answer:<question id>:<value>
CHANGE_PREFIX = "pulse_change"  # action_id pulse_change:<question id>
COMMENT_ACTION = "pulse_comment"
COMMENT_CALLBACK = "pulse_comment"
COMMENT_BLOCK = "pulse_comment_text"
COMMENT_INPUT = "comment"
SCALE_WORDS = {
    (1, 5): "1 = strongly disagree · 5 = strongly agree",
    (0, 10): "0 = not at all likely · 10 = extremely likely",
}
REPLY_ACTION = "pulse_reply"  # value: comment id; a manager replies to an anonymous comment
REPLY_CALLBACK = "pulse_reply"
ANSWER_REPLY_ACTION = "pulse_answer_reply"  # value: reply id; the author answers the manager
ANSWER_REPLY_CALLBACK = "pulse_answer_reply"
MESSAGE_BLOCK = "pulse_message"
MESSAGE_INPUT = "message"
MAX_COMMENT_BLOCKS = 20


@dataclass(frozen=True)
class Placement:
    """Where a questions message is, so a modal can update it after a comment."""

    round_id: int
    channel: str
    ts: str

    def encode(self) -> str:
        return f"{self.round_id}:{self.channel}:{self.ts}"

    @classmethod
    def decode(cls, text: str) -> "Placement":
        round_id, channel, ts = text.split(":", 2)
        return cls(int(round_id), channel, ts)


def answer_action_id(question_id: int, value: int) -> str:
    return f"{ANSWER_PREFIX}:{question_id}:{value}"


def parse_answer(value: str) -> tuple[int, int]:
    """A button's value `<question id>:<answer>`."""
    question_id, answer = value.split(":")
    return int(question_id), int(answer)


def _when(pulse_round: PulseRound) -> str:
    stamp = int(pulse_round.closes_at.timestamp())
    fallback = f"{pulse_round.closes_at:%a %d %b %H:%M} UTC"
    return f"<!date^{stamp}^{{date_short_pretty}} at {{time}}|{fallback}>"


def questions_message(mine: MyRound, *, reminder: bool = False, editing: int | None = None) -> dict[str, Any]:
    """The DM: each question as buttons (or as answered), then the optional anonymous comment."""
    pulse_round = mine.round
    title = f"Team pulse — round {pulse_round.number}"
    intro = (
        f"{'Reminder: ' if reminder else ''}{len(pulse_round.questions)} quick questions, one click each. "
        f"Open until {_when(pulse_round)}."
    )
    blocks: list[Block] = [
        {"type": "header", "text": {"type": "plain_text", "text": title}},
        {"type": "section", "text": {"type": "mrkdwn", "text": intro}},
        _context(
            f":lock: Anonymous: answers are stored without your name, and results are shown only for "
            f"groups of at least {pulse_round.anonymity_threshold} people."
        ),
    ]
    for number, question in enumerate(pulse_round.questions, start=1):
        answered = mine.answers.get(question.id)
        if answered is None or editing == question.id:
            blocks += _question_blocks(number, question, answered)
        else:
            blocks.append(_answered_block(number, question, answered))
    blocks.append(_comment_block(pulse_round, mine.commented))
    return {"text": f"{title}: {intro}", "blocks": blocks}


def _question_blocks(number: int, question: PulseQuestion, current: int | None) -> list[Block]:
    scale = SCALE_WORDS.get((question.scale_min, question.scale_max), f"{question.scale_min} to {question.scale_max}")
    buttons = []
    for value in range(question.scale_min, question.scale_max + 1):
        button: Block = {
            "type": "button",
            "action_id": answer_action_id(question.id, value),
            "text": {"type": "plain_text", "text": str(value)},
            "value": f"{question.id}:{value}",
        }
        if value == current:
            button["style"] = "primary"
        buttons.append(button)
    return [
        {"type": "section", "text": {"type": "mrkdwn", "text": f"*{number}. {escape_mrkdwn(question.text)}*\n{scale}"}},
        {"type": "actions", "block_id": f"pulse_q_{question.id}", "elements": buttons},
    ]


def _answered_block(number: int, question: PulseQuestion, value: int) -> Block:
    return {
        "type": "section",
        "text": {
            "type": "mrkdwn",
            "text": f"*{number}. {escape_mrkdwn(question.text)}*\n:white_check_mark: Thanks — answered *{value}*",
        },
        "accessory": {
            "type": "button",
            "action_id": f"{CHANGE_PREFIX}:{question.id}",
            "text": {"type": "plain_text", "text": "Change"},
            "value": str(question.id),
        },
    }


def _comment_block(pulse_round: PulseRound, commented: bool) -> Block:
    label = "Edit your anonymous comment" if commented else "Add an anonymous comment (optional)"
    return {
        "type": "actions",
        "block_id": "pulse_comment",
        "elements": [
            {
                "type": "button",
                "action_id": COMMENT_ACTION,
                "text": {"type": "plain_text", "text": label},
                "value": str(pulse_round.id),
            }
        ],
    }


def home_section(mine: MyRound) -> list[Block]:
    """App Home: the open questions waiting for this person."""
    left = len(mine.unanswered)
    return [
        _section(
            f":bar_chart: *Team pulse — round {mine.round.number}:* {left} question(s) waiting for you, "
            f"open until {_when(mine.round)}. Type `/pulse` to get them in a DM."
        )
    ]


def comment_modal(placement: Placement) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": COMMENT_CALLBACK,
        "private_metadata": placement.encode(),
        "title": {"type": "plain_text", "text": "Anonymous comment"},
        "submit": {"type": "plain_text", "text": "Send"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            _context(
                "Your comment is stored without your name and shown to your manager only with your team's "
                "results, when enough people answered. Avoid details that would identify you."
            ),
            {
                "type": "input",
                "block_id": COMMENT_BLOCK,
                "label": {"type": "plain_text", "text": "What should your manager know?"},
                "element": {
                    "type": "plain_text_input",
                    "action_id": COMMENT_INPUT,
                    "multiline": True,
                    "max_length": 2000,
                },
            },
        ],
    }


def parse_comment(view: dict[str, Any]) -> tuple[Placement, str]:
    value = view["state"]["values"][COMMENT_BLOCK][COMMENT_INPUT].get("value") or ""
    return Placement.decode(view["private_metadata"]), str(value)


def results_message(results: TeamResults) -> dict[str, Any]:
    title = truncate(f"Pulse results — round {results.round_number}", 150)
    blocks: list[Block] = [
        {"type": "header", "text": {"type": "plain_text", "text": title}},
        {"type": "section", "text": {"type": "mrkdwn", "text": f"*{escape_mrkdwn(results.label)}*"}},
    ]
    if not results.shown:
        blocks.append(_section(_hidden_reason(results)))
    else:
        rate = round(100 * results.answered / results.invited) if results.invited else 0
        blocks.append(_context(f"Response rate: {results.answered} of {results.invited} ({rate}%)"))
        blocks += [_section(_question_text(result)) for result in results.questions]
        if results.hidden_questions:
            blocks.append(
                _context(
                    f"{results.hidden_questions} question(s) had fewer than {results.threshold} answers "
                    "and are not shown."
                )
            )
        blocks += _comment_blocks(results.comments)
    if results.sub_teams:
        blocks.append(_section(truncate("*Teams inside*\n" + "\n".join(map(_sub_team_line, results.sub_teams)), 2900)))
    return {"text": f"{title}: {results.label}", "blocks": blocks[:50]}


def _comment_blocks(comments: tuple[CommentView, ...]) -> list[Block]:
    if not comments:
        return []
    blocks = [_section("*Anonymous comments* — reply, and the bot relays it without telling you who wrote")]
    for comment in comments[:MAX_COMMENT_BLOCKS]:
        block = _section(_quote(comment.text))
        block["accessory"] = _button(REPLY_ACTION, "Reply", str(comment.id))
        blocks.append(block)
    if len(comments) > MAX_COMMENT_BLOCKS:
        blocks.append(_context(f"…and {len(comments) - MAX_COMMENT_BLOCKS} more."))
    return blocks


def _quote(text: str) -> str:
    return truncate("> " + escape_mrkdwn(text).replace("\n", "\n> "), 2900)


def _button(action_id: str, text: str, value: str) -> Block:
    return {"type": "button", "action_id": action_id, "text": {"type": "plain_text", "text": text}, "value": value}


def message_modal(callback_id: str, subject_id: int, title: str, intro: str) -> dict[str, Any]:
    """A one-field modal for a relayed message; `subject_id` is the comment (reply) or the reply (answer)."""
    return {
        "type": "modal",
        "callback_id": callback_id,
        "private_metadata": str(subject_id),
        "title": {"type": "plain_text", "text": title},
        "submit": {"type": "plain_text", "text": "Send"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            _context(intro),
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


def reply_to_author(relayed: Relayed, manager_name: str) -> dict[str, Any]:
    """The DM to a comment's author: their manager's reply. The manager does not know who receives it."""
    text = f"{escape_mrkdwn(manager_name)} replied to your anonymous pulse comment. They don't know it's you."
    return {
        "text": text,
        "blocks": [
            _section(text),
            _section(f"Your comment:\n{_quote(relayed.comment)}"),
            _section(f"Their reply:\n{_quote(relayed.text)}"),
            {
                "type": "actions",
                "elements": [_button(ANSWER_REPLY_ACTION, "Answer anonymously", str(relayed.reply_id))],
            },
        ],
    }


def answer_to_manager(relayed: Relayed) -> dict[str, Any]:
    """The DM back to the manager: the author's answer, anonymous."""
    text = "The author of an anonymous pulse comment answered your reply."
    return {
        "text": text,
        "blocks": [
            _section(text),
            _section(f"The comment:\n{_quote(relayed.comment)}"),
            _section(f"Their answer:\n{_quote(relayed.text)}"),
            {"type": "actions", "elements": [_button(REPLY_ACTION, "Reply", str(relayed.comment_id))]},
        ],
    }


def _hidden_reason(results: TeamResults) -> str:
    if results.needed:
        return (
            f":lock: Not shown: results appear only when at least {results.threshold} people answered, "
            f"to keep everyone anonymous. {results.needed} more answer(s) needed."
        )
    return (
        f":lock: Not shown: next to a team inside it, these figures would expose a group of fewer than "
        f"{results.threshold} people."
    )


def _question_text(result: QuestionResult) -> str:
    if result.enps is not None:
        score = f"eNPS *{result.enps:+d}* (average {result.average:.1f} of {result.scale_max})"
    else:
        score = f"Average *{result.average:.1f}* of {result.scale_max}"
    parts = [score, f"{result.respondents} answers"]
    if result.gap is not None and result.target is not None:
        parts.append(f"target {result.target:g}, gap {result.gap:+.1f}")
    if result.change is not None:
        parts.append(
            f"{'▲' if result.change > 0 else '▼' if result.change < 0 else '='} {result.change:+.1f} since last time"
        )
    spread = "  ".join(f"{value}: {count}" for value, count in result.distribution)
    return f"*{escape_mrkdwn(result.text)}*\n{' · '.join(parts)}\n`{spread}`"


def _sub_team_line(team: SubTeam) -> str:
    if not team.shown:
        return f"• {escape_mrkdwn(team.label)}: not shown (too few answers to stay anonymous)"
    scores = ", ".join(f"{key} {score:.1f}" for key, score in team.scores) or "no question had enough answers"
    return f"• {escape_mrkdwn(team.label)}: {scores}"


def _section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": truncate(text, 3000)}}


def _context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}
