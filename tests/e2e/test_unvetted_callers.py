"""Someone the org file does not list acts only once Slack has said whether they are a guest: while it does not
answer, nothing of theirs is recorded and they are told to try again; when the install may not ask (`missing_scope`),
they are told so, and whom to tell, never to try again. And once a nomination is recorded, nothing asks for it again."""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine

from handlers.blocks import nominations as nomination_blocks
from models import Nomination, Resolution
from tests.conftest import RunningBot
from tests.e2e.test_pulse_schedule import at, dm_channels
from tests.e2e.test_slack_guests import SUNDAY, known_before_anyone_asked, nothing_written
from tests.helpers import count, load_org_and_policy
from tests.pulse_org import load_pulse_org
from tests.rewards_helpers import set_up

NOT_YET = "Slack hasn't told me yet whether you are a member of this workspace or a guest"
CANNOT_CHECK = "Latitude can't check your account with Slack (Slack answers `missing_scope`"
THANKS = {nomination_blocks.PEOPLE: ["U0AGENT1"], nomination_blocks.REASON: "thanks for the help"}
FIX = {"category": "credit", "amount": "20", "summary": "Sorry for the wait", "outcome": "happy"}


@contextmanager
def refusing_updates_of(engine: Engine, table: str) -> Iterator[None]:
    """The database refuses every update of `table` (a trigger raising), while inserts still go through."""
    if engine.dialect.name == "postgresql":
        refuse = [
            "CREATE FUNCTION refuse_update() RETURNS trigger LANGUAGE plpgsql "
            "AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$",
            f"CREATE TRIGGER refuse_update BEFORE UPDATE ON {table} FOR EACH ROW EXECUTE FUNCTION refuse_update()",
        ]
        allow = [f"DROP TRIGGER refuse_update ON {table}", "DROP FUNCTION refuse_update()"]
    else:
        refuse = [f"CREATE TRIGGER refuse_update BEFORE UPDATE ON {table} BEGIN SELECT RAISE(ABORT, 'refused'); END"]
        allow = ["DROP TRIGGER refuse_update"]
    with engine.begin() as connection:
        for statement in refuse:
            connection.exec_driver_sql(statement)
    try:
        yield
    finally:
        with engine.begin() as connection:
            for statement in allow:
                connection.exec_driver_sql(statement)


def test_a_nomination_recorded_after_asking_slack_is_never_asked_for_again_when_what_follows_fails(
    bot: RunningBot,
) -> None:
    """Sam thanks Nora, whom Slack must be asked about, through the form: the nomination is recorded, then recording
    how its DMs went fails. Sam learns it was recorded; told to try again, he would nominate her twice."""
    set_up(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0NEWBIE", "Nora Newbie")
    bot.driver.command("U0AGENT1", "/nominate")
    [opened] = bot.slack.calls("views.open")
    picked = {nomination_blocks.PEOPLE: ["U0NEWBIE"], nomination_blocks.REASON: "a great first week"}

    with refusing_updates_of(bot.runtime.engine, "deliveries"):
        bot.driver.submit("U0AGENT1", opened.args["view"], picked)

    [told] = [dm for dm in bot.slack.messages_to("U0AGENT1") if "reference" in dm.text]
    assert "Your nomination was recorded" in told.text and "no need to do it again" in told.text
    assert "try again" not in told.text.lower()
    with bot.sessions() as session:
        assert count(session, Nomination) == 1


def test_someone_slack_will_not_say_anything_of_nominates_nobody_in_one_line_and_is_told_whom_to_tell(
    bot: RunningBot,
) -> None:
    set_up(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0NEWBIE", "Nora Newbie")
    bot.slack.fail("users.info", error="missing_scope", times=50)

    bot.driver.command("U0NEWBIE", "/nominate", "<@U0AGENT1|sam> thanks for the help")

    [told] = bot.slack.calls("response_url")
    assert CANNOT_CHECK in told.text and "tell your Slack admin" in told.text
    assert "try again" not in told.text.lower() and NOT_YET not in told.text
    assert nothing_written(bot)


def test_someone_slack_will_not_say_anything_of_nominates_nobody_through_the_form_and_is_told_whom_to_tell(
    bot: RunningBot,
) -> None:
    set_up(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0GUEST", "Gil Guest", guest="multi-channel")
    known_before_anyone_asked(bot, "U0GUEST")
    bot.slack.fail("users.info", status=500, times=50)  # when the form opens: it opens, its submission asks again
    bot.driver.command("U0GUEST", "/nominate")
    [opened] = bot.slack.calls("views.open")
    bot.slack.reset()
    bot.slack.fail("users.info", error="missing_scope", times=50)

    bot.driver.submit("U0GUEST", opened.args["view"], THANKS)

    [told] = bot.slack.calls("chat.postMessage", channel="U0GUEST")
    assert "Your nomination was not sent" in told.text and CANNOT_CHECK in told.text
    assert "try again" not in told.text.lower()
    assert nothing_written(bot)
    assert bot.slack.messages_to("U0AGENT1") == []


def test_someone_slack_will_not_say_anything_of_logs_no_fix_and_is_told_whom_to_tell(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0GUEST", "Gil Guest", guest="multi-channel")
    bot.slack.fail("users.info", error="missing_scope", times=50)

    bot.driver.command("U0GUEST", "/resolve", "refund 20 order 7 arrived late")

    [told] = bot.slack.calls("response_url")
    assert CANNOT_CHECK in told.text and "try again" not in told.text.lower()
    assert nothing_written(bot)
    assert bot.slack.calls("chat.postMessage", channel="U0ADMIN") == [], "no admin is asked to decide"


def test_someone_slack_will_not_say_anything_of_is_told_whom_to_tell_rather_than_to_ask_for_the_pulse_again(
    bot: RunningBot,
) -> None:
    load_pulse_org(bot.sessions, SUNDAY, east_tz="America/New_York", west_tz="Asia/Tokyo")
    bot.slack.add_user("U0NEWBIE", "Nora Newbie", tz="America/New_York")
    at(bot, 2, 16)
    bot.slack.fail("users.info", error="missing_scope", times=50)

    bot.driver.command("U0NEWBIE", "/pulse")

    [told] = bot.slack.calls("response_url")
    assert CANNOT_CHECK in told.text and "again in a few minutes" not in told.text
    assert "U0NEWBIE" not in dm_channels(bot)


def test_someone_slack_says_nothing_of_logs_no_fix_in_one_line_until_slack_answers(bot: RunningBot) -> None:
    """Gil, a guest the org file does not list, types his first /resolve while Slack does not answer `users.info`:
    a guest logs no fix, so nothing is logged and he is told to try again; once Slack answers, he is refused as a
    guest."""
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0GUEST", "Gil Guest", guest="multi-channel")
    bot.slack.fail("users.info", status=500, times=50)

    bot.driver.command("U0GUEST", "/resolve", "refund 20 order 7 arrived late")

    [told] = bot.slack.calls("response_url")
    assert NOT_YET in told.text and "Try again in a few minutes" in told.text
    assert nothing_written(bot)
    assert bot.slack.calls("chat.postMessage", channel="U0ADMIN") == [], "no admin is asked to decide"
    bot.slack.reset()

    bot.driver.command("U0GUEST", "/resolve", "refund 20 order 7 arrived late")

    [told_again] = bot.slack.calls("response_url")
    assert "Slack shows you as a guest of this workspace" in told_again.text
    assert nothing_written(bot)


def test_a_member_slack_says_nothing_of_logs_her_fix_once_slack_answers(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0NEWBIE", "Nora Newbie")
    bot.slack.fail("users.info", status=503, times=50)
    bot.driver.command("U0NEWBIE", "/resolve", "refund 20 order 7 arrived late")
    bot.slack.reset()

    bot.driver.command("U0NEWBIE", "/resolve", "refund 20 order 7 arrived late")

    [told] = bot.slack.calls("response_url")
    assert "sent it to Ada Admin to decide" in told.text
    with bot.sessions() as session:
        assert count(session, Resolution) == 1


def test_someone_slack_says_nothing_of_logs_no_fix_through_the_form_and_is_told_to_try_again(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0GUEST", "Gil Guest", guest="multi-channel")
    known_before_anyone_asked(bot, "U0GUEST")
    bot.slack.fail("users.info", status=500, times=50)
    bot.driver.command("U0GUEST", "/resolve")
    [opened] = bot.slack.calls("views.open")

    bot.driver.submit("U0GUEST", opened.args["view"], FIX)

    [told] = bot.slack.calls("chat.postMessage", channel="U0GUEST")
    assert "Your fix was not logged" in told.text and NOT_YET in told.text
    assert nothing_written(bot)
    assert bot.slack.calls("chat.postMessage", channel="U0ADMIN") == []


def test_a_member_slack_named_only_once_the_form_was_sent_logs_her_fix(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0NEWBIE", "Nora Newbie")
    known_before_anyone_asked(bot, "U0NEWBIE")
    bot.slack.fail("users.info", status=500, times=50)
    bot.driver.command("U0NEWBIE", "/resolve")
    [opened] = bot.slack.calls("views.open")
    bot.slack.reset()

    bot.driver.submit("U0NEWBIE", opened.args["view"], FIX)

    [told] = bot.slack.calls("chat.postMessage", channel="U0NEWBIE")
    assert ":warning:" not in told.text
    with bot.sessions() as session:
        assert count(session, Resolution) == 1
    assert bot.slack.calls("chat.postMessage", channel="U0ADMIN"), "the admins decide a fix the org file does not list"


def test_a_nomination_in_one_line_whose_answer_is_lost_is_told_as_recorded_not_to_be_made_again(
    bot: RunningBot,
) -> None:
    """Sam thanks Nora, whom Slack must be asked about, so the answer comes through the response URL once the
    nomination is recorded; the connection drops. Sam learns it was recorded, not to try again."""
    set_up(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0NEWBIE", "Nora Newbie")
    bot.slack.fail("response_url", hang_up=True, times=2)  # slack_sdk tries a dropped connection twice

    bot.driver.command("U0AGENT1", "/nominate", "<@U0NEWBIE|nora> a great first week")

    [told] = [call for call in bot.slack.calls("response_url") if "reference" in call.text]
    assert "Your nomination was recorded" in told.text and "try again" not in told.text.lower()
    with bot.sessions() as session:
        assert count(session, Nomination) == 1


def test_a_fix_in_one_line_whose_answer_is_lost_is_told_as_logged_not_to_be_logged_again(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0NEWBIE", "Nora Newbie")
    bot.slack.fail("response_url", hang_up=True, times=2)

    bot.driver.command("U0NEWBIE", "/resolve", "refund 20 order 7 arrived late")

    [told] = [call for call in bot.slack.calls("response_url") if "reference" in call.text]
    assert "Your fix was logged" in told.text and "try again" not in told.text.lower()
    with bot.sessions() as session:
        assert count(session, Resolution) == 1
