"""A channel Slack will not post in (the recognition channel, a team's suggestions channel): HR and admins hear
it once a week while it lasts, with what to do; nobody is told a shout-out was posted when it was not, and the
people recognised still get their DMs."""

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.fakeslack import Call
from handlers.blocks import nominations as blocks
from handlers.jobs.drain_outbox import drain_outbox
from handlers.message_updates import update_each
from models import Workspace
from tests.conftest import RECOGNITION_CHANNEL, RunningBot, StartBot
from tests.e2e.test_people_leaving import WITHOUT_MAYA, reimport
from tests.rewards_helpers import set_up
from tests.suggestions_helpers import EXTRA_AGENTS, load_suggestion_org

LEE = "<@U0AGENT2|lee.senior>"
HR_AND_ADMINS = ("U0HR", "U0ADMIN")


@pytest.fixture
def ready(bot: RunningBot) -> RunningBot:
    set_up(bot.sessions, bot.clock.now())
    return bot


def notices_to(bot: RunningBot, person: str) -> list[Call]:
    return [call for call in bot.slack.messages_to(person) if "refused to post a shout-out" in call.text]


def refused_shoutouts(bot: RunningBot) -> list[Call]:
    return bot.slack.calls("chat.postMessage:failed", channel=RECOGNITION_CHANNEL)


def test_a_private_recognition_channel_without_the_app_is_reported_to_hr_and_admins_once(ready: RunningBot) -> None:
    ready.slack.add_channel(RECOGNITION_CHANNEL, "kudos", private=True, bot_is_member=False)

    first = ready.driver.command("U0AGENT1", "/nominate", f"{LEE} calmed an angry customer")
    second = ready.driver.command("U0MGR1", "/nominate", f"{LEE} took the escalations all week")

    assert len(refused_shoutouts(ready)) == 2
    for person in HR_AND_ADMINS:
        [notice] = notices_to(ready, person)
        assert f"<#{RECOGNITION_CHANNEL}>" in notice.text and "`channel_not_found`" in notice.text
        assert "/invite @Latitude" in notice.text and "make the channel public" in notice.text
        assert "`[rewards] channel`" in notice.text
    for reply in (first, second):
        assert "You recognised Lee Senior" in reply.text and "posted" not in reply.text
    assert len(ready.slack.messages_to("U0AGENT2")) == 2, "the person recognised hears of it all the same"


def test_an_approved_reward_whose_post_slack_refuses_tells_hr_and_not_the_nominator_that_it_was_posted(
    ready: RunningBot,
) -> None:
    ready.driver.command("U0AGENT1", "/nominate", f"{LEE} voucher_25 talked a customer out of cancelling")
    [request] = [call for call in ready.slack.messages_to("U0MGR1") if call.method == "chat.postMessage"]
    ready.slack.fail("chat.postMessage", error="not_in_channel")  # the shout-out is the approval's first post

    ready.driver.click("U0MGR1", request, blocks.APPROVE)

    [refused] = refused_shoutouts(ready)
    assert "Shout-out for Lee Senior" in refused.text
    for person in HR_AND_ADMINS:
        [notice] = notices_to(ready, person)
        assert "`not_in_channel`" in notice.text and "Latitude is not a member of the channel" in notice.text
    told = [call.text for person in ("U0AGENT1", "U0AGENT2") for call in ready.slack.messages_to(person)]
    assert told and not any("posted" in text or RECOGNITION_CHANNEL in text for text in told)

    ready.slack.fail("chat.postMessage", error="not_in_channel")
    ready.driver.command("U0AGENT3", "/nominate", f"{LEE} covered my shift")

    assert len(refused_shoutouts(ready)) == 2
    assert [len(notices_to(ready, person)) for person in HR_AND_ADMINS] == [1, 1], "a repeated refusal, no new DM"


def test_a_refusal_met_by_the_background_sender_is_reported_in_the_same_drain(ready: RunningBot) -> None:
    ready.slack.fail("chat.postMessage", status=429, retry_after=30, times=3)  # the shout-out waits for the sender
    ready.driver.command("U0AGENT1", "/nominate", f"{LEE} calmed an angry customer")
    ready.slack.add_channel(RECOGNITION_CHANNEL, "kudos", archived=True)
    ready.clock.advance(timedelta(minutes=1))

    drain_outbox(ready.runtime.deps, ready.runtime.sender_client)

    assert [call.response.get("error") for call in refused_shoutouts(ready)].count("is_archived") == 1
    for person in HR_AND_ADMINS:
        [notice] = notices_to(ready, person)
        assert "`is_archived`" in notice.text


def test_a_refusal_that_lasts_is_told_again_the_next_week_not_before(ready: RunningBot) -> None:
    ready.slack.add_channel(RECOGNITION_CHANNEL, "kudos", archived=True)
    ready.driver.command("U0AGENT1", "/nominate", f"{LEE} calmed an angry customer")
    ready.clock.advance(timedelta(days=3))
    ready.driver.command("U0AGENT3", "/nominate", f"{LEE} covered my shift")
    same_week = [len(notices_to(ready, person)) for person in HR_AND_ADMINS]

    ready.clock.advance(timedelta(days=7))
    ready.driver.command("U0MGR1", "/nominate", f"{LEE} took the escalations all week")

    assert same_week == [1, 1]
    assert [len(notices_to(ready, person)) for person in HR_AND_ADMINS] == [2, 2]


def test_a_teams_suggestions_channel_slack_refuses_is_reported_with_its_own_setting(bot: RunningBot) -> None:
    load_suggestion_org(bot.sessions, bot.clock.now())
    bot.slack.add_channel("C0EAST", "east-ideas", private=True, bot_is_member=False)

    reply = bot.driver.command("U0AGENT1", "/suggest", "the returns desk needs a second card reader")

    assert "Sent your suggestion" in reply.text
    assert len(bot.slack.calls("chat.postMessage", channel="U0MGR1")) >= 1, "the owner still gets it"
    notices = [c for c in bot.slack.messages_to("U0HR") if "refused to post a suggestion" in c.text]
    [notice] = notices
    assert "<#C0EAST>" in notice.text and "`channel_not_found`" in notice.text
    assert "`[suggestions.channels]`" in notice.text and "to back them" in notice.text


@pytest.fixture
def named_channel_bot(start_bot: StartBot) -> Iterator[RunningBot]:
    """RECOGNITION_CHANNEL given by name, as `.env.example` allows."""
    yield from start_bot(recognition_channel="kudos")


def test_a_recognition_channel_given_by_name_that_slack_refuses_is_reported_by_its_name(
    named_channel_bot: RunningBot,
) -> None:
    bot = named_channel_bot
    set_up(bot.sessions, bot.clock.now())
    bot.slack.fail("chat.postMessage", error="is_archived")

    bot.driver.command("U0AGENT1", "/nominate", f"{LEE} calmed an angry customer")

    [notice] = notices_to(bot, "U0HR")
    assert "in #kudos (`is_archived`" in notice.text and "<#kudos>" not in notice.text


def suggestion_posted_in_east(bot: RunningBot) -> tuple[Call, Call]:
    """A suggestion sent to its owner (the card) and posted in its team's channel (the post)."""
    load_suggestion_org(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT1", "/suggest", "the returns desk needs a second card reader")
    [card] = bot.slack.calls("chat.postMessage", channel="U0MGR1")
    [post] = bot.slack.calls("chat.postMessage", channel="C0EAST")
    return card, post


def refused_updates(bot: RunningBot) -> list[str]:
    return [str(call.response.get("error")) for call in bot.slack.calls("chat.update:failed", channel="C0EAST")]


def nobody_told_something_went_wrong(bot: RunningBot, caplog: pytest.LogCaptureFixture) -> None:
    assert not any("went wrong" in call.text for call in bot.slack.calls("response_url"))
    assert not [record for record in caplog.records if record.exc_info], "no traceback for what Slack refused"


def test_a_status_change_after_the_teams_channel_was_archived_is_saved_and_told_without_an_error(
    bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    card, _post = suggestion_posted_in_east(bot)
    bot.slack.archive_channel("C0EAST")

    bot.driver.click("U0MGR1", card, "suggestion_planned")

    assert refused_updates(bot) == ["is_inactive"], "Slack keeps an archived channel's messages as they were"
    assert "plans to do" in bot.slack.calls("chat.postMessage", channel="U0AGENT1")[-1].text
    assert "Status: *Planned*" in bot.slack.calls("chat.update", channel="D0MGR1")[-1].text
    nobody_told_something_went_wrong(bot, caplog)


def test_me_too_in_a_private_channel_the_app_was_removed_from_counts_and_updates_the_owners_card(
    bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    bot.slack.add_channel("C0EAST", "east-ideas", private=True)
    card, post = suggestion_posted_in_east(bot)
    bot.slack.remove_bot_from("C0EAST")

    bot.driver.click("U0AGENT2", post, "suggestion_back")

    assert refused_updates(bot) == ["channel_not_found"]
    [backed] = bot.slack.calls("response_url")
    assert "You back suggestion #" in backed.text and "1 colleague so far" in backed.text
    assert "1 colleague backed it" in bot.slack.calls("chat.update", channel="D0MGR1", ts=card.response["ts"])[-1].text
    nobody_told_something_went_wrong(bot, caplog)


def test_a_handover_after_the_teams_channel_was_archived_still_reaches_the_new_owner_and_the_author(
    bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    card, _post = suggestion_posted_in_east(bot)
    bot.slack.archive_channel("C0EAST")
    reimport(bot.sessions, bot.clock.now(), WITHOUT_MAYA + "\n" + EXTRA_AGENTS.replace(",U0MGR1,", ",U0ADMIN,"))

    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)

    assert refused_updates(bot) == ["is_inactive"]
    assert "now goes to Ada Admin" in bot.slack.message(card.response["channel"], card.response["ts"])["text"]
    to_admin = bot.slack.calls("chat.postMessage", channel="U0ADMIN")
    assert [call.text for call in to_admin if "now comes to you" in call.text] != [], "the new owner's card"
    assert len(to_admin) == 2 and len(update_notices_to(bot, "U0ADMIN")) == 1, "and, as an admin, HR's notice"
    assert any("now goes to Ada Admin" in call.text for call in bot.slack.messages_to("U0AGENT1"))
    assert any("refused it for good" in record.getMessage() for record in caplog.records)
    nobody_told_something_went_wrong(bot, caplog)


def update_notices_to(bot: RunningBot, person: str) -> list[Call]:
    return [call for call in bot.slack.messages_to(person) if "refused to update a suggestion's post" in call.text]


def test_a_teams_post_slack_will_not_update_in_an_archived_channel_is_reported_to_hr_once_a_week(
    bot: RunningBot,
) -> None:
    card, _post = suggestion_posted_in_east(bot)
    bot.slack.archive_channel("C0EAST")

    bot.driver.click("U0MGR1", card, "suggestion_planned")
    bot.driver.click("U0MGR1", bot.slack.calls("chat.update", channel="D0MGR1")[-1], "suggestion_under_review")

    assert refused_updates(bot) == ["is_inactive", "is_inactive"]
    for person in HR_AND_ADMINS:
        [notice] = update_notices_to(bot, person)
        assert "<#C0EAST>" in notice.text and "`is_inactive`" in notice.text and "archived" in notice.text
        assert "`[suggestions.channels]`" in notice.text


def test_a_teams_post_updated_late_in_a_channel_the_app_left_is_reported_to_hr(bot: RunningBot) -> None:
    _card, _post = suggestion_posted_in_east(bot)
    bot.slack.add_channel("C0EAST", "east-ideas", private=True, bot_is_member=False)
    reimport(bot.sessions, bot.clock.now(), WITHOUT_MAYA + "\n" + EXTRA_AGENTS.replace(",U0MGR1,", ",U0ADMIN,"))

    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)
    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)

    assert refused_updates(bot) == ["channel_not_found"]
    for person in HR_AND_ADMINS:
        [notice] = update_notices_to(bot, person)
        assert "<#C0EAST>" in notice.text and "`channel_not_found`" in notice.text


def test_another_message_of_latitudes_slack_will_not_update_in_a_channel_is_not_called_a_suggestions_post(
    ready: RunningBot,
) -> None:
    """Only a suggestion's post is said to be one, with its setting; any other message is named as what it is."""
    ready.driver.command("U0AGENT1", "/nominate", f"{LEE} calmed an angry customer")
    [shoutout] = ready.slack.calls("chat.postMessage", channel=RECOGNITION_CHANNEL)
    at = (RECOGNITION_CHANNEL, str(shoutout.response["ts"]))
    ready.slack.archive_channel(RECOGNITION_CHANNEL)
    deps, client = ready.runtime.deps, ready.runtime.app.client
    with ready.sessions() as session:
        workspace_id = session.scalars(select(Workspace.id)).one()

    update_each(deps, client, workspace_id, [at], text="Updated")

    for person in HR_AND_ADMINS:
        [notice] = [call for call in ready.slack.messages_to(person) if "refused to update" in call.text]
        assert "refused to update a message of Latitude's in" in notice.text and "`is_inactive`" in notice.text
        assert "suggestion" not in notice.text and "[suggestions.channels]" not in notice.text


def test_another_message_updated_late_in_a_closed_channel_is_not_called_a_suggestions_post(ready: RunningBot) -> None:
    ready.driver.command("U0AGENT1", "/nominate", f"{LEE} calmed an angry customer")
    [shoutout] = ready.slack.calls("chat.postMessage", channel=RECOGNITION_CHANNEL)
    at = (RECOGNITION_CHANNEL, str(shoutout.response["ts"]))
    ready.slack.fail("chat.update", status=503, times=3)  # the first try and the client's two retries
    with ready.sessions() as session:
        workspace_id = session.scalars(select(Workspace.id)).one()
    update_each(ready.runtime.deps, ready.runtime.app.client, workspace_id, [at], text="Updated")
    ready.slack.archive_channel(RECOGNITION_CHANNEL)

    drain_outbox(ready.runtime.deps, ready.runtime.sender_client)
    drain_outbox(ready.runtime.deps, ready.runtime.sender_client)

    for person in HR_AND_ADMINS:
        [notice] = [call for call in ready.slack.messages_to(person) if "refused to update" in call.text]
        assert "refused to update a message of Latitude's in" in notice.text and "suggestion" not in notice.text


def test_a_notice_due_while_the_messages_tab_was_off_is_sent_at_the_next_refusal_once_it_is_on(
    ready: RunningBot,
) -> None:
    ready.slack.add_channel(RECOGNITION_CHANNEL, "kudos", private=True, bot_is_member=False)
    ready.slack.state.app_home.messages_tab = False
    ready.driver.command("U0AGENT1", "/nominate", f"{LEE} calmed an angry customer")  # its DMs flag the workspace
    assert [notices_to(ready, person) for person in HR_AND_ADMINS] == [[], []]

    ready.slack.state.app_home.messages_tab = True
    ready.driver.open_messages_tab("U0AGENT2")
    ready.clock.advance(timedelta(hours=1))
    ready.driver.command("U0MGR1", "/nominate", f"{LEE} took the escalations all week")

    assert len(refused_shoutouts(ready)) == 2
    assert [len(notices_to(ready, person)) for person in HR_AND_ADMINS] == [1, 1], "told that week all the same"


def test_a_notice_slack_refused_as_the_messages_tab_was_turned_off_is_sent_at_the_next_refusal_once_it_is_on(
    ready: RunningBot,
) -> None:
    ready.slack.add_channel(RECOGNITION_CHANNEL, "kudos", private=True, bot_is_member=False)
    for person in HR_AND_ADMINS:  # the tab turned off just as the notices went
        ready.slack.fail("chat.postMessage", error="messages_tab_disabled", channel=person)
    ready.driver.command("U0AGENT1", "/nominate", f"{LEE} calmed an angry customer")
    assert [notices_to(ready, person) for person in HR_AND_ADMINS] == [[], []]

    ready.driver.open_messages_tab("U0AGENT2")
    ready.driver.command("U0MGR1", "/nominate", f"{LEE} took the escalations all week")
    drain_outbox(ready.runtime.deps, ready.runtime.sender_client)

    assert [len(notices_to(ready, person)) for person in HR_AND_ADMINS] == [1, 1], "told that week all the same"
