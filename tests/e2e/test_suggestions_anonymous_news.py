"""What a manager watching the floor learns from phones lighting up as they act on an anonymous idea: nothing. Its
author's news of a status or of a new owner reaches them a random while later, once however many changes came
first, and "you said, we did" by DM reaches them as it reaches every teammate, one DM each."""

from collections import Counter

from sqlalchemy import select

from handlers.jobs.drain_outbox import drain_outbox
from models import Delivery, Suggestion
from tests.conftest import RunningBot
from tests.e2e.test_suggestions_anonymous import IDEA, suggest_anonymously
from tests.e2e.test_suggestions_held_while_moving import (
    OWNED_BY_OMAR,
    owner_of_tools_becomes,
    suggest_a_tool_anonymously,
)
from tests.e2e.test_suggestions_team_kept import EAST, NO_CHANNELS
from tests.suggestions_helpers import after_the_release, after_the_wait, load_suggestion_org

AUTHOR = "U0AGENT1"
TOGGLES = ["suggestion_planned", "suggestion_under_review", "suggestion_planned", "suggestion_under_review"]


def dms(bot: RunningBot) -> list[tuple[str, str]]:
    """Every DM Slack was asked to post so far, as (whom, what): what lights up a phone."""
    return [(call.channel, call.text) for call in bot.slack.calls("chat.postMessage") if call.channel[0] in "UD"]


def lit_up_by(bot: RunningBot, user: str, card: object, action: str) -> list[tuple[str, str]]:
    """The DMs a click sends, its moment and the outbox drain's next tick (ten seconds on) together."""
    before = len(dms(bot))
    bot.driver.click(user, card, action)
    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)
    return dms(bot)[before:]


def released(bot: RunningBot) -> object:
    """An anonymous idea by Sam, released to Maya; her card."""
    assert suggest_anonymously(bot) == {}
    after_the_release(bot)
    return bot.slack.calls("chat.postMessage", channel="U0MGR1")[-1]


def status_news(bot: RunningBot) -> list[Delivery]:
    with bot.sessions() as session:
        return list(
            session.scalars(
                select(Delivery).where(Delivery.idempotency_key.like("%:status:%")).order_by(Delivery.idempotency_key)
            )
        )


def test_a_manager_toggling_an_anonymous_ideas_status_lights_up_no_phone_and_its_author_hears_once_later(
    bot: RunningBot,
) -> None:
    load_suggestion_org(bot.sessions, bot.clock.now())
    card = released(bot)

    at_each_click = [lit_up_by(bot, "U0MGR1", card, action) for action in TOGGLES]
    after_the_wait(bot)
    later = [text for whom, text in dms(bot) if whom == AUTHOR and IDEA in text and "Sent anonymously" not in text]

    assert at_each_click == [[], [], [], []], "nobody's phone lights up as Maya clicks"
    assert len(later) == 1 and "is looking at your suggestion #1" in later[0], later
    news = status_news(bot)
    assert [row.status for row in news] == ["failed", "failed", "failed", "sent"], "each waiting one given up"


def test_an_anonymous_ideas_status_set_back_to_what_its_author_was_last_told_sends_nothing_new(
    bot: RunningBot,
) -> None:
    load_suggestion_org(bot.sessions, bot.clock.now())
    card = released(bot)
    bot.driver.click("U0MGR1", card, "suggestion_under_review")
    after_the_wait(bot)
    told = [text for whom, text in dms(bot) if whom == AUTHOR]

    bot.driver.click("U0MGR1", card, "suggestion_planned")
    bot.driver.click("U0MGR1", card, "suggestion_under_review")
    after_the_wait(bot)

    assert "is looking at your suggestion #1" in told[-1]
    assert [text for whom, text in dms(bot) if whom == AUTHOR] == told, "back where they last heard it was"
    with bot.sessions() as session:
        assert session.scalars(select(Suggestion.status)).one() == "under_review"


def test_hr_answering_an_anonymous_idea_through_suggest_answer_lights_up_only_their_own_phone(bot: RunningBot) -> None:
    load_suggestion_org(bot.sessions, bot.clock.now())
    released(bot)
    bot.driver.command("U0HR", "/suggest", "answer #1")
    [copy] = [c for c in bot.slack.calls("chat.postMessage", channel="U0HR") if "suggestion_planned" in str(c.args)]

    at_each_click = [lit_up_by(bot, "U0HR", copy, action) for action in TOGGLES]
    after_the_wait(bot)

    assert at_each_click == [[], [], [], []]
    assert len([text for whom, text in dms(bot) if whom == AUTHOR and "is looking at" in text]) == 1


def test_done_on_a_team_without_a_channel_sends_the_anonymous_author_one_dm_as_it_does_every_teammate(
    bot: RunningBot,
) -> None:
    """Without a channel, "you said, we did" is a DM to each of the team: the author's own news of it on top would
    make theirs the one phone that lights up twice. The author's row is kept as each teammate's is."""
    load_suggestion_org(bot.sessions, bot.clock.now(), NO_CHANNELS)
    suggest_a_tool_anonymously(bot)
    after_the_release(bot)
    [card] = [c for c in bot.slack.calls("chat.postMessage", channel="U0ADMIN") if "suggestion_done" in str(c.args)]
    bot.driver.click("U0ADMIN", card, "suggestion_planned")  # its news still waits when it is done
    before = len(dms(bot))

    bot.driver.click("U0ADMIN", card, "suggestion_done")
    bot.driver.submit("U0ADMIN", bot.slack.calls("views.open")[-1].args["view"], {"note": "Two card readers now"})
    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)
    at_once = Counter(whom for whom, _text in dms(bot)[before:])
    after_the_wait(bot)
    in_all = Counter(whom for whom, _text in dms(bot)[before:])

    assert at_once == in_all == Counter(dict.fromkeys(EAST | {"U0MGR1"}, 1)), in_all
    with bot.sessions() as session:
        we_did = session.scalars(select(Delivery.idempotency_key).where(Delivery.idempotency_key.like("%:we_did:%")))
        assert {key.rsplit(":", 1)[1] for key in we_did} == EAST | {"U0MGR1"}, "the author's row as each teammate's"


def test_an_anonymous_ideas_author_hears_of_new_owners_a_random_while_later_once(bot: RunningBot) -> None:
    """HR sets the moment of a hand-over (a policy load, an org import): the author's phone must not light up then."""
    load_suggestion_org(bot.sessions, bot.clock.now(), OWNED_BY_OMAR)
    suggest_a_tool_anonymously(bot)
    after_the_release(bot)
    before = len(dms(bot))

    owner_of_tools_becomes(bot, "U0AGENT2")
    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)
    owner_of_tools_becomes(bot, "U0AGENT3")
    drain_outbox(bot.runtime.deps, bot.runtime.sender_client)
    at_the_moves = [whom for whom, _text in dms(bot)[before:]]
    after_the_wait(bot)

    assert AUTHOR not in at_the_moves and "U0AGENT3" in at_the_moves, "the new owner's card goes at once"
    told = [text for whom, text in dms(bot)[before:] if whom == AUTHOR]
    assert len(told) == 1 and "Your suggestion #1 now goes to Ines" in told[0], told


def test_a_named_authors_news_still_reaches_them_at_the_click(bot: RunningBot) -> None:
    load_suggestion_org(bot.sessions, bot.clock.now())
    bot.driver.command(AUTHOR, "/suggest", "A second card reader at the returns desk")
    [card] = bot.slack.calls("chat.postMessage", channel="U0MGR1")

    lit = lit_up_by(bot, "U0MGR1", card, "suggestion_planned")

    assert [whom for whom, _text in lit] == [AUTHOR]
