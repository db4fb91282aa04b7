"""/nominate end to end: shout-outs, refusals, allowances and the nomination modal."""

from datetime import UTC, datetime, timedelta

import pytest

from handlers.blocks import nominations as blocks
from models import Employee
from tests.conftest import RunningBot, StartBot
from tests.helpers import employee, load_org
from tests.rewards_helpers import (
    EXAMPLE_POLICY,
    add_story,
    grants,
    load_policy_text,
    newcomer_known_by_handle,
    nominations,
    set_up,
)

LEE = "<@U0AGENT2|lee.senior>"
INES = "<@U0AGENT3|ines.agent>"


@pytest.fixture
def ready(bot: RunningBot) -> RunningBot:
    set_up(bot.sessions, bot.clock.now())
    return bot


def test_a_shout_out_is_posted_to_the_recognition_channel_and_dms_the_nominee(ready: RunningBot) -> None:
    reply = ready.driver.command("U0AGENT1", "/nominate", f"{LEE} calmed an angry <customer> & @channel fixed it")

    assert "You recognised Lee Senior" in reply.text
    assert "4 nominations left" in reply.text
    [post] = ready.slack.calls("chat.postMessage", channel="C0KUDOS")
    assert "<@U0AGENT1> recognised <@U0AGENT2>" in post.text
    assert "calmed an angry &lt;customer&gt; &amp; @\u200bchannel fixed it" in post.text
    [dm] = ready.slack.messages_to("U0AGENT2")
    assert "Sam Agent recognised you with a shout-out" in dm.text
    with ready.sessions() as session:
        [grant] = grants(session)
        assert (grant.item_key, grant.value, grant.status, grant.approver_id) == ("shoutout", 0, "approved", None)
        assert grant.recipient.slack_id == "U0AGENT2"


def test_a_nomination_says_when_the_allowance_left_renews_on_the_readers_clock(ready: RunningBot) -> None:
    """The month is UTC's: in Tokyo it turns over at 09:00 on the 1st, so "left this month" alone misleads there."""
    reply = ready.driver.command("U0AGENT1", "/nominate", f"{LEE} calmed an angry customer")

    april = int(datetime(2026, 4, 1, tzinfo=UTC).timestamp())
    assert (
        "You have 4 nominations left this month "
        f"(renews <!date^{april}^{{date_short}} at {{time}}|01 April 00:00 UTC>)." in reply.text
    )


def test_the_policys_channel_takes_the_place_of_recognition_channel(ready: RunningBot) -> None:
    ready.slack.add_channel("C0TEAMWINS", "team-wins")
    text = EXAMPLE_POLICY.read_text().replace("[rewards]\n", '[rewards]\nchannel = "C0TEAMWINS"\n')
    load_policy_text(ready.sessions, ready.clock.now(), text)

    ready.driver.command("U0AGENT1", "/nominate", f"{LEE} calmed an angry customer")

    assert [post.channel for post in ready.slack.calls("chat.postMessage") if post.channel.startswith("C")] == [
        "C0TEAMWINS"
    ]


def test_nominate_help_names_the_channel_shout_outs_go_to(ready: RunningBot) -> None:
    ready.slack.add_channel("C0TEAMWINS", "team-wins")

    before = ready.driver.command("U0AGENT1", "/nominate", "help").text
    text = EXAMPLE_POLICY.read_text().replace("[rewards]\n", '[rewards]\nchannel = "C0TEAMWINS"\n')
    load_policy_text(ready.sessions, ready.clock.now(), text)
    after = ready.driver.command("U0AGENT1", "/nominate", "help").text

    assert "`/nominate @someone why...` — a shout-out in <#C0KUDOS> and a DM to them" in before
    assert "`/nominate @someone why...` — a shout-out in <#C0TEAMWINS> and a DM to them" in after


def test_nominate_help_without_a_recognition_channel_says_a_shout_out_is_only_a_dm_and_how_to_set_one(
    start_bot: StartBot,
) -> None:
    for bot in start_bot(recognition_channel=None):
        set_up(bot.sessions, bot.clock.now())

        shown = bot.driver.command("U0AGENT1", "/nominate", "help").text

        assert "no recognition channel is set, so a shout-out is a DM to them and a line on colleagues' App Home" in (
            shown
        )
        assert "`[rewards] channel`" in shown
        assert "a shout-out in the recognition channel" not in shown


def test_nominate_help_names_a_recognition_channel_given_by_name_as_its_name(
    start_bot: StartBot,
) -> None:
    for bot in start_bot(recognition_channel="#kudos"):
        set_up(bot.sessions, bot.clock.now())

        shown = bot.driver.command("U0AGENT1", "/nominate", "help").text

        assert "`/nominate @someone why...` — a shout-out in #kudos and a DM to them" in shown


def test_several_people_named_in_one_nomination_share_one_post_and_each_get_a_grant(ready: RunningBot) -> None:
    reply = ready.driver.command("U0AGENT1", "/nominate", f"{LEE} {INES} covered the weekend queue together")

    assert "You recognised Lee Senior, Ines Agent" in reply.text
    [post] = ready.slack.calls("chat.postMessage", channel="C0KUDOS")
    assert "<@U0AGENT2>, <@U0AGENT3>" in post.text
    assert len(ready.slack.messages_to("U0AGENT2")) == len(ready.slack.messages_to("U0AGENT3")) == 1
    with ready.sessions() as session:
        assert sorted(g.recipient.slack_id for g in grants(session)) == ["U0AGENT2", "U0AGENT3"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<@U0AGENT1|sam> I am great", "can't nominate yourself"),
        ("<@U0LATBOT|latitude> always on", "Bots can't receive recognition"),
        (f"{LEE} vouchr_25 great work", "no reward called `vouchr_25`"),
        (f"{LEE} voucher_25", "Say why you are recognising them"),
        (f"{LEE} service-star!", "Say why you are recognising them"),
        (f"{LEE} voucher_25:", "Say why you are recognising them"),
        (f"{LEE}   ", "Say why you are recognising them"),
        ("lee great work", "Start with the people you recognise"),
        (f"{LEE} <!subteam^S0EAST|@support-east> covered the queue", "`@support-east` is not a person picked"),
        ("<!subteam^S0EAST|@support-east> covered the queue", "`@support-east` is not a person picked"),
        (f"{LEE} <!here> great week", "is not a person picked from Slack's list"),
        (f"{LEE} @ines covered the queue", "`@ines` is not a person picked from Slack's list"),
    ],
)
def test_a_refused_nomination_says_why_and_writes_nothing(ready: RunningBot, text: str, expected: str) -> None:
    reply = ready.driver.command("U0AGENT1", "/nominate", text)

    assert expected in reply.text
    assert ready.slack.calls("chat.postMessage") == []
    with ready.sessions() as session:
        assert nominations(session) == []


def test_an_unknown_reward_lists_the_catalog(ready: RunningBot) -> None:
    reply = ready.driver.command("U0AGENT1", "/nominate", f"{LEE} vouchr_25 great work")

    for key in ("shoutout", "voucher_25", "half_day", "service_star"):
        assert f"`{key}`" in reply.text


def test_a_reward_typed_with_a_hyphen_is_that_reward_not_a_shout_out(ready: RunningBot) -> None:
    reply = ready.driver.command("U0AGENT1", "/nominate", f"{LEE} half-day covered the whole weekend")

    assert "Half a day off for Lee Senior is waiting for approval by Maya Manager" in reply.text
    with ready.sessions() as session:
        [nomination] = nominations(session)
        assert (nomination.item_key, nomination.reason) == ("half_day", "covered the whole weekend")


@pytest.mark.parametrize(
    ("typed", "key", "title"),
    [
        ("Service Star for covering the whole weekend", "service_star", "Service Star"),
        ("half day for covering the whole weekend", "half_day", "Half a day off"),
        ("half day cover on Saturday so I could see my kid", "half_day", "Half a day off"),
    ],
)
def test_a_rewards_name_typed_as_words_apart_is_asked_about_not_guessed(
    ready: RunningBot, typed: str, key: str, title: str
) -> None:
    """`/rewards catalog` shows `service_star: Service Star`: typed as it reads, it may mean the reward (a shout-out
    would post the words publicly instead) or begin a shout-out's reason (a reward would ask a manager to approve a day
    off nobody meant). Either guess goes out, so the nominator is asked, and nothing is sent."""
    reply = ready.driver.command("U0AGENT1", "/nominate", f"{LEE} {typed}")

    assert f"Did you mean the reward *{title}*?" in reply.text
    assert f"`/nominate @someone {key} why...`" in reply.text
    assert ready.slack.calls("chat.postMessage") == []
    with ready.sessions() as session:
        assert nominations(session) == []


@pytest.mark.parametrize(
    ("typed", "key", "title"),
    [
        ("vouchr for the weekend cover", "voucher_25", "Coffee &amp; cake voucher"),
        ("voucher for the weekend cover", "voucher_25", "Coffee &amp; cake voucher"),
        ("Halfday for the weekend cover", "half_day", "Half a day off"),
        ("servicestar for the weekend cover", "service_star", "Service Star"),
        ("vaucher for the weekend cover", "voucher_25", "Coffee &amp; cake voucher"),
        ("halfdey for the weekend cover", "half_day", "Half a day off"),
        ("Vaucher! for the weekend cover", "voucher_25", "Coffee &amp; cake voucher"),
        ("voucehr for the weekend cover", "voucher_25", "Coffee &amp; cake voucher"),
        ("vouchet for the weekend cover", "voucher_25", "Coffee &amp; cake voucher"),
        ("voucker for the weekend cover", "voucher_25", "Coffee &amp; cake voucher"),
    ],
)
def test_a_reward_typed_as_one_plain_word_with_a_slip_is_asked_about_not_posted_as_a_shout_out(
    ready: RunningBot, typed: str, key: str, title: str
) -> None:
    """`vouchr` or `vaucher` meant the voucher: read as a shout-out's first word, it went up publicly with "vouchr for
    the weekend cover" as its reason, a nomination spent, and no voucher. Any letter changed in a long word is a
    slip, unless that makes an everyday word."""
    reply = ready.driver.command("U0AGENT1", "/nominate", f"{LEE} {typed}")

    assert f"Did you mean the reward *{title}*?" in reply.text
    assert f"`/nominate @someone {key} why...`" in reply.text and "Nothing was sent." in reply.text
    assert ready.slack.calls("chat.postMessage") == []
    with ready.sessions() as session:
        assert nominations(session) == []


@pytest.mark.parametrize("typed", ["voucher_25: for the weekend cover", "\u201cvoucher_25\u201d for the weekend cover"])
def test_a_reward_key_with_a_colon_or_in_quotes_is_that_reward(ready: RunningBot, typed: str) -> None:
    """`voucher_25:` was refused as "There is no reward called `voucher_25:`", the catalog listing voucher_25."""
    reply = ready.driver.command("U0AGENT1", "/nominate", f"{LEE} {typed}")

    assert "is waiting for approval" in reply.text
    with ready.sessions() as session:
        [nomination] = nominations(session)
        assert (nomination.item_key, nomination.reason) == ("voucher_25", "for the weekend cover")


def test_a_reward_key_written_as_an_emoji_code_is_that_reward(ready: RunningBot) -> None:
    """`:voucher_25: for the weekend cover` was posted publicly as a shout-out, a nomination spent and no voucher."""
    reply = ready.driver.command("U0AGENT1", "/nominate", f"{LEE} :voucher_25: for the weekend cover")

    assert "is waiting for approval" in reply.text
    [asked] = ready.slack.calls("chat.postMessage")  # the manager's approval, no public shout-out
    assert asked.args["text"].startswith("Approve Coffee &amp; cake voucher")
    with ready.sessions() as session:
        [nomination] = nominations(session)
        assert (nomination.item_key, nomination.reason) == ("voucher_25", "for the weekend cover")


@pytest.mark.parametrize(
    "typed",
    [
        "vouchers are well deserved",
        "service was outstanding",
        "half the queue, alone",
        "vouched for the new starter",
        "vouches for everyone on the late shift",
        "Vouches for everyone on the late shift",
        "halfway through a hard shift she took over the queue",
        "Halfway, she took over the queue",
    ],
)
def test_a_reason_starting_with_a_word_of_a_reward_that_is_also_speech_is_a_shout_out(
    ready: RunningBot, typed: str
) -> None:
    """`vouched` and `vouches` are a letter changed from `voucher`, but as a verb they speak of the act, not the
    reward: asked "Did you mean Coffee & cake voucher?" the nominator had to reword a plain shout-out. `halfway` is
    `halfday` with a letter changed, but an everyday word: it was asked "Did you mean the reward *Half a
    day off*?", an ordinary English sentence refused."""
    reply = ready.driver.command("U0AGENT1", "/nominate", f"{LEE} {typed}")

    assert "Did you mean" not in reply.text and "You recognised Lee Senior" in reply.text

    with ready.sessions() as session:
        [nomination] = nominations(session)
        assert (nomination.item_key, nomination.reason) == ("shoutout", typed)


def test_a_reason_starting_with_a_hyphenated_word_is_still_a_shout_out(ready: RunningBot) -> None:
    ready.driver.command("U0AGENT1", "/nominate", f"{LEE} well-deserved thanks for the weekend")

    with ready.sessions() as session:
        [nomination] = nominations(session)
        assert (nomination.item_key, nomination.reason) == ("shoutout", "well-deserved thanks for the weekend")


def told(bot: RunningBot) -> str:
    """The answer sent after the ack, when Slack had to be asked about someone first."""
    [response] = bot.slack.calls("response_url")
    return str(response.args["text"])


def test_someone_not_in_the_workspace_cannot_be_nominated(ready: RunningBot) -> None:
    ready.slack.fail("users.info", error="user_not_found")

    reply = ready.driver.command("U0AGENT1", "/nominate", "<@U0GHOST|ghost> thanks")

    assert reply.body == ""
    assert "not an active member of this workspace" in told(ready)
    with ready.sessions() as session:
        assert nominations(session) == []
        assert session.query(Employee).filter_by(slack_id="U0GHOST").count() == 0


def test_a_colleague_slack_knows_but_the_directory_does_not_is_added_and_recognised(ready: RunningBot) -> None:
    ready.slack.add_user("U0NEWBIE", "Nora Newbie", email="nora@example.com")

    ready.driver.command("U0AGENT1", "/nominate", "<@U0NEWBIE|nora> great first week")

    assert "You recognised <@U0NEWBIE>" in told(ready)
    with ready.sessions() as session:
        nora = employee(session, "U0NEWBIE")
        assert (nora.name, nora.email, nora.in_directory) == ("Nora Newbie", "nora@example.com", False)


def test_a_newcomer_the_directory_knows_by_handle_is_named_as_slack_shows_them(ready: RunningBot) -> None:
    nora = newcomer_known_by_handle(ready)

    shout_out = ready.driver.command("U0AGENT1", "/nominate", f"<@{nora}|nora.newbie> great first week")
    voucher = ready.driver.command("U0AGENT1", "/nominate", f"<@{nora}|nora.newbie> voucher_25 and a great second")

    assert shout_out.text == "", "Slack is asked first whether she is a guest, the org file not listing her"
    assert "You recognised <@U0NEWBIE>." in told(ready)
    assert "Coffee &amp; cake voucher for <@U0NEWBIE> is waiting for approval by Hana Reyes" in voucher.text
    [post] = ready.slack.calls("chat.postMessage", channel="C0KUDOS")
    assert post.args["text"] == "Shout-out for <@U0NEWBIE>"
    sent = [call for call in ready.slack.calls() if call.method in ("chat.postMessage", "response_url")]
    assert all("nora.newbie" not in str(call.args.get("text")) for call in sent)


def test_a_bot_slack_knows_about_cannot_be_nominated(ready: RunningBot) -> None:
    ready.slack.add_user("U0HELPER", "Helper Bot", is_bot=True)

    ready.driver.command("U0AGENT1", "/nominate", "<@U0HELPER|helper> beep")

    assert "Bots can't receive recognition" in told(ready)
    assert ready.slack.calls("chat.postMessage") == []


def test_the_same_nomination_twice_within_a_minute_is_sent_once(ready: RunningBot) -> None:
    first = ready.driver.command("U0AGENT1", "/nominate", f"{LEE} saved the day")
    ready.clock.advance(timedelta(seconds=30))
    second = ready.driver.command("U0AGENT1", "/nominate", f"{LEE} saved the day")

    assert "You recognised" in first.text
    assert "a moment ago, so I didn't send it twice" in second.text
    assert len(ready.slack.messages_to("U0AGENT2")) == 1
    with ready.sessions() as session:
        assert len(nominations(session)) == 1


def test_the_same_nomination_twice_names_a_colleague_whose_name_holds_markup_as_text(ready: RunningBot) -> None:
    with ready.sessions.begin() as session:
        employee(session, "U0AGENT2").name = "Lee R&D <https://evil.example|Senior>"
    ready.driver.command("U0AGENT1", "/nominate", f"{LEE} saved the day")

    second = ready.driver.command("U0AGENT1", "/nominate", f"{LEE} saved the day")

    assert "You nominated Lee R&amp;D &lt;https://evil.example|Senior&gt; for exactly this" in second.text


def test_an_allowance_hr_lowered_below_what_was_given_says_how_many_were_used_of_how_many(ready: RunningBot) -> None:
    for number in range(3):
        ready.driver.command("U0AGENT1", "/nominate", f"{LEE} thanks number {number}")
    lowered = EXAMPLE_POLICY.read_text().replace(
        "nomination_allowance_per_month = 5", "nomination_allowance_per_month = 1"
    )
    load_policy_text(ready.sessions, ready.clock.now(), lowered)

    refused = ready.driver.command("U0AGENT1", "/nominate", f"{INES} thanks again")

    assert "You have used 3 of your 1 nomination this month: none left. It renews on" in refused.text


def test_an_exhausted_allowance_says_when_it_renews_and_renews_next_month(ready: RunningBot) -> None:
    for number in range(5):
        ready.driver.command("U0AGENT1", "/nominate", f"{LEE} thanks number {number}")

    refused = ready.driver.command("U0AGENT1", "/nominate", f"{INES} thanks again")
    ready.clock.set(datetime(2026, 4, 1, 0, 0, 30, tzinfo=UTC))
    renewed = ready.driver.command("U0AGENT1", "/nominate", f"{INES} thanks again")

    assert "You have used 5 of your 5 nominations this month: none left." in refused.text
    assert "renews on Tuesday 31 March at 20:00 New York time." in refused.text, (
        "midnight UTC, on the nominator's New York clock"
    )
    assert "You recognised Ines Agent" in renewed.text
    assert "4 nominations left" in renewed.text


def test_the_modal_nominates_with_a_reward_and_keeps_it_private_when_asked(ready: RunningBot) -> None:
    ready.driver.command("U0AGENT1", "/nominate")
    [opened] = ready.slack.calls("views.open")
    view = opened.args["view"]

    reply = ready.driver.submit(
        "U0AGENT1",
        view,
        {blocks.PEOPLE: ["U0AGENT3"], blocks.REWARD: "half_day", blocks.REASON: "stayed late", blocks.PUBLIC: []},
    )

    assert reply.status == 200 and reply.body == ""
    [request] = ready.slack.messages_to("U0MGR2")
    assert "Half a day off" in request.text
    [receipt] = ready.slack.messages_to("U0AGENT1")
    assert "waiting for approval by Omar Manager" in receipt.text
    with ready.sessions() as session:
        [nomination] = nominations(session)
        assert (nomination.public, nomination.status, nomination.unit) == (False, "pending", "hours")


def test_a_nomination_whose_visibility_box_is_left_ticked_is_shouted_out_in_the_recognition_channel(
    ready: RunningBot,
) -> None:
    ready.driver.command("U0AGENT1", "/nominate")
    [opened] = ready.slack.calls("views.open")

    reply = ready.driver.submit(
        "U0AGENT1", opened.args["view"], {blocks.PEOPLE: ["U0AGENT3"], blocks.REASON: "covered my shift"}
    )

    assert reply.status == 200 and reply.body == ""
    [post] = ready.slack.calls("chat.postMessage", channel="C0KUDOS")
    assert "<@U0AGENT1> recognised <@U0AGENT3>" in post.text
    assert "covered my shift" in post.text
    with ready.sessions() as session:
        [nomination] = nominations(session)
        assert (nomination.public, nomination.item_key, nomination.status) == (True, "shoutout", "approved")


def test_the_modal_shows_a_refused_nominee_on_the_people_field(ready: RunningBot) -> None:
    ready.driver.command("U0AGENT1", "/nominate")
    [opened] = ready.slack.calls("views.open")

    reply = ready.driver.submit(
        "U0AGENT1", opened.args["view"], {blocks.PEOPLE: ["U0AGENT1"], blocks.REASON: "me", blocks.REWARD: "shoutout"}
    )

    assert reply.json["response_action"] == "errors"
    assert "yourself" in reply.json["errors"][blocks.PEOPLE]
    with ready.sessions() as session:
        assert nominations(session) == []


def test_the_modal_is_acked_before_slack_is_asked_about_a_newcomer_who_then_hears_of_it(ready: RunningBot) -> None:
    ready.slack.add_user("U0NEWBIE", "Nora Newbie", email="nora@example.com")
    ready.driver.command("U0AGENT1", "/nominate")
    [opened] = ready.slack.calls("views.open")
    ready.slack.hold_until_ack("users.info")

    reply = ready.driver.submit(
        "U0AGENT1", opened.args["view"], {blocks.PEOPLE: ["U0NEWBIE"], blocks.REASON: "great first week"}
    )

    assert reply.status == 200 and reply.body == ""
    assert ready.slack.violations == []
    [dm] = ready.slack.messages_to("U0NEWBIE")
    assert "great first week" in dm.text
    [receipt] = ready.slack.messages_to("U0AGENT1")
    assert "You recognised <@U0NEWBIE>" in receipt.text
    [post] = ready.slack.calls("chat.postMessage", channel="C0KUDOS")  # the box left ticked, as most people do
    assert "<@U0NEWBIE>" in post.text


def test_a_nominee_slack_refuses_after_the_modal_closed_is_explained_in_a_dm(ready: RunningBot) -> None:
    ready.slack.add_user("U0HELPER", "Help Bot", is_bot=True)
    ready.driver.command("U0AGENT1", "/nominate")
    [opened] = ready.slack.calls("views.open")

    reply = ready.driver.submit("U0AGENT1", opened.args["view"], {blocks.PEOPLE: ["U0HELPER"], blocks.REASON: "beep"})

    assert reply.status == 200 and reply.body == ""
    [dm] = ready.slack.messages_to("U0AGENT1")
    assert "Your nomination was not sent: Bots can't receive recognition" in dm.text
    assert ready.slack.calls("chat.postMessage", channel="C0KUDOS") == [], "nothing public, though the box was ticked"
    with ready.sessions() as session:
        assert nominations(session) == []


def test_the_modal_links_a_colleagues_customer_story_to_the_shout_out(ready: RunningBot) -> None:
    with ready.sessions.begin() as session:
        story = add_story(session, "U0AGENT3", "Rebooked a <stranded> family overnight", ready.clock.now())
    ready.driver.command("U0AGENT1", "/nominate")
    [opened] = ready.slack.calls("views.open")
    assert "Ines Agent: Rebooked a <stranded> family overnight" in opened.text

    reply = ready.driver.submit(
        "U0AGENT1",
        opened.args["view"],
        {
            blocks.PEOPLE: ["U0AGENT3"],
            blocks.REWARD: "shoutout",
            blocks.REASON: "went the extra mile",
            blocks.STORY: str(story.id),
            blocks.PUBLIC: ["yes"],
        },
    )

    assert reply.body == "", reply.body
    [post] = ready.slack.calls("chat.postMessage", channel="C0KUDOS")
    assert "_Customer story:_ Rebooked a &lt;stranded&gt; family overnight" in post.text
    with ready.sessions() as session:
        assert grants(session)[0].resolution_id == story.id


def test_the_modal_offers_a_story_naming_colleagues_as_slack_shows_them(ready: RunningBot) -> None:
    """A menu option is plain text: a mention in a story's summary would read as its markup, `<@U0AGENT2>`."""
    logged = ready.driver.command("U0AGENT3", "/resolve", f"refund 20 ref:A1 {LEE} and I re-sent <@U0ZED|zed>'s parcel")
    assert "Logged" in logged.text, logged.text

    ready.driver.command("U0AGENT1", "/nominate")

    [opened] = ready.slack.calls("views.open")
    [menu] = [block for block in opened.args["view"]["blocks"] if block["block_id"] == blocks.STORY]
    [story] = [option["text"]["text"] for option in menu["element"]["options"]]
    assert story == "Ines Agent: @Lee Senior and I re-sent @zed's parcel"
    assert ready.slack.violations == []


def story_options(bot: RunningBot) -> list[str]:
    [opened] = bot.slack.calls("views.open")
    [menu] = [block for block in opened.args["view"]["blocks"] if block["block_id"] == blocks.STORY]
    return [option["text"]["text"] for option in menu["element"]["options"]]


def test_the_modal_names_no_one_in_a_story_whom_slack_was_never_asked_about(ready: RunningBot) -> None:
    """As everywhere in /nominate: whether they are a guest is not known, so the story does not name them."""
    nora = newcomer_known_by_handle(ready)
    with ready.sessions.begin() as session:
        add_story(session, "U0AGENT3", f"Re-sent <@{nora}>'s parcel", ready.clock.now())
    ready.slack.reset()

    ready.driver.command("U0AGENT1", "/nominate")

    assert story_options(ready) == ["Ines Agent: Re-sent @someone's parcel"]


def test_a_right_to_left_override_in_a_name_a_story_mentions_stops_at_the_name(ready: RunningBot) -> None:
    with ready.sessions.begin() as session:
        employee(session, "U0AGENT2").name = "Lee \u202eSenior"
        add_story(session, "U0AGENT3", "<@U0AGENT2> and I re-sent the parcel", ready.clock.now())

    ready.driver.command("U0AGENT1", "/nominate")

    assert story_options(ready) == ["Ines Agent: @Lee \u202eSenior\u202c and I re-sent the parcel"]


def test_a_name_holding_a_channel_mention_notifies_nobody_even_in_the_notification_text(ready: RunningBot) -> None:
    ready.slack.add_user("U0PRANK", "<!channel> Pat")

    ready.driver.command("U0AGENT1", "/nominate", "<@U0PRANK> thanks")
    ready.driver.command("U0AGENT1", "/nominate", "<@U0PRANK> voucher_25 thanks again")

    sent = [c for c in ready.slack.calls() if c.method in ("chat.postMessage", "response_url")]
    assert len(sent) >= 4  # the shout-out, the DM, the approval request, the confirmations
    assert all("<!channel>" not in str(c.args.get("text")) for c in sent)
    [shoutout] = ready.slack.calls("chat.postMessage", channel="C0KUDOS")
    assert shoutout.args["text"] == "Shout-out for <@U0PRANK>"


def test_the_biggest_catalog_the_policy_allows_opens_in_the_modal(bot: RunningBot) -> None:
    items = "\n".join(f'[rewards.reward_{n}]\ntitle = "Reward number {n} with a long title"' for n in range(99))
    load_org(bot.sessions, bot.clock.now())
    load_policy_text(bot.sessions, bot.clock.now(), EXAMPLE_POLICY.read_text().split("# Each [rewards")[0] + items)

    bot.driver.command("U0AGENT1", "/nominate")

    [opened] = bot.slack.calls("views.open")
    [picker] = [b for b in opened.args["view"]["blocks"] if b["block_id"] == blocks.REWARD]
    assert len(picker["element"]["options"]) == 100


def test_the_modal_refusing_a_reward_at_its_monthly_most_keeps_when_it_frees_up_however_long_its_title(
    ready: RunningBot,
) -> None:
    long_title = "Coffee & cake voucher for " + "the whole support floor and " * 6 + "all"
    assert len(long_title) <= 200
    policy = EXAMPLE_POLICY.read_text().replace('title = "Coffee & cake voucher"', f'title = "{long_title}"', 1)
    load_policy_text(ready.sessions, ready.clock.now(), policy)
    for giver, why in (("U0AGENT1", "calmed a customer"), ("U0MGR2", "covered a shift")):
        ready.driver.command(giver, "/nominate", f"{LEE} voucher_25 {why}")
    for request in [call for call in ready.slack.calls("chat.postMessage") if blocks.APPROVE in str(call.args)]:
        ready.driver.click(request.channel, request, blocks.APPROVE)
    ready.driver.command("U0AGENT3", "/nominate")
    [opened] = ready.slack.calls("views.open")

    reply = ready.driver.submit(
        "U0AGENT3",
        opened.args["view"],
        {blocks.PEOPLE: ["U0AGENT2"], blocks.REWARD: "voucher_25", blocks.REASON: "saved an order"},
    )

    [error] = reply.json["errors"].values()
    assert "Lee Senior has already received or been put forward for Coffee & cake voucher for the whole" in error
    assert "2 times this month, the most the catalog allows." in error
    assert error.endswith("or this one again from Tuesday 31 March at 17:00 Los Angeles time."), error


def test_a_monthly_most_hr_lowered_below_what_someone_received_says_how_many_times_against_how_many(
    ready: RunningBot,
) -> None:
    for giver, why in (("U0AGENT1", "calmed a customer"), ("U0MGR2", "covered a shift")):
        ready.driver.command(giver, "/nominate", f"{LEE} voucher_25 {why}")
    for request in [call for call in ready.slack.calls("chat.postMessage") if blocks.APPROVE in str(call.args)]:
        ready.driver.click(request.channel, request, blocks.APPROVE)
    lowered = EXAMPLE_POLICY.read_text().replace("max_per_month = 2", "max_per_month = 1", 1)
    assert lowered != EXAMPLE_POLICY.read_text()
    load_policy_text(ready.sessions, ready.clock.now(), lowered)

    refused = ready.driver.command("U0AGENT3", "/nominate", f"{LEE} voucher_25 saved an order").text

    assert "2 times this month, more than the 1 the catalog allows." in refused, refused
    assert "1 time this month, the most" not in refused


def test_a_customer_story_that_aged_out_while_the_form_was_open_is_refused_on_the_story_field(
    ready: RunningBot,
) -> None:
    with ready.sessions.begin() as session:
        old = ready.clock.now() - timedelta(days=30) + timedelta(minutes=5)
        story = add_story(session, "U0AGENT3", "Rebooked a stranded family", old)
    ready.driver.command("U0AGENT1", "/nominate")
    [opened] = ready.slack.calls("views.open")
    assert "Ines Agent: Rebooked a stranded family" in opened.text
    ready.clock.advance(timedelta(minutes=10))

    reply = ready.driver.submit(
        "U0AGENT1",
        opened.args["view"],
        {
            blocks.PEOPLE: ["U0AGENT3"],
            blocks.REWARD: "shoutout",
            blocks.REASON: "went the extra mile",
            blocks.STORY: str(story.id),
        },
    )

    assert reply.json["response_action"] == "errors"
    assert "can't be linked any more" in reply.json["errors"][blocks.STORY]
    with ready.sessions() as session:
        assert nominations(session) == []


@pytest.mark.parametrize(
    ("typed", "key", "reason"),
    [
        (":star: service_star for the weekend cover", "service_star", ":star: for the weekend cover"),
        ("voucher_25:tada: for the weekend cover", "voucher_25", ":tada: for the weekend cover"),
        ("\U0001f389 voucher_25 for the weekend cover", "voucher_25", "\U0001f389 for the weekend cover"),
        (":tada: \u2014 voucher_25 for the angry caller", "voucher_25", ":tada: for the angry caller"),
    ],
)
def test_an_emoji_before_a_reward_or_typed_onto_it_is_the_reasons(
    ready: RunningBot, typed: str, key: str, reason: str
) -> None:
    """Slack sends a picked emoji as its code: `:star: service_star …` went up in the channel as a shout-out whose
    reason began `:star: service_star`, the award never asked for; `voucher_25:tada:` was "no reward called"; so went
    `:tada: — voucher_25 for the angry caller`, the voucher's key posted in the channel."""
    reply = ready.driver.command("U0AGENT1", "/nominate", f"{LEE} {typed}")

    assert "is waiting for approval" in reply.text
    assert ready.slack.calls("chat.postMessage", channel="C0KUDOS") == []
    with ready.sessions() as session:
        [nomination] = nominations(session)
        assert (nomination.item_key, nomination.reason) == (key, reason)
