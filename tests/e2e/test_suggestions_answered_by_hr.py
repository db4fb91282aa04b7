"""HR and admins answer a suggestion someone else holds: `/suggest list` shows it with *Answer*, which sends them a
copy of its card with the owner's buttons; a click there is an answer like the owner's."""

import pytest
from sqlalchemy import select

from bot.fakeslack import Call
from handlers.handover import queue_import_messages
from handlers.jobs.drain_outbox import drain_outbox
from models import Suggestion
from services import directory
from services.org_import import import_org, parse_org_csv
from tests.conftest import FIXTURES, RunningBot
from tests.suggestions_helpers import EXTRA_AGENTS, after_the_release, after_the_wait, load_suggestion_org

ANSWER = "suggestion_answer"


@pytest.fixture
def ready(bot: RunningBot) -> RunningBot:
    load_suggestion_org(bot.sessions, bot.clock.now())
    return bot


def suggest(bot: RunningBot, text: str = "the returns desk needs a second card reader") -> Call:
    assert "Sent your suggestion" in bot.driver.command("U0AGENT1", "/suggest", text).text
    return bot.slack.calls("chat.postMessage", channel="U0MGR1")[-1]


def listed(bot: RunningBot, user: str) -> Call:
    """`/suggest list` as the person sees it (a command's answer: only they see it)."""
    return Call("ack", bot.driver.command(user, "/suggest", "list").json, 0, response={"ephemeral": True})


def answer_copy(bot: RunningBot, user: str, number: int = 1) -> Call:
    bot.driver.click(user, listed(bot, user), ANSWER, value=str(number))
    return bot.slack.calls("chat.postMessage", channel=user)[-1]


def shown_now(bot: RunningBot, message: Call) -> str:
    return str(bot.slack.message(message.response["channel"], message.response["ts"]))


def status(bot: RunningBot) -> str:
    with bot.sessions() as session:
        return session.scalars(select(Suggestion.status)).one()


def test_an_admin_covering_for_the_owner_marks_it_done_from_the_list_and_everyone_sees_it(ready: RunningBot) -> None:
    owners_card = suggest(ready)
    assert "suggestion_answer" not in str(listed(ready, "U0AGENT1").args), "a frontline person answers nothing"

    in_list = listed(ready, "U0ADMIN")
    assert "Waiting on others, which HR and admins may answer* (1" in in_list.text
    assert "With Maya Manager" in in_list.text
    copy = answer_copy(ready, "U0ADMIN")
    assert "Sam Agent" in copy.text and "suggestion_done" in str(copy.args["blocks"])
    assert "is on its way to your DMs" in ready.slack.calls("response_url")[-1].text
    ready.driver.click("U0ADMIN", copy, "suggestion_done")
    ready.driver.submit("U0ADMIN", ready.slack.calls("views.open")[-1].args["view"], {"note": "A second reader is in"})

    assert status(ready) == "done"
    told = ready.slack.calls("chat.postMessage", channel="U0AGENT1")[-1].text
    assert "Ada Admin" in told and "has done" in told
    for card in (owners_card, copy):
        assert "Status: *Done*" in shown_now(ready, card) and "suggestion_planned" not in shown_now(ready, card)
    assert any("You said, we did" in c.text for c in ready.slack.calls("chat.postMessage", channel="C0EAST"))
    assert "Nothing open waits on anyone else." in listed(ready, "U0ADMIN").text


def test_hr_answers_an_anonymous_idea_without_learning_whose_it_is(ready: RunningBot) -> None:
    ready.driver.command("U0AGENT1", "/suggest")
    view = ready.slack.calls("views.open")[-1].args["view"]
    assert ready.driver.submit("U0AGENT1", view, {"what": "Fewer surveys, please", "anonymous": ["yes"]}).json == {}
    assert "Fewer surveys" not in listed(ready, "U0HR").text, "held back: nobody but its author sees it yet"
    after_the_release(ready)

    in_list = listed(ready, "U0HR")
    copy = answer_copy(ready, "U0HR")
    ready.driver.click("U0HR", copy, "suggestion_planned")

    assert status(ready) == "planned"
    for shown in (in_list.text, str(copy.args), shown_now(ready, copy)):
        assert "Sam" not in shown and "an anonymous colleague" in shown
    owners_card = ready.slack.calls("chat.postMessage", channel="U0MGR1")[-1]
    assert "Status: *Planned*" in shown_now(ready, owners_card)
    assert not any("plans to do" in c.text for c in ready.slack.calls("chat.postMessage", channel="U0AGENT1"))
    after_the_wait(ready)
    assert "plans to do" in ready.slack.calls("chat.postMessage", channel="U0AGENT1")[-1].text


def test_the_owner_answering_first_takes_the_buttons_off_hrs_copy_and_a_late_note_is_refused(ready: RunningBot) -> None:
    owners_card = suggest(ready)
    copy = answer_copy(ready, "U0HR")
    ready.driver.click("U0HR", copy, "suggestion_done")
    hrs_note = ready.slack.calls("views.open")[-1].args["view"]
    late_click = ready.driver.click_payload("U0HR", copy, "suggestion_planned")

    ready.driver.click("U0MGR1", owners_card, "suggestion_not_doing")
    ready.driver.submit("U0MGR1", ready.slack.calls("views.open")[-1].args["view"], {"note": "No budget this year"})
    refused = ready.driver.submit("U0HR", hrs_note, {"note": "A second reader is in"})
    ready.driver.send_click(late_click)

    assert status(ready) == "not_doing"
    assert "already marked Not doing; nothing changed" in str(refused.json)
    assert "already marked Not doing; nothing changed" in ready.slack.calls("response_url")[-1].text
    assert "suggestion_done" not in shown_now(ready, copy) and "Status: *Not doing*" in shown_now(ready, copy)
    told = [c.text for c in ready.slack.calls("chat.postMessage", channel="U0AGENT1")]
    assert sum("Not doing" in text or "won't" in text for text in told) == 1 and not any("done" in t for t in told)


def test_an_answer_clicked_twice_sends_one_copy_and_one_on_a_closed_idea_says_so(ready: RunningBot) -> None:
    owners_card = suggest(ready)
    stale_list = listed(ready, "U0HR")
    ready.driver.click("U0HR", stale_list, ANSWER, value="1")
    ready.driver.click("U0HR", stale_list, ANSWER, value="1")

    assert len(ready.slack.calls("chat.postMessage", channel="U0HR")) == 1
    assert "is already in your DMs" in ready.slack.calls("response_url")[-1].text
    ready.driver.click("U0MGR1", owners_card, "suggestion_done")
    ready.driver.submit("U0MGR1", ready.slack.calls("views.open")[-1].args["view"], {"note": "A second reader is in"})
    ready.driver.click("U0HR", stale_list, ANSWER, value="1")
    assert "Suggestion #1 is already marked Done; nothing changed." in ready.slack.calls("response_url")[-1].text


def test_a_frontline_person_a_manager_or_its_author_forging_answer_gets_no_card(ready: RunningBot) -> None:
    suggest(ready)
    hrs_list = listed(ready, "U0HR")

    for user in ("U0AGENT2", "U0MGR2", "U0AGENT1"):  # a teammate, a manager of another team, its author
        ready.driver.click(user, hrs_list, ANSWER, value="1", forged=True)
        assert "Suggestion #1 is not yours to answer" in ready.slack.calls("response_url")[-1].text
        assert [c for c in ready.slack.calls("chat.postMessage", channel=user) if "to answer" in c.text] == []
    assert status(ready) == "open"


def reimport(bot: RunningBot, org: str) -> None:
    """What `python -m bot org import FILE --deactivate-missing` does, and the messages it queues sent."""
    with bot.sessions.begin() as session:
        workspace = directory.ensure_workspace(session, slack_team_id="T0LATITUDE", now=bot.clock.now())
        report = import_org(
            session,
            workspace=workspace,
            rows=parse_org_csv(org),
            deactivate_missing=True,
            actor="hr",
            now=bot.clock.now(),
        )
        queue_import_messages(session, workspace=workspace, report=report, now=bot.clock.now())
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)


def test_hr_sees_their_own_anonymous_idea_listed_as_others_do_and_answer_on_it_is_refused_to_them(
    ready: RunningBot,
) -> None:
    org = (FIXTURES / "org.csv").read_text() + EXTRA_AGENTS
    hana_under_maya = "U0HR,Hana Reyes,Support East,frontline,U0MGR1"
    reimport(ready, org.replace("U0HR,Hana Reyes,People,hr,U0ADMIN", hana_under_maya))
    ready.driver.command("U0HR", "/suggest")
    view = ready.slack.calls("views.open")[-1].args["view"]
    assert ready.driver.submit("U0HR", view, {"what": "Fewer surveys, please", "anonymous": ["yes"]}).json == {}
    after_the_release(ready)
    suggest(ready)
    reimport(ready, org.replace("U0HR,Hana Reyes,People,hr,U0ADMIN", "U0HR,Hana Reyes,People,hr,U0MGR1"))

    hanas, adas = listed(ready, "U0HR"), listed(ready, "U0ADMIN")

    others = hanas.text.split("Waiting on others")[1]
    assert "second card reader" in others and "Fewer surveys" in others, "left out, it would stand out as hers"
    assert "which HR and admins may answer* (2" in hanas.text and "which HR and admins may answer* (2" in adas.text
    ready.driver.click("U0HR", hanas, ANSWER, value="1")
    assert "You can't answer your own suggestion" in ready.slack.calls("response_url")[-1].text
    assert ready.slack.calls("response_url")[-1].args.get("response_type") == "ephemeral"
    assert [c for c in ready.slack.calls("chat.postMessage", channel="U0HR") if "to answer" in c.text] == []


def test_a_copy_asked_for_before_its_owner_left_says_where_it_went_and_a_new_one_answers_it(ready: RunningBot) -> None:
    suggest(ready)
    old_copy = answer_copy(ready, "U0HR")
    without_maya = "\n".join(
        line.replace(",U0MGR1,", ",U0ADMIN,")
        for line in ((FIXTURES / "org.csv").read_text() + EXTRA_AGENTS).splitlines()
        if not line.startswith("U0MGR1,")
    )
    reimport(ready, without_maya)

    assert "now goes to" in shown_now(ready, old_copy) and "suggestion_planned" not in shown_now(ready, old_copy)
    new_copy = answer_copy(ready, "U0HR")
    assert new_copy.response["ts"] != old_copy.response["ts"]
    ready.driver.click("U0HR", new_copy, "suggestion_planned")

    assert status(ready) == "planned"
    [admins_card] = [c for c in ready.slack.calls("chat.postMessage", channel="U0ADMIN") if "comes to you" in c.text]
    assert "Status: *Planned*" in shown_now(ready, admins_card)
