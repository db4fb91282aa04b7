"""A suggestion's card or channel post already on its way to Slack when the suggestion's status changes: once it
lands, it shows the change, not the status it was sent with (and a "Me too" on a suggestion already closed). Each test
holds the message at Slack's door while the change is made."""

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from handlers.jobs.drain_outbox import drain_outbox
from tests.conftest import RunningBot
from tests.suggestions_helpers import load_suggestion_org


@pytest.fixture
def ready(bot: RunningBot) -> RunningBot:
    load_suggestion_org(bot.sessions, bot.clock.now())
    return bot


def test_the_channel_post_on_its_way_as_the_owner_answers_not_doing_lands_showing_it(ready: RunningBot) -> None:
    ready.slack.fail("chat.postMessage", status=500, channel="C0EAST")  # the post is left to the sender
    ready.driver.command("U0AGENT1", "/suggest", "a second card reader at returns")
    [card] = ready.slack.calls("chat.postMessage", channel="U0MGR1")
    ready.clock.advance(timedelta(minutes=10))
    post_at_the_door = ready.slack.pause("chat.postMessage", channel="C0EAST")

    with ThreadPoolExecutor(1) as sender:
        drained = sender.submit(drain_outbox, ready.runtime.deps, ready.runtime.sender_client)
        post_at_the_door.wait_until_arrived()
        ready.driver.click("U0MGR1", card, "suggestion_not_doing")
        [opened] = ready.slack.calls("views.open")
        ready.driver.submit("U0MGR1", opened.args["view"], {"note": "The new tills next month have two readers"})
        post_at_the_door.release()
        drained.result(timeout=10)

    [post] = ready.slack.calls("chat.postMessage", channel="C0EAST")
    assert "suggestion_back" in str(post.args["blocks"])
    shown = ready.slack.message(str(post.response["channel"]), str(post.response["ts"]))
    assert "suggestion_back" not in str(shown["blocks"]), "a live Me too on a suggestion already closed"
    assert "Not doing" in str(shown["blocks"])


def test_a_me_too_whose_update_lands_after_the_owner_marks_it_done_leaves_the_post_showing_done(
    ready: RunningBot,
) -> None:
    """Lee's *Me too* is saved just before Maya marks the idea done, but its update of the channel post reaches Slack
    after hers: the post must end showing it done (Lee among its backers), not open again with a live Me too."""
    ready.driver.command("U0AGENT1", "/suggest", "a second card reader at returns")
    [card] = ready.slack.calls("chat.postMessage", channel="U0MGR1")
    [post] = ready.slack.calls("chat.postMessage", channel="C0EAST")
    lees_update_at_the_door = ready.slack.pause("chat.update", channel="C0EAST")

    ready.driver.post_payload(ready.driver.click_payload("U0AGENT2", post, "suggestion_back"), settle=False)
    lees_update_at_the_door.wait_until_arrived()
    ready.driver.post_payload(ready.driver.click_payload("U0MGR1", card, "suggestion_done"), settle=False)
    [opened] = ready.slack.wait_for("views.open")
    note = {"note": "A second reader is on the returns desk"}
    ready.driver.post_payload(ready.driver.submit_payload("U0MGR1", opened.args["view"], note), settle=False)
    ready.slack.wait_for("chat.update", lambda call: call.channel == "C0EAST")  # Maya's, while Lee's waits
    lees_update_at_the_door.release()
    ready.driver.settle()

    shown = ready.slack.message(str(post.response["channel"]), str(post.response["ts"]))
    assert "suggestion_back" not in str(shown["blocks"]), "a live Me too on a suggestion already done"
    assert "Done" in str(shown["blocks"]) and "1 colleague" in str(shown["blocks"])


def test_planned_whose_updates_land_after_done_leave_the_card_and_the_post_showing_done(ready: RunningBot) -> None:
    """Maya marks the idea Planned in one tab and, before Slack takes that update of her card, Done in another: the
    card and the channel post must end showing it done, not Planned with its buttons live again."""
    ready.driver.command("U0AGENT1", "/suggest", "a second card reader at returns")
    [card] = ready.slack.calls("chat.postMessage", channel="U0MGR1")
    [post] = ready.slack.calls("chat.postMessage", channel="C0EAST")
    card_at = (str(card.response["channel"]), str(card.response["ts"]))
    planned_at_the_door = ready.slack.pause("chat.update", channel=card_at[0])

    ready.driver.post_payload(ready.driver.click_payload("U0MGR1", card, "suggestion_planned"), settle=False)
    planned_at_the_door.wait_until_arrived()
    ready.driver.post_payload(ready.driver.click_payload("U0MGR1", card, "suggestion_done"), settle=False)
    [opened] = ready.slack.wait_for("views.open")
    note = {"note": "A second reader is on the returns desk"}
    ready.driver.post_payload(ready.driver.submit_payload("U0MGR1", opened.args["view"], note), settle=False)
    ready.slack.wait_for("chat.update", lambda call: call.channel == "C0EAST")  # Done's, while Planned's waits
    planned_at_the_door.release()
    ready.driver.settle()

    for channel, ts in (card_at, (str(post.response["channel"]), str(post.response["ts"]))):
        shown = str(ready.slack.message(channel, ts)["blocks"])
        assert "Status: *Done*" in shown and "'actions'" not in shown, f"{channel} shows it as it was: {shown}"
