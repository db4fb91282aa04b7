"""The App Home as each person sees it: only their own team's news, their name from the first open, and an answer
in the Home when a click there fails."""

import logging
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select, text

from handlers.blocks import nominations as nominate_form
from handlers.jobs.drain_outbox import drain_outbox
from models import Delivery
from models.schema import migrate
from tests.conftest import RunningBot
from tests.e2e.test_pulse_rounds import answer, start, tick
from tests.e2e.test_resolutions_approvals import request_over_the_limit
from tests.helpers import load_org_and_policy
from tests.suggestions_helpers import load_suggestion_org


def test_a_newcomers_first_home_greets_them_by_name(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0NEW", "Nora Newcomer", tz="Asia/Tokyo")

    bot.driver.open_home("U0NEW")

    [first] = bot.slack.calls("views.publish", user_id="U0NEW")
    assert "Hi Nora" in first.text, first.text.splitlines()[0]


def test_a_shout_out_reason_on_several_lines_cannot_forge_another_shout_out_in_everyones_home(
    bot: RunningBot,
) -> None:
    """The latest shout-outs show each reason on its own line: a second line of a reason would read as a shout-out
    of its own (here one from Ada Admin) in every colleague's Home."""
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT1", "/nominate")
    view = bot.slack.calls("views.open")[-1].args["view"]
    reason = "covered my shift\n:tada: Ada Admin → *Sam Agent*: promoted to team lead from Monday"
    bot.driver.submit("U0AGENT1", view, {nominate_form.PEOPLE: ["U0AGENT2"], nominate_form.REASON: reason})

    bot.driver.open_home("U0AGENT3")

    [home] = bot.slack.calls("views.publish", user_id="U0AGENT3")
    feed = [
        element["text"]
        for block in home.args["view"]["blocks"]
        if block["type"] == "context"
        for element in block["elements"]
    ]
    [shout_out] = [text for text in feed if "covered my shift" in text]
    assert shout_out.endswith(": covered my shift :tada: Ada Admin → *Sam Agent*: promoted to team lead from Monday")
    assert "\n" not in shout_out


def test_a_decline_from_the_home_whose_form_could_not_open_says_so_in_a_dm(bot: RunningBot) -> None:
    """A click in the Home has no response URL: what went wrong after its ack comes as a DM from the app."""
    load_org_and_policy(bot.sessions, bot.clock.now())
    request_over_the_limit(bot)
    bot.driver.open_home("U0MGR1")
    [home] = bot.slack.calls("views.publish", user_id="U0MGR1")
    bot.slack.fail("views.open", error="expired_trigger_id")

    bot.driver.click_in_view("U0MGR1", home.args["view"], "resolution_decline")

    [told] = [c for c in bot.slack.calls("chat.postMessage", channel="U0MGR1") if "try again" in c.text]
    assert "took longer than Slack allows for opening a form" in told.text


def test_a_teams_you_said_we_did_stays_out_of_other_teams_homes(bot: RunningBot) -> None:
    """ "You said, we did" goes to the team's channel or its people; the author's thanks must not carry the team's
    suggestion to every Home in the workspace, as a shout-out posted for everyone would."""
    load_suggestion_org(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT1", "/suggest", "the returns desk needs a second card reader")
    card = bot.slack.calls("chat.postMessage", channel="U0MGR1")[-1]
    bot.driver.click("U0MGR1", card, "suggestion_done")
    bot.driver.submit("U0MGR1", bot.slack.calls("views.open")[-1].args["view"], {"note": "Bought one for the desk"})

    bot.driver.open_home("U0MGR2")  # Omar, Support West
    bot.driver.open_home("U0AGENT3")  # Ines, Support West
    bot.driver.open_home("U0AGENT1")  # Sam, the author

    for user in ("U0MGR2", "U0AGENT3"):
        [home] = bot.slack.calls("views.publish", user_id=user)
        assert "card reader" not in home.text and "Bought one" not in home.text, home.text
    [own] = bot.slack.calls("views.publish", user_id="U0AGENT1")
    assert "Recognition" in own.text or "shout-out" in own.text.lower()


def test_upgrading_takes_the_suggestion_thanks_already_given_out_of_every_home(bot: RunningBot) -> None:
    """Migration 0019: the thanks given before it were public; they become private, other shout-outs stay as given."""
    load_suggestion_org(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT1", "/suggest", "the returns desk needs a second card reader")
    card = bot.slack.calls("chat.postMessage", channel="U0MGR1")[-1]
    bot.driver.click("U0MGR1", card, "suggestion_done")
    bot.driver.submit("U0MGR1", bot.slack.calls("views.open")[-1].args["view"], {"note": "Bought one for the desk"})
    bot.driver.command("U0MGR2", "/nominate", "<@U0AGENT3> shoutout for calming an angry caller")
    engine = bot.runtime.engine
    with engine.begin() as connection:
        connection.execute(text("UPDATE nominations SET public = true"))  # as the thanks were given before
    migrate(engine, "downgrade", "0018")

    migrate(engine, "upgrade", "head")

    with engine.connect() as connection:
        rows = connection.execute(text("SELECT reason, public FROM nominations ORDER BY id")).all()
    assert [(reason.split(":")[0], bool(public)) for reason, public in rows] == [
        ("You said, we did", False),
        ("for calming an angry caller", True),
    ]


def test_a_home_slack_rate_limits_when_opened_is_published_once_slack_allows_without_an_error_logged(
    bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    """Many open their Home at once when a shift starts: Slack's rate limit on views.publish delays a Home, and the
    outbox publishes it after Slack's Retry-After, over the Home the person had then, rather than leave it unshown."""
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.driver.open_home("U0AGENT1")
    first = bot.slack.state.home_view("U0AGENT1")
    bot.driver.command("U0AGENT1", "/resolve", "refund 20 order 7 parcel late")  # the Home has changed
    bot.slack.fail("views.publish", status=429, retry_after=30)

    with caplog.at_level(logging.WARNING):
        bot.driver.open_home("U0AGENT1")
        drain_outbox(bot.runtime.deps, bot.runtime.sender_client)

    assert bot.slack.state.home_view("U0AGENT1") == first, "Slack asked for 30 s"
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]
    bot.clock.advance(timedelta(seconds=31))
    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)
    assert bot.slack.state.home_view("U0AGENT1") != first
    [published] = bot.slack.calls("views.publish", user_id="U0AGENT1")[-1:]
    assert published.args.get("hash") == (first or {}).get("hash")


def test_a_home_slack_rate_limits_when_opened_shows_the_fixes_logged_before_it_is_published(bot: RunningBot) -> None:
    """Sam opens his Home while Slack rate-limits views.publish, then logs two $25 credits: the Home the outbox
    publishes once Slack allows shows what `/resolve` told him is left, not what was left when he opened it."""
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.driver.open_home("U0AGENT1")
    bot.driver.command("U0AGENT1", "/resolve", "refund 20 order 7 parcel late")  # the Home has changed
    bot.slack.fail("views.publish", status=429, retry_after=30)
    bot.driver.open_home("U0AGENT1")
    bot.driver.command("U0AGENT1", "/resolve", "credit 25 order 8 long wait")
    told = bot.driver.command("U0AGENT1", "/resolve", "credit 25 order 9 long wait")
    assert "$50 left today" in told.text

    bot.clock.advance(timedelta(seconds=31))
    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)

    shown = str(bot.slack.state.home_view("U0AGENT1"))
    assert "*credit*: $50 left today" in shown and "$100 left today" not in shown


def test_a_home_delayed_by_a_rate_limit_never_replaces_one_published_meanwhile(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.driver.open_home("U0AGENT1")
    bot.driver.command("U0AGENT1", "/resolve", "refund 20 order 7 parcel late")
    bot.slack.fail("views.publish", status=429, retry_after=30)
    bot.driver.open_home("U0AGENT1")
    bot.driver.open_home("U0AGENT1")  # Slack allows it again: published at once
    newer = bot.slack.state.home_view("U0AGENT1")

    bot.clock.advance(timedelta(seconds=31))
    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)

    assert bot.slack.state.home_view("U0AGENT1") == newer
    with bot.sessions() as session:
        assert session.scalars(select(Delivery.status).where(Delivery.method == "views.publish")).all() == ["sent"]


def test_a_first_home_slack_rate_limits_is_not_queued_blind_over_one_published_meanwhile(bot: RunningBot) -> None:
    """With no Home yet there is no hash to publish over: queued, the older Home would replace the newer one."""
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.slack.fail("views.publish", status=429, retry_after=30)
    bot.driver.open_home("U0AGENT1")
    bot.driver.command("U0AGENT1", "/resolve", "refund 20 order 7 parcel late")
    bot.driver.open_home("U0AGENT1")  # Slack allows it again: published at once
    newer = bot.slack.state.home_view("U0AGENT1")

    bot.clock.advance(timedelta(seconds=31))
    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)

    assert "$130 left today" in str(newer)
    assert bot.slack.state.home_view("U0AGENT1") == newer
    assert len(bot.slack.calls("views.publish", user_id="U0AGENT1")) == 1


def test_a_home_queued_during_a_pulse_round_is_gone_from_the_database_once_the_round_is_sealed(bot: RunningBot) -> None:
    """A queued Home says how many questions wait for its person: kept past the seal, it would tell a reader of the
    database who had not answered when, which the seal deletes everywhere else."""
    start(bot)
    bot.driver.open_home("U0A08")
    answer(bot, "U0A08", 0, 4)  # the Home has changed: 2 questions wait
    bot.slack.fail("views.publish", status=429, retry_after=30)
    bot.driver.open_home("U0A08")
    bot.clock.advance(timedelta(seconds=31))
    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)
    assert "2 questions waiting" in str(bot.slack.state.home_view("U0A08"))

    bot.clock.advance(timedelta(days=4))
    tick(bot)  # the round closes and is sealed

    with bot.sessions() as session:
        payloads = session.scalars(select(Delivery.payload)).all()
    assert not [payload for payload in payloads if "waiting for you" in str(payload)]


@pytest.mark.parametrize(
    ("refusal", "said", "level"),
    [
        (
            {"error": "invalid_blocks", "messages": ("[ERROR] must be less than 3001 characters",)},
            "must be less than",
            logging.ERROR,
        ),
        (None, "the Slack app's Home tab is off", logging.WARNING),
        (
            {"error": "invalid_arguments", "messages": ("invalid `user_id`",)},
            "Slack refused the Home of someone who opened it",
            logging.ERROR,
        ),
    ],
)
def test_a_home_slack_refuses_for_good_when_opened_is_logged_in_one_line_and_not_retried(
    bot: RunningBot, caplog: pytest.LogCaptureFixture, refusal: dict[str, Any] | None, said: str, level: int
) -> None:
    """Nobody is sent an apology for a tab they opened, no traceback is logged, and the outbox holds nothing. None:
    the app's Home tab is turned off in its settings (`not_enabled`). Slack finding nobody of the `user_id` of someone
    it has just told of is the app's bug (the token of another workspace): an error."""
    load_org_and_policy(bot.sessions, bot.clock.now())
    if refusal is None:
        bot.slack.state.app_home.home_tab = False
    else:
        bot.slack.fail("views.publish", **refusal)

    with caplog.at_level(logging.INFO):
        bot.driver.open_home("U0AGENT1")
        drain_outbox(bot.runtime.deps, bot.runtime.sender_client)

    assert [record.levelno for record in caplog.records if said in record.message] == [level]
    assert not [record for record in caplog.records if record.exc_info or "[ref " in record.message]
    assert bot.slack.messages_to("U0AGENT1") == []
    assert len(bot.slack.calls("views.publish:failed")) == 1 and bot.slack.calls("views.publish") == []
    with bot.sessions() as session:
        assert session.scalars(select(Delivery).where(Delivery.method == "views.publish")).all() == []
