"""A suggestion keeps the team it came from: its channel and the people told "you said, we did" are that team's,
whoever leads it since, even a manager sitting in another team."""

from pathlib import Path

from sqlalchemy import select, text, update

from bot.fakeslack import Call
from handlers.jobs.drain_outbox import drain_outbox
from models import Employee, Suggestion, Team, Workspace
from models.engine import make_engine, make_session_factory
from models.schema import migrate, upgrade
from services.suggestions import lifecycle
from services.suggestions.lifecycle import SuggestionRequest
from tests.conftest import MONDAY_MORNING, RunningBot
from tests.e2e.test_people_leaving import ORG_CSV, reimport
from tests.e2e.test_suggestions_people_moving import EAST_UNDER_ADA, send
from tests.helpers import POLICY_EXAMPLE, employee, load_org, load_org_and_policy
from tests.suggestions_helpers import EXTRA_AGENTS, SUGGESTIONS_POLICY, after_the_release, load_suggestion_org

EAST = {"U0AGENT1", "U0AGENT2", "U0AGENT4", "U0AGENT5", "U0AGENT6", "U0AGENT7"}
EAST_UNDER_OMAR = (ORG_CSV + EXTRA_AGENTS).replace(",Support East,frontline,U0MGR1,", ",Support East,frontline,U0MGR2,")
"""Maya's agents now report to Omar, who still sits in Support West; Maya stays, leading nobody."""
NO_CHANNELS = POLICY_EXAMPLE.read_text().replace(
    '"Support North" = "C0NORTH"', '"Support North" = "C0NORTH"\n\n[suggestions.owners]\ntools = "U0ADMIN"'
)
EAST_AND_WEST_CHANNELS = POLICY_EXAMPLE.read_text().replace(
    '"Support North" = "C0NORTH"',
    '"Support East" = "C0EAST"\n"Support West" = "C0WEST"\n\n[suggestions.owners]\ntools = "U0ADMIN"',
)
OPERATIONS_CHANNEL = SUGGESTIONS_POLICY.replace(
    '"Support East" = "C0EAST"', '"Support East" = "C0EAST"\n"Operations" = "C0OPS"'
)


def card_of(bot: RunningBot) -> tuple[str, Call]:
    """Whoever holds the idea now, and the last card of it they were sent."""
    with bot.sessions() as session:
        holder = session.scalars(select(Suggestion)).one().owner.slack_id
    return holder, [c for c in bot.slack.calls("chat.postMessage", channel=holder) if "suggestion_done" in str(c.args)][
        -1
    ]


def marked_done(bot: RunningBot) -> set[str]:
    """Its holder marks it done; where "you said, we did" went."""
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)
    holder, card = card_of(bot)
    bot.slack.reset()
    bot.driver.click(holder, card, "suggestion_done")
    bot.driver.submit(holder, bot.slack.calls("views.open")[-1].args["view"], {"note": "The script is now a guide"})
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)
    return {call.channel for call in bot.slack.calls("chat.postMessage") if "You said, we did" in (call.text or "")}


def test_an_anonymous_idea_whose_team_moved_under_a_manager_of_another_team_is_done_to_the_team_it_came_from(
    bot: RunningBot,
) -> None:
    load_suggestion_org(bot.sessions, bot.clock.now(), NO_CHANNELS)
    send(bot, "U0AGENT1", "Stop reading the refund script word for word", anonymous=["yes"])
    reimport(bot.sessions, bot.clock.now(), EAST_UNDER_OMAR)

    told = marked_done(bot)

    assert told == EAST | {"U0MGR2"}, "the East team it came from and its manager now; nobody of Support West"


def test_an_anonymous_idea_held_while_its_team_moved_under_a_manager_of_another_team_is_posted_in_its_teams_channel(
    bot: RunningBot,
) -> None:
    load_suggestion_org(bot.sessions, bot.clock.now(), EAST_AND_WEST_CHANNELS)
    bot.driver.command("U0AGENT1", "/suggest")
    view = bot.slack.calls("views.open")[-1].args["view"]
    assert bot.driver.submit("U0AGENT1", view, {"what": "Maya reads our chats", "anonymous": ["yes"]}).json == {}
    reimport(bot.sessions, bot.clock.now(), EAST_UNDER_OMAR)  # within its 5-30 minute hold
    bot.slack.reset()

    after_the_release(bot)

    assert {c.channel for c in bot.slack.calls("chat.postMessage") if c.channel.startswith("C")} == {"C0EAST"}
    assert marked_done(bot) == {"C0EAST"}


def test_a_named_idea_sent_after_maya_left_is_posted_in_the_authors_team_channel(bot: RunningBot) -> None:
    load_suggestion_org(bot.sessions, bot.clock.now(), OPERATIONS_CHANNEL)
    reimport(bot.sessions, bot.clock.now(), EAST_UNDER_ADA)  # Maya leaves: Support East reports to Ada (Operations)
    bot.slack.reset()

    bot.driver.command("U0AGENT2", "/suggest", "a second card reader at the returns desk")
    drain_outbox(bot.runtime.deps, bot.runtime.app.client)

    assert sorted(c.channel for c in bot.slack.calls("chat.postMessage")) == ["C0EAST", "U0ADMIN"]
    assert marked_done(bot) == {"C0EAST"}


def test_an_idea_filed_under_a_team_stored_twice_joins_the_one_the_file_names(bot: RunningBot) -> None:
    """A directory imported before teams were matched whatever their case may hold both spellings: its ideas go with
    its people to the one the file names, and keep that team's channel."""
    load_suggestion_org(bot.sessions, bot.clock.now())
    with bot.sessions.begin() as session:
        east = session.scalars(select(Team).where(Team.name == "Support East")).one()
        split = Team(workspace_id=east.workspace_id, name="support east")
        session.add(split)
        session.flush()
        session.execute(update(Employee).where(Employee.slack_id == "U0AGENT2").values(team_id=split.id))
    bot.driver.command("U0AGENT2", "/suggest", "a second card reader at the returns desk")

    reimport(bot.sessions, bot.clock.now(), ORG_CSV + EXTRA_AGENTS)

    with bot.sessions() as session:
        assert [team.name for team in session.scalars(select(Team).join(Suggestion.team))] == ["Support East"]
    assert marked_done(bot) == {"C0EAST"}


def test_upgrading_files_each_idea_under_its_authors_team_or_for_an_anonymous_one_its_managers(
    tmp_path: Path,
) -> None:
    """Migration 0049: a named idea's team is its author's (Sam's East, though he reports to Omar of West); an
    anonymous one's, whose author is kept nowhere in the clear, its manager's, the team the code before it used."""
    engine = make_engine(f"sqlite:///{tmp_path / 'before.db'}")
    upgrade(engine)
    sessions = make_session_factory(engine)
    load_org_and_policy(sessions, MONDAY_MORNING)
    sam_under_omar = ORG_CSV.replace(
        "Sam Agent,Support East,frontline,U0MGR1,", "Sam Agent,Support East,frontline,U0MGR2,"
    )
    load_org(sessions, MONDAY_MORNING, sam_under_omar)
    with sessions.begin() as session:
        workspace, sam = session.scalars(select(Workspace)).one(), employee(session, "U0AGENT1")
        for what in ("A second card reader", "Stop reading the refund script"):
            request = SuggestionRequest(what=what)
            lifecycle.submit(session, workspace=workspace, author=sam, request=request, relay=None, now=MONDAY_MORNING)
        teams = {team.name: team.id for team in session.scalars(select(Team))}
    migrate(engine, "downgrade", "0048")
    with engine.begin() as connection:  # the second as an anonymous idea sent to Omar's team is stored
        anonymous = "anonymous = TRUE, author_id = NULL, author_token = 'x'"
        connection.execute(text(f"UPDATE suggestions SET {anonymous} WHERE what LIKE 'Stop%'"))

    migrate(engine, "upgrade", "head")

    with engine.connect() as connection:
        filed = connection.execute(text("SELECT anonymous, team_id FROM suggestions ORDER BY what")).all()
    assert [tuple(row) for row in filed] == [(False, teams["Support East"]), (True, teams["Support West"])]
    engine.dispose()
