"""Long names, long texts and long lists as big teams have them. Where one is cut to fit Slack, the cut splits
nothing the reader sees as one (an emoji of several code points, a flag, a mention, an entity), the reader is told
what was left out, and what follows it still reads as written."""

from datetime import timedelta

from tests.conftest import FIXTURES, RunningBot
from tests.e2e.test_suggestions import suggest
from tests.helpers import add_org_people, load_org, load_policy
from tests.pulse_org import HEADER
from tests.rewards_helpers import add_story, load_policy_text, set_up
from tests.suggestions_helpers import EXTRA_AGENTS, SUGGESTIONS_POLICY

TECHNOLOGIST = "👩🏽\u200d💻"
"""Woman technologist, medium skin tone: four code points, one emoji."""
LONG_NAME = "Sam & Lee Customer Care Night Shift Desk Customer Care Night Shift Desk, " + TECHNOLOGIST + " Op"
"""80 characters, at Slack's limit for a display name; the digest cuts names at 80 once escaped, inside the emoji."""


def test_the_digest_cuts_a_long_name_before_an_emoji_not_inside_it(bot: RunningBot) -> None:
    assert len(LONG_NAME) == 80
    org = (FIXTURES / "org.csv").read_text() + f'U0LONG,"{LONG_NAME}",Support East,frontline,U0MGR1,,Europe/London,\n'
    load_org(bot.sessions, bot.clock.now(), org)
    add_org_people(bot.slack, org)
    load_policy_text(bot.sessions, bot.clock.now())

    bot.driver.command("U0MGR1", "/digest")

    [digest] = bot.slack.calls("response_url")
    assert "• Sam &amp; Lee Customer Care Night Shift Desk Customer Care Night Shift Desk, …" in digest.text
    assert "👩🏽…" not in digest.text, "the woman technologist cut to a woman"


def test_a_summary_cut_in_the_digest_leaves_out_a_mention_it_would_cut_open(bot: RunningBot) -> None:
    load_org(bot.sessions, bot.clock.now())
    load_policy_text(bot.sessions, bot.clock.now())
    told = ("parcel lost in transit and the customer called three times " * 5)[:281]
    bot.driver.command("U0AGENT1", "/resolve", f"refund 80 order 42 {told}<@U0AGENT2> agreed to refund")

    bot.driver.command("U0MGR1", "/digest")

    digest = bot.slack.calls("response_url")[-1]
    assert "Waiting on you (1)" in digest.text
    assert "&lt;@U0AG" not in digest.text, "a mention cut open shows as typed"
    assert f"> order 42 {told}…" in digest.text, "the summary as typed, up to the mention"


def test_a_request_sent_to_forty_admins_names_a_few_and_still_says_what_was_over(bot: RunningBot) -> None:
    admins = [
        f"U0AD{n:02d},Admin & Operations Lead {n:02d} for the North-East Region,Operations,admin,,,," for n in range(40)
    ]
    agent = "U0LONE,Lone Agent,Support East,frontline,,,Europe/London,agent"
    load_org(bot.sessions, bot.clock.now(), "\n".join([HEADER, *admins, agent]) + "\n")
    add_org_people(bot.slack, "\n".join([HEADER, *admins, agent]) + "\n")
    load_policy_text(bot.sessions, bot.clock.now())

    reply = bot.driver.command("U0LONE", "/resolve", "refund 80 order 42 parcel lost in transit")

    lead = "Admin &amp; Operations Lead {:02d} for the North-East Region"
    first_three = ", ".join(lead.format(n) for n in range(3))
    assert f"sent it to {first_three} or one of 37 other admins to decide." in reply.text
    assert "*Over:* per-incident limit $50 (this is $80)" in reply.text
    assert f"Sent your refund of $80 to {first_three} or one of 37 other admins to decide." in reply.text
    assert len(bot.slack.calls("chat.postMessage")) == 40, "every admin is asked, as before"


PASTED = "Order#48213&customer=Jane&issue=" + "parcel-lost-in-transit-and-refund-requested-" * 20
"""A word of 900 characters: a ticket's text pasted where the category goes."""


def test_a_long_word_pasted_where_the_category_goes_is_named_back_cut_short(bot: RunningBot) -> None:
    load_org(bot.sessions, bot.clock.now())
    load_policy_text(bot.sessions, bot.clock.now())

    reply = bot.driver.command("U0AGENT1", "/resolve", f"{PASTED} 40")

    assert "`order#48213&amp;customer=jane&amp;issue=parcel-…` isn't one of your categories." in reply.text
    assert len(reply.text) < 1000


def test_a_long_word_a_command_does_not_know_is_named_back_cut_short(bot: RunningBot) -> None:
    load_org(bot.sessions, bot.clock.now())
    load_policy_text(bot.sessions, bot.clock.now())

    reply = bot.driver.command("U0AGENT1", "/rewards", PASTED)

    assert "I don't know `Order#48213&amp;customer=Jane&amp;issue=parcel-…` here." in reply.text
    assert len(reply.text) < 1000


def test_you_said_we_did_thanks_twenty_long_named_backers_and_counts_the_others(bot: RunningBot) -> None:
    desk = ("Customer Care Night Shift & Weekend Escalations Desk, Returns and Refunds Team Lead, North " * 2)[:180]
    backers = [f"U0BK{n:02d}" for n in range(25)]
    rows = "".join(f'{user},"Agent {user[-2:]}, {desk}",Support East,frontline,U0MGR1,,,agent\n' for user in backers)
    load_org(bot.sessions, bot.clock.now(), (FIXTURES / "org.csv").read_text() + EXTRA_AGENTS + rows)
    add_org_people(bot.slack, (FIXTURES / "org.csv").read_text() + EXTRA_AGENTS + rows)
    load_policy(bot.sessions, bot.clock.now(), SUGGESTIONS_POLICY)
    card = suggest(bot)
    post = bot.slack.calls("chat.postMessage", channel="C0EAST")[-1]
    for user in backers:
        bot.driver.click(user, post, "suggestion_back")

    bot.driver.click("U0MGR1", card, "suggestion_done")
    [opened] = bot.slack.calls("views.open")
    bot.driver.submit("U0MGR1", opened.args["view"], {"note": "A second reader is on the returns desk since today"})

    [we_did] = [c for c in bot.slack.calls("chat.postMessage", channel="C0EAST") if "You said, we did" in c.text]
    assert "Thank you, Sam Agent, Agent 00, Customer Care" in we_did.text
    assert "and 6 other colleagues!" in we_did.text, "the author and 19 backers by name, then the count"


def test_a_right_to_left_override_in_a_name_ends_with_the_name(bot: RunningBot) -> None:
    org = (FIXTURES / "org.csv").read_text().replace("Sam Agent", "Sam Agent \u202eTeam A")
    load_org(bot.sessions, bot.clock.now(), org)
    add_org_people(bot.slack, org)
    load_policy_text(bot.sessions, bot.clock.now())

    bot.driver.command("U0AGENT1", "/resolve", "refund 80 order 42 parcel lost in transit")

    [request] = bot.slack.calls("chat.postMessage", channel="U0MGR1")
    assert "*Sam Agent \u202eTeam A\u202c* — *refund* of *$80*" in request.text, (
        "the line after the name reads as written"
    )
    assert request.args["text"].startswith("Sam Agent \u202eTeam A\u202c needs your decision")


def test_a_right_to_left_override_in_a_name_ends_with_the_name_in_a_forms_hint_and_the_home_header(
    bot: RunningBot,
) -> None:
    org = (FIXTURES / "org.csv").read_text().replace("Sam Agent", "\u202eSam Agent")
    load_org(bot.sessions, bot.clock.now(), org)
    add_org_people(bot.slack, org)
    load_policy_text(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT1", "/resolve", "refund 80 order 42 parcel lost in transit")
    [request] = bot.slack.calls("chat.postMessage", channel="U0MGR1")

    bot.driver.click("U0MGR1", request, "resolution_decline")
    bot.driver.open_home("U0AGENT1")

    [form] = bot.slack.calls("views.open")
    [reason] = [block for block in form.args["view"]["blocks"] if block.get("type") == "input"]
    assert reason["hint"]["text"] == "\u202eSam Agent\u202c will see this.", "read backwards: .siht ees lliw"
    [home] = bot.slack.calls("views.publish")
    assert home.args["view"]["blocks"][0]["text"]["text"] == "Hi \u202eSam\u202c 👋"


def test_a_right_to_left_override_in_a_story_ends_with_its_name_and_its_option_within_slacks_limit(
    bot: RunningBot,
) -> None:
    """The /nominate story picker's options: the name closed before its summary, the summary closed within the 75
    characters Slack takes (the fake Slack refuses the form otherwise)."""
    org = (FIXTURES / "org.csv").read_text().replace("Ines Agent", "Ines \u202eAgent")
    load_org(bot.sessions, bot.clock.now(), org)
    add_org_people(bot.slack, org)
    load_policy_text(bot.sessions, bot.clock.now())
    with bot.sessions.begin() as session:
        add_story(session, "U0AGENT3", "Refunded \u202elate order " + "x" * 80, bot.clock.now())

    bot.driver.command("U0AGENT1", "/nominate")

    [opened] = bot.slack.calls("views.open")
    [story] = [block for block in opened.args["view"]["blocks"] if block.get("block_id") == "story"]
    [shown] = [entry["text"]["text"] for entry in story["element"]["options"]]
    assert shown.startswith("Ines \u202eAgent\u202c: Refunded \u202elate order xx")
    assert shown.endswith("…\u202c") and len(shown) == 75


def test_an_anonymous_idea_typed_longer_than_the_form_holds_opens_cut_and_says_so(bot: RunningBot) -> None:
    load_org(bot.sessions, bot.clock.now(), (FIXTURES / "org.csv").read_text() + EXTRA_AGENTS)
    add_org_people(bot.slack, (FIXTURES / "org.csv").read_text() + EXTRA_AGENTS)
    load_policy(bot.sessions, bot.clock.now(), SUGGESTIONS_POLICY)
    start = ("the late shift needs a second person on the returns desk " * 18)[:999]
    idea = start + "🇵🇸" + " on Fridays" * 40  # a flag across the box's 1,000 characters

    bot.driver.command("U0AGENT1", "/suggest", f"anonymously: {idea}")

    [opened] = bot.slack.calls("views.open")
    [what] = [block for block in opened.args["view"]["blocks"] if block.get("block_id") == "what"]
    assert what["element"]["initial_value"] == start, "cut before the flag, not between its two letters"
    assert what["hint"]["text"] == "You typed 1,441 characters and the box holds 1,000: the end was left out."


def test_the_nominate_form_says_when_it_lists_only_the_latest_customer_stories(bot: RunningBot) -> None:
    set_up(bot.sessions, bot.clock.now())
    with bot.sessions.begin() as session:
        for n in range(51):
            add_story(session, "U0AGENT3", f"Refunded late order {n}", bot.clock.now() - timedelta(hours=n))

    bot.driver.command("U0AGENT1", "/nominate")

    [opened] = bot.slack.calls("views.open")
    [story] = [block for block in opened.args["view"]["blocks"] if block.get("block_id") == "story"]
    assert len(story["element"]["options"]) == 50
    assert story["element"]["options"][0]["text"]["text"] == "Ines Agent: Refunded late order 0"
    assert story["hint"]["text"].startswith("Only the 50 latest customer stories of the last 30 days are listed.")


def test_a_team_not_found_names_twenty_teams_and_counts_the_others(bot: RunningBot) -> None:
    managers = [f"U0TM{n:02d},Lead {n:02d},Support Team {n:02d},manager,U0ADMIN,,Europe/London," for n in range(25)]
    people = [
        "U0ADMIN,Ada Admin,Operations,admin,,,Europe/London,",
        "U0HR,Hana Reyes,People,hr,U0ADMIN,,Europe/London,",
    ]
    load_org(bot.sessions, bot.clock.now(), "\n".join([HEADER, *people, *managers]) + "\n")
    add_org_people(bot.slack, "\n".join([HEADER, *people, *managers]) + "\n")
    load_policy_text(bot.sessions, bot.clock.now())

    bot.driver.command("U0HR", "/digest", "team:Nowhere")
    export = bot.driver.command("U0HR", "/rewards", "export team:Nowhere")

    [digest] = bot.slack.calls("response_url")
    assert "`Support Team 17` and 7 more." in digest.text, "27 teams: Operations, People and 25 support teams"
    assert "Support Team 17 and 7 more)." in export.text


def test_a_mistyped_word_named_back_is_cut_before_a_flag_not_inside_it(bot: RunningBot) -> None:
    """A period, a reward, a person or an idea typed wrong is named back cut short: never half a flag or emoji."""
    load_org(bot.sessions, bot.clock.now())
    load_policy_text(bot.sessions, bot.clock.now())
    typed = "Q" * 39 + "\U0001f1f3\U0001f1ffmore"

    reply = bot.driver.command("U0AGENT1", "/rewards", f"top {typed}")

    assert f"`{'Q' * 39}…` is not a period" in reply.text
    assert "\U0001f1f3" not in reply.text
