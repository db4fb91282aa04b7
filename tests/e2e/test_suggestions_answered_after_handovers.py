"""HR and admins answering from a copy of a suggestion's card after it was handed over: the answer reaches the card of
whoever holds it now, and a copy still on its way lands showing the answer."""

from datetime import timedelta

import pytest

from bot.fakeslack import Call
from handlers.jobs.drain_outbox import drain_outbox
from tests.conftest import FIXTURES, RunningBot
from tests.e2e.test_suggestions_answered_by_hr import answer_copy, reimport, shown_now, status, suggest
from tests.suggestions_helpers import EXTRA_AGENTS, after_the_release, load_suggestion_org

SECOND_HR = "U0HR2,Abe Second,People,hr,U0ADMIN,abe@example.com,Europe/London,\n"


@pytest.fixture
def ready(bot: RunningBot) -> RunningBot:
    load_suggestion_org(bot.sessions, bot.clock.now())
    return bot


def without_maya(org: str) -> str:
    """The org file once Maya has left: her team reports to Ada."""
    lines = (line.replace(",U0MGR1,", ",U0ADMIN,") for line in org.splitlines() if not line.startswith("U0MGR1,"))
    return "\n".join(lines) + "\n"


def cards_to(bot: RunningBot, user: str) -> list[Call]:
    return [c for c in bot.slack.calls("chat.postMessage", channel=user) if "comes to you" in c.text and c.response]


def test_an_answer_from_a_copy_reaches_the_owner_after_hand_overs_during_the_hold_and_after_it(
    ready: RunningBot,
) -> None:
    org = (FIXTURES / "org.csv").read_text() + EXTRA_AGENTS + SECOND_HR
    reimport(ready, org)
    ready.slack.add_user("U0HR2", "Abe Second")
    ready.driver.command("U0AGENT1", "/suggest")
    view = ready.slack.calls("views.open")[-1].args["view"]
    assert ready.driver.submit("U0AGENT1", view, {"what": "Fewer surveys, please", "anonymous": ["yes"]}).json == {}
    reimport(ready, without_maya(org))  # while it is held back: only its author hears it moved, to Abe (HR)
    after_the_release(ready)
    assert [c for c in ready.slack.calls("chat.postMessage", channel="U0HR2") if "Fewer surveys" in str(c.args)]
    reimport(ready, without_maya(org).replace("U0HR2,Abe Second,People,hr,", "U0HR2,Abe Second,People,frontline,"))
    [hanas_card] = cards_to(ready, "U0HR")

    copy = answer_copy(ready, "U0ADMIN")
    ready.driver.click("U0ADMIN", copy, "suggestion_planned")

    assert status(ready) == "planned"
    assert "Status: *Planned*" in shown_now(ready, hanas_card) and "Status: *Planned*" in shown_now(ready, copy)


def test_a_copy_still_on_its_way_when_the_new_owner_answers_lands_showing_the_answer(ready: RunningBot) -> None:
    suggest(ready)
    reimport(ready, without_maya((FIXTURES / "org.csv").read_text() + EXTRA_AGENTS))
    [adas_card] = cards_to(ready, "U0ADMIN")
    ready.slack.fail("chat.postMessage", status=500, channel="U0HR")  # the copy is left to the sender
    ready.driver.click("U0HR", hrs_list(ready), "suggestion_answer", value="1")

    ready.driver.click("U0ADMIN", adas_card, "suggestion_planned")
    ready.clock.advance(timedelta(minutes=10))
    drain_outbox(ready.runtime.deps, ready.runtime.sender_client)

    [copy] = [c for c in ready.slack.calls("chat.postMessage", channel="U0HR") if c.response.get("ts")]
    assert status(ready) == "planned"
    assert "Status: *Planned*" in shown_now(ready, copy) and "suggestion_planned" not in shown_now(ready, copy)


def hrs_list(bot: RunningBot) -> Call:
    return Call("ack", bot.driver.command("U0HR", "/suggest", "list").json, 0, response={"ephemeral": True})


def test_hr_asks_by_number_for_an_idea_beyond_the_list_and_gets_its_card_to_answer(ready: RunningBot) -> None:
    for n in range(1, 23):
        suggest(ready, f"idea number {n} for the returns desk")
    shown = hrs_list(ready).text
    assert "idea number 22" not in shown, "beyond what one message holds"
    footer = shown[shown.index("…and ") :]
    assert "#22" in footer and "`/suggest answer #N` brings any of them to answer" in footer, footer

    assert ready.driver.command("U0HR", "/suggest", "answer #22").status == 200
    assert "is on its way to your DMs" in ready.slack.calls("response_url")[-1].text
    copy = ready.slack.calls("chat.postMessage", channel="U0HR")[-1]
    assert "idea number 22" in str(copy.args)
    ready.driver.click("U0HR", copy, "suggestion_planned")
    told = [c.text for c in ready.slack.calls("chat.postMessage", channel="U0AGENT1")]
    assert any("#22" in text and "plans to do" in text for text in told)


def test_asking_by_number_says_why_not_for_an_unknown_closed_own_or_not_allowed_one(ready: RunningBot) -> None:
    owners_card = suggest(ready)
    ready.driver.click("U0MGR1", owners_card, "suggestion_done")
    ready.driver.submit("U0MGR1", ready.slack.calls("views.open")[-1].args["view"], {"note": "A second reader is in"})
    assert "Sent your suggestion" in ready.driver.command("U0HR", "/suggest", "a quieter corner for calls").text

    for user, text, said in (
        ("U0HR", "answer #99", "Suggestion #99 is not yours to answer, or there is no such suggestion here."),
        ("U0ADMIN", "answer 1", "Suggestion #1 is already marked Done; nothing changed."),
        ("U0HR", "answer #2", "You can't answer your own suggestion"),
        ("U0AGENT2", "answer #2", "Suggestion #2 is not yours to answer"),
    ):
        ready.driver.command(user, "/suggest", text)
        assert said in ready.slack.calls("response_url")[-1].text, user
        assert [c for c in ready.slack.calls("chat.postMessage", channel=user) if "to answer" in c.text] == []
    assert "answer #N" in ready.driver.command("U0HR", "/suggest", "help").text


@pytest.mark.parametrize("typed", ["answer", "answer #N", "answer #2?", "answer suggestion 2", "answer#2", "anwser #2"])
def test_a_try_at_asking_by_number_that_does_not_read_as_one_is_no_idea_and_sends_nothing(
    ready: RunningBot, typed: str
) -> None:
    """`/suggest answer #N` copied as the list shows it, or a slip, must not go signed to the manager and the team."""
    suggest(ready, "a quieter corner for calls")
    posted = len(ready.slack.calls("chat.postMessage"))

    reply = ready.driver.command("U0HR", "/suggest", typed)

    assert "reads as asking for an idea to answer" in reply.text and "/suggest answer #41" in reply.text
    assert len(ready.slack.calls("chat.postMessage")) == posted


def test_an_idea_that_starts_with_answer_is_still_an_idea(ready: RunningBot) -> None:
    assert "Sent your suggestion" in ready.driver.command("U0HR", "/suggest", "answer the phone within 3 rings").text
