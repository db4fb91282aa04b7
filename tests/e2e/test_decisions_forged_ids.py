"""A click forged with an id tells a stranger nothing, not even whether a request or nomination of that id exists:
ids are counted up, so telling a missing one apart would tell roughly how many there are."""

import dataclasses
import json
from datetime import timedelta

import pytest
from sqlalchemy import Engine, func, select, text

from bot.fakeslack import Call
from handlers.blocks import nominations as nomination_blocks
from handlers.blocks import resolutions as resolution_blocks
from handlers.jobs.drain_outbox import drain_outbox
from handlers.jobs.forget_sent_messages import forget_sent_messages
from models import Base, Nomination, Resolution, SeenRequest
from services import request_viewers
from tests.conftest import FIXTURES, RunningBot
from tests.e2e.test_people_leaving import reimport
from tests.rewards_helpers import set_up

REQUEST = ("resolution", resolution_blocks.APPROVE, resolution_blocks.DECLINE)
NOMINATION = ("nomination", nomination_blocks.APPROVE, nomination_blocks.DECLINE)
ORG_CSV = (FIXTURES / "org.csv").read_text()
MAYA_ON_LEAVE = ORG_CSV.replace("Support East,frontline,U0MGR1", "Support East,frontline,U0MGR2")
"""Maya's team reports to Omar while she is on leave: what waits on her is handed to him."""


@pytest.fixture
def ready(bot: RunningBot) -> RunningBot:
    set_up(bot.sessions, bot.clock.now())
    return bot


def waiting_on_maya(bot: RunningBot, kind: str) -> tuple[int, Call]:
    """Sam's request, or his nomination of Lee, waiting on Maya: its id and her DM with its buttons."""
    if kind == "resolution":
        bot.driver.command("U0AGENT1", "/resolve", "refund 80 order 42 parcel lost in transit")
    else:
        bot.driver.command("U0AGENT1", "/nominate", "<@U0AGENT2|lee.senior> voucher_25 saved a key account")
    model = Resolution if kind == "resolution" else Nomination
    with bot.sessions() as session:
        item_id = session.scalar(select(func.max(model.id)))
    assert item_id is not None
    [dm] = [call for call in bot.slack.calls("chat.postMessage", channel="U0MGR1") if "_approve" in str(call.args)]
    return item_id, dm


def stored(engine: Engine) -> dict[str, list[str]]:
    """Every row of every table but the replay guard's, which keeps each signed request Slack sends whatever it does."""
    with engine.connect() as connection:
        return {
            table.name: sorted(str(tuple(row)) for row in connection.execute(text(f"SELECT * FROM {table.name}")))
            for table in Base.metadata.sorted_tables
            if table is not SeenRequest.__table__
        }


def carrying(message: Call, item_id: int) -> Call:
    """The message with every button's value changed to `item_id`, as an attacker signing a payload by hand sends it."""
    blocks = json.loads(json.dumps(message.args["blocks"]))
    for element in [e for block in blocks for e in block.get("elements") or [] if "value" in e]:
        element["value"] = str(item_id)
    return dataclasses.replace(message, args={**message.args, "blocks": blocks})


def what_slack_was_asked(bot: RunningBot, user: str, message: Call, actions: tuple[str, ...]) -> list[tuple[str, str]]:
    """Every call the app made to Slack after `user`'s forged clicks on `actions`, with all the text each carried."""
    bot.slack.reset()
    for action in actions:
        bot.driver.click(user, message, action, forged=True)
    return [(call.method, call.text) for call in bot.slack.calls()]


@pytest.mark.parametrize("kind, approve, decline", [REQUEST, NOMINATION])
def test_a_stranger_forging_a_missing_id_hears_just_what_one_not_theirs_says(
    ready: RunningBot, engine: Engine, kind: str, approve: str, decline: str
) -> None:
    """Ines, of another team, forges Approve and Decline with the id of Sam's item waiting on Maya, and with the next
    id, which nothing has yet: both answer alike, word for word, and nothing is written."""
    item_id, dm = waiting_on_maya(ready, kind)
    before = stored(engine)

    on_theirs = what_slack_was_asked(ready, "U0AGENT3", carrying(dm, item_id), (approve, decline))
    on_none = what_slack_was_asked(ready, "U0AGENT3", carrying(dm, item_id + 1), (approve, decline))

    assert on_none == on_theirs, (on_none, on_theirs)
    refusal = request_viewers.NOT_YOUR_REQUEST if kind == "resolution" else request_viewers.NOT_YOUR_NOMINATION
    assert on_theirs == [("response_url", f":warning: {refusal}")] * 2, on_theirs
    assert stored(engine) == before, "a refused click writes nothing"


@pytest.mark.parametrize("kind, approve, decline", [REQUEST, NOMINATION])
def test_a_stranger_no_longer_active_hears_the_same_of_a_missing_id_as_of_one_not_theirs(
    ready: RunningBot, engine: Engine, kind: str, approve: str, decline: str
) -> None:
    """Ines, deactivated in the directory, is told so whichever id she forges: that is no clue either."""
    item_id, dm = waiting_on_maya(ready, kind)
    reimport(ready.sessions, ready.clock.now(), ORG_CSV.replace("U0AGENT3,", "U0GONE,", 1))
    before = stored(engine)

    on_theirs = what_slack_was_asked(ready, "U0AGENT3", carrying(dm, item_id), (approve, decline))
    on_none = what_slack_was_asked(ready, "U0AGENT3", carrying(dm, item_id + 1), (approve, decline))

    assert on_none == on_theirs and len(on_theirs) == 2, (on_none, on_theirs)
    assert all("no longer active" in text for _method, text in on_theirs), on_theirs
    assert stored(engine) == before


def test_a_manager_who_handed_a_request_on_is_told_truly_once_its_messages_are_forgotten(ready: RunningBot) -> None:
    """Maya went on leave, and Sam's request went to Omar, who approved it. While the outbox keeps that it was sent to
    her, her old copy's buttons say it was decided; five weeks on, it says what anyone's says, which is still true."""
    deps, client = ready.runtime.deps, ready.runtime.app.client
    resolution_id, dm = waiting_on_maya(ready, "resolution")
    reimport(ready.sessions, ready.clock.now(), MAYA_ON_LEAVE)
    drain_outbox(deps, client)
    [handed] = [
        call for call in ready.slack.calls("chat.postMessage", channel="U0MGR2") if "_approve" in str(call.args)
    ]
    ready.driver.click("U0MGR2", handed, resolution_blocks.APPROVE)

    soon = what_slack_was_asked(ready, "U0MGR1", dm, (resolution_blocks.APPROVE,))
    ready.clock.advance(timedelta(days=36))
    forget_sent_messages(deps, client)
    later = what_slack_was_asked(ready, "U0MGR1", dm, (resolution_blocks.APPROVE,))

    assert soon == [("response_url", ":warning: This request was already decided. Nothing changed.")], soon
    assert later == [("response_url", f":warning: {request_viewers.NOT_YOUR_REQUEST}")], later
    with ready.sessions() as session:
        assert session.get_one(Resolution, resolution_id).status == "approved"
