"""Guests of the Slack workspace (Slack's `is_restricted`, `is_ultra_restricted` for a single-channel guest) are no
employees: they log no fixes, nominate nobody, are nominated by nobody and get no pulse polls, and are told why."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from handlers.blocks import nominations as nomination_blocks
from models import Employee, Nomination, Resolution
from tests.conftest import RunningBot
from tests.e2e.test_pulse_rounds import tick
from tests.e2e.test_pulse_schedule import at, dm_channels
from tests.helpers import load_org_and_policy
from tests.pulse_org import load_pulse_org
from tests.rewards_helpers import add_story, set_up

SUNDAY = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def nothing_written(bot: RunningBot) -> bool:
    with bot.sessions() as session:
        return not session.scalars(select(Resolution)).all() and not session.scalars(select(Nomination)).all()


def test_a_guests_first_fix_is_refused_after_slack_says_they_are_a_guest(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0GUEST", "Gil Guest", guest="single-channel")

    reply = bot.driver.command("U0GUEST", "/resolve", "refund 20 order 7 arrived late")

    assert reply.body == ""
    [told] = bot.slack.calls("response_url")
    assert "Slack shows you as a guest of this workspace" in told.args["text"]
    assert nothing_written(bot)
    assert bot.slack.calls("chat.postMessage", channel="U0ADMIN") == [], "no admin is asked to decide a guest's fix"


def test_a_guest_who_used_latitude_before_is_refused_at_once_and_boundaries_say_why(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0GUEST", "Gil Guest", guest="multi-channel")
    bot.driver.command("U0GUEST", "/resolve", "refund 20 order 7 arrived late")

    reply = bot.driver.command("U0GUEST", "/resolve", "refund 20 order 8 arrived late")
    shown = bot.driver.command("U0GUEST", "/boundaries")

    assert "Slack shows you as a guest of this workspace" in reply.text
    assert "Slack shows you as a guest of this workspace" in shown.text
    assert nothing_written(bot)


def first_boundaries(bot: RunningBot, user: str) -> str:
    """Someone the org file does not list types `/boundaries` for the first time: acked empty, answered once Slack has
    been asked about them."""
    reply = bot.driver.command(user, "/boundaries")
    assert reply.body == ""
    [told] = bot.slack.calls("response_url")
    return told.text


def test_a_guests_first_boundaries_are_refused_once_slack_says_they_are_a_guest(bot: RunningBot) -> None:
    """Answered in the ack, a first `/boundaries` added a guest as a frontline employee and listed limits they
    may not use: Slack is asked first, as for `/resolve`, and they are answered after the ack."""
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0GUEST", "Gil Guest", guest="single-channel")

    told = first_boundaries(bot, "U0GUEST")
    assert "Slack shows you as a guest of this workspace" in told
    assert "left today" not in told and "frontline" not in told


def test_a_newcomers_first_boundaries_when_slack_says_nothing_of_them_show_no_limits(bot: RunningBot) -> None:
    """Perhaps a guest: told to try again, not added as a frontline employee with limits."""
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0GUEST", "Gil Guest", guest="single-channel")
    bot.slack.fail("users.info", status=500, times=50)

    told = first_boundaries(bot, "U0GUEST")
    assert "Slack hasn't told me yet whether you are a member" in told
    assert "left today" not in told and "frontline" not in told


def test_a_member_newcomers_first_boundaries_show_the_limits_slack_let_them_have(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0NEWBIE", "Nora Newbie")

    told = first_boundaries(bot, "U0NEWBIE")
    assert "Slack shows you as a guest" not in told
    assert "refund" in told


def test_a_member_newcomer_still_logs_a_fix_for_the_admins(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0NEWBIE", "Nora Newbie")

    bot.driver.command("U0NEWBIE", "/resolve", "refund 20 order 7 arrived late")

    [told] = bot.slack.calls("response_url")
    assert "sent it to Ada Admin to decide" in told.text
    with bot.sessions() as session:
        assert session.scalars(select(Employee.slack_guest).where(Employee.slack_id == "U0NEWBIE")).one() is False


def test_a_guest_cannot_nominate(bot: RunningBot) -> None:
    set_up(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0GUEST", "Gil Guest", guest="multi-channel")

    bot.driver.command("U0GUEST", "/nominate", "<@U0AGENT1|sam> thanks for the help")

    [told] = bot.slack.calls("response_url")
    assert "Slack shows you as a guest of this workspace" in told.args["text"]
    assert nothing_written(bot)


def test_a_guest_cannot_be_nominated(bot: RunningBot) -> None:
    set_up(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0GUEST", "Gil Guest", guest="single-channel")

    bot.driver.command("U0AGENT1", "/nominate", "<@U0GUEST|gil> thanks for the help")

    [told] = bot.slack.calls("response_url")
    assert "is a guest of this Slack workspace" in told.args["text"]
    assert nothing_written(bot)
    assert bot.slack.messages_to("U0GUEST") == []


def test_a_guest_who_used_latitude_gets_no_pulse_poll_and_a_member_newcomer_does(bot: RunningBot) -> None:
    bot.clock.set(SUNDAY)
    load_pulse_org(bot.sessions, SUNDAY, east_tz="Europe/London", west_tz="Europe/London")
    bot.slack.add_user("U0GUEST", "Gil Guest", tz="Europe/London", guest="multi-channel")
    bot.slack.add_user("U0NEWBIE", "Nora Newbie", tz="Europe/London")
    for person in ("U0GUEST", "U0NEWBIE"):
        bot.driver.command(person, "/rewards")

    for hour in (datetime(2026, 3, 1, 20, 0, tzinfo=UTC), datetime(2026, 3, 2, 10, 0, tzinfo=UTC)):
        bot.clock.set(hour)
        tick(bot)

    asked = {call.channel for call in bot.slack.calls("chat.postMessage")}
    assert "U0NEWBIE" in asked
    assert "U0GUEST" not in asked


def test_a_guest_the_org_file_lists_is_staff_who_logs_fixes_and_is_nominated(bot: RunningBot) -> None:
    set_up(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0AGENT1", "Sam Agent", tz="America/New_York", guest="multi-channel")
    bot.driver.user_change("U0AGENT1")  # an outsourced agent HR listed, invited to Slack as a guest

    fixed = bot.driver.command("U0AGENT1", "/resolve", "refund 20 order 7 arrived late")
    bot.driver.command("U0AGENT2", "/nominate", "<@U0AGENT1|sam> thanks for the help")

    assert "guest" not in fixed.text
    with bot.sessions() as session:
        assert session.scalars(select(Employee.slack_guest).where(Employee.slack_id == "U0AGENT1")).one() is True
        assert [status for status in session.scalars(select(Resolution.status))] == ["within"]
        assert len(session.scalars(select(Nomination)).all()) == 1


def known_before_anyone_asked(bot: RunningBot, slack_id: str) -> None:
    """Someone the directory knew before Latitude asked Slack about guests (or when Slack did not answer then)."""
    bot.driver.command(slack_id, "/rewards")
    with bot.sessions.begin() as session:
        session.execute(update(Employee).where(Employee.slack_id == slack_id).values(slack_guest=None))


def test_a_guest_known_before_anyone_asked_is_asked_when_the_form_opens_and_cannot_log_through_it(
    bot: RunningBot,
) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0GUEST", "Gil Guest", guest="multi-channel")
    known_before_anyone_asked(bot, "U0GUEST")

    bot.driver.command("U0GUEST", "/resolve")
    form = bot.slack.calls("views.open")[-1].args["view"]
    values = {"category": "credit", "amount": "20", "summary": "Sorry for the wait", "outcome": "happy"}
    bot.driver.submit("U0GUEST", form, values)

    assert nothing_written(bot)


def test_someone_unlisted_whom_slack_was_never_asked_about_gets_no_pulse_poll(bot: RunningBot) -> None:
    bot.clock.set(SUNDAY)
    load_pulse_org(bot.sessions, SUNDAY, east_tz="Europe/London", west_tz="Europe/London")
    bot.slack.add_user("U0GUEST", "Gil Guest", tz="Europe/London", guest="multi-channel")
    known_before_anyone_asked(bot, "U0GUEST")

    for hour in (datetime(2026, 3, 1, 20, 0, tzinfo=UTC), datetime(2026, 3, 2, 10, 0, tzinfo=UTC)):
        bot.clock.set(hour)
        tick(bot)

    asked = {call.channel for call in bot.slack.calls("chat.postMessage")}
    assert asked and "U0GUEST" not in asked


def test_a_guest_known_before_anyone_asked_cannot_be_nominated_by_a_colleague(bot: RunningBot) -> None:
    set_up(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0GUEST", "Gil Guest", guest="single-channel")
    known_before_anyone_asked(bot, "U0GUEST")
    bot.slack.reset()

    bot.driver.command("U0AGENT1", "/nominate", "<@U0GUEST|gil> thanks for the help")

    assert [call.args["user"] for call in bot.slack.calls("users.info")] == ["U0GUEST"], "Slack was asked"
    [told] = bot.slack.calls("response_url")
    assert "is a guest of this Slack workspace" in told.args["text"]
    assert nothing_written(bot)
    assert bot.slack.messages_to("U0GUEST") == []


def test_a_member_known_before_anyone_asked_is_nominated_once_slack_says_they_are_no_guest(bot: RunningBot) -> None:
    set_up(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0NEWBIE", "Nora Newbie")
    known_before_anyone_asked(bot, "U0NEWBIE")

    bot.driver.command("U0AGENT1", "/nominate", "<@U0NEWBIE|nora> thanks for the help")

    with bot.sessions() as session:
        assert len(session.scalars(select(Nomination)).all()) == 1
        assert session.scalars(select(Employee.slack_guest).where(Employee.slack_id == "U0NEWBIE")).one() is False


def test_a_guest_known_before_anyone_asked_picked_in_the_nomination_form_is_refused_in_a_dm(bot: RunningBot) -> None:
    set_up(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0GUEST", "Gil Guest", guest="multi-channel")
    known_before_anyone_asked(bot, "U0GUEST")
    bot.driver.command("U0AGENT1", "/nominate", "")
    [opened] = bot.slack.calls("views.open")
    picked = {nomination_blocks.PEOPLE: ["U0GUEST"], nomination_blocks.REWARD: "voucher_25"}

    bot.driver.submit("U0AGENT1", opened.args["view"], {**picked, nomination_blocks.REASON: "thanks for the help"})

    [told] = bot.slack.calls("chat.postMessage", channel="U0AGENT1")
    assert "is a guest of this Slack workspace" in told.args["text"]
    assert nothing_written(bot)


def test_a_newcomer_asking_for_the_pulse_after_their_hour_is_asked_once_slack_says_they_are_a_member(
    bot: RunningBot,
) -> None:
    """Nora, whom the org file does not list, types `/pulse` after the round reached New York: Slack is asked whether
    she is a guest before she is answered, and she is told her questions are on their way only as the next tick,
    knowing she is a member, sends them."""
    load_pulse_org(bot.sessions, SUNDAY, east_tz="America/New_York", west_tz="Asia/Tokyo")
    bot.slack.add_user("U0NEWBIE", "Nora Newbie", tz="America/New_York")
    at(bot, 2, 16)  # Monday 11:00 in New York: everyone listed was asked at 10:00

    reply = bot.driver.command("U0NEWBIE", "/pulse")
    bot.clock.advance(timedelta(minutes=1))
    tick(bot)

    assert reply.body == ""
    [told] = bot.slack.calls("response_url")
    assert "your questions are on their way to your DMs" in told.text
    assert "U0NEWBIE" in dm_channels(bot)


def test_a_newcomer_slack_says_nothing_of_is_not_promised_pulse_questions_no_round_sends(bot: RunningBot) -> None:
    """Slack does not answer whether Nora is a guest: no round asks her yet, and she is told so, not that her
    questions are on their way. Once Slack answers, her next `/pulse` gets them to her."""
    load_pulse_org(bot.sessions, SUNDAY, east_tz="America/New_York", west_tz="Asia/Tokyo")
    bot.slack.add_user("U0NEWBIE", "Nora Newbie", tz="America/New_York")
    at(bot, 2, 16)
    bot.slack.fail("users.info", status=500, times=5)

    bot.driver.command("U0NEWBIE", "/pulse")
    bot.clock.advance(timedelta(minutes=1))
    tick(bot)

    [told] = bot.slack.calls("response_url")
    assert "Slack hasn't told me yet whether you are a member of this workspace or a guest" in told.text
    assert "on their way" not in told.text
    assert "U0NEWBIE" not in dm_channels(bot)
    bot.slack.reset()

    bot.driver.command("U0NEWBIE", "/pulse")
    bot.clock.advance(timedelta(minutes=1))
    tick(bot)

    [told_again] = bot.slack.calls("response_url")
    assert "your questions are on their way to your DMs" in told_again.text
    assert "U0NEWBIE" in dm_channels(bot)


def test_a_guest_who_used_latitude_before_is_refused_the_nomination_form_and_reads_no_colleagues_story(
    bot: RunningBot,
) -> None:
    set_up(bot.sessions, bot.clock.now())
    with bot.sessions.begin() as session:
        add_story(session, "U0AGENT3", "Rebooked <@U0AGENT2>'s stranded family overnight", bot.clock.now())
    bot.slack.add_user("U0GUEST", "Gil Guest", guest="multi-channel")
    bot.driver.command("U0GUEST", "/nominate", "<@U0AGENT1|sam> thanks for the help")

    reply = bot.driver.command("U0GUEST", "/nominate")

    assert "Slack shows you as a guest of this workspace" in reply.text
    assert bot.slack.calls("views.open") == []


def test_someone_unlisted_whom_slack_was_never_asked_about_gets_the_nomination_form_without_colleagues_stories(
    bot: RunningBot,
) -> None:
    """The form opens at once (its trigger expires in 3 s), before Slack says whether they are a guest."""
    set_up(bot.sessions, bot.clock.now())
    with bot.sessions.begin() as session:
        add_story(session, "U0AGENT3", "Rebooked <@U0AGENT2>'s stranded family overnight", bot.clock.now())
    bot.slack.add_user("U0GUEST", "Gil Guest", guest="multi-channel")
    known_before_anyone_asked(bot, "U0GUEST")

    bot.driver.command("U0GUEST", "/nominate")

    [opened] = bot.slack.calls("views.open")
    assert "Rebooked" not in opened.text
    assert nomination_blocks.STORY not in [block["block_id"] for block in opened.args["view"]["blocks"]]
    with bot.sessions() as session:
        assert session.scalars(select(Employee.slack_guest).where(Employee.slack_id == "U0GUEST")).one() is True


def submit_thanks_through_the_form(bot: RunningBot, slack_id: str, *, slack_answers_at_submit: bool) -> None:
    """`slack_id` opens the nomination form while Slack does not answer `users.info`, and thanks Sam through it."""
    bot.slack.fail("users.info", status=500, times=50)
    bot.driver.command(slack_id, "/nominate", "")
    [opened] = bot.slack.calls("views.open")
    if slack_answers_at_submit:
        bot.slack.reset()
    picked = {nomination_blocks.PEOPLE: ["U0AGENT1"], nomination_blocks.REWARD: "voucher_25"}
    bot.driver.submit(slack_id, opened.args["view"], {**picked, nomination_blocks.REASON: "thanks for the help"})


def test_someone_slack_says_nothing_of_nominates_nobody_through_the_form_and_is_told_to_try_again(
    bot: RunningBot,
) -> None:
    set_up(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0GUEST", "Gil Guest", guest="multi-channel")
    known_before_anyone_asked(bot, "U0GUEST")

    submit_thanks_through_the_form(bot, "U0GUEST", slack_answers_at_submit=False)

    [told] = bot.slack.calls("chat.postMessage", channel="U0GUEST")
    assert "Slack hasn't told me yet whether you are a member of this workspace or a guest" in told.args["text"]
    assert "Try again in a few minutes" in told.args["text"]
    assert nothing_written(bot)
    assert bot.slack.messages_to("U0AGENT1") == []


def test_a_guest_slack_named_only_once_the_form_was_sent_nominates_nobody(bot: RunningBot) -> None:
    set_up(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0GUEST", "Gil Guest", guest="multi-channel")
    known_before_anyone_asked(bot, "U0GUEST")

    submit_thanks_through_the_form(bot, "U0GUEST", slack_answers_at_submit=True)

    [told] = bot.slack.calls("chat.postMessage", channel="U0GUEST")
    assert "Slack shows you as a guest of this workspace" in told.args["text"]
    assert nothing_written(bot)


def test_a_member_slack_named_only_once_the_form_was_sent_nominates(bot: RunningBot) -> None:
    set_up(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0NEWBIE", "Nora Newbie")
    known_before_anyone_asked(bot, "U0NEWBIE")

    submit_thanks_through_the_form(bot, "U0NEWBIE", slack_answers_at_submit=True)

    with bot.sessions() as session:
        assert len(session.scalars(select(Nomination)).all()) == 1
        assert session.scalars(select(Employee.slack_guest).where(Employee.slack_id == "U0NEWBIE")).one() is False
    [told] = bot.slack.calls("chat.postMessage", channel="U0NEWBIE")
    assert ":warning:" not in told.args["text"]


def test_someone_slack_says_nothing_of_nominates_nobody_in_one_line(bot: RunningBot) -> None:
    set_up(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0GUEST", "Gil Guest", guest="multi-channel")
    known_before_anyone_asked(bot, "U0GUEST")
    bot.slack.fail("users.info", status=500, times=50)

    bot.driver.command("U0GUEST", "/nominate", "<@U0AGENT1|sam> thanks for the help")

    [told] = bot.slack.calls("response_url")
    assert "Slack hasn't told me yet whether you are a member of this workspace or a guest" in told.args["text"]
    assert nothing_written(bot)


def test_a_guests_home_says_what_resolve_and_boundaries_say_and_offers_nothing_of_an_employees(
    bot: RunningBot,
) -> None:
    """Not "every fix you log goes to the admins" nor "no longer active in Latitude's directory": a guest has neither
    an allowance nor nominations, and was never in the directory."""
    set_up(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0GUEST", "Gil Guest", guest="multi-channel")
    bot.driver.command("U0GUEST", "/resolve", "refund 20 order 7 arrived late")
    refused = bot.driver.command("U0GUEST", "/boundaries")

    bot.driver.open_home("U0GUEST")

    [home] = bot.slack.calls("views.publish", user_id="U0GUEST")
    assert "Hi Gil" in home.text
    told = refused.text.splitlines()[-1].removeprefix(":warning: ")
    assert told.startswith("Slack shows you as a guest of this workspace")
    assert told in home.text.splitlines()
    wrong = ("goes to the admins", "no longer active", "allowance", "Nominations left", "not in the org directory")
    assert [words for words in wrong if words in home.text] == []


def test_a_guests_rewards_say_why_they_nominate_nobody_not_that_they_left(bot: RunningBot) -> None:
    set_up(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0GUEST", "Gil Guest", guest="single-channel")
    bot.driver.command("U0GUEST", "/nominate", "<@U0AGENT1|sam> thanks for the help")

    shown = bot.driver.command("U0GUEST", "/rewards")

    assert "Slack shows you as a guest of this workspace" in shown.text
    assert "no longer active" not in shown.text
