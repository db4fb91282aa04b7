"""A person picked in a command's text comes with the name Slack shows for them (`<@U123|sam>`). For someone the
directory does not know yet it names them outside Slack (HR's export, the digest's dry run); the directory's name
(from the org file, or learnt from `users.info`) always wins over it."""

import csv
import io

import pytest
from sqlalchemy import select

from handlers.blocks import nominations as nominate_form
from models import Resolution, Suggestion
from services.digest.resolutions import summary_words
from tests.conftest import RunningBot
from tests.helpers import employee, load_org_and_policy
from tests.rewards_helpers import set_up
from tests.suggestions_helpers import load_suggestion_org

RECIPIENT_NAME, REASON = 3, 14


@pytest.fixture
def ready(bot: RunningBot) -> RunningBot:
    set_up(bot.sessions, bot.clock.now())
    return bot


def exported_rows(bot: RunningBot) -> list[list[str]]:
    bot.driver.command("U0HR", "/rewards", "export 2026-03-01 2026-03-31")
    [upload] = bot.slack.files()
    [content] = upload.files.values()
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))[1:]


def test_a_nominee_whose_slack_profile_has_no_name_is_added_under_the_name_slack_sent(ready: RunningBot) -> None:
    ready.slack.add_user("U0NEWBIE", "Nora Newbie")
    ready.slack.users["U0NEWBIE"].update(name="", real_name="", profile={"real_name": "", "display_name": ""})

    ready.driver.command("U0AGENT1", "/nominate", "<@U0NEWBIE|nora> great first week")

    with ready.sessions() as session:
        assert (employee(session, "U0NEWBIE").name, employee(session, "U0NEWBIE").in_directory) == ("nora", False)
    [grant] = exported_rows(ready)
    assert grant[RECIPIENT_NAME] == "nora"


def test_slacks_profile_names_a_new_nominee_rather_than_the_handle_in_the_mention(ready: RunningBot) -> None:
    ready.slack.add_user("U0NEWBIE", "Nora Newbie")

    ready.driver.command("U0AGENT1", "/nominate", "<@U0NEWBIE|nora> great first week")

    [grant] = exported_rows(ready)
    assert grant[RECIPIENT_NAME] == "Nora Newbie"


def test_the_name_slack_sent_never_replaces_the_directorys(ready: RunningBot) -> None:
    """Colleagues picked under another handle read by the org file's names, as when picked in the form."""
    ready.driver.command("U0AGENT1", "/nominate", "<@U0AGENT2|lee.old.handle> thanks to <@U0AGENT3|ines.x>")
    ready.driver.command("U0AGENT1", "/nominate")
    [opened] = ready.slack.calls("views.open")
    reason = "covered for <@U0AGENT3>"  # typed key by key: a form's text box has no list to pick from
    ready.driver.submit(
        "U0AGENT1", opened.args["view"], {nominate_form.PEOPLE: ["U0AGENT2"], nominate_form.REASON: reason}
    )

    rows = exported_rows(ready)

    assert {row[RECIPIENT_NAME] for row in rows} == {"Lee Senior"}
    assert sorted(row[REASON] for row in rows) == ["covered for <@U0AGENT3>", "thanks to @Ines Agent"]


def test_someone_outside_the_directory_named_in_a_fix_keeps_the_name_slack_sent_but_slack_shows_a_mention(
    bot: RunningBot,
) -> None:
    load_org_and_policy(bot.sessions, bot.clock.now())

    bot.driver.command("U0AGENT1", "/resolve", "credit 400 <@U0NOBODY|sam.k> was upset; <@U0AGENT2|lee> helped")

    with bot.sessions() as session:
        [resolution] = session.scalars(select(Resolution))
        assert resolution.summary == "<@U0NOBODY|sam.k> was upset; <@U0AGENT2> helped"
    [request] = bot.slack.calls("chat.postMessage", channel="U0MGR1")
    assert "<@U0NOBODY> was upset; <@U0AGENT2> helped" in str(request.args["blocks"])
    assert "sam.k" not in str(request.args["blocks"])


def test_someone_outside_the_directory_named_in_a_suggestion_keeps_the_name_slack_sent(bot: RunningBot) -> None:
    load_suggestion_org(bot.sessions, bot.clock.now())

    bot.driver.command("U0AGENT1", "/suggest", "ask <@U0NOBODY|sam.k> how the returns desk could use <@U0AGENT2|lee>")

    with bot.sessions() as session:
        assert session.scalars(select(Suggestion.what)).one() == (
            "ask <@U0NOBODY|sam.k> how the returns desk could use <@U0AGENT2>"
        )
    [card] = bot.slack.calls("chat.postMessage", channel="U0MGR1")
    assert "ask <@U0NOBODY> how the returns desk" in str(card.args["blocks"])


def test_the_people_a_summary_names_make_no_complaint_theme() -> None:
    """The digest's words that came back: a handle kept with a mention (or a Slack id) is no word a customer used."""
    assert summary_words("<@U0NOBODY|sam.kay> and <@U07ABCDEF> found the parcel lost") == {"found", "parcel", "lost"}
