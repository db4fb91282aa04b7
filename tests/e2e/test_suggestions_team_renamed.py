"""An org file renaming a team makes a new team (teams are matched by name) and leaves the old one with nobody: its
open ideas, held anonymous ones included, go to the team most of its people are in now, so that "you said, we did"
and the channel post reach them; a team split in halves keeps its ideas."""

from sqlalchemy import select

from models import Suggestion, Team
from tests.conftest import RunningBot
from tests.e2e.test_people_leaving import ORG_CSV, reimport
from tests.e2e.test_suggestions_people_moving import send
from tests.e2e.test_suggestions_team_kept import EAST, NO_CHANNELS, marked_done
from tests.helpers import load_policy
from tests.suggestions_helpers import EXTRA_AGENTS, SUGGESTIONS_POLICY, after_the_release, load_suggestion_org

RENAMED = (ORG_CSV + EXTRA_AGENTS).replace(",Support East,", ",Customer Care East,")
RENAMED_POLICY = SUGGESTIONS_POLICY.replace('"Support East" = "C0EAST"', '"Customer Care East" = "C0EAST"')


def moved_to(csv: str, team: str, *people: str) -> str:
    """The org file with these people in `team` instead."""
    lines = csv.splitlines()
    return "\n".join(
        line.replace(",Support East,", f",{team},") if line.split(",")[0] in people else line for line in lines
    )


SPLIT_UNEVENLY = moved_to(ORG_CSV + EXTRA_AGENTS, "Returns", "U0AGENT6", "U0AGENT7").replace(
    ",Support East,", ",Customer Care East,"
)
"""Five of Support East's seven are in Customer Care East, two in Returns."""
SPLIT_IN_HALVES = "\n".join(
    line.replace(",Support East,", ",Customer Care East,")
    for line in moved_to(ORG_CSV + EXTRA_AGENTS, "Returns", "U0AGENT4", "U0AGENT5", "U0AGENT6").splitlines()
    if not line.startswith("U0AGENT7,")
)
"""Gil leaves; Maya, Sam and Lee are in Customer Care East, Dee, Eli and Fay in Returns: three of seven each."""


def test_you_said_we_did_of_an_anonymous_idea_reaches_its_team_renamed_since(bot: RunningBot) -> None:
    load_suggestion_org(bot.sessions, bot.clock.now(), NO_CHANNELS)
    send(bot, "U0AGENT1", "Stop reading the refund script word for word", anonymous=["yes"])

    reimport(bot.sessions, bot.clock.now(), RENAMED)

    assert marked_done(bot) == EAST | {"U0MGR1"}


def test_you_said_we_did_of_a_named_idea_reaches_its_team_renamed_since(bot: RunningBot) -> None:
    load_suggestion_org(bot.sessions, bot.clock.now(), NO_CHANNELS)
    send(bot, "U0AGENT2", "Stop reading the refund script word for word")

    reimport(bot.sessions, bot.clock.now(), RENAMED)

    assert marked_done(bot) == (EAST - {"U0AGENT2"}) | {"U0MGR1"}


def test_an_anonymous_idea_held_while_its_team_was_renamed_is_posted_in_the_channel_the_policy_names_for_it_now(
    bot: RunningBot,
) -> None:
    load_suggestion_org(bot.sessions, bot.clock.now())
    bot.driver.command("U0AGENT1", "/suggest")
    view = bot.slack.calls("views.open")[-1].args["view"]
    assert bot.driver.submit("U0AGENT1", view, {"what": "Maya reads our chats", "anonymous": ["yes"]}).json == {}
    reimport(bot.sessions, bot.clock.now(), RENAMED)  # within its 5-30 minute hold
    load_policy(bot.sessions, bot.clock.now(), RENAMED_POLICY)
    bot.slack.reset()

    after_the_release(bot)

    assert {c.channel for c in bot.slack.calls("chat.postMessage") if c.channel.startswith("C")} == {"C0EAST"}


def test_a_later_import_giving_the_old_name_to_another_team_does_not_take_the_renamed_teams_ideas(
    bot: RunningBot,
) -> None:
    load_suggestion_org(bot.sessions, bot.clock.now(), NO_CHANNELS)
    send(bot, "U0AGENT2", "Stop reading the refund script word for word")
    reimport(bot.sessions, bot.clock.now(), RENAMED)

    ines_joins_maya = (
        "U0AGENT3,Ines Agent,Support West,frontline,U0MGR2",
        "U0AGENT3,Ines Agent,Support East,frontline,U0MGR1",
    )
    reimport(bot.sessions, bot.clock.now(), RENAMED.replace(*ines_joins_maya))

    assert marked_done(bot) == (EAST - {"U0AGENT2"}) | {"U0MGR1"}, "Customer Care East, not Ines's Support East"


def test_a_team_split_unevenly_takes_its_ideas_to_the_part_most_of_its_people_are_in(bot: RunningBot) -> None:
    load_suggestion_org(bot.sessions, bot.clock.now(), NO_CHANNELS)
    send(bot, "U0AGENT1", "Stop reading the refund script word for word")

    reimport(bot.sessions, bot.clock.now(), SPLIT_UNEVENLY)

    assert marked_done(bot) == {"U0MGR1", "U0AGENT2", "U0AGENT4", "U0AGENT5"}, "Customer Care East, not Returns"


def test_a_team_split_in_halves_keeps_its_ideas(bot: RunningBot) -> None:
    """Neither part is the team more than the other: the idea stays with the team it came from, whose channel the
    policy still names."""
    load_suggestion_org(bot.sessions, bot.clock.now())
    send(bot, "U0AGENT1", "Stop reading the refund script word for word")

    reimport(bot.sessions, bot.clock.now(), SPLIT_IN_HALVES)

    with bot.sessions() as session:
        assert [team.name for team in session.scalars(select(Team).join(Suggestion.team))] == ["Support East"]
    assert marked_done(bot) == {"C0EAST"}
