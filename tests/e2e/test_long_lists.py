"""Long lists stay within Slack's limits (a refused reply shows nothing) and say how many they leave out."""

import hashlib
import re
from datetime import timedelta

import pytest

from bot.fakeslack.blockkit import blocks_text_length
from handlers.blocks.kit import MESSAGE_TEXT
from models import PolicyVersion
from services import directory
from services.suggestions import lifecycle
from services.suggestions.lifecycle import SuggestionRequest
from tests.conftest import RunningBot
from tests.e2e.test_pulse_rounds import tick
from tests.fixture_week import MONDAY, at, load_fixture_week, pile_of_pending
from tests.helpers import POLICY_EXAMPLE, add_org_people, employee, load_org, load_policy
from tests.pulse_org import POLICY, PULSE, org_csv
from tests.suggestions_helpers import load_suggestion_org


def submit_ideas(
    bot: RunningBot, author: str, count: int, *, category: str | None = None, start: int = 0, padding: str = ""
) -> None:
    now = bot.clock.now()
    with bot.sessions.begin() as session:
        workspace = directory.ensure_workspace(session, slack_team_id="T0LATITUDE", now=now)
        for n in range(count):
            what = f"idea {author} {category or 'team'} {start + n} {padding}"
            request = SuggestionRequest(what=what, category=category)
            at = now + timedelta(seconds=start + n)
            lifecycle.submit(
                session, workspace=workspace, author=employee(session, author), request=request, relay=None, now=at
            )


@pytest.fixture
def busy_manager(bot: RunningBot) -> RunningBot:
    load_suggestion_org(bot.sessions, bot.clock.now())
    submit_ideas(bot, "U0MGR1", 25)
    for n, agent in enumerate(("U0AGENT1", "U0AGENT2", "U0AGENT4", "U0AGENT5")):
        submit_ideas(bot, agent, 14, start=100 + 20 * n)
        submit_ideas(bot, agent, 6, category="tools", start=200 + 20 * n)
    return bot


def test_a_managers_long_suggestion_list_fits_one_message_and_says_how_many_it_leaves_out(
    busy_manager: RunningBot,
) -> None:
    reply = busy_manager.driver.command("U0MGR1", "/suggest", "list")

    assert len(reply.json["blocks"]) <= 50 and busy_manager.slack.violations == []
    mine, waiting, team = re.split(r"\*Waiting on you\*|\*Your team's open suggestions", reply.text)
    assert waiting.startswith(" (56, oldest first)") and team.startswith(" with their owners* (24, oldest first)")
    assert f"and {25 - len(re.findall('idea U0MGR1', mine))} more" in mine
    assert f"and {56 - len(re.findall('idea U0AGENT. team', waiting))} more" in waiting
    assert f"and {24 - len(re.findall('idea U0AGENT. tools', team))} more" in team


def test_a_suggestion_list_of_long_ideas_keeps_within_the_text_a_message_may_hold(bot: RunningBot) -> None:
    """Ideas written with `&` all along: each shows 200 characters, five times as long once escaped."""
    load_suggestion_org(bot.sessions, bot.clock.now())
    submit_ideas(bot, "U0MGR1", 20, padding="&" * 400)
    for n, agent in enumerate(("U0AGENT1", "U0AGENT2")):
        submit_ideas(bot, agent, 10, start=100 + 20 * n, padding="&" * 400)
        submit_ideas(bot, agent, 10, category="tools", start=200 + 20 * n, padding="&" * 400)

    reply = bot.driver.command("U0MGR1", "/suggest", "list")

    assert bot.slack.violations == []
    mine, waiting, team = re.split(r"\*Waiting on you\*|\*Your team's open suggestions", reply.text)
    assert f"and {20 - len(re.findall('idea U0MGR1', mine))} more" in mine
    assert f"and {20 - len(re.findall('idea U0AGENT. team', waiting))} more" in waiting
    assert f"and {20 - len(re.findall('idea U0AGENT. tools', team))} more" in team


def a_hundred_categories() -> str:
    """The example policy's agent profile with 95 more categories, named to sort before refund and credit."""
    extra = "".join(
        f'cat_{n:02} = {{ description = "Goodwill gesture number {n} for a customer", per_incident = {n + 5}, '
        f"per_day = {n + 50}, per_month = {n + 500} }}\n"
        for n in range(95)
    )
    reschedule = 'reschedule = { description = "Move a delivery or appointment" }\n'
    return POLICY_EXAMPLE.read_text().replace(reschedule, reschedule + extra, 1)


@pytest.fixture
def many_categories(bot: RunningBot) -> RunningBot:
    load_org(bot.sessions, bot.clock.now())
    load_policy(bot.sessions, bot.clock.now(), a_hundred_categories())
    return bot


def test_boundaries_of_a_hundred_categories_fit_one_message_and_show_any_one_in_full(
    many_categories: RunningBot,
) -> None:
    reply = many_categories.driver.command("U0AGENT1", "/boundaries")
    one = many_categories.driver.command("U0AGENT1", "/boundaries", "CAT_94")

    shown = re.findall(r"\*([a-z_0-9]+)\* — ", reply.text)
    named = re.findall(r"`([a-z_0-9]+)`", reply.text.split("shows any of them in full.")[1])
    assert len(shown) + len(named) == 100 and {*shown, *named} >= {"refund", "cat_00", "cat_94"}
    assert f"…and {100 - len(shown)} more, only named to fit one message" in reply.text
    assert "Goodwill gesture" not in reply.text and "Descriptions left out to fit one message" in reply.text
    assert "*cat_94* — up to $99, per day $144, per month $594" in one.text
    assert "Goodwill gesture number 94 for a customer" in one.text
    assert many_categories.slack.violations == []


def test_boundaries_of_a_category_one_does_not_have_lists_those_one_has(bot: RunningBot) -> None:
    load_org(bot.sessions, bot.clock.now())
    load_policy(bot.sessions, bot.clock.now(), POLICY_EXAMPLE.read_text())

    reply = bot.driver.command("U0AGENT1", "/boundaries", "teleport")

    assert "`teleport` isn't one of your categories. You can use: `credit`, `fee_waiver`" in reply.text


def test_the_home_shows_the_allowance_of_every_one_of_a_hundred_categories(many_categories: RunningBot) -> None:
    many_categories.driver.open_home("U0AGENT1")

    [home] = many_categories.slack.calls("views.publish")
    assert "*refund*: $150 left today" in home.text and "*cat_94*: $144 left today" in home.text
    assert many_categories.slack.violations == []


def test_the_home_counts_every_request_waiting_and_shows_the_oldest_the_digest_shows(bot: RunningBot) -> None:
    load_fixture_week(bot.sessions)
    bot.clock.set(MONDAY)
    pile_of_pending(bot.sessions, 300, at(26, 10))

    bot.driver.command("U0MGR1", "/digest")
    bot.driver.open_home("U0MGR1")

    [digest] = bot.slack.calls("response_url")
    [home] = bot.slack.calls("views.publish")
    assert "*Waiting on you (301), oldest first:*" in digest.text
    assert "*Waiting for your decision* (301)" in home.text
    buttons = [block for block in home.args["view"]["blocks"] if block.get("block_id", "").startswith("decide_")]
    assert f"and {301 - len(buttons)} more" in home.text and f"App Home shows the oldest {len(buttons)};" in digest.text
    assert set(re.findall(r"waiver number \d+", digest.text)) <= set(re.findall(r"waiver number \d+", home.text))


def test_pulse_results_name_every_one_of_sixty_teams_inside(bot: RunningBot) -> None:
    teams = "".join(
        f"U0M{n:02},Manager {n:02},Team {n:02},manager,U0ADMIN,,Europe/London,\n"
        f"U0R{n:02},Agent {n:02},Team {n:02},frontline,U0M{n:02},,Europe/London,\n"
        for n in range(60)
    )
    load_org(bot.sessions, bot.clock.now(), org_csv() + teams)
    add_org_people(bot.slack, org_csv() + teams)
    load_policy(bot.sessions, bot.clock.now(), POLICY + PULSE)
    bot.driver.command("U0HR", "/pulse", "start")
    bot.clock.advance(timedelta(hours=73))
    tick(bot)

    reply = bot.driver.command("U0ADMIN", "/pulse", "results <@U0ADMIN>")

    named = set(re.findall(r"Manager (\d\d)'s team", reply.text))
    assert named == {f"{n:02}" for n in range(60)}
    assert bot.slack.violations == []


def a_hundred_long_named_categories() -> str:
    """The example policy's agent profile with 95 more categories, each named with the 40 characters a name may have."""
    extra = "".join(f"goodwill_gesture_after_a_long_wait_{n:03}_x = {{ per_incident = {n + 5} }}\n" for n in range(95))
    reschedule = 'reschedule = { description = "Move a delivery or appointment" }\n'
    return POLICY_EXAMPLE.read_text().replace(reschedule, reschedule + extra, 1)


def test_a_category_one_does_not_have_among_a_hundred_long_names_says_where_the_rest_are(bot: RunningBot) -> None:
    load_org(bot.sessions, bot.clock.now())
    load_policy(bot.sessions, bot.clock.now(), a_hundred_long_named_categories())

    shown = bot.driver.command("U0AGENT1", "/boundaries", "teleport")
    typed = bot.driver.command("U0AGENT1", "/resolve", "teleport 5 beamed the parcel home")

    for reply in (shown, typed):
        assert "`teleport` isn't one of your categories. You can use: `credit`, `fee_waiver`" in reply.text
        assert "`goodwill_gesture_after_a_long_wait_000_x`" in reply.text
        assert "…and 70 more: `/boundaries` lists them all." in reply.text, reply.text[-200:]
    listed = bot.driver.command("U0AGENT1", "/boundaries")
    assert "`goodwill_gesture_after_a_long_wait_094_x`" in listed.text or (
        "*goodwill_gesture_after_a_long_wait_094_x* — " in listed.text
    )
    assert bot.slack.violations == []


def test_boundaries_name_every_one_of_a_hundred_long_categories_with_every_limit(bot: RunningBot) -> None:
    """The longest a category's line gets without its description: the most of them are only named, and their names
    (40 characters each) need more than one section."""
    limits = "per_incident = 12345, per_day = 23456, per_month = 345678, per_customer_30d = 45678"
    extra = "".join(
        f"goodwill_gesture_after_a_long_wait_{n:03}_x = {{ {limits}, requires_customer_ref = true }}\n"
        for n in range(95)
    )
    reschedule = 'reschedule = { description = "Move a delivery or appointment" }\n'
    load_org(bot.sessions, bot.clock.now())
    load_policy(bot.sessions, bot.clock.now(), POLICY_EXAMPLE.read_text().replace(reschedule, reschedule + extra, 1))

    reply = bot.driver.command("U0AGENT1", "/boundaries")

    assert bot.slack.violations == []
    for n in range(95):
        name = f"goodwill_gesture_after_a_long_wait_{n:03}_x"
        assert f"`{name}`" in reply.text or f"*{name}* — " in reply.text, name


def stored_policy(bot: RunningBot, categories: list[str]) -> None:
    """The example policy with these categories added to the agents' profile, as an earlier release stored it:
    `policy load` now refuses names over 40 characters, or with `&` and `<`, and more than 100 categories."""
    extra = "".join(f'"{name}" = {{ per_incident = 5 }}\n' for name in categories)
    reschedule = 'reschedule = { description = "Move a delivery or appointment" }\n'
    text = POLICY_EXAMPLE.read_text().replace(reschedule, reschedule + extra, 1)
    with bot.sessions.begin() as session:
        workspace = directory.ensure_workspace(session, slack_team_id="T0LATITUDE", now=bot.clock.now())
        session.add(
            PolicyVersion(
                workspace_id=workspace.id,
                number=1,
                text=text,
                sha256=hashlib.sha256(text.encode()).hexdigest(),
                loaded_by="U0HR",
                loaded_at=bot.clock.now(),
            )
        )


def test_boundaries_of_an_older_policy_with_too_many_names_to_list_say_where_the_rest_are(bot: RunningBot) -> None:
    """Not "…and 250 more, only named" over a list of names itself cut short with no word of where the rest are."""
    load_org(bot.sessions, bot.clock.now())
    stored_policy(bot, [f"goodwill & <gesture> number {n:03} after a very long wait indeed" for n in range(118)])

    reply = bot.driver.command("U0AGENT1", "/boundaries")

    assert "only named" not in reply.text
    assert re.search(r"…and \d+ more: `/boundaries <category>` shows any of them\.", reply.text), reply.text[-300:]
    assert bot.slack.violations == []
    assert blocks_text_length(reply.json["blocks"]) <= MESSAGE_TEXT, "the categories in full keep to their budget"
