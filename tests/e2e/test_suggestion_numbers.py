"""A suggestion's number (#N) is given when it is shown, in the order ideas are shown: an anonymous idea held back 5
to 30 minutes and numbered when it was sent would tell its owner which ideas it was sent before and after."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from models import AuditEvent, Delivery, Suggestion
from tests.conftest import RunningBot
from tests.e2e.test_suggestions_anonymous import IDEA, suggest_anonymously
from tests.e2e.test_suggestions_released_later import ticks
from tests.suggestions_helpers import after_the_release, after_the_wait, load_suggestion_org

LEES = "The returns desk needs a second card reader"


@pytest.fixture
def ready(bot: RunningBot) -> RunningBot:
    load_suggestion_org(bot.sessions, bot.clock.now())
    return bot


def cards_of(bot: RunningBot, what: str) -> list[str]:
    cards = bot.slack.calls("chat.postMessage", channel="U0MGR1")
    return [str(call.args["text"]) for call in cards if what in str(call.args)]


def test_an_anonymous_idea_released_after_a_named_one_gets_the_later_number(ready: RunningBot) -> None:
    """Sam's anonymous idea is sent first and Lee's named one a minute later: Maya sees Lee's at once and Sam's
    later, so Lee's is #1 and Sam's #2 everywhere it shows. Numbered when sent, Sam's would arrive as #1 after #2."""
    assert suggest_anonymously(ready) == {}
    [told_sam] = [c.text for c in ready.slack.calls("chat.postMessage", channel="U0AGENT1") if "Sent anon" in c.text]
    sams_list = ready.driver.command("U0AGENT1", "/suggest", "list").text
    ready.clock.advance(timedelta(minutes=1))
    told_lee = ready.driver.command("U0AGENT2", "/suggest", LEES).text

    after_the_release(ready)

    assert "#" not in told_sam and "gets its number then" in told_sam
    assert "numbered when it arrives" in sams_list and "#1" not in sams_list and "#2" not in sams_list
    assert "Sent your suggestion #1 " in told_lee and cards_of(ready, LEES) == ["New suggestion #1"]
    assert cards_of(ready, IDEA) == ["New suggestion #2"]
    [post] = [c for c in ready.slack.calls("chat.postMessage", channel="C0EAST") if IDEA in str(c.args)]
    assert "*Suggestion #2* from an anonymous colleague" in str(post.args["blocks"])
    assert [e["value"] for b in post.args["blocks"] if b["type"] == "actions" for e in b["elements"]] == ["2"]
    assert "#2 *New*" in ready.driver.command("U0AGENT1", "/suggest", "list").text
    assert [line.split(" ")[0] for line in maya_list(ready)] == ["#2", "#1"]
    with ready.sessions() as session:
        audited = session.scalars(
            select(AuditEvent.subject).where(AuditEvent.action == "suggestion.submit").order_by(AuditEvent.id)
        ).all()
        assert sorted(audited) == ["#1", "#2"]


def maya_list(bot: RunningBot) -> list[str]:
    """The lines of the suggestions waiting on Maya, as her `/suggest list` shows them (newest first)."""
    reply = bot.driver.command("U0MGR1", "/suggest", "list")
    texts = [str(e.get("text")) for b in reply.json.get("blocks", []) for e in b.get("elements", []) if "text" in e]
    return sorted((t for t in texts if t.startswith("#")), reverse=True)


def test_the_numbers_people_see_are_the_ones_their_buttons_and_typing_reach(ready: RunningBot) -> None:
    """Two anonymous ideas and a named one: each card's buttons act on the idea it shows, the author hears of it
    under the number its owner saw, and a number not shown yet gets the words of one that never was."""
    assert suggest_anonymously(ready) == {}
    assert suggest_anonymously(ready, user="U0AGENT5", what="Quieter headsets for the night shift") == {}
    ready.driver.command("U0AGENT2", "/suggest", LEES)
    [lees_card] = [c for c in ready.slack.calls("chat.postMessage", channel="U0MGR1") if LEES in str(c.args)]
    ready.driver.click("U0ADMIN", lees_card, "suggestion_planned", value="2", forged=True)  # not shown yet: no #2 here
    refused = ready.slack.calls("response_url")[-1].text
    after_the_release(ready)
    [sams_card] = [c for c in ready.slack.calls("chat.postMessage", channel="U0MGR1") if IDEA in str(c.args)]
    sams = str(sams_card.args["text"]).removeprefix("New suggestion #")

    ready.driver.click("U0MGR1", sams_card, "suggestion_planned")
    [post] = [c for c in ready.slack.calls("chat.postMessage", channel="C0EAST") if LEES in str(c.args)]
    ready.driver.click("U0AGENT4", post, "suggestion_back")

    assert refused == ":warning: Suggestion #2 is not yours to answer, or there is no such suggestion here."
    assert sams in ("2", "3")
    with ready.sessions() as session:
        rows = {row.what: row for row in session.scalars(select(Suggestion))}
        assert rows[IDEA].status == "planned" and rows[IDEA].number == int(sams)
        assert rows[LEES].status == "open" and rows[LEES].number == 1 and len(rows[LEES].backers) == 1
        assert sorted(row.number or 0 for row in rows.values()) == [1, 2, 3]
        assert all(row.id < 0 for row in rows.values() if row.anonymous)  # no order of sending kept in the id
        keys = session.scalars(select(Delivery.idempotency_key).where(Delivery.idempotency_key.like("%:status:%")))
        assert keys.all() == [f"suggestion:{rows[IDEA].id}:status:1:planned"]
    after_the_wait(ready)
    [told] = [c for c in ready.slack.calls("chat.postMessage", channel="U0AGENT1") if "plans to do" in str(c.args)]
    assert f"your suggestion #{sams}." in str(told.args["blocks"])
    backed = ready.slack.calls("response_url")[-1].text
    assert backed == "You back suggestion #1 (1 colleague so far)."


def test_held_ideas_are_numbered_in_the_order_they_are_shown_not_sent(ready: RunningBot) -> None:
    """Whatever waits each drew, the one shown first gets the lower number; the row keeps no order of sending."""
    ideas = [f"Idea {n}: fewer clicks in the refund tool" for n in range(4)]
    for idea in ideas:
        assert suggest_anonymously(ready, what=idea) == {}
    with ready.sessions() as session:
        held = session.scalars(select(Suggestion).order_by(Suggestion.release_at)).all()
        shown_order = [row.what for row in held]
        assert all(row.number is None and row.created_at == row.release_at for row in held)

    for _minute in range(31):
        ready.clock.advance(timedelta(minutes=1))
        ticks(ready)

    with ready.sessions() as session:
        numbers = {row.what: row.number for row in session.scalars(select(Suggestion))}
    assert [numbers[what] for what in shown_order] == [1, 2, 3, 4]


def test_a_card_s_buttons_act_only_on_the_idea_it_shows(ready: RunningBot) -> None:
    """Numbers start again at #1 in a workspace whose data was purged and the app installed again, while the old
    cards stay in Slack: a card's buttons reach only the idea it was sent for, whatever number they carry. Ada, an
    admin, may answer #2; from #1's card, with #2 typed in, she gets the words a number that never was gets."""
    ready.driver.command("U0AGENT1", "/suggest", "A second card reader at the returns desk")
    ready.driver.command("U0AGENT2", "/suggest", LEES)
    [first] = [c for c in ready.slack.calls("chat.postMessage", channel="U0MGR1") if "#1" in str(c.args["text"])]

    ready.driver.click("U0ADMIN", first, "suggestion_planned", value="2", forged=True)
    ready.driver.click("U0ADMIN", first, "suggestion_done", value="2", forged=True)
    refused = [call.text for call in ready.slack.calls("response_url")[-2:]]
    ready.driver.click("U0ADMIN", first, "suggestion_planned", forged=True)

    assert refused == [":warning: Suggestion #2 is not yours to answer, or there is no such suggestion here."] * 2
    assert ready.slack.calls("views.open") == []
    with ready.sessions() as session:
        assert {row.number: row.status for row in session.scalars(select(Suggestion))} == {1: "planned", 2: "open"}
