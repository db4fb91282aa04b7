"""/suggest typed in one line with a word of anonymity in it (`/suggest anonymous ...`, `... (sending anonymously)`,
`Can I be anonymous? ...`): the one-line form always signs, so nothing is sent and nothing written; the form opens
with the idea in it and its box to send it anonymously ticked. A word asking for it and set apart at the start
(`anonymous:`, `(anon)`, `anonymously`) is left out of the idea; anywhere else the whole line stays for its author to
edit. The word mistyped (`anonymus`, `Anonimous`) counts just the same. Only where the word plainly describes what
the idea is about (`make the survey anonymous`, `anonymous feedback box in the break room`) does the box open
unticked, with a line saying why the idea was held, for its author to decide: sent signed, any of these would name
who may have wanted not to be named."""

from typing import Any

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


def test_a_colleague_picked_in_the_line_stays_a_mention_when_the_form_is_sent_as_it_opened(ready: RunningBot) -> None:
    """The form is filled in with the idea as Slack sent it, a colleague picked from the list in it: sent unchanged,
    it is that colleague, not the characters a person would type to look like one."""
    ready.driver.command("U0AGENT1", "/suggest", "anonymous: ask <@U0AGENT2> about more breaks")

    ready.driver.submit("U0AGENT1", ready.slack.calls("views.open")[-1].args["view"], {})
    after_the_release(ready)

    with ready.sessions() as session:
        assert session.scalars(select(Suggestion)).one().what == "ask <@U0AGENT2> about more breaks"


@pytest.mark.parametrize("idea", ["anonymity matters to new starters", "anonymised call recordings for training"])
def test_an_idea_that_only_speaks_of_anonymity_is_sent(ready: RunningBot, idea: str) -> None:
    reply = ready.driver.command("U0AGENT1", "/suggest", idea)

    assert "Sent your suggestion" in reply.text


@pytest.mark.parametrize(
    "idea",
    [
        "Can I be anonymous? The break room fridge has been broken for weeks",
        "This is an anonymous suggestion: more staff on Sundays",
        "more staff on Sundays\nanonymous",
        "more staff on Sundays *anonymous*",
        "more staff on Sundays (sending anonymously)",
        "more staff on Sundays, I'd like to be anonymous",
        "more staff on Sundays anonymously if possible",
        "more staff on Sundays -anonymous",
        "more staff on Sundays _anonymous_",
        'more staff on Sundays "anonymous"',
        "more staff on Sundays, pls make this anonymous",
        "Hi, this is anonymous. The fridge has been broken for weeks",
        f"{IDEA}, please keep this anonymous",
    ],
)
def test_asking_later_in_the_line_to_stay_anonymous_signs_nothing_and_opens_the_form_ticked(
    ready: RunningBot, idea: str
) -> None:
    """Each of these was sent at once, signed: the manager and the team channel read who asked not to be named."""
    ready.driver.command("U0AGENT1", "/suggest", idea)

    assert ready.slack.calls("chat.postMessage") == []
    with ready.sessions() as session:
        assert count(session, Suggestion) == 0
    what, anonymous = form_fields(ready)
    assert what.get("initial_value") == idea
    assert [option["value"] for option in anonymous["element"]["initial_options"]] == ["yes"]
    assert "not sent with your name" not in anonymous["hint"]["text"]


def test_the_form_held_for_a_word_later_in_the_line_sends_the_idea_anonymously(ready: RunningBot) -> None:
    ready.driver.command("U0AGENT1", "/suggest", "more staff on Sundays (sending anonymously)")

    ready.driver.submit("U0AGENT1", ready.slack.calls("views.open")[-1].args["view"], {})
    after_the_release(ready)

    [card] = ready.slack.calls("chat.postMessage", channel="U0MGR1")
    assert "an anonymous colleague" in card.text and "Sam" not in card.text
    with ready.sessions() as session:
        suggestion = session.scalars(select(Suggestion)).one()
        assert suggestion.anonymous and suggestion.author_id is None


@pytest.mark.parametrize(
    "idea",
    [
        "make the survey anonymous",
        "let people rate their shift leads anonymously",
        "anonymous feedback box in the break room",
        "anonymous surveys for customers after each call",
    ],
)
def test_anonymous_describing_the_idea_holds_it_in_the_form_unticked_saying_why(ready: RunningBot, idea: str) -> None:
    """`/suggest make the survey anonymous` was sent signed at once; its author now decides in the form."""
    reply = ready.driver.command("U0AGENT1", "/suggest", idea)

    assert "Sent your suggestion" not in (reply.text or "")
    assert ready.slack.calls("chat.postMessage") == []
    with ready.sessions() as session:
        assert count(session, Suggestion) == 0
    what, anonymous = form_fields(ready)
    assert what.get("initial_value") == idea
    assert "initial_options" not in anonymous["element"]
    assert "Your idea speaks of anonymity, so it was not sent with your name" in anonymous["hint"]["text"]


def form_fields(bot: RunningBot) -> tuple[dict[str, Any], dict[str, Any]]:
    """The opened form's idea box (its element) and its anonymity block."""
    [form] = bot.slack.calls("views.open")
    blocks = {block["block_id"]: block for block in form.args["view"]["blocks"]}
    return blocks["what"]["element"], blocks["anonymous"]
