"""Pulse poll messages: the questions DM, the comment modal, App Home; their parsers and ids."""

from dataclasses import dataclass
from typing import Any

from handlers.blocks.kit import Block, context_block, escaped, local_time, text_block
from models import PulseQuestion, PulseRound
from services.calendar import moment_words
from services.pulse.answers import MyRound, Waiting
from services.pulse.schedule import LATE_REASON
from services.text import plural

ANSWER_PREFIX = "pulse_answer"  # action_id pulse_answer:<question id>:<value>
CHANGE_PREFIX = "pulse_change"  # action_id pulse_change:<question id>
COMMENT_ACTION = "pulse_comment"
COMMENT_CALLBACK = "pulse_comment"
COMMENT_BLOCK = "pulse_comment_text"
COMMENT_INPUT = "comment"
QUESTION_TEXT = 600
"""The most of a question's text shown, once escaped: ten questions of the policy's 300 characters, written with `&`
all along, would be five times as long and pass the text a message may hold (kit.MESSAGE_TEXT); each is cut instead."""
SCALE_WORDS = {
    (1, 5): "1 = strongly disagree · 5 = strongly agree",
    (0, 10): "0 = not at all likely · 10 = extremely likely",
}


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
    return local_time(pulse_round.closes_at, "{date_short_pretty} at {time}", "%a %d %b %H:%M")


def questions_message(
    mine: MyRound, *, tz: str | None, reminder: bool = False, editing: int | None = None
) -> dict[str, Any]:
    """The DM: each question as buttons (or as answered), then the optional anonymous comment. `tz`: the reader's
    zone, in which the notification's text says when the round closes."""
    pulse_round = mine.round
    title = f"Team pulse — round {pulse_round.number}"
    asked = f"{'Reminder: ' if reminder else ''}{len(pulse_round.questions)} quick questions, one click each."
    intro = f"{asked} Open until {_when(pulse_round)}."
    blocks: list[Block] = [
        {"type": "header", "text": {"type": "plain_text", "text": title}},
        {"type": "section", "text": {"type": "mrkdwn", "text": intro}},
        context_block(
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
    # A phone's notification shows a date token's fallback (UTC): its text says the time in the reader's own words.
    closes = moment_words(pulse_round.closes_at, tz, deadline=True)
    return {"text": f"{title}: {_progress(mine, asked)} Open until {closes}.", "blocks": blocks}


def _progress(mine: MyRound, asked: str) -> str:
    """What the DM's text says once answers come in: updated, the message is still read aloud by its text, and
    "3 quick questions" would go on asking someone who answered them all."""
    total = len(mine.round.questions)
    done = sum(1 for question in mine.round.questions if question.id in mine.answers)
    if done == 0:
        return asked
    if done == total:
        return f"All {total} answered, thank you; you can change an answer."
    return f"{done} of {total} answered, {total - done} to go."


def question_words(text: str) -> str:
    """A pulse question as mrkdwn, within QUESTION_TEXT."""
    return escaped(text, QUESTION_TEXT)


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
        button["accessibility_label"] = _answer_label(number, question, value, current)
        buttons.append(button)
    return [
        text_block(f"*{number}. {question_words(question.text)}*\n{scale}"),
        {"type": "actions", "block_id": f"pulse_q_{question.id}", "elements": buttons},
    ]


def _answer_label(number: int, question: PulseQuestion, value: int, current: int | None) -> str:
    """What a screen reader says for an answer button: every question repeats the same numbers, and the answer
    being changed is marked only by the button's colour, so the label names the question, what the ends of the
    scale mean and the current answer ("Answer 5 (strongly agree) to question 2, your answer now")."""
    ends = SCALE_WORDS.get((question.scale_min, question.scale_max), "")
    meaning = dict(end.split(" = ") for end in ends.split(" · ")) if ends else {}
    said = f" ({meaning[str(value)]})" if str(value) in meaning else ""
    return f"Answer {value}{said} to question {number}" + (", your answer now" if value == current else "")


def _answered_block(number: int, question: PulseQuestion, value: int) -> Block:
    return {
        "type": "section",
        "text": {
            "type": "mrkdwn",
            "text": f"*{number}. {question_words(question.text)}*\n:white_check_mark: Thanks — answered *{value}*",
        },
        "accessory": {
            "type": "button",
            "action_id": f"{CHANGE_PREFIX}:{question.id}",
            "text": {"type": "plain_text", "text": "Change"},
            "value": str(question.id),
            "accessibility_label": f"Change your answer to question {number}",
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


def late_round_notice(pulse_round: PulseRound, tz: str | None) -> dict[str, Any]:
    """To HR and admins: a scheduled round opened late, and why. `tz`: the reader's zone, in which the
    notification's text says when the round closes (a phone shows a date token's fallback, in UTC)."""
    day = pulse_round.opens_on
    said = (
        f":warning: *Pulse round {pulse_round.number} opened late.* It was due on {day:%A} {day.day} {day:%B} at "
        f"{pulse_round.local_time} (each person's own time), but {LATE_REASON}. Everyone is asked now and has the "
        f"full {pulse_round.open_hours} hours: it closes "
    )
    closes = moment_words(pulse_round.closes_at, tz, deadline=True)
    return {"text": f"{said}{closes}.", "blocks": [text_block(f"{said}{_when(pulse_round)}.")]}


def home_section(waiting: Waiting) -> list[Block]:
    """App Home: the open questions waiting for this person."""
    return [
        text_block(
            f":bar_chart: *Team pulse — round {waiting.round.number}:* "
            f"{plural(waiting.unanswered, 'question')} waiting for you, open until {_when(waiting.round)}. "
            "Type `/pulse` to get them in a DM."
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
            context_block(
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
