"""A pulse click forged with a question or round id tells nothing of what it names: ids are counted up across an
install's workspaces, so telling a missing one from another workspace's would tell how many questions and rounds other
workspaces have. The two are answered alike, in words true of both; *Change* on a question of one's own closed round
says that round has closed, as the message's answer buttons do."""

import dataclasses
import json

from sqlalchemy import Engine, func, select

from bot.fakeslack import Call, SlackDriver
from bot.fakeslack.payloads import block_elements
from handlers.blocks import pulse as blocks
from handlers.jobs.drain_outbox import drain_outbox
from models import PulseQuestion, PulseRound, Workspace
from services.pulse.taken_over import NOT_YOUR_QUESTION, NOT_YOUR_ROUND
from tests.conftest import RunningBot
from tests.e2e.test_decisions_forged_ids import stored
from tests.e2e.test_decisions_forged_ids_locks import impatient_bot  # noqa: F401
from tests.e2e.test_installs import oauth_bot  # noqa: F401
from tests.e2e.test_installs_grid_workspaces import NORTH_ORG, SOUTH_ORG, install_in_the_org
from tests.e2e.test_pulse_rounds import answer_ids, questions_dm

COMMENT = blocks.COMMENT_ACTION


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


def south_ids(bot: RunningBot) -> tuple[int, int, int, int]:
    """South's round, a question of it, and the next question id and round id, which none has yet."""
    with bot.sessions() as session:
        [(round_id, question_id)] = session.execute(
            select(PulseRound.id, func.min(PulseQuestion.id))
            .join(PulseQuestion, PulseQuestion.round_id == PulseRound.id)
            .join(Workspace, Workspace.id == PulseRound.workspace_id)
            .where(Workspace.slack_team_id == "T0SOUTH")
            .group_by(PulseRound.id)
        ).all()
        last_question = session.scalar(select(func.max(PulseQuestion.id)))
        last_round = session.scalar(select(func.max(PulseRound.id)))
    assert last_question is not None and last_round is not None
    return round_id, question_id, last_question + 1, last_round + 1


def told(
    bot: RunningBot, north: SlackDriver, message: Call, *, forged: bool, action: str | None = None
) -> list[tuple[str, str]]:
    """Every call the app made to Slack for Ned's click on `action` (*Change*) in `message`, with the text each
    carried."""
    bot.slack.reset()
    north.click("W0NAGENT", message, action or change_id(message), forged=forged)
    return [(call.method, call.text) for call in bot.slack.calls()]


def test_change_naming_a_missing_question_or_another_workspaces_is_answered_alike_and_his_own_closed_one_says_so(
    oauth_bot: RunningBot,  # noqa: F811
    engine: Engine,
) -> None:
    """Ned's round in North has closed, and South's round is open: *Change* forged with a question of South's round,
    and one forged with an id no question has yet, are told the same; his own *Change* is told his round has closed,
    word for word as an answer button in the same message. Nothing changes."""
    bot = oauth_bot
    north = install_in_the_org(bot, "T0NORTH", NORTH_ORG)
    south = install_in_the_org(bot, "T0SOUTH", SOUTH_ORG)
    answered = answered_in_north(bot, north)
    assert "Pulse round 1 is closed" in north.command("W0HR", "/pulse", "close").text
    assert "Pulse round 1 is open" in south.command("W0HR", "/pulse", "start").text
    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)
    _south_round, south_question, missing_question, _missing_round = south_ids(bot)
    before = stored(engine)

    own_change = told(bot, north, answered, forged=False)
    own_answer = told(bot, north, answered, forged=False, action=answer_ids(answered)[0][2])
    south_open = told(bot, north, naming(answered, south_question), forged=True)
    missing = told(bot, north, naming(answered, missing_question), forged=True)

    closed = "Pulse round 1 has closed, so its answers and comments can't change any more. Thanks!"
    assert own_change == own_answer == [("response_url", closed)], (own_change, own_answer)
    assert south_open == missing == [("response_url", NOT_YOUR_QUESTION)], (south_open, missing)
    assert stored(engine) == before, "a refused click writes nothing"


def test_comment_naming_a_missing_round_or_another_workspaces_is_answered_alike_while_his_own_is_open(
    oauth_bot: RunningBot,  # noqa: F811
    engine: Engine,
) -> None:
    """Ned's round in North is open, as is South's: the comment button forged with South's round id, and with an id no
    round has yet, is told the same, not that no poll is open (his is). Neither opens a form."""
    bot = oauth_bot
    north = install_in_the_org(bot, "T0NORTH", NORTH_ORG)
    south = install_in_the_org(bot, "T0SOUTH", SOUTH_ORG)
    answered = answered_in_north(bot, north)
    assert "Pulse round 1 is open" in south.command("W0HR", "/pulse", "start").text
    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)
    south_round, south_question, _missing_question, missing_round = south_ids(bot)
    before = stored(engine)

    south_open = told(bot, north, naming(answered, south_question, south_round), forged=True, action=COMMENT)
    missing = told(bot, north, naming(answered, south_question, missing_round), forged=True, action=COMMENT)

    assert south_open == missing == [("response_url", NOT_YOUR_ROUND)], (south_open, missing)
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
    south_round, south_question, _missing_question, _missing_round = south_ids(bot)
    forged = naming(answered, south_question, south_round)

    with bot.runtime.engine.connect() as holder:
        holder.execute(
            select(PulseRound.id).join(Workspace).where(Workspace.slack_team_id == "T0SOUTH").with_for_update()
        )
        change = told(bot, north, forged, forged=True)
        answer = told(bot, north, forged, forged=True, action=answer_ids(answered)[0][2])
        comment = told(bot, north, forged, forged=True, action=COMMENT)
        holder.rollback()

    assert change == answer == [("response_url", NOT_YOUR_QUESTION)], (change, answer)
    assert comment == [("response_url", NOT_YOUR_ROUND)], comment
