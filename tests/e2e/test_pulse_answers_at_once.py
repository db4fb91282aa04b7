"""Two quick clicks on one pulse question: the questions message ends showing the answer stored, whichever of the
two updates reaches Slack last. The test holds the first click's update at Slack's door while the second is made."""

from sqlalchemy import select

from models import PulseResponse
from tests.conftest import RunningBot
from tests.e2e.test_pulse_rounds import answer_ids, questions_dm, start


def test_an_answer_changed_at_once_ends_showing_the_later_one_that_is_stored(bot: RunningBot) -> None:
    start(bot)
    message = questions_dm(bot, "U0A01")
    buttons = answer_ids(message)[0]
    low = int(buttons[0].rsplit(":", 1)[1])
    first_update_at_the_door = bot.slack.pause("chat.update")

    bot.driver.post_payload(bot.driver.click_payload("U0A01", message, buttons[4 - low]), settle=False)
    first_update_at_the_door.wait_until_arrived()
    bot.driver.post_payload(bot.driver.click_payload("U0A01", message, buttons[2 - low]), settle=False)
    bot.slack.wait_for("chat.update")  # the second click's update is shown
    first_update_at_the_door.release()
    bot.driver.settle()

    with bot.sessions() as session:
        assert session.scalars(select(PulseResponse.value)).all() == [2]
    shown = str(bot.slack.message(str(message.response["channel"]), str(message.response["ts"])))
    assert "answered *2*" in shown, "the message shows an answer that is no longer the one stored"
    assert "answered *4*" not in shown
