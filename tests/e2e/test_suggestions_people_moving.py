"""Suggestions as people move without leaving: whoever no longer fits why they hold an idea hands it on and
answers it no more; `/suggest list` shows a team's ideas to whoever leads it today, and nothing to someone who
left."""

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from bot.cli.org import describe_report
from bot.fakeslack import Call
from handlers.jobs.drain_outbox import drain_outbox
from models import Suggestion
from tests.conftest import RunningBot
from tests.e2e.test_cli import cli
from tests.e2e.test_people_leaving import ORG_CSV, SAM_MOVES_WEST, WITHOUT_MAYA, reimport
from tests.helpers import load_org, load_policy
from tests.suggestions_helpers import EXTRA_AGENTS, SUGGESTIONS_POLICY, after_the_release, load_suggestion_org

EAST_UNDER_ADA = WITHOUT_MAYA + "\n" + EXTRA_AGENTS.replace(",U0MGR1,", ",U0ADMIN,")
HANA_MADE_FRONTLINE = EAST_UNDER_ADA.replace("U0HR,Hana Reyes,People,hr,", "U0HR,Hana Reyes,People,frontline,")
MAYA_MADE_FRONTLINE_UNDER_OMAR = (
    (ORG_CSV + EXTRA_AGENTS)
    .replace(",U0MGR1,", ",U0MGR2,")
    .replace("U0MGR1,Maya Manager,Support East,manager,U0ADMIN,", "U0MGR1,Maya Manager,Support East,frontline,U0MGR2,")
)


def send(bot: RunningBot, author: str, what: str, **fields: object) -> None:
    """Send it by the form; an anonymous one is then released to its owner, as the tests here start from its card."""
    bot.driver.command(author, "/suggest")
    view = bot.slack.calls("views.open")[-1].args["view"]
    assert bot.driver.submit(author, view, {"what": what, **fields}).json == {}
    if fields.get("anonymous"):
        after_the_release(bot)


def owner_and_status(bot: RunningBot) -> tuple[str, str]:
    with bot.sessions() as session:
        suggestion = session.scalars(select(Suggestion)).one()
        return suggestion.owner.slack_id, suggestion.status


def refusal(bot: RunningBot, user: str, card: Call) -> str:
    return refusal_of(bot, bot.driver.click_payload(user, card, "suggestion_planned"))


def refusal_of(bot: RunningBot, click: dict[str, Any]) -> str:
    """What a click on *Planned* is told; one built before the card changed is sent before that reached the screen."""
    bot.driver.send_click(click)
    return str(bot.slack.calls("response_url")[-1].args["text"])


def test_hr_made_frontline_hands_on_the_anonymous_ideas_they_held_as_hr(bot: RunningBot) -> None:
    load_suggestion_org(bot.sessions, bot.clock.now())
    send(bot, "U0AGENT1", "A second card reader", anonymous=["yes"])
    reimport(bot.sessions, bot.clock.now(), EAST_UNDER_ADA)  # Maya leaves: HR is first in line
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)
    [hanas] = [c for c in bot.slack.calls("chat.postMessage", channel="U0HR") if "now comes to you" in c.text]

    report = reimport(bot.sessions, bot.clock.now(), HANA_MADE_FRONTLINE)
    on_hanas_screen = bot.driver.click_payload("U0HR", hanas, "suggestion_planned")
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)

    assert "  > suggestion #1 by an anonymous author: Hana Reyes -> Ada Admin" in describe_report(report)
    assert "now goes to Ada Admin" in bot.slack.message(hanas.response["channel"], hanas.response["ts"])["text"]
    assert "not yours to answer" in refusal_of(bot, on_hanas_screen)
    assert owner_and_status(bot) == ("U0ADMIN", "open")


def test_a_manager_made_frontline_hands_on_a_named_idea_to_the_authors_new_manager(bot: RunningBot) -> None:
    load_suggestion_org(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT1", "/suggest", "a second card reader at the returns desk")
    [mayas] = bot.slack.calls("chat.postMessage", channel="U0MGR1")

    report = reimport(bot.sessions, bot.clock.now(), MAYA_MADE_FRONTLINE_UNDER_OMAR)
    on_mayas_screen = bot.driver.click_payload("U0MGR1", mayas, "suggestion_planned")
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)

    assert "  > suggestion #1 by Sam Agent: Maya Manager -> Omar Manager" in describe_report(report)
    told = [call.text for call in bot.slack.calls("chat.postMessage", channel="U0AGENT1")]
    assert any("now goes to Omar Manager" in text and "no longer answers it" in text for text in told), told
    assert "not yours to answer" in refusal_of(bot, on_mayas_screen)
    assert owner_and_status(bot) == ("U0MGR2", "open")


def test_a_category_owner_the_policy_no_longer_names_cannot_answer_its_ideas(bot: RunningBot) -> None:
    lee_owns_tools = SUGGESTIONS_POLICY.replace('tools = "U0ADMIN"', 'tools = "U0AGENT2"')
    load_org(bot.sessions, bot.clock.now(), ORG_CSV + EXTRA_AGENTS)
    load_policy(bot.sessions, bot.clock.now(), lee_owns_tools)
    send(bot, "U0AGENT1", "A faster label printer", category="tools")
    [lees] = bot.slack.calls("chat.postMessage", channel="U0AGENT2")
    load_policy(bot.sessions, bot.clock.now(), SUGGESTIONS_POLICY)

    told = refusal(bot, "U0AGENT2", lees)

    assert "not yours to answer" in told
    assert owner_and_status(bot) == ("U0AGENT2", "open"), "`policy load` hands it on (below)"


def test_a_policy_load_naming_another_owner_hands_the_categorys_ideas_to_them(
    bot: RunningBot, database_url: str, tmp_path: Path
) -> None:
    lee_owns_tools = SUGGESTIONS_POLICY.replace('tools = "U0ADMIN"', 'tools = "U0AGENT2"')
    load_org(bot.sessions, bot.clock.now(), ORG_CSV + EXTRA_AGENTS)
    load_policy(bot.sessions, bot.clock.now(), lee_owns_tools)
    send(bot, "U0AGENT1", "A faster label printer", category="tools")
    (tmp_path / "policy.toml").write_text(SUGGESTIONS_POLICY)

    loaded = cli(tmp_path, "policy", "load", "policy.toml", env={"DATABASE_URL": database_url})
    bot.clock.set(datetime.now(UTC) + timedelta(minutes=1))  # the command line queued them on the wall clock
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)

    assert loaded.returncode == 0, loaded.stderr
    assert "re-routed suggestion #1 by Sam Agent: Lee Senior -> Ada Admin" in loaded.stdout
    assert owner_and_status(bot) == ("U0ADMIN", "open")
    [card] = bot.slack.calls("chat.postMessage", channel="U0ADMIN")
    assert "A faster label printer" in card.text


def test_a_manager_who_left_lists_none_of_the_old_teams_suggestions(bot: RunningBot) -> None:
    load_suggestion_org(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT1", "/suggest", "a second card reader at the returns desk")
    send(bot, "U0AGENT2", "A faster label printer", category="tools")
    reimport(bot.sessions, bot.clock.now(), EAST_UNDER_ADA)

    listed = bot.driver.command("U0MGR1", "/suggest", "list").text

    assert "card reader" not in listed and "label printer" not in listed, listed
    assert "Waiting on you" not in listed and "Your team's" not in listed


def test_a_named_idea_follows_its_author_to_their_new_team_an_anonymous_one_stays_with_the_old(
    bot: RunningBot,
) -> None:
    load_suggestion_org(bot.sessions, bot.clock.now())
    send(bot, "U0AGENT1", "A faster label printer", category="tools")
    send(bot, "U0AGENT1", "Stop reading the refund script word for word", category="tools", anonymous=["yes"])
    reimport(bot.sessions, bot.clock.now(), SAM_MOVES_WEST + EXTRA_AGENTS)

    maya = bot.driver.command("U0MGR1", "/suggest", "list").text
    omar = bot.driver.command("U0MGR2", "/suggest", "list").text

    assert "label printer" in omar and "label printer" not in maya
    assert "refund script" in maya and "refund script" not in omar


WEST_AGENTS = "".join(
    f"U0WEST{n},Agent {name},Support West,frontline,U0MGR2,west{n}@example.com,America/Los_Angeles,agent\n"
    for n, name in ((1, "Wes"), (2, "Wyn"), (3, "Wil"))
)
BOTH_TEAMS = ORG_CSV + EXTRA_AGENTS + WEST_AGENTS
MAYA_AND_OMAR_SWAP_TEAMS = (
    BOTH_TEAMS.replace(",U0MGR1,", ",U0SWAP,")
    .replace(",U0MGR2,", ",U0MGR1,")
    .replace(",U0SWAP,", ",U0MGR2,")
    .replace("U0MGR1,Maya Manager,Support East,", "U0MGR1,Maya Manager,Support West,")
    .replace("U0MGR2,Omar Manager,Support West,", "U0MGR2,Omar Manager,Support East,")
)
NINA_LEADS_EAST_UNDER_MAYA = (ORG_CSV + EXTRA_AGENTS).replace(",U0MGR1,", ",U0MGR3,") + (
    "U0MGR3,Nina Lead,Support East,manager,U0MGR1,nina@example.com,America/New_York,\n"
)


def test_a_manager_moved_to_lead_another_team_hands_on_the_old_teams_anonymous_idea(bot: RunningBot) -> None:
    load_suggestion_org(bot.sessions, bot.clock.now())
    load_org(bot.sessions, bot.clock.now(), BOTH_TEAMS)
    send(bot, "U0AGENT1", "Stop reading the refund script word for word", anonymous=["yes"])
    [mayas] = bot.slack.calls("chat.postMessage", channel="U0MGR1")

    report = reimport(bot.sessions, bot.clock.now(), MAYA_AND_OMAR_SWAP_TEAMS)

    assert "  > suggestion #1 by an anonymous author: Maya Manager -> Hana Reyes" in describe_report(report)
    assert "not yours to answer" in refusal(bot, "U0MGR1", mayas)
    assert "refund script" not in bot.driver.command("U0MGR1", "/suggest", "list").text
    assert "refund script" in bot.driver.command("U0MGR2", "/suggest", "list").text.split("Your team's")[1]


def test_you_said_we_did_goes_to_the_team_the_idea_came_from_after_its_manager_moved_away(bot: RunningBot) -> None:
    load_suggestion_org(bot.sessions, bot.clock.now())
    load_org(bot.sessions, bot.clock.now(), BOTH_TEAMS)
    bot.driver.command("U0AGENT2", "/suggest", "a second card reader at the returns desk")
    reimport(bot.sessions, bot.clock.now(), MAYA_AND_OMAR_SWAP_TEAMS)
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)
    [omars] = [c for c in bot.slack.calls("chat.postMessage", channel="U0MGR2") if "now comes to you" in c.text]

    bot.driver.click("U0MGR2", omars, "suggestion_done")
    bot.driver.submit("U0MGR2", bot.slack.calls("views.open")[-1].args["view"], {"note": "A second reader is in"})
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)

    told = {call.channel for call in bot.slack.calls("chat.postMessage") if "You said, we did" in call.text}
    assert told == {"C0EAST"}


def test_a_manager_with_a_new_lead_between_them_and_the_team_keeps_its_anonymous_idea(bot: RunningBot) -> None:
    load_suggestion_org(bot.sessions, bot.clock.now())
    send(bot, "U0AGENT1", "Stop reading the refund script word for word", anonymous=["yes"])

    report = reimport(bot.sessions, bot.clock.now(), NINA_LEADS_EAST_UNDER_MAYA)

    assert report.handovers == []
    assert owner_and_status(bot) == ("U0MGR1", "open")
    assert "refund script" in bot.driver.command("U0MGR3", "/suggest", "list").text.split("Your team's")[1]


def test_you_said_we_did_goes_to_the_channel_the_idea_was_posted_in_when_its_team_now_reports_elsewhere(
    bot: RunningBot,
) -> None:
    load_suggestion_org(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT2", "/suggest", "a second card reader at the returns desk")
    reimport(bot.sessions, bot.clock.now(), EAST_UNDER_ADA)  # Maya leaves: Support East reports to Ada (Operations)
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)
    [adas] = [c for c in bot.slack.calls("chat.postMessage", channel="U0ADMIN") if "now comes to you" in c.text]

    bot.driver.click("U0ADMIN", adas, "suggestion_done")
    bot.driver.submit("U0ADMIN", bot.slack.calls("views.open")[-1].args["view"], {"note": "A second reader is in"})
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)

    told = {call.channel for call in bot.slack.calls("chat.postMessage") if "You said, we did" in call.text}
    assert told == {"C0EAST"}


def test_a_handover_update_slack_rate_limited_never_brings_back_an_older_channel_post(bot: RunningBot) -> None:
    """The team channel's post says where the idea went; Slack rate-limits that update, the new owner plans the
    idea meanwhile, and the waiting update, once Slack is back, must not show the idea as open again."""
    load_suggestion_org(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT1", "/suggest", "a second card reader at the returns desk")
    [post] = bot.slack.calls("chat.postMessage", channel="C0EAST")
    reimport(bot.sessions, bot.clock.now(), MAYA_MADE_FRONTLINE_UNDER_OMAR)
    bot.slack.fail("chat.update", status=429, retry_after=30, channel=post.response["channel"])
    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)
    [omars] = [c for c in bot.slack.calls("chat.postMessage", channel="U0MGR2") if "now comes to you" in c.text]

    bot.driver.click("U0MGR2", omars, "suggestion_planned")
    bot.clock.advance(timedelta(seconds=31))
    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)

    shown = str(bot.slack.message(post.response["channel"], post.response["ts"])["blocks"])
    assert "Planned" in shown and "Omar Manager" in shown
