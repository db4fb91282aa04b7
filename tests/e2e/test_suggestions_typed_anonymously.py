"""/suggest typed in one line by someone asking for anonymity (`/suggest anonymous ...`): the one-line form always
signs, so nothing is sent; the form opens with the idea in it and its box to send it anonymously ticked. A word
asking for it and set apart (`anonymous:`, `(anon)`, `anonymously`) is left out of the idea; `anonymous` before a word
may be the idea's own (`anonymous surveys`), so it stays for the person to keep or delete. The word mistyped
(`anonymus`, `Anonimous`) asks for it just the same, and so does the word later in the line when set apart or asked
for (`idea, anonymously`, `keep me anonymous`), the whole line then left in the form for its author to edit: sent
signed, it would name who wanted not to be named. Later in the line and part of a sentence (`make the survey
anonymous`), the word is the idea's, and the idea is sent."""

import pytest
from sqlalchemy import select

from models import Suggestion
from tests.conftest import RunningBot
from tests.helpers import count
from tests.suggestions_helpers import after_the_release, load_suggestion_org


@pytest.fixture
def ready(bot: RunningBot) -> RunningBot:
    load_suggestion_org(bot.sessions, bot.clock.now())
    return bot


IDEA = "we need more breaks on late shifts"


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        (f"Anonymously: {IDEA}", IDEA),
        (f"anonymously {IDEA}", IDEA),
        (f"anon - {IDEA}", IDEA),
        (f"(anonymous) {IDEA}", IDEA),
        (f"ANONYMOUS, {IDEA}", IDEA),
        (f"anonymous; {IDEA}", IDEA),
        (f"Anonymous! {IDEA}", IDEA),
        (f"*anonymous* {IDEA}", IDEA),
        (f'"anonymous" {IDEA}', IDEA),
        (f"anonymous/ {IDEA}", IDEA),
        (f"anon?? {IDEA}", IDEA),
        (f"anonymous {IDEA}", f"anonymous {IDEA}"),
        ("anonymous surveys for customers after each call", "anonymous surveys for customers after each call"),
        ("Anonymous", None),
        ("anon:", None),
        (f"anonymus {IDEA}", IDEA),
        (f"Anonimous: {IDEA}", IDEA),
        (f"annonymous - {IDEA}", IDEA),
        (f"anonymosly {IDEA}", IDEA),
        (f"“anonymous” {IDEA}", IDEA),
        (f"{IDEA} (anonymous please)", f"{IDEA} (anonymous please)"),
        (f"{IDEA}, anonymously", f"{IDEA}, anonymously"),
        (f"{IDEA} - anon", f"{IDEA} - anon"),
    ],
)
def test_asking_for_anonymity_in_the_line_signs_nothing_and_opens_the_form_ticked(
    ready: RunningBot, typed: str, kept: str | None
) -> None:
    ready.driver.command("U0AGENT1", "/suggest", typed)

    assert ready.slack.calls("chat.postMessage") == []  # neither the manager's card nor the team channel's post
    with ready.sessions() as session:
        assert count(session, Suggestion) == 0
    [form] = ready.slack.calls("views.open")
    view = form.args["view"]
    [what] = [block["element"] for block in view["blocks"] if block["block_id"] == "what"]
    [anonymous] = [block["element"] for block in view["blocks"] if block["block_id"] == "anonymous"]
    assert what.get("initial_value") == kept
    assert [option["value"] for option in anonymous["initial_options"]] == ["yes"]


def test_the_form_opened_so_sends_the_idea_without_the_authors_name(ready: RunningBot) -> None:
    ready.driver.command("U0AGENT1", "/suggest", f"anonymous: {IDEA}")

    ready.driver.submit("U0AGENT1", ready.slack.calls("views.open")[-1].args["view"], {})
    after_the_release(ready)

    [card] = ready.slack.calls("chat.postMessage", channel="U0MGR1")
    assert "an anonymous colleague" in card.text and "Sam" not in card.text
    with ready.sessions() as session:
        suggestion = session.scalars(select(Suggestion)).one()
        assert suggestion.anonymous and suggestion.author_id is None
        assert suggestion.what == IDEA


@pytest.mark.parametrize("idea", ["anonymity matters to new starters", "anonymised call recordings for training"])
def test_an_idea_that_only_speaks_of_anonymity_is_sent(ready: RunningBot, idea: str) -> None:
    reply = ready.driver.command("U0AGENT1", "/suggest", idea)

    assert "Sent your suggestion" in reply.text


@pytest.mark.parametrize("idea", ["make the survey anonymous", "let people rate their shift leads anonymously"])
def test_an_idea_about_anonymity_later_in_the_line_is_sent_not_held_in_a_form(ready: RunningBot, idea: str) -> None:
    """`/suggest make the survey anonymous` opened the form ticked to send it anonymously, the idea not sent."""
    reply = ready.driver.command("U0AGENT1", "/suggest", idea)

    assert "Sent your suggestion" in reply.text
    assert ready.slack.calls("views.open") == []
    with ready.sessions() as session:
        suggestion = session.scalars(select(Suggestion)).one()
        assert (suggestion.what, suggestion.anonymous) == (idea, False)


def test_asking_later_in_the_line_to_stay_anonymous_still_sends_nothing(ready: RunningBot) -> None:
    ready.driver.command("U0AGENT1", "/suggest", f"{IDEA}, please keep this anonymous")

    assert ready.slack.calls("chat.postMessage") == [] and len(ready.slack.calls("views.open")) == 1
    with ready.sessions() as session:
        assert count(session, Suggestion) == 0
