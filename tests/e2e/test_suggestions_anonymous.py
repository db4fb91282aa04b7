"""Anonymous suggestions: the author is told of every change, and nobody reading the database learns who it was."""

import base64
import hashlib
import json
import time
from datetime import timedelta

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session, sessionmaker

from handlers.jobs.drain_outbox import drain_outbox
from models import AuditEvent, Base, Delivery, Suggestion, SuggestionBacker
from services.random_wait import RELAY_DELAY_MINUTES
from tests.conftest import FIXTURES, RunningBot, bot_settings
from tests.helpers import POLICY_EXAMPLE, add_org_people, count, employee, load_org, load_policy
from tests.suggestions_helpers import SUGGESTIONS_POLICY, after_the_release, after_the_wait, load_suggestion_org

IDEA = "Stop making us read the refund script word for word"


@pytest.fixture
def ready(bot: RunningBot) -> RunningBot:
    load_suggestion_org(bot.sessions, bot.clock.now())
    return bot


def suggest_anonymously(bot: RunningBot, user: str = "U0AGENT1", what: str = IDEA) -> dict[str, object]:
    bot.driver.command(user, "/suggest")
    view = bot.slack.calls("views.open")[-1].args["view"]
    return bot.driver.submit(user, view, {"what": what, "anonymous": ["yes"]}).json


def everything_stored(engine: Engine) -> str:
    """What an attacker with a copy of the database reads: every row of every table, as text."""
    dump = []
    with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            dump += [
                json.dumps([str(v) for v in row]) for row in connection.execute(text(f"SELECT * FROM {table.name}"))
            ]
    return "\n".join(dump)


def test_an_anonymous_suggestion_names_nobody_yet_the_author_hears_each_change(ready: RunningBot) -> None:
    assert suggest_anonymously(ready) == {}
    after_the_release(ready)
    [card] = ready.slack.calls("chat.postMessage", channel="U0MGR1")
    [post] = ready.slack.calls("chat.postMessage", channel="C0EAST")

    ready.driver.click("U0MGR1", card, "suggestion_planned")
    at_the_click = [c for c in ready.slack.calls("chat.postMessage", channel="U0AGENT1") if "plans to do" in c.text]
    ready.clock.advance(timedelta(minutes=RELAY_DELAY_MINUTES[0]) - timedelta(seconds=1))
    drain_outbox(ready.runtime.deps, ready.runtime.sender_client)
    before_the_shortest_wait = ready.slack.calls("chat.postMessage", channel="U0AGENT1")
    after_the_wait(ready)

    assert "an anonymous colleague" in card.text and "Sam" not in card.text and "Sam" not in post.text
    assert at_the_click == [] and not [c for c in before_the_shortest_wait if "plans to do" in c.text]
    [told] = [c for c in ready.slack.calls("chat.postMessage", channel="U0AGENT1") if "plans to do" in c.text]
    assert IDEA in told.text
    with ready.sessions() as session:
        suggestion = session.scalars(select(Suggestion)).one()
        assert suggestion.author_id is None and suggestion.anonymous
        assert suggestion.team_manager_id == employee(session, "U0MGR1").id


def test_an_attacker_with_the_database_finds_no_trace_of_the_author(ready: RunningBot) -> None:
    suggest_anonymously(ready)
    after_the_release(ready)
    card = ready.slack.calls("chat.postMessage", channel="U0MGR1")[-1]
    ready.driver.click("U0MGR1", card, "suggestion_under_review")
    after_the_wait(ready)
    with ready.sessions() as session:
        sam = employee(session, "U0AGENT1")
        engine = session.get_bind()
        deliveries = session.scalars(select(Delivery).where(Delivery.idempotency_key.startswith("suggestion:"))).all()
        audit = session.scalars(select(AuditEvent).where(AuditEvent.subject == "#1")).all()
    rows = [line for line in everything_stored(engine).splitlines() if "refund script" in line]  # type: ignore[arg-type]

    assert len(deliveries) == 3 and rows and audit
    about_it = [*rows, *(json.dumps([d.payload, d.result]) for d in deliveries), *(a.actor for a in audit)]
    for trace in about_it:
        assert "U0AGENT1" not in trace and "D0AGENT1" not in trace and "Sam Agent" not in trace
    sealed = [d for d in deliveries if str(d.payload["channel"]).startswith("sealed:")]
    # the news of its review (the form's answer went under the prefix forgotten within the hour)
    assert len(sealed) == 1 and all(d.status == "sent" and d.result == {} for d in sealed)
    guesses = {hashlib.sha256(str(value).encode()).hexdigest() for value in (sam.id, sam.slack_id, f"1:{sam.id}")}
    assert not guesses & set(everything_stored(engine).split('"'))  # type: ignore[arg-type]


def test_a_database_reader_cannot_read_when_an_anonymous_idea_was_really_sent_from_its_seal(ready: RunningBot) -> None:
    """Its release is dated 5 to 30 minutes after it was sent, so that the moment someone typed `/suggest` names no
    one; a Fernet token carries the moment it was made, readable without the key."""
    sent_at = int(ready.clock.now().timestamp())
    suggest_anonymously(ready)
    after_the_release(ready)
    with ready.sessions() as session:
        seal = str(session.scalars(select(Suggestion.author_seal)).one())

    token = base64.urlsafe_b64decode(seal.rsplit(":", 1)[1])
    made_at = int.from_bytes(token[1:9], "big")

    assert abs(made_at - sent_at) > 24 * 3600 and abs(made_at - int(time.time())) > 24 * 3600


def seal_as_the_earlier_release_made_it(bot: RunningBot, workspace_id: int, slack_id: str, at: int) -> str:
    """A seal made before seals carried no date: the same key, the moment it was made written in its token."""
    key = bot.runtime.deps.relay._key("suggestion-seal", workspace_id)  # type: ignore[union-attr]
    token = Fernet(base64.urlsafe_b64encode(key)).encrypt_at_time(slack_id.encode(), at).decode()
    return f"sealed:{workspace_id}:{token}"


def moment_in(seal: str) -> int:
    """What a reader of the database reads in a seal without the key: the moment its Fernet token was made."""
    return int.from_bytes(base64.urlsafe_b64decode(seal.rsplit(":", 1)[1])[1:9], "big")


def test_a_seal_an_earlier_release_dated_no_longer_says_when_the_idea_was_sent_once_the_bot_restarts(
    ready: RunningBot, database_url: str
) -> None:
    sent_at = int(ready.clock.now().timestamp())
    suggest_anonymously(ready)
    after_the_release(ready)
    with ready.sessions.begin() as session:
        suggestion = session.scalars(select(Suggestion)).one()
        dated = seal_as_the_earlier_release_made_it(ready, suggestion.workspace_id, "U0AGENT1", sent_at)
        suggestion.author_seal = dated
    assert moment_in(dated) == sent_at

    ready.another_runtime(bot_settings(ready.slack, database_url)).close()
    card = ready.slack.calls("chat.postMessage", channel="U0MGR1")[-1]
    ready.driver.click("U0MGR1", card, "suggestion_planned")
    after_the_wait(ready)

    with ready.sessions() as session:
        seal = str(session.scalars(select(Suggestion.author_seal)).one())
    assert moment_in(seal) == 0 and "U0AGENT1" not in seal
    [told] = [c for c in ready.slack.calls("chat.postMessage", channel="U0AGENT1") if "plans to do" in c.text]
    assert IDEA in told.text


def test_anonymity_needs_a_team_at_least_as_large_as_the_pulse_threshold(ready: RunningBot) -> None:
    reply = suggest_anonymously(ready, user="U0AGENT3")

    assert "fewer than 5 people" in reply["errors"]["anonymous"]  # type: ignore[index]
    with ready.sessions() as session:
        assert count(session, Suggestion) == 0
    assert ready.slack.calls("chat.postMessage") == []


def test_the_anonymous_author_finds_it_in_their_list_and_backs_it_like_anyone(ready: RunningBot) -> None:
    """Refusing the author's "me too" would make the one teammate who never backs it its likely author."""
    suggest_anonymously(ready)
    after_the_release(ready)
    post = ready.slack.calls("chat.postMessage", channel="C0EAST")[-1]

    mine = ready.driver.command("U0AGENT1", "/suggest", "list")
    ready.driver.click("U0AGENT1", post, "suggestion_back")
    ready.driver.click("U0AGENT2", post, "suggestion_back")
    theirs = ready.driver.command("U0AGENT2", "/suggest", "list")

    assert IDEA in mine.text and IDEA not in theirs.text
    assert "your own suggestion" not in " ".join(call.text for call in ready.slack.calls("response_url"))
    with ready.sessions() as session:
        assert count(session, SuggestionBacker) == 2


def test_a_category_owner_cannot_send_an_anonymous_idea_in_their_own_category(bot: RunningBot) -> None:
    """It would go to their manager instead of them, the one such idea to do so: that alone would name them."""
    policy = SUGGESTIONS_POLICY.replace('tools = "U0ADMIN"', 'tools = "U0ADMIN"\nprocess = "U0AGENT2"')
    load_suggestion_org(bot.sessions, bot.clock.now(), policy)
    bot.driver.command("U0AGENT2", "/suggest")
    view = bot.slack.calls("views.open")[-1].args["view"]

    reply = bot.driver.submit("U0AGENT2", view, {"what": IDEA, "category": "process", "anonymous": ["yes"]}).json

    assert "You receive the “process” suggestions yourself" in reply["errors"]["anonymous"]
    with bot.sessions() as session:
        assert count(session, Suggestion) == 0
    assert bot.slack.calls("chat.postMessage") == []


@pytest.mark.parametrize("user", ["U0HR", "U0ADMIN"])
def test_hr_and_admins_cannot_send_an_anonymous_idea(ready: RunningBot, user: str) -> None:
    """When an owner leaves, an anonymous idea goes to HR (then an admin) but never to its author: one passing
    them by while the others go to them would name them."""
    reply = suggest_anonymously(ready, user)

    assert "As HR or an admin, you may be handed anonymous suggestions" in reply["errors"]["anonymous"]  # type: ignore[index]
    with ready.sessions() as session:
        assert count(session, Suggestion) == 0
    assert ready.slack.calls("chat.postMessage") == []


def test_an_owner_in_the_authors_team_leaves_one_fewer_to_hide_among_so_a_team_at_the_threshold_is_refused(
    bot: RunningBot,
) -> None:
    """Support East has six people; with a threshold of six, the owner knows it is one of the other five."""
    policy = SUGGESTIONS_POLICY.replace('tools = "U0ADMIN"', 'tools = "U0ADMIN"\nprocess = "U0AGENT2"')
    load_suggestion_org(
        bot.sessions, bot.clock.now(), policy.replace("anonymity_threshold = 5", "anonymity_threshold = 6")
    )

    def submitted(category: str) -> dict[str, object]:
        bot.driver.command("U0AGENT1", "/suggest")
        view = bot.slack.calls("views.open")[-1].args["view"]
        return bot.driver.submit("U0AGENT1", view, {"what": IDEA, "category": category, "anonymous": ["yes"]}).json

    refused = submitted("process")
    with bot.sessions() as session:
        assert count(session, Suggestion) == 0
    accepted = submitted("tools")

    assert "fewer than 6 people who could have sent it" in refused["errors"]["anonymous"]  # type: ignore[index]
    assert "Lee" not in refused["errors"]["anonymous"]  # type: ignore[index]
    assert accepted == {}
    with bot.sessions() as session:
        assert [s.category for s in session.scalars(select(Suggestion))] == ["tools"]


HEADER = "slack_id,name,team,role,manager_slack_id,email,tz,profile"
ADA_LEADS_HR_AND_FOUR_MANAGERS = "\n".join(
    [
        HEADER,
        "U0ADMIN,Ada Admin,Operations,admin,,,Europe/London,",
        "U0HR,Hana Reyes,People,hr,U0ADMIN,,Europe/London,",
        "U0MGR1,Maya Manager,Support East,manager,U0ADMIN,,Europe/London,",
        "U0MGR2,Omar Manager,Support West,manager,U0ADMIN,,Europe/London,",
        "U0MGR3,Kai Manager,Support North,manager,U0ADMIN,,Europe/London,",
        "U0MGR4,Ivy Manager,Support South,manager,U0ADMIN,,Europe/London,",
        "U0AGENT1,Sam Agent,Support East,frontline,U0MGR1,,Europe/London,",
    ]
)


def test_hr_in_the_authors_team_cannot_be_the_author_so_a_team_at_the_threshold_is_refused(bot: RunningBot) -> None:
    """Ada leads five: Hana from HR and four managers. Ada knows Hana may not send anonymous ideas, so one from
    her team comes from one of four. The refusal reads as for any team too small: it names nobody left out."""
    load_org(bot.sessions, bot.clock.now(), ADA_LEADS_HR_AND_FOUR_MANAGERS)
    add_org_people(bot.slack, ADA_LEADS_HR_AND_FOUR_MANAGERS)
    load_policy(bot.sessions, bot.clock.now(), POLICY_EXAMPLE.read_text())

    among_four = suggest_anonymously(bot, user="U0MGR1")
    alone = suggest_anonymously(bot, user="U0AGENT1")

    assert "fewer than 5 people" in among_four["errors"]["anonymous"]  # type: ignore[index]
    assert among_four == alone
    with bot.sessions() as session:
        assert count(session, Suggestion) == 0
    assert bot.slack.calls("chat.postMessage") == []


def test_two_anonymous_ideas_by_one_person_share_nothing_a_database_reader_could_link(ready: RunningBot) -> None:
    """A shared token would link them: with a team move in between, the one person in both teams is the author."""
    suggest_anonymously(ready, what="The hold music is too loud")
    suggest_anonymously(ready, what="The returns form asks for the order twice")

    with ready.sessions() as session:
        tokens = set(session.scalars(select(Suggestion.author_token)))
    mine = ready.driver.command("U0AGENT1", "/suggest", "list")
    assert len(tokens) == 2
    assert "The hold music is too loud" in mine.text and "asks for the order twice" in mine.text


def test_done_thanks_the_backers_of_an_anonymous_idea_by_count_not_by_name(ready: RunningBot) -> None:
    suggest_anonymously(ready)
    after_the_release(ready)
    post = ready.slack.calls("chat.postMessage", channel="C0EAST")[-1]
    for teammate in ("U0AGENT2", "U0AGENT4", "U0AGENT5"):
        ready.driver.click(teammate, post, "suggestion_back")
    card = ready.slack.calls("chat.postMessage", channel="U0MGR1")[-1]
    ready.driver.click("U0MGR1", card, "suggestion_done")
    ready.driver.submit("U0MGR1", ready.slack.calls("views.open")[-1].args["view"], {"note": "Done"})

    [we_did] = [c for c in ready.slack.calls("chat.postMessage", channel="C0EAST") if "You said, we did" in c.text]
    assert "Thank you to the 3 colleagues who backed it, and to whoever suggested it!" in we_did.text
    assert not [name for name in ("Lee", "Dee", "Eli", "Sam") if name in we_did.text]


def test_done_thanks_the_team_without_naming_the_author_and_grants_no_named_shoutout(
    ready: RunningBot, sessions: sessionmaker[Session]
) -> None:
    suggest_anonymously(ready)
    after_the_release(ready)
    card = ready.slack.calls("chat.postMessage", channel="U0MGR1")[-1]
    ready.driver.click("U0MGR1", card, "suggestion_done")
    ready.driver.submit(
        "U0MGR1", ready.slack.calls("views.open")[-1].args["view"], {"note": "The script is a guide now"}
    )

    [we_did] = [c for c in ready.slack.calls("chat.postMessage", channel="C0EAST") if "You said, we did" in c.text]
    assert "chose to stay anonymous" in we_did.text and "Sam" not in we_did.text
    after_the_wait(ready)
    assert "The script is a guide now" in ready.slack.calls("chat.postMessage", channel="U0AGENT1")[-1].text
    with sessions() as session:
        assert session.scalars(select(Suggestion.nomination_id)).one() is None


def test_an_anonymous_why_cannot_forge_a_named_suggestion_in_the_team_channel(ready: RunningBot) -> None:
    """The "why" is written on several lines: each stays in its quote, none reads as the bot's own heading."""
    ready.driver.command("U0AGENT1", "/suggest")
    view = ready.slack.calls("views.open")[-1].args["view"]
    forged_why = "it matters\n\n:bulb: *Suggestion #77* from Maya Manager\n> Cancel every weekend shift bonus"

    reply = ready.driver.submit("U0AGENT1", view, {"what": IDEA, "why": forged_why, "anonymous": ["yes"]})

    assert reply.json == {}
    after_the_release(ready)
    [post] = ready.slack.calls("chat.postMessage", channel="C0EAST")
    shown = post.args["blocks"][0]["text"]["text"]
    ours = [line for line in shown.splitlines() if not line.startswith(">")]
    assert ours == [":bulb: *Suggestion #1* from an anonymous colleague", "_Why:_"], shown


def test_an_idea_on_several_lines_cannot_forge_lines_of_the_managers_digest(ready: RunningBot) -> None:
    """The digest lists each waiting idea on one line: a second line of the idea would read as the digest's own."""
    forged = "Fewer surveys\n\n*Escalations waiting on you:* none :white_check_mark:\n*Pulse:* 4.9 / 5, best team"
    assert suggest_anonymously(ready, what=forged) == {}
    after_the_release(ready)

    ready.driver.command("U0MGR1", "/digest")

    [preview] = [call for call in ready.slack.calls("response_url") if "Suggestions waiting on you" in call.text]
    lines = preview.text.splitlines()
    assert not [line for line in lines if line.startswith(("*Escalations waiting on you:*", "*Pulse:*"))], lines
    assert any(line.endswith(f"backing: {' '.join(forged.split())}") for line in lines), lines


def test_an_anonymous_idea_from_a_team_an_admin_leads_directly_is_told_done_to_no_other_teams_manager(
    bot: RunningBot,
) -> None:
    """Ada (admin, Operations) leads five of Operations directly, and Maya and Omar, who lead their own teams."""
    operations = "".join(
        f"U0OPS{n},Ops {n},Operations,frontline,U0ADMIN,ops{n}@example.com,Europe/London,agent\n" for n in range(5)
    )
    load_suggestion_org(bot.sessions, bot.clock.now())
    load_org(bot.sessions, bot.clock.now(), (FIXTURES / "org.csv").read_text() + operations)
    add_org_people(bot.slack, (FIXTURES / "org.csv").read_text() + operations)
    assert suggest_anonymously(bot, "U0OPS0", "One rota for the whole floor") == {}
    after_the_release(bot)
    card = bot.slack.calls("chat.postMessage", channel="U0ADMIN")[-1]

    bot.driver.click("U0ADMIN", card, "suggestion_done")
    bot.driver.submit("U0ADMIN", bot.slack.calls("views.open")[-1].args["view"], {"note": "The rota is shared"})
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)

    told = {c.channel for c in bot.slack.calls("chat.postMessage") if "You said, we did" in c.text}
    assert told == {"U0ADMIN", *(f"U0OPS{n}" for n in range(5))}, "not Maya nor Omar, nor Hana of People"


def test_an_anonymous_idea_from_a_team_an_admin_leads_is_told_done_to_nobody_of_another_team_who_leads_nobody(
    bot: RunningBot,
) -> None:
    """Ada leads five of Operations directly, and Sol of Support West, who leads nobody: the group the idea hides
    in is the group told, Operations, so Sol neither hears of it nor can send one hidden in Operations."""
    operations = "".join(
        f"U0OPS{n},Ops {n},Operations,frontline,U0ADMIN,ops{n}@example.com,Europe/London,agent\n" for n in range(5)
    )
    sol = "U0SOL,Sol Agent,Support West,frontline,U0ADMIN,sol@example.com,Europe/London,agent\n"
    load_suggestion_org(bot.sessions, bot.clock.now())
    load_org(bot.sessions, bot.clock.now(), (FIXTURES / "org.csv").read_text() + operations + sol)
    add_org_people(bot.slack, (FIXTURES / "org.csv").read_text() + operations + sol)
    refused = suggest_anonymously(bot, "U0SOL", "One rota for the whole floor")
    assert "fewer than 5 people" in refused["errors"]["anonymous"]  # type: ignore[index]
    assert suggest_anonymously(bot, "U0OPS0", "One rota for the whole floor") == {}
    after_the_release(bot)
    card = bot.slack.calls("chat.postMessage", channel="U0ADMIN")[-1]

    bot.driver.click("U0ADMIN", card, "suggestion_done")
    bot.driver.submit("U0ADMIN", bot.slack.calls("views.open")[-1].args["view"], {"note": "The rota is shared"})
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)

    told = {c.channel for c in bot.slack.calls("chat.postMessage") if "You said, we did" in c.text}
    assert told == {"U0ADMIN", *(f"U0OPS{n}" for n in range(5))}, "not Sol, of Support West"


def mark_done_by_maya(bot: RunningBot, card: object) -> None:
    bot.driver.click("U0MGR1", card, "suggestion_done")
    bot.driver.submit("U0MGR1", bot.slack.calls("views.open")[-1].args["view"], {"note": "Done"})


def test_the_author_s_list_tries_only_anonymous_ideas_open_or_closed_in_the_last_90_days(ready: RunningBot) -> None:
    """Each anonymous idea costs an HMAC to match against the author: one closed 100 days ago is no longer tried nor
    listed, one closed 40 days ago still is, as the README says."""
    suggest_anonymously(ready, what="The hold music is too loud")
    after_the_release(ready)
    old_card = ready.slack.calls("chat.postMessage", channel="U0MGR1")[-1]
    suggest_anonymously(ready, what="The returns form asks for the order twice")
    after_the_release(ready)
    recent_card = ready.slack.calls("chat.postMessage", channel="U0MGR1")[-1]
    mark_done_by_maya(ready, old_card)
    ready.clock.advance(timedelta(days=60))
    mark_done_by_maya(ready, recent_card)
    ready.clock.advance(timedelta(days=40))

    mine = ready.driver.command("U0AGENT1", "/suggest", "list").text

    assert "asks for the order twice" in mine, mine
    assert "hold music" not in mine, mine
    readme = " ".join((FIXTURES.parent.parent / "README.md").read_text().split())
    assert "your anonymous ones while open and for 90 days after they close" in readme
