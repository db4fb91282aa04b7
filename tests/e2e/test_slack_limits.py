"""Whatever the data, every message, form and App Home Latitude sends is one Slack accepts."""

import re

from services import directory
from services.rewards.nominations import NominationRequest, nominate
from tests.conftest import RunningBot
from tests.e2e.test_pulse_results import answer_all, close
from tests.e2e.test_pulse_rounds import questions_dm
from tests.helpers import add_org_people, employee, load_org, load_org_and_policy, load_policy
from tests.pulse_org import EAST, EVERYONE, POLICY, PULSE, load_pulse_org
from tests.rewards_helpers import add_story


def ten_long_questions() -> str:
    """Ten questions of the 300 characters a question may have, written with `&` all along: five times as long once
    escaped."""
    questions = "".join(f'[[pulse.questions]]\nkey = "q{n}"\ntext = "Q{n} {"&" * 295}"\n' for n in range(10))
    return PULSE.replace("questions_per_round = 3", "questions_per_round = 10") + (
        "replace_default_questions = true\n" + questions
    )


def test_ten_long_pulse_questions_full_of_ampersands_reach_everyone_and_their_results_show(bot: RunningBot) -> None:
    load_pulse_org(bot.sessions, bot.clock.now(), pulse=ten_long_questions())

    assert "Pulse round 1 is open" in bot.driver.command("U0HR", "/pulse", "start").text
    assert bot.slack.violations == []
    assert sorted(call.channel for call in bot.slack.calls("chat.postMessage")) == sorted(EVERYONE)
    assert "*1. Q0 &amp;&amp;" in questions_dm(bot, "U0A01").text and "&amp;…*" in questions_dm(bot, "U0A01").text
    answer_all(bot, EAST[:5], 4, questions=10)
    close(bot)

    results = bot.driver.command("U0MGR1", "/pulse", "results")

    assert bot.slack.violations == []
    assert results.text.count("Average *4.0* of 5") == 10


def long_name(n: int) -> str:
    """A name of the 200 characters the directory holds, written with `&` all along."""
    return f"P{n:02} " + "&" * 196


def org_of_long_names(people: int) -> str:
    rows = ["slack_id,name,team,role,manager_slack_id", "U0HR,Hana Reyes,People,hr,"]
    rows += [f"U0P{n:02},{long_name(n)},Support,frontline,U0HR" for n in range(people)]
    return "\n".join(rows) + "\n"


def a_full_catalog() -> str:
    """The 99 rewards a catalog may hold besides the shout-out, each with a 40-character key and a 200-character
    title written with `&` all along."""
    items = "".join(
        f'[rewards.{"r" * 37}{n:03}]\ntitle = "{n:03} {"&" * 196}"\nkind = "voucher"\nvalue = 25\n' for n in range(99)
    )
    return POLICY + "[rewards]\n" + items


def test_a_catalog_of_a_hundred_long_rewards_is_cut_where_the_reader_sees_it(bot: RunningBot) -> None:
    load_org(bot.sessions, bot.clock.now(), org_of_long_names(2))
    add_org_people(bot.slack, org_of_long_names(2))
    load_policy(bot.sessions, bot.clock.now(), a_full_catalog())

    reply = bot.driver.command("U0P00", "/rewards", "catalog")

    assert bot.slack.violations == []
    assert len(reply.text) <= 40_000
    shown = len(re.findall(r"^• ", reply.text, re.MULTILINE))
    assert 0 < shown < 100 and f"…and {100 - shown} more" in reply.text and "/nominate" in reply.text


def test_hr_sees_many_mutual_pairs_of_long_names_cut_where_the_reader_sees_it(bot: RunningBot) -> None:
    now = bot.clock.now()
    load_org(bot.sessions, now, org_of_long_names(60))
    add_org_people(bot.slack, org_of_long_names(60))
    load_policy(bot.sessions, now, POLICY)
    with bot.sessions.begin() as session:
        workspace = directory.ensure_workspace(session, slack_team_id="T0LATITUDE", now=now)
        for n in range(0, 60, 2):
            for giver, taker in ((n, n + 1), (n + 1, n)):
                for time in range(2):
                    request = NominationRequest((f"U0P{taker:02}",), "shoutout", f"thanks #{time}")
                    nominator = employee(session, f"U0P{giver:02}")
                    nominate(
                        session,
                        workspace=workspace,
                        nominator=nominator,
                        request=request,
                        slack_people={},
                        bot_user_id=None,
                        now=now,
                    )

    reply = bot.driver.command("U0HR", "/rewards", "top")

    assert bot.slack.violations == []
    assert len(reply.text) <= 40_000
    pairs = len(re.findall(r"^• P\d\d ", reply.text, re.MULTILINE))
    assert 0 < pairs < 30 and f"…and {30 - pairs} more" in reply.text


def test_a_newcomer_whose_slack_name_is_only_spaces_still_gets_a_home(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0NEW", "Nora Newcomer")
    bot.slack.state.users["U0NEW"]["profile"]["real_name"] = bot.slack.state.users["U0NEW"]["name"] = "   "
    bot.driver.command("U0NEW", "/rewards", user_name="   ")

    bot.driver.open_home("U0NEW")

    [*_, home] = bot.slack.calls("views.publish", user_id="U0NEW")
    assert home.args["view"]["blocks"][0]["text"]["text"] == "Hi there 👋"


def long_praise() -> str:
    """Twenty awards given without approval, each with a 200-character title written with `&` all along."""
    items = "".join(f'[rewards.award_{n:02}]\ntitle = "{n:02} {"&" * 197}"\nkind = "award"\n' for n in range(20))
    return POLICY + "[rewards]\nnomination_allowance_per_month = 100\n" + items


def test_a_history_of_long_rewards_between_long_names_fits_one_message(bot: RunningBot) -> None:
    now = bot.clock.now()
    load_org(bot.sessions, now, org_of_long_names(11))
    add_org_people(bot.slack, org_of_long_names(11))
    load_policy(bot.sessions, now, long_praise())
    with bot.sessions.begin() as session:
        workspace = directory.ensure_workspace(session, slack_team_id="T0LATITUDE", now=now)
        for n in range(1, 11):
            for giver, taker in ((0, n), (n, 0)):
                request = NominationRequest((f"U0P{taker:02}",), f"award_{n:02}", "thanks " + "<&>" * 300)
                nominate(
                    session,
                    workspace=workspace,
                    nominator=employee(session, f"U0P{giver:02}"),
                    request=request,
                    slack_people={},
                    bot_user_id=None,
                    now=now,
                )

    reply = bot.driver.command("U0P00", "/rewards")

    assert bot.slack.violations == []
    assert reply.text.count("• ") == 20


def test_a_newcomer_slack_says_nothing_about_is_greeted_without_their_slack_id(bot: RunningBot) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())
    bot.slack.add_user("U0NEW", "Nora Newcomer")
    bot.slack.fail("users.info", error="fatal_error")

    bot.driver.open_home("U0NEW")

    [home] = bot.slack.calls("views.publish", user_id="U0NEW")
    assert home.args["view"]["blocks"][0]["text"]["text"] == "Hi there 👋"


def test_a_nomination_between_long_names_for_a_long_reward_still_shows_its_reason_and_approver(bot: RunningBot) -> None:
    """Two names and a title of 200 characters written with `&` all along fill a section by themselves: the reason
    the approver decides on, and the approver HR reads, must still show."""
    load_org(bot.sessions, bot.clock.now(), org_of_long_names(2))
    add_org_people(bot.slack, org_of_long_names(2))
    title = "V " + "&" * 198
    load_policy(
        bot.sessions, bot.clock.now(), f'{POLICY}[rewards.voucher]\ntitle = "{title}"\nkind = "voucher"\nvalue = 25\n'
    )
    reply = bot.driver.command("U0P00", "/nominate", "<@U0P01|p01> voucher calmed a furious customer down")
    assert "waiting for approval by Hana Reyes" in reply.text, reply.text
    [request] = bot.slack.calls("chat.postMessage", channel="U0HR")

    assert "calmed a furious customer down" in request.text
    bot.driver.click("U0HR", request, "reward_approve")

    assert bot.slack.violations == []
    [update] = bot.slack.calls("chat.update")
    assert "calmed a furious customer down" in update.text and "Approved by Hana Reyes" in update.text
    [grant] = [call for call in bot.slack.calls("chat.postMessage", channel="U0HR") if "Reward grant #" in call.text]
    assert "approved by Hana Reyes." in grant.text


def test_the_nominate_form_shows_the_value_of_rewards_whose_title_is_longer_than_a_menu_shows(bot: RunningBot) -> None:
    """A menu option shows 75 characters: two long titles alike to the end must still show what each is worth."""
    title = "Gift card for the staff shop, to spend on anything in its catalogue this quarter"
    items = "".join(
        f'[rewards.card_{value}]\ntitle = "{title}"\nkind = "voucher"\nvalue = {value}\n' for value in (25, 50)
    )
    load_org(bot.sessions, bot.clock.now(), org_of_long_names(2))
    add_org_people(bot.slack, org_of_long_names(2))
    load_policy(bot.sessions, bot.clock.now(), POLICY + "[rewards]\n" + items)

    bot.driver.command("U0P00", "/nominate")

    [opened] = bot.slack.calls("views.open")
    [menu] = [block for block in opened.args["view"]["blocks"] if block["block_id"] == "reward"]
    shown = {option["value"]: option["text"]["text"] for option in menu["element"]["options"]}
    assert shown["card_25"].startswith("Gift card for the staff shop") and shown["card_25"].endswith("… (25 USD)")
    assert shown["card_50"].endswith("… (50 USD)") and len(shown["card_50"]) == 75
    assert bot.slack.violations == []


def test_the_nominate_form_tells_apart_rewards_of_one_value_whose_titles_differ_past_what_a_menu_shows(
    bot: RunningBot,
) -> None:
    """Each option shows 75 characters and its description 75 more: the end of a long title goes there."""
    title = "Gift card for the staff shop, to spend on anything in its catalogue this quarter, for"
    items = "".join(
        f'[rewards.card_{shop}]\ntitle = "{title} the {shop} shop"\nkind = "voucher"\nvalue = 25\n'
        for shop in ("east", "west")
    )
    load_org(bot.sessions, bot.clock.now(), org_of_long_names(2))
    add_org_people(bot.slack, org_of_long_names(2))
    load_policy(bot.sessions, bot.clock.now(), POLICY + "[rewards]\n" + items)

    bot.driver.command("U0P00", "/nominate")

    [opened] = bot.slack.calls("views.open")
    [menu] = [block for block in opened.args["view"]["blocks"] if block["block_id"] == "reward"]
    shown = {option["value"]: option for option in menu["element"]["options"]}
    assert shown["card_east"]["text"] == shown["card_west"]["text"]
    assert shown["card_east"]["description"]["text"].endswith("this quarter, for the east shop")
    assert shown["card_west"]["description"]["text"].endswith("this quarter, for the west shop")
    assert "description" not in shown["shoutout"]
    assert bot.slack.violations == []


def test_a_reward_title_just_past_what_a_menu_option_shows_ends_in_its_description_with_only_what_was_cut(
    bot: RunningBot,
) -> None:
    title = "Gift card for the staff shop, to spend on anything in its catalogue, today"
    load_org(bot.sessions, bot.clock.now(), org_of_long_names(2))
    add_org_people(bot.slack, org_of_long_names(2))
    policy = f'[rewards.card]\ntitle = "{title}"\nkind = "voucher"\nvalue = 25\n'
    load_policy(bot.sessions, bot.clock.now(), POLICY + policy)

    bot.driver.command("U0P00", "/nominate")

    [opened] = bot.slack.calls("views.open")
    [menu] = [block for block in opened.args["view"]["blocks"] if block["block_id"] == "reward"]
    [card] = [option for option in menu["element"]["options"] if option["value"] == "card"]
    cut = card["text"]["text"].removesuffix("… (25 USD)")
    assert title.startswith(cut) and card["description"]["text"] == "…" + title[len(cut) :].lstrip()
    assert bot.slack.violations == []


def test_the_nominate_form_shows_what_each_customer_story_was_whoever_told_it(bot: RunningBot) -> None:
    """A story is offered as its teller's name and its summary, in an option of 75 characters: a long name must not
    leave every story of that colleague reading the same."""
    load_org(bot.sessions, bot.clock.now(), org_of_long_names(2))
    add_org_people(bot.slack, org_of_long_names(2))
    load_policy(bot.sessions, bot.clock.now(), POLICY)
    with bot.sessions.begin() as session:
        for summary in ("Refunded a parcel lost twice", "Re-sent a broken mug"):
            add_story(session, "U0P01", summary, bot.clock.now())

    bot.driver.command("U0P00", "/nominate")

    [opened] = bot.slack.calls("views.open")
    [menu] = [block for block in opened.args["view"]["blocks"] if block["block_id"] == "story"]
    shown = [option["text"]["text"] for option in menu["element"]["options"]]
    assert all(text.startswith("P01 &") for text in shown)
    assert sorted(text.rsplit("…: ", 1)[-1] for text in shown) == [
        "Re-sent a broken mug",
        "Refunded a parcel lost twice",
    ]
    assert bot.slack.violations == []
