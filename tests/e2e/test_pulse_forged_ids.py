"""A pulse *Change* click forged with a question id tells nothing of the question it names: ids are counted up across an
install's workspaces, so telling a missing one from another workspace's (or from one of a closed round) would tell how
many there are. Each is answered alike, in words true of all and clear to someone whose round just closed."""

import dataclasses
import json

from sqlalchemy import Engine, func, select

from bot.fakeslack import Call, SlackDriver
from bot.fakeslack.payloads import block_elements
from handlers.blocks import pulse as blocks
from handlers.jobs.drain_outbox import drain_outbox
from models import PulseQuestion, PulseRound, Workspace
from services.pulse.answers import NO_ROUND_OPEN, QUESTION_CLOSED
from tests.conftest import RunningBot
from tests.e2e.test_decisions_forged_ids import stored
from tests.e2e.test_decisions_forged_ids_locks import impatient_bot  # noqa: F401
from tests.e2e.test_installs import oauth_bot  # noqa: F401
from tests.e2e.test_installs_grid_workspaces import NORTH_ORG, SOUTH_ORG, install_in_the_org
from tests.e2e.test_pulse_rounds import answer_ids, questions_dm


def answered_in_north(bot: RunningBot, north: SlackDriver) -> Call:
    """North's round 1 asks Ned, who answers its first question: his questions DM, now with its *Change* button."""
    assert "Pulse round 1 is open" in north.command("W0HR", "/pulse", "start").text
    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)
    north.click("W0NAGENT", questions_dm(bot, "W0NAGENT"), answer_ids(questions_dm(bot, "W0NAGENT"))[0][2])
    return [call for call in bot.slack.messages_to("W0NAGENT") if call.method == "chat.update"][-1]


def change_id(message: Call) -> str:
    """The action id of the message's one *Change* button (only one question is answered)."""
    [change] = [
        str(block["accessory"]["action_id"])
        for block in message.args["blocks"]
        if str((block.get("accessory") or {}).get("action_id")).startswith(f"{blocks.CHANGE_PREFIX}:")
    ]
    return change


def naming(message: Call, question_id: int, round_id: int = 0) -> Call:
    """The message with every question button's value made to name `question_id`, and its comment button's
    `round_id`, as an attacker signing a payload by hand sends it."""
    shown = json.loads(json.dumps(message.args["blocks"]))
    for button in [element for block in shown for element in block_elements(block)]:
        if button["action_id"].startswith(f"{blocks.CHANGE_PREFIX}:"):
            button["value"] = str(question_id)
        elif button["action_id"].startswith(f"{blocks.ANSWER_PREFIX}:"):
            button["value"] = f"{question_id}:{button['value'].split(':')[1]}"
        elif button["action_id"] == blocks.COMMENT_ACTION:
            button["value"] = str(round_id)
    return dataclasses.replace(message, args={**message.args, "blocks": shown})


def south_ids(bot: RunningBot) -> tuple[int, int, int]:
    """South's round, a question of it, and the next question id, which no question has yet."""
    with bot.sessions() as session:
        [(round_id, question_id)] = session.execute(
            select(PulseRound.id, func.min(PulseQuestion.id))
            .join(PulseQuestion, PulseQuestion.round_id == PulseRound.id)
            .join(Workspace, Workspace.id == PulseRound.workspace_id)
            .where(Workspace.slack_team_id == "T0SOUTH")
            .group_by(PulseRound.id)
        ).all()
        last = session.scalar(select(func.max(PulseQuestion.id)))
    assert last is not None
    return round_id, question_id, last + 1


def told(
    bot: RunningBot, north: SlackDriver, message: Call, *, forged: bool, action: str | None = None
) -> list[tuple[str, str]]:
    """Every call the app made to Slack for Ned's click on `action` (*Change*) in `message`, with the text each
    carried."""
    bot.slack.reset()
    north.click("W0NAGENT", message, action or change_id(message), forged=forged)
    return [(call.method, call.text) for call in bot.slack.calls()]


def test_change_naming_a_missing_question_another_workspaces_or_a_closed_rounds_is_answered_alike(
    oauth_bot: RunningBot,  # noqa: F811
    engine: Engine,
) -> None:
    """Ned's round in North has closed, and South's round is open: his own *Change*, one forged with a question of
    South's round, and one forged with an id no question has yet, are each told the same, and nothing changes."""
    bot = oauth_bot
    north = install_in_the_org(bot, "T0NORTH", NORTH_ORG)
    south = install_in_the_org(bot, "T0SOUTH", SOUTH_ORG)
    answered = answered_in_north(bot, north)
    assert "Pulse round 1 is closed" in north.command("W0HR", "/pulse", "close").text
    assert "Pulse round 1 is open" in south.command("W0HR", "/pulse", "start").text
    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)
    _south_round, south_question, missing_question = south_ids(bot)
    before = stored(engine)

    own_closed = told(bot, north, answered, forged=False)
    south_open = told(bot, north, naming(answered, south_question), forged=True)
    missing = told(bot, north, naming(answered, missing_question), forged=True)

    assert own_closed == south_open == missing == [("response_url", QUESTION_CLOSED)], (own_closed, south_open, missing)
    assert "its round has closed" in QUESTION_CLOSED, "clear to Ned, whose round did close"
    assert stored(engine) == before, "a refused click writes nothing"


def test_a_click_forged_with_another_workspaces_question_is_refused_at_once_while_its_round_is_locked(
    impatient_bot: RunningBot,  # noqa: F811
) -> None:
    """South's HR is closing South's round (which locks it) when Ned forges *Change* and an answer with one of its
    questions, and the comment button with its id: he is told as of any question or round not his, without waiting
    for South's close."""
    bot = impatient_bot
    north = install_in_the_org(bot, "T0NORTH", NORTH_ORG)
    south = install_in_the_org(bot, "T0SOUTH", SOUTH_ORG)
    answered = answered_in_north(bot, north)
    assert "Pulse round 1 is open" in south.command("W0HR", "/pulse", "start").text
    south_round, south_question, _missing = south_ids(bot)
    forged = naming(answered, south_question, south_round)

    with bot.runtime.engine.connect() as holder:
        holder.execute(
            select(PulseRound.id).join(Workspace).where(Workspace.slack_team_id == "T0SOUTH").with_for_update()
        )
        change = told(bot, north, forged, forged=True)
        answer = told(bot, north, forged, forged=True, action=answer_ids(answered)[0][2])
        comment = told(bot, north, forged, forged=True, action=blocks.COMMENT_ACTION)
        holder.rollback()

    assert change == answer == [("response_url", QUESTION_CLOSED)], (change, answer)
    assert comment == [("response_url", NO_ROUND_OPEN)], comment
